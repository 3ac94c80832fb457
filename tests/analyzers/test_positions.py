"""LineIndex: byte offsets ⇄ points ⇄ LSP positions in UTF-8, UTF-16 and UTF-32."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from accord.analyzers.positions import LineIndex

TEXT = "ab\n😀x\r\nçé\n"
DATA = TEXT.encode()


@pytest.mark.parametrize(
    ("line", "character", "encoding", "offset"),
    [
        (0, 0, "utf-16", 0),
        (0, 2, "utf-16", 2),
        (0, 99, "utf-16", 2),  # past the end of the line: the line's end
        (1, 2, "utf-16", 7),  # the emoji is two UTF-16 units, four bytes
        (1, 1, "utf-32", 7),
        (1, 4, "utf-8", 7),
        (1, 3, "utf-16", 8),
        (1, 9, "utf-16", 8),  # the \r\n is not part of the line
        (2, 1, "utf-16", 12),  # ç is two bytes
        (2, 2, "utf-32", 14),
        (3, 0, "utf-16", 15),
        (7, 3, "utf-16", 15),  # past the last line: the end of the document
        (-1, 0, "utf-16", 0),
    ],
)
def test_offset_of_a_position(line: int, character: int, encoding: str, offset: int) -> None:
    assert LineIndex(DATA).offset_at(line, character, encoding) == offset  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("offset", "encoding", "position"),
    [(7, "utf-16", (1, 2)), (7, "utf-32", (1, 1)), (7, "utf-8", (1, 4)), (14, "utf-16", (2, 2))],
)
def test_position_of_an_offset(offset: int, encoding: str, position: tuple[int, int]) -> None:
    assert LineIndex(DATA).position(offset, encoding) == position  # type: ignore[arg-type]


@given(st.text(alphabet=st.sampled_from("ab\n\r😀çé\t"), max_size=40), st.data())
def test_positions_round_trip_at_character_boundaries(text: str, data: st.DataObject) -> None:
    lines = LineIndex(text.encode())
    index = data.draw(st.integers(0, len(text)))
    offset = len(text[:index].encode())
    for encoding in ("utf-8", "utf-16", "utf-32"):
        line, character = lines.position(offset, encoding)  # type: ignore[arg-type]
        back = lines.offset_at(line, character, encoding)  # type: ignore[arg-type]
        # A lone \r is not a line end for tree-sitter, and \r\n ends a line at the \r.
        if not text[:index].endswith("\r") or text[index : index + 1] != "\n":
            assert back == offset


@given(st.text(alphabet=st.sampled_from("ab\n\r\t"), max_size=40), st.integers(-2, 45))
def test_ascii_positions_clamp_to_the_line_as_the_general_path_does(text: str, offset: int) -> None:
    lines = LineIndex(text.encode())
    row, column = lines.point(offset)
    assert lines.position(offset) == (row, min(column, len(lines.line_bytes(row))))
