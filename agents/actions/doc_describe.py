"""Offline descriptions for a doc comment: only what the code shows, else a marked TODO.

Without a model nobody knows what a parameter *means*; what the code shows is how it is used
(called, iterated over, passed to a function, an attribute read, returned), its default, what
the function returns (a call's result) and when it raises (the ``if`` guarding the ``raise`` or
``throw``). A description says that, and nothing more; where the code shows nothing it is
``TODO: …``, for the user to fill (``todos`` counts them, so the proposal can say so).
Language-agnostic over tree-sitter node types. Pure.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import tree_sitter

from .outline import Outline, Parameter

__all__ = ["Descriptions", "TODO", "describe", "todos"]

TODO = "TODO:"
_CALLS = frozenset({"call", "call_expression", "method_invocation", "invocation_expression"})
_ARGUMENTS = frozenset({"argument_list", "arguments", "value_arguments"})
_MEMBERS = frozenset(
    {"attribute", "member_expression", "selector_expression", "field_access", "field_expression"}
)
_LOOPS = frozenset(
    {
        "for_statement",
        "for_in_statement",
        "enhanced_for_statement",
        "range_clause",
        "for_expression",
    }
)
_RAISES = frozenset({"raise_statement", "throw_statement", "throw_expression"})
_IFS = frozenset({"if_statement", "if_expression"})
_NESTED = frozenset(
    {"function_definition", "function_declaration", "arrow_function", "lambda", "class_definition"}
)
_LONGEST = 80


@dataclass(frozen=True, slots=True)
class Descriptions:
    """Per parameter name, the result, and per exception type: what the code shows."""

    parameters: dict[str, str]
    result: str
    raises: dict[str, str]

    def parameter(self, parameter: Parameter) -> str:
        return self.parameters.get(parameter.name) or _todo(f"describe {parameter.name}")

    def error(self, error: str) -> str:
        return self.raises.get(error) or _todo(f"say when it raises {error}")


def describe(outline: Outline) -> Descriptions:
    """What ``outline``'s body shows about its parameters, result and errors."""
    body = outline.body
    nodes = list(_walk(body)) if body is not None else []
    parameters = {p.name: _parameter(p, nodes) for p in outline.parameters}
    if outline.yields:
        result = _todo("describe the values it yields")
    else:
        result = _result(nodes) or _todo("describe the result")
    raises: dict[str, str] = {}
    for node in nodes:
        if node.type in _RAISES:
            kind = _raised(node)
            condition = _guard(node)
            if kind and condition and kind not in raises:
                raises[kind] = f"If `{condition}`."
    return Descriptions(parameters, result, raises)


def todos(text: str) -> int:
    """How many ``TODO:`` descriptions ``text`` holds."""
    return text.count(TODO)


def _todo(what: str) -> str:
    return f"{TODO} {what}."


def _parameter(parameter: Parameter, nodes: list[tree_sitter.Node]) -> str:
    uses: list[str] = []
    for node in nodes:
        if node.type != "identifier" or _text(node) != parameter.name or node.parent is None:
            continue
        use = _use(node, node.parent)
        if use and use not in uses:
            uses.append(use)
    said = "; ".join(uses[:3])
    if parameter.default:
        said = (
            f"{said}; defaults to `{parameter.default}`"
            if said
            else (f"Defaults to `{parameter.default}`")
        )
    return (said[:1].upper() + said[1:] + ".") if said else ""


def _use(node: tree_sitter.Node, parent: tree_sitter.Node) -> str:
    if parent.type in _CALLS and parent.child_by_field_name("function") == node:
        return "called"
    if parent.type in _ARGUMENTS and parent.parent is not None:
        callee = parent.parent.child_by_field_name("function") or parent.parent.child_by_field_name(
            "name"
        )
        if callee is not None and _text(callee) != _text(node):
            return f"passed to `{_short(_text(callee))}`"
    if parent.type in _MEMBERS and parent.named_children and parent.named_children[0] == node:
        field = parent.named_children[-1]
        if field != node:
            return f"its `{_text(field)}` is used"
    if parent.type in _LOOPS and _iterated(node, parent):
        return "iterated over"
    if parent.type in ("return_statement", "expression_list") and _returned(parent):
        return "returned as is"
    return ""


def _iterated(node: tree_sitter.Node, loop: tree_sitter.Node) -> bool:
    iterable = loop.child_by_field_name("right") or loop.child_by_field_name("value")
    return iterable == node or (loop.type == "range_clause" and node in loop.named_children)


def _returned(parent: tree_sitter.Node) -> bool:
    statement = parent if parent.type == "return_statement" else parent.parent
    return (
        statement is not None
        and statement.type == "return_statement"
        and (
            len(statement.named_children) == 1
            and statement.named_children[0].named_child_count == 0
        )
    )


def _result(nodes: list[tree_sitter.Node]) -> str:
    """``What `f` returns.`` when every return returns a call of the same ``f``."""
    callees = set()
    for node in nodes:
        if node.type != "return_statement":
            continue
        value = node.named_children[0] if node.named_children else None
        if value is None or value.type not in _CALLS:
            return ""
        function = value.child_by_field_name("function") or value.child_by_field_name("name")
        callees.add(_text(function) if function is not None else "")
    if len(callees) == 1 and "" not in callees:
        return f"What `{_short(callees.pop())}` returns."
    return ""


def _raised(node: tree_sitter.Node) -> str:
    value = node.named_children[0] if node.named_children else None
    while value is not None and value.type in (
        *_CALLS,
        "object_creation_expression",
        "new_expression",
    ):
        value = (
            value.child_by_field_name("function")
            or value.child_by_field_name("type")
            or value.child_by_field_name("constructor")
        )
    return _text(value) if value is not None else ""


def _guard(node: tree_sitter.Node) -> str:
    """The condition of the ``if`` whose consequence is (or starts with) ``node``."""
    parent = node.parent
    hops = 0
    while parent is not None and parent.type not in _IFS and hops < 3:
        parent, hops = parent.parent, hops + 1
    if parent is None or parent.type not in _IFS:
        return ""
    consequence = parent.child_by_field_name("consequence")
    if consequence is None or not (
        consequence == node
        or node.start_byte >= consequence.start_byte
        and node.end_byte <= consequence.end_byte
    ):
        return ""
    condition = parent.child_by_field_name("condition")
    text = " ".join(_text(condition).split()) if condition is not None else ""
    text = re.sub(r"^\((.*)\)$", r"\1", text)
    return text if 0 < len(text) <= _LONGEST else ""


def _walk(root: tree_sitter.Node) -> list[tree_sitter.Node]:
    """The nodes of ``root``, not entering nested definitions."""
    found = []
    stack = [root]
    while stack:
        node = stack.pop()
        found.append(node)
        stack.extend(c for c in reversed(node.children) if c.type not in _NESTED)
    return found


def _short(text: str) -> str:
    text = " ".join(text.split())
    return text if len(text) <= 40 else text[:39] + "…"


def _text(node: tree_sitter.Node) -> str:
    return (node.text or b"").decode("utf-8", errors="replace")
