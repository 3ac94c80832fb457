"""ACC004 quick fix for Python: SQL built from values becomes a parameterised query.

``cursor.execute("... id = " + user_id)``, an f-string, ``%`` formatting or ``.format`` become
``cursor.execute("... id = ?", (user_id,))``. Quotes written around a value in the SQL
(``name = '" + name + "'``) go, since the driver quotes parameters. The placeholder follows the
driver the module imports, ``?`` when none is known. What each language's drivers take is data:
``sql_drivers.toml`` (:func:`placeholder_for`), shared with the JavaScript fix.
"""

from __future__ import annotations

import ast
import re
import string
import tomllib
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import tree_sitter

from accord.agents.exceptions import ActionFailed
from accord.analyzers.syntax import node_text

__all__ = [
    "Parameterised",
    "join_pieces",
    "operands",
    "parameterise",
    "placeholder_for",
]

_DRIVERS: dict[str, Any] = tomllib.loads(
    (Path(__file__).with_name("sql_drivers.toml")).read_text("utf-8")
)
# A marker no SQL text holds, standing for a value while the literal is decoded.
_HOLE = "\ue000"
_PERCENT = re.compile(r"%[sdifr]|%%")


@dataclass(frozen=True, slots=True)
class Parameterised:
    """The rewritten call's text and whether the placeholder was a guess (no driver known)."""

    text: str
    placeholder: str
    guessed: bool


def placeholder_for(module: str, language: str = "python") -> tuple[str, bool]:
    """The placeholder of the driver that ``module`` (source in ``language``) loads (``$n`` for
    numbered ones), and whether it is the default because none was recognised."""
    known = _DRIVERS[language]
    for name, placeholder in known["drivers"].items():
        loads = known["loads"].replace("{name}", re.escape(name))
        if re.search(loads, module, re.MULTILINE):
            return placeholder, False
    return known["default"], True


def parameterise(call: tree_sitter.Node, module: str) -> Parameterised:
    """The parameterised form of ``call`` (a ``call`` node whose first argument builds SQL).

    Raises:
        ActionFailed: the SQL is built in a way this fix cannot rewrite soundly.
    """
    function = call.child_by_field_name("function")
    arguments = call.child_by_field_name("arguments")
    if function is None or arguments is None or len(arguments.named_children) != 1:
        raise ActionFailed("no sound fix: the call already passes more than the SQL text")
    pieces, values = _split(arguments.named_children[0])
    placeholder, guessed = placeholder_for(module)
    escaped = [p.replace("%", "%%") for p in pieces] if placeholder == "%s" else pieces
    sql = join_pieces(escaped, lambda _: placeholder)
    params = "".join(f"{value}, " for value in values).rstrip(" ")
    text = f"{node_text(function)}({_quote(sql)}, ({params}))"
    return Parameterised(text, placeholder, guessed)


def _split(argument: tree_sitter.Node) -> tuple[list[str], list[str]]:
    """The SQL's literal pieces (one more than the values) and the values' source texts."""
    if argument.type == "binary_operator":
        operator = argument.child_by_field_name("operator")
        if operator is not None and operator.type == "%":
            return _percent(argument)
        return _concatenation(argument)
    if argument.type == "string":
        return _fstring(argument)
    if argument.type == "call":
        return _format(argument)
    raise ActionFailed(f"no sound fix: SQL built by {argument.type}")


def _concatenation(node: tree_sitter.Node) -> tuple[list[str], list[str]]:
    pieces, values = [""], []
    for operand in operands(node, "python"):
        if operand.type == "string" and not _has_interpolation(operand):
            pieces[-1] += _decode(node_text(operand))
        else:
            values.append(node_text(operand))
            pieces.append("")
    return pieces, values


def operands(node: tree_sitter.Node, language: str) -> list[tree_sitter.Node]:
    """The operands of a chain of ``+`` in ``language``'s tree, left to right."""
    operator = node.child_by_field_name("operator")
    concatenation = _DRIVERS[language]["concatenation"]
    if node.type != concatenation or operator is None or operator.type != "+":
        return [node]
    left, right = node.child_by_field_name("left"), node.child_by_field_name("right")
    assert left is not None and right is not None
    return [*operands(left, language), *operands(right, language)]


