"""SourceDocument: byte edits keep the text, the line index and the tree in step."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from accord.analyzers.languages import all_languages, language_for
from accord.analyzers.positions import line_starts
from accord.analyzers.source import SourceDocument

PYTHON = all_languages()["python"]


def test_an_edit_reports_what_changed() -> None:
    document = SourceDocument.from_text(PYTHON, "def f():\n    return 1\n")
    document.edit(20, 21, b"2 + 3")
    changed = document.reparse().changed
    assert document.text == "def f():\n    return 2 + 3\n"
    assert any(start <= 20 < end or start == 20 for start, end in changed)
    assert "binary_operator" in str(document.tree.root_node)


def test_several_edits_before_one_reparse() -> None:
    document = SourceDocument.from_text(PYTHON, "a = 1\nb = 2\n")
    document.edit(0, 0, b"import os\n")
    document.edit(len(b"import os\na = 1\n"), len(b"import os\na = 1\nb"), b"bee")
    changed = document.reparse().changed
    assert document.text == "import os\na = 1\nbee = 2\n"
    assert str(document.tree.root_node) == str(
        SourceDocument.from_text(PYTHON, document.text).tree.root_node
    )
    assert (0, 10) in changed


@given(
    st.text(alphabet=st.sampled_from("ab\n😀é "), max_size=30),
    st.lists(st.tuples(st.integers(0, 40), st.integers(0, 10), st.text("x\n😀", max_size=4))),
)
def test_line_starts_follow_any_edit(text: str, edits: list[tuple[int, int, str]]) -> None:
    document = SourceDocument.from_text(PYTHON, text)
    for start, length, new in edits:
        start = min(start, len(document.data))
        document.edit(start, start + length, new.encode())
        assert document.lines.starts == line_starts(document.data)


def test_languages_are_found_by_language_id_then_extension() -> None:
    assert language_for("typescriptreact").name == "tsx"  # type: ignore[union-attr]
    assert language_for(None, "/src/App.kt").name == "kotlin"  # type: ignore[union-attr]
    assert language_for("plaintext", "/src/main.rs").name == "rust"  # type: ignore[union-attr]
    assert language_for("cobol", "/src/deck.cbl") is None


def test_every_grammar_loads_offline_and_parses() -> None:
    for spec in all_languages().values():
        document = SourceDocument.from_text(spec, "x")
        assert document.tree.root_node is not None, spec.name


def test_tsx_takes_typescripts_node_kinds_and_the_queries_it_lacks() -> None:
    from accord.analyzers.languages import all_languages, load_query, query_text

    tsx, typescript = all_languages()["tsx"], all_languages()["typescript"]
    assert tsx.like == "typescript" and tsx.grammar != typescript.grammar
    assert (tsx.functions, tsx.containers) == (typescript.functions, typescript.containers)
    assert query_text("tsx", "complexity") == query_text("typescript", "complexity")
    assert query_text("tsx", "outline") != query_text("typescript", "outline")
    assert load_query("tsx", "injection") is not None
    assert query_text("tsx", "nonexistent") is None
