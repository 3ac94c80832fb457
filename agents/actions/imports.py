"""The import a fix's replacement text needs, inserted where the language expects imports.

``NEEDS`` is the data: per language, (text the replacement uses, the import line, how to tell
the file already has it, where the import goes).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import tree_sitter
from accord.agents.actions.outline import Source
from accord.protocol import Position, Range, TextEdit

__all__ = ["NEEDS", "Need", "import_edit"]


@dataclass(frozen=True, slots=True)
class Need:
    """``line`` is needed when a replacement holds ``uses`` and the file matches no ``present``.

    ``after`` names the top-level node kinds the import goes after (docstring, ``__future__``
    imports, the package clause); ``None`` puts it on the first line.
    """

    uses: str
    line: str
    present: str
    after: frozenset[str] | None


NEEDS: dict[str, Need] = {
    "python": Need(
        "os.",
        "import os",
        r"^import\s+(.*,\s*)?os(\.[\w.]+)?\s*(,|$)",
        frozenset({"future_import_statement", "comment", "docstring"}),
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
    line = _insertion_line(source, need.after)
    at = Position(line=line, character=0)
    blank = "\n" if need.after and line > 0 and source.language == "go" else ""
    return TextEdit(range=Range(start=at, end=at), new_text=f"{blank}{need.line}\n")


def _insertion_line(source: Source, after: frozenset[str] | None) -> int:
    """The line after the leading nodes of kinds ``after`` (a first string is a docstring)."""
    if after is None:
        return 0
    line = 0
    for index, node in enumerate(source.tree.root_node.named_children):
        kind = "docstring" if index == 0 and _is_string_statement(node) else node.type
        if kind not in after:
            break
        line = node.end_point.row + 1
    return line


def _is_string_statement(node: tree_sitter.Node) -> bool:
    return node.type == "expression_statement" and [c.type for c in node.named_children] == [
        "string"
    ]
