"""Guard clauses of a Python function, and inputs that trip them.

A guard is a leading ``if <param> <op> <literal>: raise E(...)``; its trigger is a value of the
parameter that makes the test true (``percent < 0`` → ``-1``). Characterisation tests use the
triggers as inputs, so the raise is recorded and asserted. Pure; nothing is executed.
"""

from __future__ import annotations

import ast
import re
from dataclasses import dataclass

__all__ = ["guard_triggers", "slug"]

_FLIP = {
    ast.Lt: (-1, "below"),
    ast.LtE: (0, "at most"),
    ast.Gt: (1, "above"),
    ast.GtE: (0, "at least"),
    ast.Eq: (0, "equal to"),
}


@dataclass(slots=True)
class _Guard:
    condition: ast.expr
    error: str
    param: str
    trigger: str
    describe: str


def guard_triggers(node: ast.FunctionDef, names: list[str]) -> dict[str, list[str]]:
    """For each parameter in ``names`` that a guard tests, the values that trip the guards."""
    found: dict[str, list[str]] = {}
    for guard in _guards(node, set(names)):
        found.setdefault(guard.param, []).append(guard.trigger)
    return found


def _guards(node: ast.FunctionDef, names: set[str]) -> list[_Guard]:
    """The leading ``if <param> <op> <literal>: raise E`` statements, in order."""
    guards: list[_Guard] = []
    for statement in _body_without_docstring(node):
        if not isinstance(statement, ast.If) or statement.orelse:
            break
        error = _raised(statement.body)
        found = _comparison(statement.test, names)
        if error is None or found is None:
            break
        param, trigger, describe = found
        guards.append(_Guard(statement.test, error, param, trigger, describe))
    return guards


def _body_without_docstring(node: ast.FunctionDef) -> list[ast.stmt]:
    body = node.body
    if body and isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Constant):
        return body[1:]
    return body


def _raised(body: list[ast.stmt]) -> str | None:
    if len(body) != 1 or not isinstance(body[0], ast.Raise) or body[0].exc is None:
        return None
    exc = body[0].exc
    target = exc.func if isinstance(exc, ast.Call) else exc
    return ast.unparse(target) if isinstance(target, ast.Name | ast.Attribute) else None


def _comparison(test: ast.expr, names: set[str]) -> tuple[str, str, str] | None:
    """``(param, a value that makes the test true, words for it)`` for ``param op literal``."""
    if not (isinstance(test, ast.Compare) and len(test.ops) == 1):
        return None
    left, right = test.left, test.comparators[0]
    op: ast.cmpop | None = test.ops[0]
    if isinstance(right, ast.Name) and isinstance(left, ast.Constant):
        left, right, op = right, left, _mirror(test.ops[0])
    if not (isinstance(left, ast.Name) and left.id in names and isinstance(right, ast.Constant)):
        return None
    if op is None or type(op) not in _FLIP or not isinstance(right.value, int | float):
        return None
    step, words = _FLIP[type(op)]
    value = right.value + step
    return left.id, repr(value), slug(f"{words} {right.value!r}")


def _mirror(op: ast.cmpop) -> ast.cmpop | None:
    mirrored = {ast.Lt: ast.Gt, ast.Gt: ast.Lt, ast.LtE: ast.GtE, ast.GtE: ast.LtE, ast.Eq: ast.Eq}
    kind = mirrored.get(type(op))
    return kind() if kind is not None else None


def slug(text: str) -> str:
    """``text`` as a lower-case identifier fragment (``-1`` → ``minus_1``)."""
    return re.sub(r"[^0-9a-zA-Z]+", "_", text.replace("-", "minus_")).strip("_").lower()
