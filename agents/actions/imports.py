"""The import a fix's replacement text needs, inserted where the language expects imports.

``NEEDS`` is the data: per language, (text the replacement uses, the import line, how to tell
the file already has it, where the import goes, the blank lines between it and what follows).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field

import tree_sitter

from accord.agents.actions.outline import Source
from accord.protocol import Position, Range, TextEdit

__all__ = ["NEEDS", "Need", "import_edit"]


@dataclass(frozen=True, slots=True)
class Need:
    """``line`` is needed when a replacement holds ``uses`` and the file matches no ``present``.

    ``after`` names the top-level node kinds the import goes after (docstring, ``__future__``
    imports, the package clause); ``None`` puts it on the first line. ``blank_lines`` gives the
    blank lines left between the import and the node kind that follows it (``*``: any other).
    """

    uses: str
    line: str
    present: str
    after: frozenset[str] | None
    blank_lines: Mapping[str, int] = field(default_factory=dict)


NEEDS: dict[str, Need] = {
    "python": Need(
        "os.",
        "import os",
        r"^import\s+(.*,\s*)?os(\.[\w.]+)?\s*(,|$)",
        frozenset({"future_import_statement", "comment", "docstring"}),
        # As isort and ruff lay imports out: two blank lines before a definition, one before
        # other code, none before another import.
        {
            "function_definition": 2,
            "class_definition": 2,
            "decorated_definition": 2,
            "import_statement": 0,
            "import_from_statement": 0,
            "*": 1,
        },
    ),
    "go": Need(
        "os.", 'import "os"', r'^\s*(import\s+)?"os"\s*$', frozenset({"package_clause", "comment"})
    ),
    "csharp": Need("Environment.", "using System;", r"^using\s+System\s*;", None),
}


def import_edit(source: Source, replacement: str) -> TextEdit | None:
    """The insertion of the import ``replacement`` needs, or None when none is missing."""
    need = NEEDS.get(source.language)
    if (
        need is None
        or need.uses not in replacement
        or re.search(need.present, source.text, re.MULTILINE)
    ):
        return None
    line, following = _insertion_point(source, need.after)
    at = Position(line=line, character=0)
    blank = "\n" if need.after and line > 0 and source.language == "go" else ""
    gap = "\n" * need.blank_lines.get(following, need.blank_lines.get("*", 0)) if following else ""
    return TextEdit(range=Range(start=at, end=at), new_text=f"{blank}{need.line}\n{gap}")


def _insertion_point(source: Source, after: frozenset[str] | None) -> tuple[int, str | None]:
    """The line after the leading nodes of kinds ``after`` (a first string is a docstring), and
    the kind of the top-level node that starts there (None at the end of the file)."""
    nodes = source.tree.root_node.named_children
    line = 0
    for index, node in enumerate(nodes):
        kind = "docstring" if index == 0 and _is_string_statement(node) else node.type
        if after is None or kind not in after:
            return line, node.type if node.start_point.row == line else None
        line = node.end_point.row + 1
    return line, None


def _is_string_statement(node: tree_sitter.Node) -> bool:
    return node.type == "expression_statement" and [c.type for c in node.named_children] == [
        "string"
    ]
