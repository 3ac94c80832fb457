"""One source file's bytes and tree-sitter tree, kept in step with edits.

Edits are applied one at a time in byte offsets (``edit``), each also applied to the tree with
``Tree.edit``; ``reparse`` then parses what changed and reports the byte ranges whose syntax
changed. Where blocks are indented it re-parses only the statements the edits landed in
(``accord.analyzers.local_parse``) and returns them; elsewhere, or where that is not sure to be
right, it parses the whole file with the old tree, so tree-sitter reuses every unchanged
subtree. After a statement-local reparse the whole tree is brought up to date when ``tree`` is
next read. Edits that bring the text back to what was last parsed whole (an undo, a line typed
then deleted) take that tree back without parsing. Callers convert editor positions to byte
offsets with ``lines`` before each edit, since each edit moves the next.

A document given a ``parse_budget`` (an editor's) cuts a whole parse short past it: tree-sitter's
error recovery can take 100 ms to seconds on a large file (a bracket left open), and the edit
should not wait for it. The reparse then reports the edited spans with no statements to check
(``Reparsed.provisional``), and so do the edits after it, without parsing, until a whole parse
completes (``settle``, which an editor calls once edits pause): ``take_unchecked`` then hands the
spans edited meanwhile, with what that parse changed, to the analysis.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field, replace

import tree_sitter

from .languages import LanguageSpec, ts_language
from .local_parse import LocalParse, Region, reparse_statements, reparse_unindented
from .positions import LineIndex

__all__ = ["ByteEdit", "Reparsed", "SourceDocument"]

# Regions re-parsed alone that may wait for the whole tree's reparse; past this, it is due.
_MOST_REGIONS = 16
# The bytes a budgeted whole parse reads at a time; the budget is checked between them.
_CHUNK = 4096


@dataclass(frozen=True, slots=True)
class ByteEdit:
    """One replacement: bytes ``[start, old_end)`` became ``[start, new_end)``."""

    start: int
    old_end: int
    new_end: int

    @property
    def delta(self) -> int:
        return self.new_end - self.old_end

    def shift(self, offset: int) -> int:
        """Where a byte offset at or after ``old_end`` lies after this edit."""
        return offset + self.delta if offset >= self.old_end else offset


@dataclass(frozen=True, slots=True)
class Reparsed:
    """What a reparse changed: byte ranges of the new text, and where only some statements
    were re-parsed, those statements (else None: the whole tree was). A whole parse cut short
    by the budget re-parsed nothing: its statements are empty and it is ``provisional``."""

    changed: list[tuple[int, int]]
    statements: list[tree_sitter.Node] | None = None
    provisional: bool = False
    # Whether the whole tree is the last whole parse's, taken back without a parse: its
    # top-level statements, imports among them, are those the analysis has read already.
    kept: bool = False


@dataclass(slots=True)
class SourceDocument:
    """The text of one file (as UTF-8 bytes) with its current syntax tree."""

    spec: LanguageSpec
    data: bytes
    # CPU seconds a whole parse for an edit may take before it is cut short; None: no limit.
    parse_budget: float | None = None
    lines: LineIndex = field(init=False)
    _tree: tree_sitter.Tree = field(init=False, repr=False)
    _parser: tree_sitter.Parser = field(init=False, repr=False)
    # Parses statements alone (its included ranges change with each), made on first use.
    _statement_parser: tree_sitter.Parser | None = field(init=False, repr=False, default=None)
    # Edits applied since the last reparse, in order; the tree already carries them.
    _pending: list[ByteEdit] = field(init=False, repr=False, default_factory=list)
    # Spans re-parsed alone since the whole tree was, where ``_tree`` is out of date.
    _regions: list[Region] = field(init=False, repr=False, default_factory=list)
    # Whether the text parsed without errors, as a whole and in every region since.
    _clean: bool = field(init=False, repr=False, default=False)
    # The tree of the latest parse: the whole file's, or the statements' re-parsed alone.
    _latest: tree_sitter.Tree = field(init=False, repr=False)
    # The text of the last whole parse, and that tree before any edit: when edits bring the
    # text back to it (an undo, a line typed then deleted), the tree is right without a parse.
    _whole_data: bytes = field(init=False, repr=False, default=b"")
    _whole: tree_sitter.Tree = field(init=False, repr=False)
    # Spans whose findings are not re-derived: edited when a whole parse was cut short (the
    # tree is out of date there), and what the whole parse after that changed.
    _unchecked: list[tuple[int, int]] = field(init=False, repr=False, default_factory=list)
    # Whether a whole parse was cut short since the last one that completed.
    _stale: bool = field(init=False, repr=False, default=False)
    # The text of the whole parse last cut short, which the parser goes on with if asked to
    # parse it again; None when the parser is not in the middle of one.
    _resuming: bytes | None = field(init=False, repr=False, default=None)

    def __post_init__(self) -> None:
        self._parser = tree_sitter.Parser(ts_language(self.spec.name))
        self.lines = LineIndex(self.data)
        self._parsed_whole(self._parser.parse(self.data))

    def _parsed_whole(self, tree: tree_sitter.Tree) -> None:
        """Take ``tree``, a parse of the whole current text."""
        self._tree = self._latest = tree
        self._regions.clear()
        self._stale = False
        self._clean = not tree.root_node.has_error
        self._whole_data, self._whole = self.data, tree.copy()

    @property
    def tree(self) -> tree_sitter.Tree:
        """The syntax tree of the whole current text (reparsed first if only statements were)."""
        self.settle()
        return self._tree

    def settle(self, budget: float | None = None) -> bool:
        """Reparse the whole text if edits since re-parsed only their statements or a whole
        parse was cut short. Returns whether the tree is up to date: False where the parse ran
        past ``budget`` CPU seconds, and the next call (with no edit between) goes on from there."""
        if not (self._regions or self._stale):
            return True
        old_tree = self._tree
        tree = self._parse_whole(old_tree, budget)
        if tree is None:
            return False
        self._parsed_whole(tree)
        if self._unchecked:
            self._unchecked.extend(_changed_ranges(old_tree, tree))
        return True

    def take_unchecked(self, budget: float | None = None) -> list[tuple[int, int]] | None:
        """Bring the tree up to date and return the spans whose findings have not been derived
        since a whole parse was cut short (none otherwise); they count as checked after. None
        where the parse ran past ``budget`` (see ``settle``)."""
        return self._checked() if self.settle(budget) else None

    def _checked(self) -> list[tuple[int, int]]:
        """The spans left unchecked, which count as checked from now."""
        unchecked, self._unchecked = self._unchecked, []
        return unchecked

    @property
    def latest_root(self) -> tree_sitter.Node:
        """The root of the latest parse, without reparsing: after a statement-local reparse
        it holds only the statements re-parsed (and the headers of their classes)."""
        return self._latest.root_node

    @classmethod
    def from_text(cls, spec: LanguageSpec, text: str) -> SourceDocument:
        return cls(spec, text.encode("utf-8", errors="surrogatepass"))

    @property
    def text(self) -> str:
        return self.data.decode("utf-8", errors="replace")

    def edit(self, start: int, old_end: int, new_text: bytes) -> ByteEdit:
        """Replace bytes ``[start, old_end)`` by ``new_text`` (offsets clamped to the data)."""
        size = len(self.data)
        start = max(0, min(start, size))
        old_end = max(start, min(old_end, size))
        old_lines = self.lines
        start_point, old_end_point = old_lines.point(start), old_lines.point(old_end)
        self.data = self.data[:start] + new_text + self.data[old_end:]
        self.lines = old_lines.spliced(self.data, start, old_end, new_text)
        change = ByteEdit(start, old_end, start + len(new_text))
        self._regions = [_carried(region, change) for region in self._regions]
        self._tree.edit(
            start_byte=start,
            old_end_byte=old_end,
            new_end_byte=change.new_end,
            start_point=start_point,
            old_end_point=old_end_point,
            new_end_point=self.lines.point(change.new_end),
        )
        self._pending.append(change)
        self._unchecked = [_carried_span(span, change) for span in self._unchecked]
        return change

    def replace_all(self, data: bytes) -> ByteEdit:
        """Replace the whole text (a full-sync change); the next reparse still reuses the tree."""
        return self.edit(0, len(self.data), data)

    def reparse(self) -> Reparsed:
        """Parse the edited text and return what changed, in the coordinates of the new text.

        Where only the statements the edits landed in are re-parsed, the change is their span;
        where the whole text is, it is where the whole tree differs plus every edited span (and
        every span left unchecked before); where a whole parse was cut short now or before, it
        is the edited spans, with no statements, provisionally.
        """
        edited = _edited_spans(self._pending)
        self._pending.clear()
        if self.data == self._whole_data:
            self._parsed_whole(self._whole)
            unchecked = self._checked()
            return Reparsed([*unchecked, *edited], kept=not unchecked)
        if self._stale:
            return self._provisional(edited)
        local = self._reparse_statements(edited)
        if local is not None:
            region, self._latest = local.region, local.tree
            inside = [r for r in self._regions if not region.start <= r.start < region.end]
            self._regions = sorted([*inside, region], key=lambda r: r.start)
            return Reparsed([local.span], local.statements)
        old_tree = self._tree
        tree = self._parse_whole(old_tree, self.parse_budget)
        if tree is None:
            self._clean, self._stale = False, True
            return self._provisional(edited)
        self._parsed_whole(tree)
        changed = _changed_ranges(old_tree, tree)
        return Reparsed([*changed, *self._checked(), *edited])

    def _provisional(self, edited: list[tuple[int, int]]) -> Reparsed:
        self._unchecked = _merged([*self._unchecked, *edited])
        return Reparsed(edited, [], provisional=True)

    def _parse_whole(
        self, old_tree: tree_sitter.Tree, budget: float | None
    ) -> tree_sitter.Tree | None:
        """A whole parse reusing ``old_tree``; None when it ran past ``budget`` CPU seconds.

        The budget is this thread's CPU time, so that a parse the machine is slow to schedule
        is not cut short for it. tree-sitter asks whether to go on as it parses (progress
        callbacks are only made where it reads the text through a callback, a chunk at a time).
        A parse cut short is resumed by the next one of the same text, and thrown away before
        one of another.
        """
        if self._resuming is not None and self._resuming != self.data:
            self._parser.reset()
        self._resuming = None
        if budget is None:
            return self._parser.parse(self.data, old_tree)
        data, deadline = self.data, time.thread_time() + budget

        def read(offset: int, _point: object) -> bytes:
            return data[offset : offset + _CHUNK]

        def late(*_state: object) -> bool:
            return time.thread_time() > deadline

        try:
            return self._parser.parse(read, old_tree, progress_callback=late)
        except ValueError:  # cancelled by ``late``
            self._resuming = data
            return None

    def _reparse_statements(self, edited: list[tuple[int, int]]) -> LocalParse | None:
        if not self.spec.indented_bodies or not edited or not self._clean or self._unchecked:
            return None
        if len(self._regions) > _MOST_REGIONS:
            return None
        parser = self._statement_parser
        if parser is None:
            parser = self._statement_parser = tree_sitter.Parser(ts_language(self.spec.name))
        span = min(s for s, _ in edited), max(e for _, e in edited)
        for reparse in (reparse_statements, reparse_unindented):
            local = reparse(parser, self._tree, self.lines, self.spec, self._regions, span)
            if local is not None:
                return local
        return None


def _edited_spans(edits: list[ByteEdit]) -> list[tuple[int, int]]:
    """Each edit's new span, carried forward through the edits that came after it."""
    spans: list[tuple[int, int]] = []
    for change in edits:
        spans = [_carried_span(span, change) for span in spans]
        spans.append((change.start, change.new_end))
    return spans


