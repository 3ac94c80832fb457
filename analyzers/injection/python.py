"""Python specifics of ACC004: import aliases, truthy ``shell=`` values, shell-wrapping argument
lists and SQL built in text (what bandit's B602/B604/B605/B608 report)."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping

import tree_sitter

from ..syntax import literal_value, node_text
from .flow import Reaching, _data, reaching, sql_text

__all__ = ["aliases", "is_truthy", "sink_kind", "sql_constructions", "wrapped_command"]


def aliases(root: tree_sitter.Node) -> dict[str, str]:
    """Local names of imported things, as qualified names: ``from subprocess import
    check_output as co`` gives ``{"co": "subprocess.check_output"}``, ``import os as o``
    gives ``{"o": "os"}``; plus the builtins ``eval`` and ``exec``."""
    found = {"eval": "builtins.eval", "exec": "builtins.exec"}
    for statement in root.children:
        if statement.type == "import_from_statement":
            module = statement.child_by_field_name("module_name")
            if module is None:
                continue
            for name in statement.children_by_field_name("name"):
                original, local = _names(name)
                found[local] = f"{node_text(module)}.{original}"
        elif statement.type == "import_statement":
            for name in statement.children_by_field_name("name"):
                original, local = _names(name)
                found[local] = original
    return found


def _names(node: tree_sitter.Node) -> tuple[str, str]:
    if node.type == "aliased_import":
        name, alias = node.child_by_field_name("name"), node.child_by_field_name("alias")
        if name is not None and alias is not None:
            return node_text(name), node_text(alias)
    text = node_text(node)
    return text, text.split(".")[0] if "." in text else text


def sink_kind(callee: tree_sitter.Node, names: Mapping[str, str]) -> str | None:
    """The sink a call's ``callee`` resolves to through ``names``: "code", "shell",
    "shell-option", or None."""
    sinks: dict[str, str] = _data()["sinks"]
    if callee.type == "identifier":
        qualified = names.get(node_text(callee))
    elif callee.type == "attribute":
        owner, attribute = (
            callee.child_by_field_name("object"),
            callee.child_by_field_name("attribute"),
        )
        if owner is None or attribute is None or owner.type != "identifier":
            return None
        module = names.get(node_text(owner), node_text(owner))
        qualified = f"{module}.{node_text(attribute)}"
    else:
        return None
    return sinks.get(qualified) if qualified else None


def is_truthy(value: tree_sitter.Node) -> bool:
    """Whether a ``shell=`` value may be true: not ``False``, ``None``, ``0`` or an empty
    literal (a non-empty string such as ``'False'`` is true, as Python reads it)."""
    kind = value.type
    if kind in ("false", "none"):
        return False
    if kind == "integer":
        return node_text(value).strip("0_xXoObB") != ""
    if kind == "string":
        return literal_value(value) != ""
    if kind in ("list", "tuple", "dictionary", "set"):
        return bool(value.named_children)
    return True


def wrapped_command(argument: tree_sitter.Node) -> tree_sitter.Node | None:
    """The command in a shell-wrapping argument list (``["sh", "-c", cmd]``), if it is one."""
    if argument.type not in ("list", "tuple"):
        return None
    items = [item for item in argument.named_children if item.type != "comment"]
    if len(items) < 3 or items[0].type != "string" or items[1].type != "string":
        return None
    program = literal_value(items[0]).rsplit("/", 1)[-1]
    if program in _data()["shells"] and literal_value(items[1]) in _data()["shell_flags"]:
        return items[2]
    return None


def sql_constructions(
    candidates: Iterable[tree_sitter.Node], scope: tree_sitter.Node | None
) -> Iterator[tuple[tree_sitter.Node, Reaching]]:
    """The outermost of ``candidates`` (binary operators, f-strings, method calls on string
    literals: the ``@built`` nodes of ``injection.scm``) that build SQL text from
    computed values; a candidate inside one already found is not looked at."""
    found_end = -1
    for node in sorted(candidates, key=lambda node: (node.start_byte, -node.end_byte)):
        if node.start_byte < found_end or not _holds_sql_literal(node):
            continue
        found = reaching(node, scope)
        if found.built and found.sql and found.sources:
            found_end = node.end_byte
            yield node, found


def _holds_sql_literal(node: tree_sitter.Node) -> bool:
    if node.type == "string":
        return any(c.type == "interpolation" for c in node.named_children) and sql_text(
            node_text(node)
        )
    if node.type == "call":
        function = node.child_by_field_name("function")
        owner = function.child_by_field_name("object") if function is not None else None
        return (
            function is not None
            and function.type == "attribute"
            and owner is not None
            and owner.type in ("string", "concatenated_string")
            and sql_text(node_text(owner))
        )
    return sql_text(node_text(node)) and any(
        child.type in ("string", "concatenated_string", "binary_operator")
        for child in node.named_children
    )
