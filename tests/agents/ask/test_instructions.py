"""Instructions in the user's words → the offline operation they name (a table), or none."""

from __future__ import annotations

import pytest

from accord.agents.ask.instructions import needs_a_model, operations, parse

CASES = [
    ("rename filter to select_matching", "rename", {"old": "filter", "new": "select_matching"}),
    (
        "Rename the function `dedent` to `strip_margin`.",
        "rename",
        {"old": "dedent", "new": "strip_margin"},
    ),
    ("please rename class Foo as Bar", "rename", {"old": "Foo", "new": "Bar"}),
    ("rename Namespace to Options", "rename", {"old": "Namespace", "new": "Options"}),
    ("rename name to title", "rename", {"old": "name", "new": "title"}),
    ("rename the variable name to title", "rename", {"old": "name", "new": "title"}),
    ("change the name of x to y", "rename", {"old": "x", "new": "y"}),
    ("convert the string formatting to f-strings", "fstrings", {}),
    ("Use f-strings instead of % formatting", "fstrings", {}),
    ("add missing docstrings", "docstrings", {}),
    ("Add docstrings to every function", "docstrings", {}),
    ("document all undocumented functions", "docstrings", {}),
    ("add type hints", "type_hints", {}),
    ("Add type annotations from the defaults", "type_hints", {}),
    ("annotate the parameters", "type_hints", {}),
    (
        "extract lines 10-20 into a function named helper",
        "extract",
        {"start": "10", "end": "20", "name": "helper"},
    ),
    (
        "extract lines 3 to 5 into parse_header",
        "extract",
        {"start": "3", "end": "5", "name": "parse_header"},
    ),
    ("extract the selection into a function called load", "extract", {"name": "load"}),
    ("Extract this into a helper", "extract", {}),
    (
        "extract lines 1-3 into functional",
        "extract",
        {"start": "1", "end": "3", "name": "functional"},
    ),
    ("extract the selection into named_thing", "extract", {"name": "named_thing"}),
]


@pytest.mark.parametrize(("text", "operation", "parameters"), CASES)
def test_instructions_are_recognised(text: str, operation: str, parameters: dict[str, str]) -> None:
    found = parse(text)
    assert found is not None, text
    assert found.operation == operation
    assert found.parameters == parameters


@pytest.mark.parametrize(
    "text",
    [
        "make this function faster",
        "fix the bug in the parser",
        "rename",
        "why does this fail?",
        "translate the comments to French",
    ],
)
def test_other_instructions_need_a_model(text: str) -> None:
    assert parse(text) is None
    answer = needs_a_model(text)
    assert answer.startswith("This needs a model")
    assert text in answer
    for operation in operations():
        assert operation.summary in answer
