"""ACC005: functions and files longer than their limits.

Two checks of one rule: function length per chunk (re-run only where an edit lands) and file
length per file (re-run after every edit, at the cost of a line count). A function's length is
the number of lines from its first line to its last; only functions not nested in another are
measured, and the finding sits on the function's name (or, for an anonymous function, its
first line) with the length as its value.
"""

from __future__ import annotations

from collections.abc import Iterator

import tree_sitter

from ..findings import Finding
from . import RuleContext, checked

__all__ = ["RULES"]

CODE = "ACC005"


def check_functions(node: tree_sitter.Node, context: RuleContext) -> Iterator[Finding]:
    """Outermost functions inside ``node`` longer than ``size.max_function_lines``."""
    spec = context.document.spec
    limit = context.settings.size.max_function_lines
    for function in _outermost_functions(node, spec.functions):
        length = function.end_point.row - function.start_point.row + 1
        if length > limit:
            start, end, name = _name_span(function, context)
            message = (
                f"Function '{name}' is {length} lines long (limit {limit}): split it into "
                "smaller functions that each do one thing."
            )
            yield Finding(CODE, message, start, end, value=length)


def check_file(root: tree_sitter.Node, context: RuleContext) -> Iterator[Finding]:
    """The whole file, when longer than ``size.max_file_lines``; anchored on its first line."""
    lines = context.document.lines
    data = lines.data
    length = lines.line_count - (1 if data.endswith(b"\n") else 0) if data else 0
    limit = context.settings.size.max_file_lines
    if length > limit:
        message = (
            f"File is {length} lines long (limit {limit}): split it into modules by responsibility."
        )
        yield Finding(CODE, message, 0, len(lines.line_bytes(0)), value=length)


def _outermost_functions(
    chunk: tree_sitter.Node, functions: frozenset[str]
) -> Iterator[tree_sitter.Node]:
    """The functions inside ``chunk`` that no other function encloses (a chunk never lies
    inside a function, so these are outermost in the file too). Descends no further than the
    first function on each path, so its cost is the code outside functions."""
    stack = [chunk]
    while stack:
        node = stack.pop()
        if node.type in functions:
            yield node
        else:
            stack.extend(reversed(node.named_children))


def _name_span(function: tree_sitter.Node, context: RuleContext) -> tuple[int, int, str]:
    """Where to report on ``function``: its name, or else its first line; and what to call it."""
    name = function.child_by_field_name("name")
    if name is not None and name.is_named:
        return name.start_byte, name.end_byte, (name.text or b"").decode("utf-8", "replace")
    lines = context.document.lines
    row = function.start_point.row
    end = min(function.end_byte, lines.line_start(row) + len(lines.line_bytes(row)))
    return function.start_byte, end, "<anonymous>"


RULES = (checked(CODE, check_functions, "chunk"), checked(CODE, check_file, "file"))
