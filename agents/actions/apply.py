"""Apply a proposal's text edits to a text (pure; positions are code-point lines and columns)."""

from __future__ import annotations

import re
from collections.abc import Iterable

from accord.protocol import Position, TextEdit

__all__ = ["apply_edits"]

_BREAK = re.compile(r"\r\n|\r|\n")


def apply_edits(text: str, edits: Iterable[TextEdit]) -> str:
    """``text`` with every edit applied; edits refer to the original text and must not overlap.

    Raises:
        ValueError: an edit reaches past the text or overlaps another.
    """
    spans = sorted(
        ((_offset(text, e.range.start), _offset(text, e.range.end), e.new_text) for e in edits),
        key=lambda span: (span[0], span[1]),
    )
    pieces: list[str] = []
    cursor = 0
    for start, end, new_text in spans:
        if start < cursor or end < start:
            raise ValueError(f"overlapping or reversed edit at offset {start}")
        pieces += [text[cursor:start], new_text]
        cursor = end
    return "".join(pieces) + text[cursor:]


def _offset(text: str, position: Position) -> int:
    """The string index of ``position``; lines end at ``\n``, ``\r\n`` or ``\r`` (as in LSP),
    and a column past a line's end clamps to it."""
    starts = [0, *(match.end() for match in _BREAK.finditer(text))]
    if position.line >= len(starts):
        raise ValueError(f"position {position.line}:{position.character} is past the text")
    start = starts[position.line]
    end = _BREAK.search(text, start)
    return start + min(position.character, (end.start() if end else len(text)) - start)
