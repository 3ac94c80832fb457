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
    """Maps between byte offsets, ``(row, byte column)`` points and LSP positions."""

    def __init__(self, data: bytes, starts: Sequence[int] | None = None) -> None:
        self.data = data
        # Byte offset of the first byte of every line; always starts with 0.
        self.starts = list(starts) if starts is not None else line_starts(data)
        # Whether every column is one byte, one UTF-16 unit and one code point.
        self.ascii = data.isascii()

    @property
    def line_count(self) -> int:
        return len(self.starts)

    def line_bytes(self, row: int) -> bytes:
        """The bytes of line ``row`` without its line ending."""
        start = self.starts[row]
        if row + 1 == len(self.starts):
            return self.data[start:]
        line = self.data[start : self.starts[row + 1] - 1]
        return line[:-1] if line.endswith(b"\r") else line

    def point(self, offset: int) -> tuple[int, int]:
        """The ``(row, byte column)`` of a byte offset (clamped to the document)."""
        offset = max(0, min(offset, len(self.data)))
        row = bisect_right(self.starts, offset) - 1
        return row, offset - self.starts[row]

    def offset(self, row: int, column: int) -> int:
        """The byte offset of a ``(row, byte column)`` point (clamped to the document)."""
        if row >= len(self.starts):
            return len(self.data)
        return self.starts[max(row, 0)] + min(max(column, 0), len(self.line_bytes(max(row, 0))))

    def offset_at(self, line: int, character: int, encoding: Encoding = "utf-16") -> int:
        """The byte offset of an LSP position, clamped to the line and the document."""
        if line < 0:
            return 0
        if line >= len(self.starts):
            return len(self.data)
        raw = self.line_bytes(line)
        if encoding == "utf-8" or raw.isascii():
            return self.starts[line] + min(max(character, 0), len(raw))
        text = raw.decode("utf-8", errors="replace")
        prefix = _prefix_of_units(text, max(character, 0), encoding)
        return self.starts[line] + len(prefix.encode("utf-8"))

    def position(self, offset: int, encoding: Encoding = "utf-16") -> tuple[int, int]:
        """The LSP ``(line, character)`` of a byte offset."""
        row, column = self.point(offset)
        if self.ascii:
            return row, column - self._past_line_end(offset)
        return row, self.character(row, column, encoding)

    def _past_line_end(self, offset: int) -> int:
        """1 where ``offset`` is the ``\n`` of a ``\r\n`` (a column past the line's end)."""
        data = self.data
        return int(0 < offset < len(data) and data[offset] == 10 and data[offset - 1] == 13)

    def character(self, row: int, byte_column: int, encoding: Encoding = "utf-16") -> int:
        """The LSP character of a byte column on line ``row``."""
        if row >= len(self.starts):
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
