"""Extract function: the refactored module keeps behaviour; unsound selections are refused."""

from __future__ import annotations

import ast
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from accord.agents.actions import action_for
from accord.agents.actions.extraction import extract_function
from accord.agents.exceptions import ActionFailed
from accord.agents.tasks import ActionKind, TargetKind

from .tasks import task_on

SOURCE = """\
import math

RATE = 2


def area(shape, size, scale=1):
    # the base length
    base = size * scale * RATE
    if shape == "circle":
        result = math.pi * base ** 2
    else:
        result = base * base
    label = f"{shape}:{result:.2f}"
    return label, result


def first_big(values, limit):
    for value in values:
        if value > limit:
            break
        value = None
    return value


def pick(values):
    total = 0
    for value in values:
        total += value
    if total > 10:
        return "big"
    return "small"


def gen(n):
    for i in range(n):
        yield i


class Counter:
    def __init__(self):
        self.count = 0

    def bump(self, by):
        step = by * 2
        self.count += step
        return self.count
"""


def run(text: str, call: str) -> Any:
    namespace: dict[str, Any] = {}
    exec(compile(text, "<module>", "exec"), namespace)
    return eval(call, namespace)


# (first line, last line, expected parameters, expected returns), zero-based lines.
CASES = [
    (7, 11, ("size", "scale", "shape"), ("result",)),
    (7, 13, ("size", "scale", "shape"), ()),
    (12, 12, ("shape", "result"), ("label",)),
    (25, 27, ("values",), ("total",)),
    (43, 44, ("by", "self"), ()),
]


@pytest.mark.parametrize(("first", "last", "parameters", "returns"), CASES)
def test_parameters_and_returns(
    first: int, last: int, parameters: tuple[str, ...], returns: tuple[str, ...]
) -> None:
    done = extract_function(SOURCE, first, last)

    assert (done.parameters, done.returns) == (parameters, returns)
    ast.parse(done.text)


REFACTORED = [extract_function(SOURCE, first, last).text for first, last, *_ in CASES]


@settings(deadline=None)
@given(
    shape=st.sampled_from(["circle", "square"]),
    size=st.integers(-50, 50),
    scale=st.integers(-5, 5),
    values=st.lists(st.integers(-20, 20), max_size=8),
    by=st.integers(-9, 9),
)
def test_behaviour_is_preserved(
    shape: str, size: int, scale: int, values: list[int], by: int
) -> None:
    calls = [
        f"area({shape!r}, {size}, {scale})",
        f"pick({values!r})",
        f"(lambda c: (c.bump({by}), c.bump({by})))(Counter())",
    ]
    for refactored in REFACTORED:
        for call in calls:
            assert run(refactored, call) == run(SOURCE, call)


def test_the_new_function_comes_before_its_caller() -> None:
    done = extract_function(SOURCE, 7, 11, name="scaled_area")

    assert "def scaled_area(size, scale, shape):\n    base = size * scale * RATE" in done.text
    assert done.text.index("def scaled_area") < done.text.index("def area")
    assert "    result = scaled_area(size, scale, shape)\n" in done.text


def test_a_name_in_use_is_made_unique() -> None:
    assert extract_function(SOURCE, 7, 11, name="area").name == "area_2"


@pytest.mark.parametrize(
    ("first", "last", "reason"),
    [
        (8, 8, "whole statements"),
        (19, 20, "breaks out of a loop"),
        (28, 29, "returns on some paths"),
        (34, 35, "yields"),
    ],
)
def test_unsound_selections_are_refused(first: int, last: int, reason: str) -> None:
    with pytest.raises(ActionFailed, match=reason):
        extract_function(SOURCE, first, last)


def test_the_action_proposes_the_refactored_module(tmp_path: Path) -> None:
    path = tmp_path / "shapes.py"
    path.write_text(SOURCE, "utf-8")
    action = action_for(ActionKind.EXTRACT_FUNCTION)
    task = task_on(
        path,
        ActionKind.EXTRACT_FUNCTION,
        7,
        12,
        target=TargetKind.SELECTION,
        instructions="scaled_area",
    )

    proposal = action.to_proposal(task, action.local_answer(task))

    [file] = proposal.files
    [edit] = file.edits
    assert (edit.range.start.line, edit.range.end.line) == (0, SOURCE.count("\n"))
    assert run(edit.new_text, "area('circle', 2, 3)") == run(SOURCE, "area('circle', 2, 3)")
    assert "scaled_area(size, scale, shape)" in proposal.rationale
    with pytest.raises(ActionFailed, match="does not parse"):
        action.to_proposal(task, "```python\ndef broken(:\n```")
