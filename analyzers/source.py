"""One source file's bytes and tree-sitter tree, kept in step with edits.

Edits are applied one at a time in byte offsets (``edit``), each also applied to the tree with
``Tree.edit``; ``reparse`` then parses once with the old tree, so tree-sitter reuses every
unchanged subtree, and reports the byte ranges whose syntax changed. Callers convert editor
positions to byte offsets with ``lines`` before each edit, since each edit moves the next.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import tree_sitter

from .languages import LanguageSpec, ts_language
from .positions import LineIndex

__all__ = ["ByteEdit", "SourceDocument"]


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


@dataclass(slots=True)
class SourceDocument:
    """The text of one file (as UTF-8 bytes) with its current syntax tree."""

    spec: LanguageSpec
    data: bytes
    lines: LineIndex = field(init=False)
    tree: tree_sitter.Tree = field(init=False)
    _parser: tree_sitter.Parser = field(init=False, repr=False)
    # Edits applied since the last reparse, in order; the tree already carries them.
    _pending: list[ByteEdit] = field(init=False, repr=False, default_factory=list)

    def __post_init__(self) -> None:
        self._parser = tree_sitter.Parser(ts_language(self.spec.name))
        self.lines = LineIndex(self.data)
        self.tree = self._parser.parse(self.data)

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
        self.tree.edit(
            start_byte=start,
            old_end_byte=old_end,
            new_end_byte=change.new_end,
            start_point=start_point,
            old_end_point=old_end_point,
            new_end_point=self.lines.point(change.new_end),
        )
        self._pending.append(change)
        return change

    def replace_all(self, data: bytes) -> ByteEdit:
        """Replace the whole text (a full-sync change); the next reparse still reuses the tree."""
        return self.edit(0, len(self.data), data)

    def reparse(self) -> list[tuple[int, int]]:
        """Parse the edited text with the old tree and return the byte ranges that changed.

        The ranges are where the syntax tree differs plus every edited span, all in the
        coordinates of the new text.
        """
        old_tree = self.tree
        self.tree = self._parser.parse(self.data, old_tree)
        changed = [(r.start_byte, r.end_byte) for r in old_tree.changed_ranges(self.tree)]
        changed.extend(_edited_spans(self._pending))
        self._pending.clear()
        return changed


def _edited_spans(edits: list[ByteEdit]) -> list[tuple[int, int]]:
    """Each edit's new span, carried forward through the edits that came after it."""
    spans: list[tuple[int, int]] = []
    for change in edits:
        spans = [(_carry(s, change), max(_carry(s, change), _carry(e, change))) for s, e in spans]
        spans.append((change.start, change.new_end))
    return spans


def _carry(offset: int, change: ByteEdit) -> int:
    if offset <= change.start:
        return offset
    if offset >= change.old_end:
        return offset + change.delta
    return change.new_end
