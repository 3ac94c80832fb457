"""Cyclomatic complexity of every function in a syntax subtree, from one query per language.

The language knowledge lives in ``queries/<language>/complexity.scm``; its captures mean:

- ``@function``: a function counted on its own, also when nested in another one (lizard's view
  of named nested functions and lambdas);
- ``@closure``: a function that, nested in another function, folds into it: it adds 1 there
  and its own decisions count there (mccabe's view of closures); not nested, it is a function;
- ``@decision``: adds 1 to the innermost function around it;
- ``@opaque``: nothing inside it counts (mccabe never visits a ``finally`` block or a ``match``).

A function's complexity is 1 plus the decisions that belong to it. The query runs in C over the
subtree; the captures are then attributed in a single sweep, ordered by position, with a stack
of the open functions and opaque regions, so the cost grows with the captures, not the nodes.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

import tree_sitter

from ..languages import load_query

__all__ = ["FunctionComplexity", "function_complexities", "measure"]

QUERY_NAME = "complexity"

# Sweep order for captures of the same node: an opaque region first (so a decision on the
# same node falls inside it), then the decision, then the function it may be.
_RANK = {"opaque": 0, "decision": 1, "closure": 2, "function": 2}


@dataclass(frozen=True, slots=True)
class FunctionComplexity:
    """One function's cyclomatic complexity; ``anchor`` is its name (or first token)."""

    node: tree_sitter.Node
    anchor: tree_sitter.Node
    complexity: int

    @property
    def name(self) -> str:
        """The function's name as written, or ``""`` for an anonymous one."""
        if self.anchor is self.node or self.anchor.type not in _NAME_TYPES:
            return ""
        return (self.anchor.text or b"").decode("utf-8", errors="replace")

    @property
    def line(self) -> int:
        """The 0-based row of the anchor: the line that defines the function."""
        return self.anchor.start_point.row


@dataclass(slots=True)
class _Scope:
    """An open function or opaque region during the sweep."""

    end: int
    # Index of the function whose decisions land here; -1 inside an opaque region.
    owner: int
    # Whether a function encloses this scope (then a closure folds instead of opening one).
    in_function: bool


def function_complexities(language: str, node: tree_sitter.Node) -> list[FunctionComplexity]:
    """Every function inside ``node`` (itself included) with its complexity, in source order.

    Empty for a language without a complexity query.
    """
    query = load_query(language, QUERY_NAME)
    return measure(query, node) if query is not None else []


def measure(query: tree_sitter.Query, node: tree_sitter.Node) -> list[FunctionComplexity]:
    """The functions ``query`` captures inside ``node``, each with its complexity."""
    functions: list[tree_sitter.Node] = []
    counts: list[int] = []
    stack: list[_Scope] = []
    for kind, found in _events(query, node):
        while stack and found.end_byte > stack[-1].end:
            stack.pop()
        top = stack[-1] if stack else None
        if kind == "opaque":
            stack.append(_Scope(found.end_byte, -1, top is not None and top.in_function))
        elif kind == "decision" or (kind == "closure" and top is not None and top.in_function):
            if top is not None and top.owner >= 0:
                counts[top.owner] += 1
        else:
            stack.append(_Scope(found.end_byte, len(functions), True))
            functions.append(found)
            counts.append(1)
    return [FunctionComplexity(f, _anchor(f), c) for f, c in zip(functions, counts, strict=True)]


def _events(
    query: tree_sitter.Query, node: tree_sitter.Node
) -> Iterator[tuple[str, tree_sitter.Node]]:
    """The captures inside ``node``, outer before inner, in the sweep order of ``_RANK``."""
    captures = tree_sitter.QueryCursor(query).captures(node)
    start, end = node.start_byte, node.end_byte
    keyed = [
        ((found.start_byte, -found.end_byte, _RANK[kind]), kind, found)
        for kind, nodes in captures.items()
        if kind in _RANK
        for found in nodes
        if found.start_byte >= start and found.end_byte <= end
    ]
    keyed.sort(key=lambda item: item[0])
    return ((kind, found) for _, kind, found in keyed)


# Node kinds that hold a function's name in the grammars Accord uses.
_NAME_TYPES = frozenset(
    {
        "identifier",
        "property_identifier",
        "private_property_identifier",
        "field_identifier",
        "simple_identifier",
        "type_identifier",
        "operator",
        "computed_property_name",
    }
)


def _anchor(function: tree_sitter.Node) -> tree_sitter.Node:
    """The function's name node, or its first token when it has no name."""
    name = function.child_by_field_name("name")
    if name is not None:
        return name
    first = function
    while first.child_count:
        first = first.children[0]
    return first
