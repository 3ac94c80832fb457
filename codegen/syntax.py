"""Parsing with tree-sitter, and the check every emitted file passes: no ERROR or MISSING node."""

from __future__ import annotations

from dataclasses import dataclass

import tree_sitter

from .platforms import Platform

__all__ = ["SyntaxProblem", "parse", "syntax_problems"]


@dataclass(frozen=True, slots=True)
class SyntaxProblem:
    """An ERROR or MISSING node at a 1-based line and column."""

    line: int
    column: int
    kind: str

    def __str__(self) -> str:
        return f"{self.line}:{self.column}: {self.kind}"


def parse(text: str, platform: Platform) -> tree_sitter.Tree:
    """The syntax tree of ``text`` in the platform's grammar."""
    return tree_sitter.Parser(platform.language()).parse(text.encode("utf-8"))


def syntax_problems(text: str, platform: Platform) -> list[SyntaxProblem]:
    """Every ERROR and MISSING node of ``text``, in document order (none for clean code)."""
    root = parse(text, platform).root_node
    if not root.has_error:
        return []
    found: list[SyntaxProblem] = []
    _collect(root, found)
    return found or _hidden(root)


def _hidden(root: tree_sitter.Node) -> list[SyntaxProblem]:
    """Problems in nodes the API does not visit (hidden MISSING tokens), by top-level statement."""
    return [
        SyntaxProblem(child.start_point.row + 1, child.start_point.column + 1, "MISSING (hidden)")
        for child in root.children
        if "(MISSING" in str(child) or "(ERROR" in str(child)
    ] or [SyntaxProblem(1, 1, "ERROR")]


def _collect(node: tree_sitter.Node, found: list[SyntaxProblem]) -> None:
    if node.is_error or node.is_missing:
        kind = f"MISSING {node.type}" if node.is_missing else "ERROR"
        found.append(SyntaxProblem(node.start_point.row + 1, node.start_point.column + 1, kind))
    for child in node.children:
        if child.has_error or child.is_missing:
            _collect(child, found)