def _percent(node: tree_sitter.Node) -> tuple[list[str], list[str]]:
    left, right = node.child_by_field_name("left"), node.child_by_field_name("right")
    if left is None or right is None or left.type != "string" or _has_interpolation(left):
        raise ActionFailed("no sound fix: the % format is not a plain string")
    template = _decode(node_text(left))
    pieces = [piece.replace("%%", "%") for piece in _percent_pieces(template)]
    values = (
        [node_text(v) for v in right.named_children]
        if right.type == "tuple"
        else [node_text(right)]
    )
    if len(values) != len(pieces) - 1:
        raise ActionFailed("no sound fix: the % format's fields and values do not pair up")
    return pieces, values


def _percent_pieces(template: str) -> list[str]:
    pieces, start = [], 0
    for match in _PERCENT.finditer(template):
        if match.group() != "%%":
            pieces.append(template[start : match.start()])
            start = match.end()
    return [*pieces, template[start:]]


def _fstring(node: tree_sitter.Node) -> tuple[list[str], list[str]]:
    prefix = node_text(node.children[0]).lower()
    values: list[str] = []
    body = ""
    for child in node.children[1:-1]:
        if child.type == "interpolation":
            expression = child.child_by_field_name("expression")
            if expression is None or len(child.named_children) != 1:
                raise ActionFailed("no sound fix: an f-string field with a conversion or format")
            values.append(node_text(expression))
            body += _HOLE
        else:
            body += node_text(child).replace("{{", "{").replace("}}", "}")
    quote = node_text(node.children[-1])
    return _decode(prefix.replace("f", "") + body + quote).split(_HOLE), values


def _format(node: tree_sitter.Node) -> tuple[list[str], list[str]]:
    function, arguments = (
        node.child_by_field_name("function"),
        node.child_by_field_name("arguments"),
    )
    template_node = function.child_by_field_name("object") if function is not None else None
    if template_node is None or arguments is None:
        raise ActionFailed("no sound fix: not a str.format call")
    template = _decode(node_text(template_node))
    fields = list(string.Formatter().parse(template))
    if any(name not in ("", None) or spec or conv for _, name, spec, conv in fields):
        raise ActionFailed("no sound fix: .format with named, numbered or formatted fields")
    pieces = [literal for literal, *_ in fields]
    if fields and fields[-1][1] is not None:
        pieces.append("")
    values = [node_text(a) for a in arguments.named_children]
    if (
        any(
            a.type in ("keyword_argument", "list_splat", "dictionary_splat")
            for a in arguments.named_children
        )
        or len(values) != len(pieces) - 1
    ):
        raise ActionFailed("no sound fix: the .format fields and values do not pair up")
    return pieces, values


def _has_interpolation(node: tree_sitter.Node) -> bool:
    return any(child.type == "interpolation" for child in node.children)


def _decode(literal: str) -> str:
    value = ast.literal_eval(literal)
    if not isinstance(value, str):
        raise ActionFailed("no sound fix: the SQL is not a text string")
    return value


def join_pieces(pieces: list[str], placeholder: Callable[[int], str]) -> str:
    """The SQL pieces joined by ``placeholder(i)`` for the i-th value, dropping the quotes written
    around each value (the driver quotes parameters)."""
    kept = list(pieces)
    for index in range(len(kept) - 1):
        if kept[index].endswith("'") and kept[index + 1].startswith("'"):
            kept[index], kept[index + 1] = kept[index][:-1], kept[index + 1][1:]
    joined = [kept[0]]
    for index, piece in enumerate(kept[1:]):
        joined += [placeholder(index), piece]
    return "".join(joined)


def _quote(sql: str) -> str:
    """``sql`` as a Python string literal, double-quoted when it can be."""
    literal = repr(sql)
    if literal.startswith("'") and '"' not in sql:
        return '"' + literal[1:-1].replace("\\'", "'") + '"'
    return literal
