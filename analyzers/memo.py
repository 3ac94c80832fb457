"""Chunk-rule findings remembered by what they were found in, so moved code is not re-checked.

A chunk breaks down into units: its parts below the containers (class bodies, namespaces,
decorated definitions), down to the first node that is not a container: a function, a
statement, a comment. By the chunk contract a chunk's findings are the union of its units'
findings, and each unit's findings depend only on its own subtree. A subtree without syntax
errors is fixed by its node kind and its bytes, so findings found once in a unit hold, moved by
its offset, wherever the same bytes parse as the same kind of node again: after a line is
inserted above it, or a class around it is broken and mended. Findings are kept relative to
their unit's start, so a shift costs nothing. Units with syntax errors are always re-checked.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator

import tree_sitter

from .findings import Finding
from .languages import LanguageSpec

__all__ = ["ChunkMemo", "units"]

# A unit's identity: its node kind and its bytes.
Key = tuple[str, bytes]
# Checks one unit, returning its findings in document offsets.
UnitCheck = Callable[[Iterable[tree_sitter.Node]], list[Finding]]


def units(node: tree_sitter.Node, spec: LanguageSpec) -> Iterator[tree_sitter.Node]:
    """The units of ``node`` in source order: it, or (for the root or a container) its parts'."""
    stack = [node]
    while stack:
        current = stack.pop()
        if current.parent is None or current.type in spec.containers:
            stack.extend(reversed(current.named_children))
        else:
            yield current


class ChunkMemo:
    """Findings per unit (relative to its start), for the units seen in recent analyses.

    Holds at most ``limit`` units; the ones looked up least recently are forgotten first.
    """

    def __init__(self, spec: LanguageSpec, limit: int = 20_000) -> None:
        self.spec = spec
        self.limit = limit
        self._found: dict[Key, tuple[Finding, ...]] = {}
        # How many unit lookups were answered from memory, since the memo was made.
        self.hits = 0

    def __len__(self) -> int:
        return len(self._found)

    def remember(self, chunk: tree_sitter.Node, findings: Iterable[Finding]) -> None:
        """Record the findings of a chunk that was checked whole, unit by unit."""
        ordered = sorted(findings, key=lambda finding: finding.start)
        position = 0
        for unit in units(chunk, self.spec):
            start, end = unit.start_byte, unit.end_byte
            while position < len(ordered) and ordered[position].start < start:
                position += 1
            inside = []
            while position < len(ordered) and ordered[position].start < end:
                inside.append(ordered[position])
                position += 1
            self._store(unit, inside)

    def findings(self, chunks: Iterable[tree_sitter.Node], check: UnitCheck) -> list[Finding]:
        """The findings of ``chunks``: remembered where a unit is known, else checked."""
        found: list[Finding] = []
        for chunk in chunks:
            for unit in units(chunk, self.spec):
                found.extend(self._unit_findings(unit, check))
        self._trim()
        return found

    def _unit_findings(self, unit: tree_sitter.Node, check: UnitCheck) -> list[Finding]:
        key = _key(unit)
        if key is not None and key in self._found:
            relative = self._found.pop(key)
            self._found[key] = relative  # most recently used last
            self.hits += 1
            return [finding.shifted(unit.start_byte) for finding in relative]
        checked = check([unit])
        self._store(unit, checked)
        return checked

    def _store(self, unit: tree_sitter.Node, findings: list[Finding]) -> None:
        key = _key(unit)
        if key is not None:
            self._found[key] = tuple(finding.shifted(-unit.start_byte) for finding in findings)

    def _trim(self) -> None:
        excess = len(self._found) - self.limit
        if excess > 0:
            for key in list(self._found)[:excess]:
                del self._found[key]


def _key(unit: tree_sitter.Node) -> Key | None:
    if unit.has_error or unit.text is None:
        return None
    return unit.type, unit.text
