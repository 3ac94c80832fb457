"""Answer parsing: the first fenced block, and fences that survive their content."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from accord.agents.actions.answers import fenced, first_block
from accord.agents.exceptions import ActionFailed


@pytest.mark.parametrize(
    ("answer", "body"),
    [
        ("```text\nhello\n```", "hello"),
        ("Sure!\n```python\nx = 1\n\ny = 2\n```\nmore\n```\nz\n```", "x = 1\n\ny = 2"),
        ("~~~\na\n~~~", "a"),
        ("````md\n```py\nx\n```\n````", "```py\nx\n```"),
        ("```\n```", ""),
    ],
)
def test_first_block(answer: str, body: str) -> None:
    assert first_block(answer) == body


@pytest.mark.parametrize("answer", ["plain text", "```text\nunclosed", ""])
def test_no_block_fails(answer: str) -> None:
    with pytest.raises(ActionFailed, match="no fenced code block"):
        first_block(answer)


@given(
    st.text(
        st.characters(
            blacklist_categories=("Cs",),
            blacklist_characters="\r\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029",
        )
    )
)
def test_fenced_round_trips(body: str) -> None:
    assert first_block(fenced(body)) == body
