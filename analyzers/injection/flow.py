"""What reaches an expression in Python: the computed values it is built from, followed within
its function through assignments (``=``, ``+=``), f-strings, ``%``, ``+``, ``.format``,
``.join`` and ``.replace``.

A name assigned in the function resolves to what was assigned to it before the use (its last
``=`` and every ``+=`` since); a name assigned nowhere in the function (a parameter, a global)
is itself computed, and so are calls, attributes and subscripts. Literals are not. Scopes are
whole functions, so the answer never depends on where an edit's chunk boundaries fall; at
module level names are not followed (an edit elsewhere could change them unseen).
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any

import tree_sitter

from ..syntax import node_text

__all__ = ["Reaching", "reaching", "sql_text"]

_MAX_DEPTH = 12


@cache
def _data() -> dict[str, Any]:
    text = resources.files(__package__).joinpath("python.toml").read_text("utf-8")
    return tomllib.loads(text)


@cache
def _sql() -> re.Pattern[str]:
    return re.compile(_data()["sql"])


def sql_text(text: str) -> bool:
    """Whether a string literal's ``text`` reads as SQL (``SELECT … FROM``, ``INSERT INTO``…)."""
    return _sql().search(text) is not None


@dataclass(frozen=True, slots=True)
class Reaching:
    """What reaches an expression: ``sources`` (the computed values, as written), whether text
    was ``built`` from them (concatenated, formatted, interpolated), and whether that text was
    SQL (``sql``)."""

    sources: tuple[str, ...] = ()
    built: bool = False
    sql: bool = False

    def __or__(self, other: Reaching) -> Reaching:
        return Reaching(
            tuple(dict.fromkeys((*self.sources, *other.sources))),
            self.built or other.built,
            self.sql or other.sql,
        )


_NOTHING = Reaching()
_LITERALS = frozenset(
    {"integer", "float", "true", "false", "none", "ellipsis", "comment", "string_content"}
)
_UNIONS = frozenset(
    {
        "parenthesized_expression",
        "boolean_operator",
        "not_operator",
        "unary_operator",
        "conditional_expression",
        "list",
        "tuple",
        "set",
        "expression_list",
        "pair",
        "dictionary",
        "argument_list",
        "list_splat",
        "concatenated_string",
        "interpolation",
        "format_expression",
    }
)


def reaching(expr: tree_sitter.Node, scope: tree_sitter.Node | None, depth: int = 0) -> Reaching:
    """What reaches ``expr``, following names through ``scope`` (a function; None: no scope)."""
    if depth > _MAX_DEPTH:
        return Reaching((node_text(expr),))
    kind = expr.type
    if kind in _LITERALS:
        return _NOTHING
    if kind == "string":
        return _string(expr, scope, depth)
    if kind == "binary_operator":
        return _binary(expr, scope, depth)
    if kind in _UNIONS:
        return _union(expr.named_children, scope, depth)
    if kind == "keyword_argument":
        value = expr.child_by_field_name("value")
        return reaching(value, scope, depth + 1) if value is not None else _NOTHING
    if kind == "identifier":
        return _name(expr, scope, depth)
    if kind == "call":
        return _call(expr, scope, depth)
    return Reaching((node_text(expr),))


def _union(nodes: list[tree_sitter.Node], scope: tree_sitter.Node | None, depth: int) -> Reaching:
    found = _NOTHING
    for node in nodes:
        found |= reaching(node, scope, depth + 1)
    return found


def _string(expr: tree_sitter.Node, scope: tree_sitter.Node | None, depth: int) -> Reaching:
    parts = [child for child in expr.named_children if child.type == "interpolation"]
    inner = _union(parts, scope, depth)
    if not inner.sources:
        return _NOTHING
    return Reaching(inner.sources, True, inner.sql or sql_text(node_text(expr)))


def _binary(expr: tree_sitter.Node, scope: tree_sitter.Node | None, depth: int) -> Reaching:
    left, right = expr.child_by_field_name("left"), expr.child_by_field_name("right")
    operator = expr.child_by_field_name("operator")
    sides = [side for side in (left, right) if side is not None]
    inner = _union(sides, scope, depth)
    if not inner.sources or operator is None or operator.type not in ("+", "%"):
        return Reaching(inner.sources, inner.built, inner.sql)
    texts = [side for side in sides if side.type in ("string", "concatenated_string")]
    textual = bool(texts) or inner.built
    sql = inner.sql or any(sql_text(node_text(side)) for side in texts)
    return Reaching(inner.sources, textual, textual and sql)


def _call(expr: tree_sitter.Node, scope: tree_sitter.Node | None, depth: int) -> Reaching:
    function = expr.child_by_field_name("function")
    arguments = expr.child_by_field_name("arguments")
    args = reaching(arguments, scope, depth + 1) if arguments is not None else _NOTHING
    if function is not None and function.type == "identifier":
        name = node_text(function)
        if name in _data()["inert"]:
            return _NOTHING
        if name in _data()["converters"]:
            return args
    if function is not None and function.type == "attribute":
        method = function.child_by_field_name("attribute")
        owner = function.child_by_field_name("object")
        if method is not None and owner is not None and node_text(method) in _methods():
            base = reaching(owner, scope, depth + 1)
            found = base | args
            if not found.sources:
                return _NOTHING
            literal = owner.type in ("string", "concatenated_string")
            sql = found.sql or (literal and sql_text(node_text(owner)))
            return Reaching(found.sources, True, sql)
    return Reaching((node_text(expr),))


@cache
def _methods() -> frozenset[str]:
    return frozenset(_data()["string_methods"])


def _name(expr: tree_sitter.Node, scope: tree_sitter.Node | None, depth: int) -> Reaching:
    name = node_text(expr)
    if scope is None:
        return Reaching((name,))
    last, augmented = _assigned(name, scope, expr.start_byte)
    found = reaching(last, scope, depth + 1) if last is not None else Reaching((name,))
    if not augmented:
        return found
    added = _union(augmented, scope, depth)
    if not added.sources:
        return found
    base_sql = last is not None and last.type == "string" and sql_text(node_text(last))
    return found | Reaching(added.sources, True, bool(base_sql) or added.sql)


def _assigned(
    name: str, scope: tree_sitter.Node, before: int
) -> tuple[tree_sitter.Node | None, list[tree_sitter.Node]]:
    """The values given to ``name`` in ``scope`` before byte ``before``: its last ``=`` (None
    when there is none: a parameter or a global) and the ``+=`` since."""
    last: tree_sitter.Node | None = None
    augmented: list[tree_sitter.Node] = []
    for node in _assignments(scope):
        if node.start_byte >= before:
            break
        left, right = node.child_by_field_name("left"), node.child_by_field_name("right")
        if left is None or right is None or node_text(left) != name or right.end_byte > before:
            continue
        if node.type == "assignment":
            last, augmented = right, []
        else:
            augmented.append(right)
    return last, augmented


def _assignments(scope: tree_sitter.Node) -> list[tree_sitter.Node]:
    """Every assignment and augmented assignment in ``scope``, in source order."""
    found: list[tree_sitter.Node] = []
    stack = [scope]
    while stack:
        node = stack.pop()
        if node.type in ("assignment", "augmented_assignment"):
            found.append(node)
        stack.extend(reversed(node.children))
    return found
