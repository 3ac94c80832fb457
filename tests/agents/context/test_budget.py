"""Cutting ranked files to a token budget."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from accord.agents.context.budget import estimate_tokens, fit, outline
from accord.agents.context.rank import RankedFile
from accord.agents.context.symbols import Definition
from accord.agents.providers.types import ContextKind

ROOT = Path("/project")


def ranked(path: str, names: list[str]) -> RankedFile:
    definitions = tuple(
        Definition(name, "function", 10 * i + 1, 10 * i + 5, f"def {name}(argument, other):")
        for i, name in enumerate(names)
    )
    return RankedFile(path, 1.0, definitions)


FILES = [ranked(f"pkg/m{i}.py", [f"f{i}_{j}" for j in range(20)]) for i in range(10)]


@pytest.mark.parametrize(("text", "tokens"), [("", 0), ("abc", 1), ("abcd", 1), ("abcde", 2)])
def test_estimate_tokens(text: str, tokens: int) -> None:
    assert estimate_tokens(text) == tokens


@given(st.integers(0, 3000))
def test_the_budget_is_respected(budget: int) -> None:
    items = fit(FILES, ROOT, budget)
    assert sum(estimate_tokens(item.text) for item in items) <= budget


def test_outlines_follow_rank_order_and_show_signatures_in_line_order() -> None:
    items = fit([ranked("b.py", ["late", "early"]), ranked("a.py", ["x"])], ROOT, 1000)
    assert [item.path for item in items] == [str(ROOT / "b.py"), str(ROOT / "a.py")]
    assert items[0].kind is ContextKind.SYMBOL
    assert items[0].text == outline(
        "b.py", FILES[0].definitions[:0] + ranked("b.py", ["late", "early"]).definitions
    )
    assert items[0].text.splitlines() == [
        "b.py:",
        "    1: def late(argument, other):",
        "   11: def early(argument, other):",
    ]


def test_a_tight_budget_keeps_the_most_relevant_definitions() -> None:
    file = ranked("a.py", ["first", "second", "third"])
    budget = estimate_tokens(outline("a.py", file.definitions[:2]))
    (item,) = fit([file], ROOT, budget)
    assert "first" in item.text and "second" in item.text and "third" not in item.text


def test_small_files_go_whole_when_the_budget_allows() -> None:
    texts = {"small.py": "def x():\n    return 1\n", "large.py": "y = 2\n" * 400}
    files = [ranked("small.py", ["x"]), ranked("large.py", ["y"])]
    items = fit(files, ROOT, 1000, texts.get)
    assert [(item.kind, item.text) for item in items] == [
        (ContextKind.FILE, texts["small.py"]),
        (ContextKind.SYMBOL, outline("large.py", files[1].definitions)),
    ]
