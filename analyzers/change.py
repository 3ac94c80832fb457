"""Facts about one file's change, from its text before and after: pure, texts in, facts out.

The facts feed risk scoring (``accord.policy.scoring``): lines added and removed, whether the
file is new, the functions whose cyclomatic complexity grew (counted by
``accord.analyzers.complexity``), the public signatures changed or removed (from the query
``queries/<language>/signatures.scm``; a removed or altered public signature is breaking), and
the comment and docstring lines and tests it removes (``accord.analyzers.documentation``).
"""

from __future__ import annotations

import difflib
from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache
from types import MappingProxyType

import tree_sitter

from .complexity.counting import function_complexities
from .documentation import Removed, removed_documentation
from .languages import load_query, ts_language

__all__ = [
    "ChangeFacts",
    "ComplexityGrowth",
    "SignatureChange",
    "change_facts",
    "public_signatures",
]


@dataclass(frozen=True, slots=True)
class ComplexityGrowth:
    """A function whose complexity grew from ``before`` (0 when new) to ``after``."""

    name: str
    before: int
    after: int


@dataclass(frozen=True, slots=True)
class SignatureChange:
    """A public signature that was ``removed`` or whose parameters ``changed``."""

    name: str
    kind: str
    before: str
    after: str


@dataclass(frozen=True, slots=True)
class ChangeFacts:
    """What a change does to one file."""

    path: str
    language: str | None
    lines_added: int
    lines_removed: int
    created: bool
    complexity_growth: tuple[ComplexityGrowth, ...] = ()
    signature_changes: tuple[SignatureChange, ...] = ()
    removed_documentation: tuple[Removed, ...] = ()

    @property
    def breaking(self) -> bool:
        """True when a public signature was removed or changed."""
        return bool(self.signature_changes)

    @property
    def lines_touched(self) -> int:
        """Lines added plus lines removed."""
        return self.lines_added + self.lines_removed


@lru_cache(maxsize=8)
def _parsed(language: str, text: str) -> tree_sitter.Tree:
    """The text's syntax tree; the last few are kept, as a file's text before a change is
    usually the text after the one before (and each is read twice: signatures, complexity)."""
    return tree_sitter.Parser(ts_language(language)).parse(text.encode("utf-8"))


def _tree(language: str, text: str) -> tree_sitter.Node:
    return _parsed(language, text).root_node


def _qualified(node: tree_sitter.Node, name: str) -> str:
    parts = [name]
    parent = node.parent
    while parent is not None:
        named = parent.child_by_field_name("name")
        if named is not None and parent.type.endswith(("_definition", "_declaration")):
            parts.append(_text(named))
        parent = parent.parent
    return ".".join(reversed(parts))


def public_signatures(language: str, text: str) -> dict[str, str]:
    """Qualified name → parameter text of each public definition in ``text`` (empty if unknown)."""
    return dict(_signatures(language, text))


@lru_cache(maxsize=8)
def _signatures(language: str, text: str) -> Mapping[str, str]:
    query = load_query(language, "signatures")
    if query is None:
        return MappingProxyType({})
    entries: list[tuple[int, str, str]] = []
    hidden: set[int] = set()
    for _, captures in tree_sitter.QueryCursor(query).matches(_tree(language, text)):
        if "hidden" in captures:
            hidden.update(node.id for node in captures["hidden"])
        else:
            definition = captures["definition"][0]
            name = _qualified(definition, _text(captures["name"][0]))
            params = " ".join(_text(p) for p in captures.get("params", [])[:1]).split()
            entries.append((definition.id, name, " ".join(params)))
    return MappingProxyType({name: params for node, name, params in entries if node not in hidden})


def _text(node: tree_sitter.Node) -> str:
    return (node.text or b"").decode("utf-8", "replace")


def _signature_changes(language: str, before: str, after: str) -> tuple[SignatureChange, ...]:
    old, new = _signatures(language, before), _signatures(language, after)
    changes = []
    for name, params in sorted(old.items()):
        if name not in new:
            changes.append(SignatureChange(name, "removed", params, ""))
        elif new[name] != params:
            changes.append(SignatureChange(name, "changed", params, new[name]))
    return tuple(changes)


@lru_cache(maxsize=8)
def _complexities(language: str, text: str) -> Mapping[str, int]:
    root = _tree(language, text)
    found = function_complexities(language, root)
    return MappingProxyType({_qualified(f.node, f.name): f.complexity for f in found})


def _growth(language: str, before: str, after: str) -> tuple[ComplexityGrowth, ...]:
    old, new = _complexities(language, before), _complexities(language, after)
    grown = (ComplexityGrowth(n, old.get(n, 0), c) for n, c in sorted(new.items()))
    return tuple(g for g in grown if g.after > max(g.before, 1))


def _line_counts(before: str, after: str) -> tuple[int, int]:
    """Lines added and removed (difflib's opcodes over the lines that differ: the common head
    and tail are set aside first, as they match anyway)."""
    old, new = before.splitlines(), after.splitlines()
    head = 0
    while head < min(len(old), len(new)) and old[head] == new[head]:
        head += 1
    tail = 0
    while tail < min(len(old), len(new)) - head and old[-1 - tail] == new[-1 - tail]:
        tail += 1
    matcher = difflib.SequenceMatcher(
        None, old[head : len(old) - tail], new[head : len(new) - tail]
    )
    added = removed = 0
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag != "equal":
            removed += i2 - i1
            added += j2 - j1
    return added, removed


def change_facts(path: str, language: str | None, before: str | None, after: str) -> ChangeFacts:
    """The facts of changing ``path`` from ``before`` (None: a new file) to ``after``."""
    old = before or ""
    added, removed = _line_counts(old, after)
    if language is None:
        return ChangeFacts(path, None, added, removed, before is None)
    return ChangeFacts(
        path,
        language,
        added,
        removed,
        before is None,
        _growth(language, old, after),
        _signature_changes(language, old, after),
        removed_documentation(language, before, after) if before is not None else (),
    )
