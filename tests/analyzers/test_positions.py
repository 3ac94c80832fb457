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


_PIECES = st.sampled_from(["", "a", "\n", "x\ny", "\r\n", "é\n", "long line\n\n", "\n\n\n"])


@given(
    start=st.lists(_PIECES, max_size=12).map("".join),
    edits=st.lists(
        st.tuples(st.floats(0, 1), st.floats(0, 1), st.lists(_PIECES, max_size=3).map("".join)),
        min_size=1,
        max_size=8,
    ),
    data=st.data(),
)
def test_an_index_spliced_edit_after_edit_answers_as_a_fresh_one(
    start: str, edits: list[tuple[float, float, str]], data: st.DataObject
) -> None:
    """Lines after an edit keep a shift still to add; every question is answered as by an index
    built from the text afresh, without the shift ever being added to the whole list."""
    text = start.encode()
    index = LineIndex(text)
    for at, length, inserted in edits:
        begin = int(at * len(text))
        end = min(len(text), begin + int(length * (len(text) - begin + 1)))
        new = inserted.encode()
        text = text[:begin] + new + text[end:]
        index = index.spliced(text, begin, end, new)
        fresh = LineIndex(text)
        assert index.line_count == fresh.line_count and index.ascii == fresh.ascii
        for offset in data.draw(st.lists(st.integers(-1, len(text) + 1), max_size=6)):
            assert index.point(offset) == fresh.point(offset)
            assert index.position(offset) == fresh.position(offset)
        for row in range(fresh.line_count):
            assert index.line_start(row) == fresh.starts[row]
            assert index.line_bytes(row) == fresh.line_bytes(row)
            assert index.offset_at(row, 2) == fresh.offset_at(row, 2)
    assert index.starts == LineIndex(text).starts
