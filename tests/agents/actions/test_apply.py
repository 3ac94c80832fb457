"""apply_edits: edits in code-point positions, applied against the original text."""

from __future__ import annotations

import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from accord.agents.actions.apply import apply_edits
from accord.protocol import Range, TextEdit


def edit(a: int, b: int, c: int, d: int, text: str) -> TextEdit:
    return TextEdit(range=Range.of(a, b, c, d), new_text=text)


@pytest.mark.parametrize(
    ("text", "edits", "expected"),
    [
        ("abc\ndef\n", [edit(0, 1, 0, 2, "X")], "aXc\ndef\n"),
        ("abc\ndef\n", [edit(1, 0, 1, 0, "> "), edit(0, 0, 0, 0, "> ")], "> abc\n> def\n"),
        ("é𝄞x\n", [edit(0, 2, 0, 3, "y")], "é𝄞y\n"),
        ("ab\ncd", [edit(0, 1, 1, 1, "")], "ad"),
        ("ab\n", [edit(1, 0, 1, 0, "end\n")], "ab\nend\n"),
        ("ab\r\ncd\r\n", [edit(0, 9, 0, 9, "!")], "ab!\r\ncd\r\n"),
    ],
)
def test_applies(text: str, edits: list[TextEdit], expected: str) -> None:
    assert apply_edits(text, edits) == expected


@pytest.mark.parametrize(
    "edits",
    [
        [edit(0, 0, 0, 2, "x"), edit(0, 1, 0, 3, "y")],
        [edit(5, 0, 5, 0, "x")],
    ],
)
def test_rejects_overlaps_and_positions_past_the_end(edits: list[TextEdit]) -> None:
    with pytest.raises(ValueError):
        apply_edits("abc\n", edits)


@given(st.text(alphabet="ab\n\r\u2028é"), st.data())
def test_insertion_anywhere_keeps_the_rest(text: str, data: st.DataObject) -> None:
    index = data.draw(st.integers(0, len(text)))
    if 0 < index < len(text) and text[index - 1 : index + 1] == "\r\n":
        return  # inside a line break: no position names it
    head = text[:index]
    line = len(re.findall(r"\r\n|\r|\n", head))
    column = len(re.split(r"\r\n|\r|\n", head)[-1])
    result = apply_edits(text, [edit(line, column, line, column, "\x00")])
    assert result == head + "\x00" + text[index:]
