"""Runs the chunk and file rules over one document, in full or only where an edit reached.

A document's findings are kept between edits. After an edit, findings before it stay, those
after it shift with it, and those it touched are dropped; then the chunks (outermost functions,
or top-level statements) that contain a changed range are checked again, each unit of them
(``accord.analyzers.memo``) taken from what was found in the same code before when it was seen
before, and the file rules re-run whole. Where the reparse re-parsed only some statements, those
are the chunks. The rules also read the names the file imports: when they change, everything is
checked again. The result equals a full analysis of the new text.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import replace
from types import MappingProxyType

import tree_sitter

from accord.config import Settings

from .findings import Finding
from .injection.python import aliases
from .languages import LanguageSpec
from .memo import ChunkMemo
from .rules import RuleContext, outermost_function, rule_checks
from .source import ByteEdit, Reparsed, SourceDocument

__all__ = ["DocumentAnalysis", "carry_over", "file_imports"]


class DocumentAnalysis:
    """The findings of the chunk and file rules on one document, kept up to date by edits."""

    def __init__(
        self,
        document: SourceDocument,
        settings: Settings,
        path: str | None = None,
        incremental: bool = True,
    ):
        """Analyse ``document`` in full; ``incremental`` prepares for ``update`` (an editor's
        document) at a small cost, which a one-off analysis (``accord check``) skips."""
        self.document = document
        # The imports are kept where edits follow; a one-off analysis lets the rule read them.
        imports = file_imports(document) if incremental else None
        self.context = RuleContext(document, settings, imports)
        rules = [rule for rule in rule_checks() if settings.rule_enabled(rule.code, path)]
        self._chunk_rules = [r for r in rules if r.scope == "chunk" and r.check]
        self._file_rules = [r for r in rules if r.scope == "file" and r.check]
        # Chunk-rule findings, sorted by start; file-rule findings are recomputed each time.
        self._chunk_findings: list[Finding] = []
        self._file_findings: list[Finding] = []
        # The chunk findings of the code seen so far, by unit; None when not incremental.
        self._memo = ChunkMemo(document.spec) if incremental else None
        self.run_full()

    @property
    def findings(self) -> list[Finding]:
        """All current findings, sorted by position then code."""
        return sorted([*self._chunk_findings, *self._file_findings], key=_order)

    def run_full(self) -> list[Finding]:
        """Analyse the whole document from scratch.

        The root holds every chunk, so by the chunk contract checking it once gives what
        checking each top-level statement gives, with one query run instead of one per chunk.
        """
        root = self.document.tree.root_node
        self._chunk_findings = sorted(self._check_chunks([root]), key=_order)
        if self._memo is not None:
            self._memo.remember(root, self._chunk_findings)
        self._file_findings = self._check_file()
        return self.findings

    def update(self, edits: Sequence[ByteEdit], reparsed: Reparsed) -> list[Finding]:
        """Bring the findings up to date after ``edits`` and their ``reparsed`` result."""
        kept = self._chunk_findings
        for change in edits:
            kept = carry_over(kept, change)
        changed = reparsed.changed
        if reparsed.statements is not None:
            chunks = reparsed.statements
        elif not reparsed.kept and self._imports_changed():
            return self.run_full()
        else:
            chunks = _dirty_chunks(self.document.tree.root_node, changed, self.document.spec)
        spans = [(c.start_byte, c.end_byte) for c in chunks] + changed
        kept = _outside(kept, spans)
        found = self._memo.findings(chunks, self._check_chunks) if self._memo else None
        if found is None:
            found = self._check_chunks(chunks)
        self._chunk_findings = sorted([*kept, *found], key=_order)
        self._file_findings = self._check_file()
        return self.findings

    def _imports_changed(self) -> bool:
        """Whether the file's imports changed (they are kept only where edits follow); if so,
        the rules' context takes the new ones and what was remembered under the old goes."""
        if self.context.imports is None:
            return False
        imports = file_imports(self.document)
        if imports == self.context.imports:
            return False
        self.context = replace(self.context, imports=imports)
        if self._memo is not None:
            self._memo = ChunkMemo(self.document.spec, self._memo.limit)
        return True

    def _check_chunks(self, chunks: Iterable[tree_sitter.Node]) -> list[Finding]:
        found: list[Finding] = []
        for chunk in chunks:
            for rule in self._chunk_rules:
                assert rule.check is not None
                found.extend(rule.check(chunk, self.context))
        return found

    def _check_file(self) -> list[Finding]:
        root = self.document.latest_root
        found: list[Finding] = []
        for rule in self._file_rules:
            assert rule.check is not None
            found.extend(rule.check(root, self.context))
        return found


def file_imports(document: SourceDocument) -> Mapping[str, str] | None:
    """The names the file imports (local name to qualified name), which chunk rules read
    file-wide; None in a language without import kinds."""
    if not document.spec.imports:
        return None
    return MappingProxyType(aliases(document.tree.root_node))


def _outside(findings: list[Finding], spans: list[tuple[int, int]]) -> list[Finding]:
    """The findings that overlap none of ``spans`` (most lie before or after them all)."""
    if not spans:
        return findings
    low, high = min(start for start, _ in spans), max(end for _, end in spans)
    return [
        f
        for f in findings
        if f.end <= low
        or f.start >= high
        or not any(f.start < end and f.end > start for start, end in spans)
    ]


def _order(finding: Finding) -> tuple[int, int, str]:
    return finding.start, finding.end, finding.code


def carry_over(findings: list[Finding], change: ByteEdit) -> list[Finding]:
    """Findings after one edit: untouched ones kept, later ones shifted, touched ones dropped."""
    carried: list[Finding] = []
    for finding in findings:
        if finding.end <= change.start and finding.start < change.start:
            carried.append(finding)
        elif finding.start >= change.old_end and finding.start > change.start:
            carried.append(finding.shifted(change.delta))
    return carried


def _dirty_chunks(
    root: tree_sitter.Node, changed: Iterable[tuple[int, int]], spec: LanguageSpec
) -> list[tree_sitter.Node]:
    """The chunks to re-check, none inside another: for each changed range, the chunk holding it
    or else the top-level statements it overlaps."""
    chunks: dict[tuple[int, int], tree_sitter.Node] = {}
    for start, end in changed:
        node = root.descendant_for_byte_range(start, max(start, end))
        chunk = _function_chunk(node, spec) if node is not None else None
        if chunk is not None:
            chunks[(chunk.start_byte, chunk.end_byte)] = chunk
            continue
        for child in root.children:
            if child.start_byte <= end and child.end_byte >= start:
                chunks[(child.start_byte, child.end_byte)] = child
    outer: list[tuple[int, int]] = []
    for span in sorted(chunks, key=lambda span: (span[0], -span[1])):
        if not outer or span[1] > outer[-1][1]:
            outer.append(span)
    return [chunks[span] for span in outer]


def _function_chunk(node: tree_sitter.Node, spec: LanguageSpec) -> tree_sitter.Node | None:
    """The outermost function holding ``node``, if only containers (class bodies, namespaces)
    stand between it and the root; None where the chunk must be the top-level statement."""
    function = outermost_function(node, spec.functions)
    if function is None:
        return None
    ancestor = function.parent
    while ancestor is not None and ancestor.parent is not None:
        if ancestor.type not in spec.containers:
            return None
        ancestor = ancestor.parent
    return function
