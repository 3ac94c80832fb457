"""A model's proposed edits, checked before they become a proposal (a table of bad answers),
and the line edits of an answer (a property: applying them gives the new text)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from accord.agents.actions.apply import apply_edits
from accord.agents.ask.answer import line_edits
from accord.agents.ask.edits import apply_proposed
from accord.agents.exceptions import ActionFailed

ROOT = Path("/project")
SCOPE = {
    "/project/a.py": "def f(x):\n    return x\n\n\ndef g(x):\n    return x\n",
    "/project/b.txt": "hi\n",
}


def edit(path: str = "a.py", old: str = "def f(x):", new: str = "def f(x: int):") -> dict[str, str]:
    return {"path": path, "old": old, "new": new}


@pytest.mark.parametrize(
    ("arguments", "problem"),
    [
        ({"rationale": "r"}, "non-empty list of edits"),
        ({"edits": []}, "non-empty list of edits"),
        ({"edits": ["a.py"]}, "edit 1 needs the strings path, old and new"),
        ({"edits": [edit(path="c.py")]}, "c.py is not in the task's scope"),
        ({"edits": [edit(path="../project/../etc/passwd")]}, "is not in the task's scope"),
        ({"edits": [edit(old="def h(x):")]}, "edit 1: the old text does not occur in a.py"),
        ({"edits": [edit(old="    return x\n")]}, "occurs 2 times"),
        ({"edits": [edit(old="")]}, "does not occur"),
        ({"edits": [edit(new="def f(x:")]}, "a.py would not parse"),
        ({"edits": [edit(), edit()]}, "edit 2: the old text does not occur"),
    ],
)
def test_bad_proposals_are_refused_with_the_reason(arguments: dict[str, Any], problem: str) -> None:
    with pytest.raises(ActionFailed, match=problem.replace("(", r"\(")):
        apply_proposed(arguments, ROOT, SCOPE)


def test_edits_apply_in_order_and_paths_may_be_absolute() -> None:
    second = edit(path="/project/a.py", old="def f(x: int):", new="def f(x: int) -> int:")
    answer = apply_proposed({"rationale": "typed", "edits": [edit(), second]}, ROOT, SCOPE)
    [(path, text)] = answer.files
    assert path == "/project/a.py" and text.startswith("def f(x: int) -> int:\n")
    assert answer.rationale == "typed"


LINES = st.lists(st.sampled_from(["a\n", "b\n", "c", "\r\n", "\x0c\n", "é\r", ""]), max_size=8)


@given(LINES, LINES)
def test_line_edits_turn_the_old_text_into_the_new(before: list[str], after: list[str]) -> None:
    old, new = "".join(before), "".join(after)
    assert apply_edits(old, line_edits(old, new)) == new
