"""What a change removes of the documentation and tests a person wrote: pure, texts in.

The query ``queries/<language>/documentation.scm`` captures comments (``@comment``), docstrings
(``@docstring``) and tests (``@test``, named by ``@test.name``). Their lines, stripped of comment
markers and quotes, are counted before and after the change; a line or test that is there fewer
times after is removed. Text that moved (into an extracted function, below a new line) is not
removed, and lines added never offset lines deleted.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass

import tree_sitter

from .languages import load_query, ts_language

__all__ = ["Removed", "removed_documentation", "summary"]

QUERY_NAME = "documentation"
# Comment markers and quotes around a line of documentation.
_MARKERS = re.compile(r"^(?:[rRuUbBfF]{0,2}(?:\"\"\"|'''|\"|')|/\*\*|/\*|///|//!|//|#|\*/|\*)+")
_TRAILING = re.compile(r"(?:\*/|\"\"\"|''')$")
_WORD = re.compile(r"\w")


@dataclass(frozen=True, slots=True)
class Removed:
    """A removed line of a ``comment`` or ``docstring``, or a removed ``test`` (its name)."""

    kind: str
    text: str


def removed_documentation(language: str, before: str, after: str) -> tuple[Removed, ...]:
    """The comment and docstring lines and tests in ``before`` that ``after`` no longer has;
    empty for a language without a documentation query."""
    query = load_query(language, QUERY_NAME)
    if query is None:
        return ()
    old, new = _inventory(query, language, before), _inventory(query, language, after)
    gone = old - new
    return tuple(Removed(kind, text) for (kind, text), count in gone.items() for _ in range(count))


def summary(removed: tuple[Removed, ...]) -> str:
    """``2 docstring lines, 1 test (test_parse)``: what was removed, for a person."""
    counts = Counter(r.kind for r in removed)
    parts = []
    for kind in ("docstring", "comment", "test"):
        if counts[kind]:
            noun = f"{kind} line" if kind != "test" else "test"
            parts.append(f"{counts[kind]} {noun}{'s' if counts[kind] > 1 else ''}")
    tests = [r.text for r in removed if r.kind == "test"][:3]
    return ", ".join(parts) + (f" ({', '.join(tests)})" if tests else "")


def _inventory(query: tree_sitter.Query, language: str, text: str) -> Counter[tuple[str, str]]:
    root = tree_sitter.Parser(ts_language(language)).parse(text.encode("utf-8")).root_node
    found: Counter[tuple[str, str]] = Counter()
    seen: set[tuple[str, int]] = set()
    for _, match in tree_sitter.QueryCursor(query).matches(root):
        for name, nodes in match.items():
            if name not in ("comment", "docstring", "test.name"):
                continue
            for node in nodes:
                if (name, node.id) in seen:
                    continue
                seen.add((name, node.id))
                body = (node.text or b"").decode("utf-8", "replace")
                if name == "test.name":
                    found["test", body.strip("\"'`")] += 1
                else:
                    found.update((name, line) for line in _lines(body))
    return found


def _lines(body: str) -> list[str]:
    """The lines of a comment or docstring that say something, without markers or quotes."""
    lines = []
    for raw in body.split("\n"):
        line = _TRAILING.sub("", _MARKERS.sub("", raw.strip()).strip()).strip()
        if _WORD.search(line):
            lines.append(line)
    return lines
