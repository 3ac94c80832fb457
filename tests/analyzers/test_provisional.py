"""A whole parse cut short by the document's budget: the edit's findings are provisional (the
others carried, none derived in the edited spans) and the edits after it parse nothing, until a
whole parse completes; the findings then equal a full analysis.

A budget of 0 cuts every whole parse short at tree-sitter's first progress check, so these
tests do not depend on the machine's speed.
"""

from __future__ import annotations

import ast
import random
import sysconfig
from pathlib import Path

import pytest

from accord.analyzers.engine import DocumentAnalysis, carry_over
from accord.analyzers.findings import Finding
from accord.analyzers.languages import all_languages
from accord.analyzers.source import ByteEdit, Reparsed, SourceDocument
from accord.config import Settings, validated

from .test_local_parse import _random_edit, stdlib_sources

PYTHON = all_languages()["python"]
STDLIB = Path(sysconfig.get_paths()["stdlib"])
STRICT = validated(
    Settings,
    {"complexity": {"threshold": 0}, "size": {"max-function-lines": 3, "max-file-lines": 12}},
)


def _largest_class_method(text: str) -> int:
    """The row of a method in the middle of the module's largest class."""
    tree = ast.parse(text)
    largest = max(
        (n for n in tree.body if isinstance(n, ast.ClassDef)),
        key=lambda c: (c.end_lineno or 0) - c.lineno,
    )
    methods = [n.lineno - 1 for n in largest.body[1:] if isinstance(n, ast.FunctionDef)]
    return methods[len(methods) // 2]


def _full(document: SourceDocument) -> list[Finding]:
    return DocumentAnalysis(document, STRICT, incremental=False).findings


def _settle(document: SourceDocument, analysis: DocumentAnalysis) -> None:
    """What the language server does once edits pause."""
    unchecked = document.take_unchecked()
    if unchecked:
        analysis.update([], Reparsed(unchecked))


def test_a_bracket_left_open_in_a_large_class_is_provisional_until_edits_pause() -> None:
    """`x = f(1)` typed key by key at column 0 in _pydecimal's largest class: each key publishes
    the findings before it, moved (nothing derived on the line); once edits pause the whole
    parse runs and the findings equal a full analysis, with the bracket open and closed."""
    text = (STDLIB / "_pydecimal.py").read_text("utf-8")
    document = SourceDocument(PYTHON, text.encode("utf-8"), parse_budget=0.0)
    analysis = DocumentAnalysis(document, STRICT)
    at = document.lines.starts[_largest_class_method(text)]
    before = analysis.findings
    for column, key in enumerate("x = f("):
        change = document.edit(at + column, at + column, key.encode())
        reparsed = document.reparse()
        assert reparsed.provisional and reparsed.statements == []
        assert reparsed.changed == [(at + column, at + column + 1)]
        analysis.update([change], reparsed)
    moved = [f.shifted(6) if f.start >= at else f for f in before]
    assert analysis.findings == moved

    _settle(document, analysis)
    assert analysis.findings == _full(document)
    assert analysis.findings != moved  # tree-sitter's error recovery took the rest of the file
    assert document.take_unchecked() == []

    for column, key in enumerate("1)", start=6):
        change = document.edit(at + column, at + column, key.encode())
        analysis.update([change], document.reparse())
    _settle(document, analysis)
    fresh = SourceDocument(PYTHON, document.data)
    assert str(document.tree.root_node) == str(fresh.tree.root_node)
    assert analysis.findings == _full(fresh)


def test_without_a_budget_every_edit_is_exact() -> None:
    text = (STDLIB / "fractions.py").read_text("utf-8")
    document = SourceDocument(PYTHON, text.encode("utf-8"))
    analysis = DocumentAnalysis(document, STRICT)
    at = document.lines.starts[_largest_class_method(text)]
    change = document.edit(at, at, b"x = f(\n")
    reparsed = document.reparse()
    assert not reparsed.provisional
    analysis.update([change], reparsed)
    assert analysis.findings == _full(document)


def test_an_edit_back_to_the_last_whole_text_is_exact_at_once() -> None:
    """Typed and deleted while the parse is cut short: the text is the one last parsed whole,
    whose tree is taken back, and the spans left unchecked are checked then."""
    text = (STDLIB / "fractions.py").read_text("utf-8")
    document = SourceDocument(PYTHON, text.encode("utf-8"), parse_budget=0.0)
    analysis = DocumentAnalysis(document, STRICT)
    before = analysis.findings
    at = document.lines.starts[_largest_class_method(text)]
    typed = document.edit(at, at, b"x = f(")
    analysis.update([typed], document.reparse())
    erased = document.edit(at, at + 6, b"")
    reparsed = document.reparse()
    assert not reparsed.provisional
    analysis.update([erased], reparsed)
    assert analysis.findings == before
    assert document.take_unchecked() == []


@pytest.mark.parametrize("module", ["argparse", "fractions", "statistics"])
def test_random_edits_cut_short_settle_to_a_full_analysis(module: str) -> None:
    """Random edits as people make them, every whole parse cut short, edits pausing at random:
    a provisional update only carries findings (none appears that was not there), and each
    pause leaves the findings a full analysis gives."""
    data = (STDLIB / f"{module}.py").read_bytes()
    document = SourceDocument(PYTHON, data, parse_budget=0.0)
    analysis = DocumentAnalysis(document, STRICT)
    file_rule_codes = {f.code for f in analysis._file_findings}
    rng = random.Random(module)
    provisional = 0
    for _ in range(40):
        before = analysis.findings
        start, end, new = _random_edit(rng, document.data)
        change: ByteEdit = document.edit(start, end, new)
        reparsed = document.reparse()
        analysis.update([change], reparsed)
        if reparsed.provisional:
            provisional += 1
            carried = set(carry_over(before, change))
            assert all(f in carried or f.code in file_rule_codes for f in analysis.findings)
        if rng.random() < 0.3:
            _settle(document, analysis)
            assert analysis.findings == _full(document)
    _settle(document, analysis)
    assert analysis.findings == _full(document)
    assert provisional > 0


def test_the_whole_parse_once_edits_pause_runs_in_slices_and_starts_over_after_an_edit() -> None:
    """The parse of a bracket left open in _pydecimal runs in slices of a millisecond, each
    going on from the last, to a tree of the whole text; an edit between two slices throws the
    parse away, and the next one parses the new text: a fresh parse's tree, once it is clean.

    (Where the text has an error, tree-sitter's recovery may settle on another tree than an
    unsliced parse does, as an incremental parse may; the findings are those of the tree.)"""
    text = (STDLIB / "_pydecimal.py").read_text("utf-8")
    document = SourceDocument(PYTHON, text.encode("utf-8"), parse_budget=0.0)
    at = document.lines.starts[_largest_class_method(text)]
    document.edit(at, at, b"x = f(\n")
    assert document.reparse().provisional
    slices = 1
    while document.take_unchecked(0.001) is None:
        slices += 1
    assert slices > 2
    root = document.tree.root_node
    assert root.has_error and root.end_byte == len(document.data)

    document.edit(at + 6, at + 6, b"1)")
    assert document.reparse().provisional
    assert document.take_unchecked(0.001) is None  # cut short after a slice
    document.edit(at + 8, at + 8, b" + 2")
    assert document.reparse().provisional
    while document.take_unchecked(0.001) is None:
        pass
    fresh = SourceDocument(PYTHON, document.data)
    assert not fresh.tree.root_node.has_error
    assert str(document.tree.root_node) == str(fresh.tree.root_node)


@pytest.mark.slow
def test_edits_cut_short_across_the_standard_library_settle_to_a_full_analysis() -> None:
    """Every top-level stdlib module, 12 random edits each with every whole parse cut short
    and edits pausing at random: at each pause, the findings equal a full analysis of the
    document's tree (and of a fresh parse where the text parses clean)."""
    rng = random.Random(20)
    settled = 0
    for path, original in stdlib_sources():
        document = SourceDocument(PYTHON, original, parse_budget=0.0)
        analysis = DocumentAnalysis(document, STRICT)
        for step in range(12):
            change = document.edit(*_random_edit(rng, document.data))
            analysis.update([change], document.reparse())
            if step == 11 or rng.random() < 0.25:
                _settle(document, analysis)
                settled += 1
                assert analysis.findings == _full(document), path.name
        fresh = SourceDocument(PYTHON, document.data)
        if not fresh.tree.root_node.has_error:
            assert analysis.findings == _full(fresh), path.name
    assert settled > 500
