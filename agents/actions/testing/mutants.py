"""Mutants of one function: an operator or a constant flipped, found with tree-sitter.

A mutant is the whole file's text with one token inside the function changed (``<`` to ``<=``,
``+`` to ``-``, ``True`` to ``False``, ``3`` to ``4``, ``"a"`` to ``""``); docstrings are left
alone, and a mutant that no longer parses is not kept. Which tokens flip, and to what, is data
(``mutations.toml``). Pure.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any

import tree_sitter

from accord.analyzers.languages import ts_language

__all__ = ["Mutant", "mutants_of"]

# At most this many mutants per function, spread over its body.
LIMIT = 8


@dataclass(frozen=True, slots=True)
class Mutant:
    """One changed token: where (zero-based line), what it was and became, and the new text."""

    line: int
    before: str
    after: str
    source: str

    @property
    def describe(self) -> str:
        """E.g. ``line 12: < → <=``."""
        return f"line {self.line + 1}: {self.before} → {self.after}"


def mutants_of(source: str, language: str, start_line: int, end_line: int) -> list[Mutant]:
    """Up to ``LIMIT`` parsing mutants of the definition spanning the given zero-based lines."""
    rules = _rules().get("javascript" if language in ("typescript", "tsx") else language)
    if rules is None:
        return []
    data = source.encode("utf-8")
    parser = tree_sitter.Parser(ts_language(language))
    tree = parser.parse(data)
    sites = [
        s for s in _sites(tree.root_node, rules) if start_line <= s[0].start_point[0] <= end_line
    ]
    chosen = _spread(sites, LIMIT * 2)
    found: list[Mutant] = []
    for node, after in chosen:
        text = data[: node.start_byte] + after.encode() + data[node.end_byte :]
        if not parser.parse(text).root_node.has_error:
            before = (node.text or b"").decode("utf-8", errors="replace")
            found.append(Mutant(node.start_point[0], before, after, text.decode("utf-8")))
        if len(found) == LIMIT:
            break
    return found


def _sites(root: tree_sitter.Node, rules: dict[str, Any]) -> list[tuple[tree_sitter.Node, str]]:
    sites: list[tuple[tree_sitter.Node, str]] = []
    stack = [root]
    while stack:
        node = stack.pop()
        flipped = _flip(node, rules)
        if flipped is not None:
            sites.append((node, flipped))
        stack.extend(reversed(node.children))
    return sites


def _flip(node: tree_sitter.Node, rules: dict[str, Any]) -> str | None:
    kind, text = node.type, (node.text or b"").decode("utf-8", errors="replace")
    parent = node.parent
    if not node.is_named and parent is not None and parent.type in rules["operator_parents"]:
        flipped: str | None = rules["operators"].get(kind)
        return flipped
    if kind in rules["booleans"]:
        return str(rules["booleans"][kind])
    if kind in rules["numbers"]:
        return _number(text)
    if kind in rules["strings"] and not _docstring(node):
        return _string(node, text, rules)
    return None


def _number(text: str) -> str | None:
    try:
        value = int(text.replace("_", ""), 0)
    except ValueError:
        try:
            return repr(float(text.replace("_", "")) + 1)
        except ValueError:
            return None
    return str(value + 1)


def _string(node: tree_sitter.Node, text: str, rules: dict[str, Any]) -> str | None:
    if any(child.type in rules["string_skip"] for child in node.children):
        return None
    content = next((c for c in node.children if c.type == rules["string_content"]), None)
    if content is None:
        quote = text[-1:] if text[-1:] in "'\"" else None
        return None if quote is None else text[:-1] + "X" + quote
    prefix = text[: content.start_byte - node.start_byte]
    suffix = text[content.end_byte - node.start_byte :]
    return prefix + suffix


def _docstring(node: tree_sitter.Node) -> bool:
    parent = node.parent
    return (
        parent is not None
        and parent.type == "expression_statement"
        and parent.named_child_count == 1
        and parent.parent is not None
        and parent.parent.type in ("block", "module")
        and parent.parent.named_children[0] == parent
    )


def _spread(sites: list[Any], count: int) -> list[Any]:
    """``count`` items evenly spread over ``sites`` (all of them when there are fewer)."""
    if len(sites) <= count:
        return sites
    step = len(sites) / count
    return [sites[int(index * step)] for index in range(count)]


@cache
def _rules() -> dict[str, dict[str, Any]]:
    text = resources.files(__package__).joinpath("mutations.toml").read_text("utf-8")
    return tomllib.loads(text)
