"""Ranking files by relevance to a task: personalised PageRank over who uses whose names."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from accord.agents.context.rank import COMMON, UBIQUITOUS, pagerank, rank
from accord.agents.context.symbols import Definition, FileSymbols


def symbols(defines: list[str], uses: dict[str, int] | None = None) -> FileSymbols:
    definitions = tuple(
        Definition(name, "function", line, line, f"def {name}():")
        for line, name in enumerate(defines, start=1)
    )
    return FileSymbols("python", definitions, uses or {})


FILES = {
    "target.py": symbols(["handle"], {"parse": 3, "Config": 1}),
    "parser.py": symbols(["parse", "_tokenise"], {"_tokenise": 1, "Config": 1}),
    "config.py": symbols(["Config"]),
    "unrelated.py": symbols(["plot", "draw"], {"draw": 2, "colour": 1}),
    "colours.py": symbols(["colour"]),
}


def order(focus: list[str], mentioned: set[str] = frozenset()) -> list[str]:  # type: ignore[assignment]
    return [file.path for file in rank(FILES, focus, mentioned)]


def test_files_the_target_uses_rank_above_unrelated_ones() -> None:
    ranked = order(["target.py"])
    for used in ("parser.py", "config.py"):
        for other in ("unrelated.py", "colours.py"):
            assert ranked.index(used) < ranked.index(other)


def score(path: str, focus: list[str], mentioned: set[str]) -> float:
    return next(file.score for file in rank(FILES, focus, mentioned) if file.path == path)


def test_a_mentioned_name_lifts_its_file() -> None:
    assert score("colours.py", ["target.py"], {"colour"}) > score(
        "colours.py", ["target.py"], set()
    )
    assert order([], {"colour"})[0] == "colours.py"


def test_definitions_are_ordered_by_the_rank_flowing_into_them() -> None:
    files = {**FILES, "other.py": symbols([], {"_tokenise": 1})}
    ranked = {file.path: file for file in rank(files, ["target.py"])}
    assert [d.name for d in ranked["parser.py"].definitions] == ["parse", "_tokenise"]


def test_no_files_no_ranks() -> None:
    assert rank({}, ["a.py"], {"x"}) == ()


# Worked by hand: in a chain a → b → c restarting at a, b = 0.85 a and c = 0.85 b (c's rank,
# dangling, restarts at a too); a fork a → b (3), a → c (1) splits a's 0.85 a by weight.
CHAIN = 1 / (1 + 0.85 + 0.85**2)


@pytest.mark.parametrize(
    ("edges", "personal", "expected"),
    [
        (
            {"a": {"b": 1.0}, "b": {"c": 1.0}},
            {"a": 1.0},
            {"a": CHAIN, "b": 0.85 * CHAIN, "c": 0.85**2 * CHAIN},
        ),
        ({}, {"c": 1.0}, {"a": 0.0, "b": 0.0, "c": 1.0}),
        ({}, {}, {"a": 1 / 3, "b": 1 / 3, "c": 1 / 3}),
        (
            {"a": {"b": 3.0, "c": 1.0}},
            {"a": 1.0},
            {"a": 1 / (1 + 0.85), "b": 0.85 * 0.75 / 1.85, "c": 0.85 * 0.25 / 1.85},
        ),
    ],
)
def test_pagerank(
    edges: dict[str, dict[str, float]], personal: dict[str, float], expected: dict[str, float]
) -> None:
    assert pagerank(["a", "b", "c"], edges, personal) == pytest.approx(expected, abs=1e-4)


@given(
    st.dictionaries(
        st.sampled_from("abcde"),
        st.dictionaries(st.sampled_from("abcde"), st.floats(0.1, 10.0), max_size=4),
        max_size=5,
    ),
    st.dictionaries(st.sampled_from("abcde"), st.floats(0.1, 1.0), max_size=3),
)
def test_pagerank_is_a_distribution(
    edges: dict[str, dict[str, float]], personal: dict[str, float]
) -> None:
    scores = pagerank("abcde", edges, personal)
    assert sum(scores.values()) == pytest.approx(1.0)
    assert all(score >= 0 for score in scores.values())


def test_names_defined_in_many_files_weigh_less_and_ubiquitous_ones_nothing() -> None:
    def files(copies: int) -> dict[str, FileSymbols]:
        defining = {f"d{n}.py": symbols(["setUp"]) for n in range(copies)}
        return {
            "user.py": symbols([], {"setUp": 1, "unique": 1}),
            "u.py": symbols(["unique"]),
            **defining,
        }

    def share(copies: int) -> float:
        ranked = {file.path: file.score for file in rank(files(copies), ["user.py"])}
        return ranked["d0.py"] / ranked["u.py"]

    assert share(2) == pytest.approx(1.0)
    assert share(COMMON + 1) < share(COMMON) / 5
    assert share(UBIQUITOUS + 1) < share(UBIQUITOUS)
    ranked = {file.path: file for file in rank(files(UBIQUITOUS + 1), ["user.py"])}
    assert ranked["d0.py"].score == pytest.approx(ranked["d1.py"].score)
