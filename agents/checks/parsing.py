"""The ``parses`` check: an edited file has no syntax error its original did not have (pure)."""

from __future__ import annotations

import ast

import tree_sitter

from accord.analyzers.languages import ts_language
from accord.protocol.proposal import Check, CheckStatus

__all__ = ["parses"]

NAME = "parses"


def parses(language: str, before: str, after: str) -> Check:
    """Python is compiled by ``ast``; other languages are counted in tree-sitter error nodes."""
    if language == "python":
        return _python(before, after)
    old, new = _errors(language, before), _errors(language, after)
    if len(new) > len(old):
        return Check(name=NAME, status=CheckStatus.FAILED, detail=f"syntax error at line {new[0]}")
    return Check(name=NAME, status=CheckStatus.PASSED, detail=f"{language} syntax")


def _python(before: str, after: str) -> Check:
    try:
        ast.parse(after)
    except SyntaxError as error:
        try:
            ast.parse(before)
        except SyntaxError:
            return Check(
                name=NAME, status=CheckStatus.SKIPPED, detail="the original does not parse either"
            )
        where = f"line {error.lineno}: {error.msg}"
        return Check(name=NAME, status=CheckStatus.FAILED, detail=where)
    return Check(name=NAME, status=CheckStatus.PASSED, detail="Python compiles (ast)")


def _errors(language: str, text: str) -> list[int]:
    """The 1-based lines of ERROR and MISSING nodes, in order."""
    root = tree_sitter.Parser(ts_language(language)).parse(text.encode("utf-8")).root_node
    found: list[int] = []
    stack = [root]
    while stack:
        node = stack.pop()
        if node.is_error or node.is_missing:
            found.append(node.start_point.row + 1)
        elif node.has_error:
            stack.extend(node.children)
    return sorted(found)
