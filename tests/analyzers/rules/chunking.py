"""Running one chunk rule the way the engine does, and checking the chunk contract."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace

import pytest
import tree_sitter

from accord.analyzers.engine import _function_chunk
from accord.analyzers.findings import Finding
from accord.analyzers.languages import all_languages
from accord.analyzers.rules import RuleContext, RuleInfo
from accord.analyzers.source import SourceDocument
from accord.config import Settings


def document(language: str, text: str) -> SourceDocument:
    return SourceDocument.from_text(all_languages()[language], text)


def full_run(rule: RuleInfo, doc: SourceDocument, settings: Settings) -> list[Finding]:
    """``rule`` on every top-level statement, as a full analysis runs it."""
    assert rule.check is not None and rule.scope == "chunk"
    context = RuleContext(doc, settings)
    found = [f for chunk in doc.tree.root_node.children for f in rule.check(chunk, context)]
    return sorted(found, key=_order)


def reported(
    rule: RuleInfo, language: str, text: str, settings: Settings | None = None
) -> list[str]:
    """The source text each finding of ``rule`` covers, in order."""
    doc = document(language, text)
    return [doc.data[f.start : f.end].decode() for f in full_run(rule, doc, settings or Settings())]


def function_chunks(doc: SourceDocument) -> Iterator[tree_sitter.Node]:
    """Every function that the engine re-checks on its own after an edit inside it."""
    stack = [doc.tree.root_node]
    while stack:
        node = stack.pop()
        if node.type in doc.spec.functions and _function_chunk(node, doc.spec) == node:
            yield node
        stack.extend(node.children)


def assert_chunk_independent(rule: RuleInfo, doc: SourceDocument, settings: Settings) -> None:
    """Re-checking any one function chunk, after dropping the findings that overlap it (what
    the engine does after an edit inside it), gives the full run's findings again."""
    assert rule.check is not None
    full = full_run(rule, doc, settings)
    context = RuleContext(doc, settings)
    chunks = list(function_chunks(doc))
    assert chunks, "the sample needs a function the engine re-checks alone"
    for chunk in chunks:
        kept = [f for f in full if not (f.start < chunk.end_byte and f.end > chunk.start_byte)]
        again = sorted([*kept, *rule.check(chunk, context)], key=_order)
        assert again == full, f"re-checking {chunk.type} at {chunk.start_point} changed findings"


def _order(finding: Finding) -> tuple[int, int, str]:
    return finding.start, finding.end, finding.message


def assert_edits_keep_findings(codes: list[str], doc: SourceDocument, settings: Settings) -> None:
    """A no-op edit inside each function chunk leaves the engine's findings for ``codes`` as a
    full analysis has them."""
    pytest.importorskip("accord.analyzers.rules.duplication", reason="every rule module needed")
    from accord.analyzers.engine import DocumentAnalysis

    selected = replace(settings, select=tuple(codes))
    analysis = DocumentAnalysis(doc, selected)
    expected = analysis.findings
    assert {f.code for f in expected} == set(codes), "the sample should trigger every rule"
    for chunk in list(function_chunks(doc)):
        middle = (chunk.start_byte + chunk.end_byte) // 2
        edit = doc.edit(middle, middle + 1, doc.data[middle : middle + 1])
        analysis.update([edit], doc.reparse())
        assert analysis.findings == expected