def _merged(spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """``spans`` sorted, those that overlap or touch made one."""
    merged: list[tuple[int, int]] = []
    for start, end in sorted(spans):
        if merged and start <= merged[-1][1]:
            merged[-1] = merged[-1][0], max(end, merged[-1][1])
        else:
            merged.append((start, end))
    return merged


def _changed_ranges(old_tree: tree_sitter.Tree, tree: tree_sitter.Tree) -> list[tuple[int, int]]:
    return [(r.start_byte, r.end_byte) for r in old_tree.changed_ranges(tree)]


def _carried_span(span: tuple[int, int], change: ByteEdit) -> tuple[int, int]:
    """A span of the text after an edit: moved by one before it, widened by one in it."""
    start = _carry(span[0], change)
    return start, max(start, _carry(span[1], change))


def _carried(region: Region, change: ByteEdit) -> Region:
    """A region after an edit: moved by one before it, widened by one inside or touching it."""
    if change.old_end < region.start or change.start > region.end:
        start, end = _carry(region.start, change), _carry(region.end, change)
    else:
        start = min(region.start, change.start)
        end = max(_carry(region.end, change), change.new_end)
    return replace(region, start=start, end=end)


def _carry(offset: int, change: ByteEdit) -> int:
    if offset <= change.start:
        return offset
    if offset >= change.old_end:
        return offset + change.delta
    return change.new_end
