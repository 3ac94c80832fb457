"""ACC004 quick fix for JavaScript and TypeScript: SQL built by ``+`` or a template literal
becomes a parameterised call, ``db.query("... id = $1", [id])``.

The placeholder follows the driver the module loads (``pg`` numbers them ``$1``, ``$2``; mysql
and sqlite drivers take ``?``), ``?`` when none is known.
"""

from __future__ import annotations

import re

import tree_sitter

from accord.agents.actions.sql_params import (
    Parameterised,
    join_pieces,
    operands,
    placeholder_for,
)
from accord.agents.exceptions import ActionFailed
from accord.analyzers.syntax import node_text

__all__ = ["parameterise_js"]


def parameterise_js(call: tree_sitter.Node, module: str) -> Parameterised:
    """The parameterised form of ``call`` (a ``call_expression`` whose first argument builds SQL).

    Raises:
        ActionFailed: the SQL is built in a way this fix cannot rewrite soundly.
    """
    function, arguments = (
        call.child_by_field_name("function"),
        call.child_by_field_name("arguments"),
    )
    if function is None or arguments is None or len(arguments.named_children) != 1:
        raise ActionFailed("no sound fix: the call already passes more than the SQL text")
    pieces, values = _split(arguments.named_children[0])
    placeholder, guessed = placeholder_for(module, "javascript")
    numbered = placeholder == "$n"
    sql = join_pieces(pieces, _numbered if numbered else (lambda _: placeholder))
    text = f'{node_text(function)}("{sql}", [{", ".join(values)}])'
    return Parameterised(text, "$1" if numbered else placeholder, guessed)


def _numbered(index: int) -> str:
    return f"${index + 1}"


def _split(argument: tree_sitter.Node) -> tuple[list[str], list[str]]:
    """The SQL's literal pieces (escaped for a double-quoted string) and the values' texts."""
    pieces, values = [""], []
    parts = (
        argument.named_children
        if argument.type == "template_string"
        else operands(argument, "javascript")
    )
    for part in parts:
        if part.type in ("string", "string_fragment", "escape_sequence"):
            pieces[-1] += _content(part)
        elif part.type == "template_string" and all(
            c.type != "template_substitution" for c in part.named_children
        ):
            pieces[-1] += "".join(_content(c) for c in part.named_children)
        else:
            inner = part.named_children[0] if part.type == "template_substitution" else part
            values.append(node_text(inner))
            pieces.append("")
    return pieces, values


def _content(node: tree_sitter.Node) -> str:
    """A literal part's text as it reads inside a double-quoted string."""
    text = node_text(node)
    if node.type == "string":
        text = text[1:-1].replace("\\'", "'")
    return re.sub(r'(?<!\\)"', '\\"', text.replace("\n", "\\n"))
