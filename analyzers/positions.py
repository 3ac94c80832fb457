"""Line index over UTF-8 source bytes: tree-sitter points ⇄ LSP positions.

Tree-sitter counts rows by ``\\n`` and columns in bytes; LSP counts characters in the encoding
the client negotiated (UTF-16 by default, or UTF-8 / UTF-32). Out-of-range positions are clamped
the way editors do: a character past the end of a line means the line's end, a line past the end
means the end of the document.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Sequence
from typing import Literal

__all__ = ["Encoding", "LineIndex", "line_starts", "units"]

Encoding = Literal["utf-8", "utf-16", "utf-32"]


def line_starts(data: bytes) -> list[int]:
    """Byte offsets at which each line of ``data`` starts (lines end with ``\\n``)."""
    starts = [0]
    find = data.find
    position = find(b"\n")
    while position >= 0:
        starts.append(position + 1)
        position = find(b"\n", position + 1)
    return starts


def units(text: str, encoding: Encoding) -> int:
    """How many code units of ``encoding`` ``text`` takes (its LSP character count)."""
    if encoding == "utf-32":
        return len(text)
    if encoding == "utf-8":
        return len(text.encode("utf-8"))
    return len(text.encode("utf-16-le")) // 2


class LineIndex:
    """Maps between byte offsets, ``(row, byte column)`` points and LSP positions.

    After an edit (``spliced``) the lines after it keep their old starts with one shift still to
    add, so an edit costs what it touches and how far it is from the previous one, not the size
    of the file; ``starts`` adds the shift when something asks for the whole list.
    """

    def __init__(self, data: bytes, starts: Sequence[int] | None = None) -> None:
        self.data = data
        # Byte offset of the first byte of every line (always starts with 0), except that
        # ``_shift`` is still to be added to those from index ``_pivot`` on.
        self._base = list(starts) if starts is not None else line_starts(data)
        self._pivot = len(self._base)
        self._shift = 0
        # Whether every column is one byte, one UTF-16 unit and one code point.
        self.ascii = data.isascii()

    @classmethod
    def _shifted(
        cls, data: bytes, base: list[int], pivot: int, shift: int, ascii: bool
    ) -> LineIndex:
        index = cls.__new__(cls)
        index.data, index._base, index._pivot, index._shift = data, base, pivot, shift
        index.ascii = ascii
        return index

    def spliced(self, data: bytes, start: int, old_end: int, new_text: bytes) -> LineIndex:
        """The index of ``data``: this index's text with bytes ``[start, old_end)`` replaced by
        ``new_text``."""
        base, pivot, pending = self._base, self._pivot, self._shift
        first = self._lines_through(start)  # lines starting at or before `start` stay
        last = self._lines_through(old_end)  # lines starting after `old_end` only move
        if pending == 0:
            pivot = last
        if first <= pivot:
            prefix = base[:first]
        else:
            prefix = base[:pivot] + [value + pending for value in base[pivot:first]]
        inserted = [start + offset for offset in line_starts(new_text)[1:]]
        delta = len(new_text) - (old_end - start)
        between = [value + delta for value in base[last:pivot]]
        tail = base[max(last, pivot) :]
        ascii = new_text.isascii() and self.ascii or data.isascii()
        new_base = prefix + inserted + between + tail
        new_pivot = len(prefix) + len(inserted) + len(between)
        return LineIndex._shifted(data, new_base, new_pivot, pending + delta, ascii)

    @property
    def starts(self) -> list[int]:
        """Byte offset of the first byte of every line; always starts with 0."""
        if self._shift:
            pivot, shift = self._pivot, self._shift
            self._base = self._base[:pivot] + [value + shift for value in self._base[pivot:]]
            self._pivot, self._shift = len(self._base), 0
        return self._base

    @property
    def line_count(self) -> int:
        return len(self._base)

    def line_start(self, row: int) -> int:
        """The byte offset at which line ``row`` starts."""
        return self._base[row] + (self._shift if row >= self._pivot else 0)

    def _lines_through(self, offset: int) -> int:
        """How many lines start at or before ``offset``."""
        base, pivot = self._base, self._pivot
        if pivot < len(base) and offset >= base[pivot] + self._shift:
            return bisect_right(base, offset - self._shift, pivot)
        return bisect_right(base, offset, 0, pivot)

    def line_bytes(self, row: int) -> bytes:
        """The bytes of line ``row`` without its line ending."""
        start = self.line_start(row)
        if row + 1 == len(self._base):
            return self.data[start:]
        line = self.data[start : self.line_start(row + 1) - 1]
        return line[:-1] if line.endswith(b"\r") else line

    def point(self, offset: int) -> tuple[int, int]:
        """The ``(row, byte column)`` of a byte offset (clamped to the document)."""
        offset = max(0, min(offset, len(self.data)))
        base, pivot, shift = self._base, self._pivot, self._shift
        # As ``_lines_through`` and ``line_start``, inline: every diagnostic asks twice.
        if pivot < len(base) and offset >= base[pivot] + shift:
            row = bisect_right(base, offset - shift, pivot) - 1
            return row, offset - base[row] - shift
        row = bisect_right(base, offset, 0, pivot) - 1
        return row, offset - base[row]

    def offset(self, row: int, column: int) -> int:
        """The byte offset of a ``(row, byte column)`` point (clamped to the document)."""
        if row >= len(self._base):
            return len(self.data)
        row = max(row, 0)
        return self.line_start(row) + min(max(column, 0), len(self.line_bytes(row)))

    def offset_at(self, line: int, character: int, encoding: Encoding = "utf-16") -> int:
        """The byte offset of an LSP position, clamped to the line and the document."""
        if line < 0:
            return 0
        if line >= len(self._base):
            return len(self.data)
        raw = self.line_bytes(line)
        if encoding == "utf-8" or raw.isascii():
            return self.line_start(line) + min(max(character, 0), len(raw))
        text = raw.decode("utf-8", errors="replace")
        prefix = _prefix_of_units(text, max(character, 0), encoding)
        return self.line_start(line) + len(prefix.encode("utf-8"))

    def position(self, offset: int, encoding: Encoding = "utf-16") -> tuple[int, int]:
        """The LSP ``(line, character)`` of a byte offset."""
        row, column = self.point(offset)
        if not self.ascii:
            return row, self.character(row, column, encoding)
        data = self.data
        if 0 < offset < len(data) and data[offset] == 10 and data[offset - 1] == 13:
            return row, column - 1  # the ``\n`` of a ``\r\n``: one past the line's end
        return row, column

    def character(self, row: int, byte_column: int, encoding: Encoding = "utf-16") -> int:
        """The LSP character of a byte column on line ``row``."""
        if row >= len(self._base):
            return 0
        prefix = self.line_bytes(row)[:byte_column]
        if encoding == "utf-8" or prefix.isascii():
            return len(prefix)
        return units(prefix.decode("utf-8", errors="replace"), encoding)


def _prefix_of_units(text: str, units: int, encoding: Encoding) -> str:
    """The longest prefix of ``text`` spanning at most ``units`` code units."""
    if encoding == "utf-32":
        return text[:units]
    width = 2 if encoding == "utf-16" else 1
    codec = "utf-16-le" if encoding == "utf-16" else "utf-8"
    encoded = text.encode(codec)[: units * width]
    return encoded.decode(codec, errors="ignore")
