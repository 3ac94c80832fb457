"""Which files and definitions matter to a task: a personalised PageRank over references.

As in aider's repo map, files are nodes and a file that uses a name defined in another file
has an edge to it, weighted by ``sqrt(uses)`` times 10 for a name the task mentions, 0.1 for
a private (``_``-prefixed) one and 0.1 for one defined in more than ``COMMON`` files; names
defined nearly everywhere (``UBIQUITOUS``) make no edges. The random walk restarts at the
task's own files and at the files defining the names it mentions (unless ``COMMON``), so what
those reach ranks high. A file's rank is then shared among the definitions its incoming edges
point at.

PageRank is computed here by power iteration over plain dicts: ``networkx.pagerank`` needs
numpy and scipy, which the language server does not carry. Pure; no I/O.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from .symbols import Definition, FileSymbols

__all__ = ["RankedFile", "pagerank", "rank"]

MENTIONED = 10.0
PRIVATE = 0.1
# A name defined in more files than this says little about which one is meant: its edges
# weigh 0.1 as much, and mentioning it does not seed the walk.
COMMON = 5
# A name defined in more files than this (``__init__``, ``setUp``, ``encode``) makes no edges at
# all: each would carry almost nothing, and together they cost most of the ranking's time.
UBIQUITOUS = 50
# Edges: source file → target file → name → weight.
_Edges = dict[str, dict[str, dict[str, float]]]


@dataclass(frozen=True, slots=True)
class RankedFile:
    """A file's rank and its definitions, most relevant first."""

    path: str
    score: float
    definitions: tuple[Definition, ...]


def rank(
    files: Mapping[str, FileSymbols], focus: Iterable[str] = (), mentioned: Iterable[str] = ()
) -> tuple[RankedFile, ...]:
    """Every file of ``files``, most relevant first (ties by path), for a task on the ``focus``
    files that mentions the names ``mentioned``."""
    names = frozenset(mentioned)
    edges = _edges(files, names)
    scores = pagerank(files, _flatten(edges), _personal(files, focus, names))
    weights = _definition_weights(edges, scores)
    ranked = (
        RankedFile(path, scores[path], _ordered(symbols.definitions, weights.get(path)))
        for path, symbols in files.items()
    )
    return tuple(sorted(ranked, key=lambda file: (-file.score, file.path)))


def _edges(files: Mapping[str, FileSymbols], mentioned: frozenset[str]) -> _Edges:
    definers: defaultdict[str, set[str]] = defaultdict(set)
    for path, symbols in files.items():
        for definition in symbols.definitions:
            definers[definition.name].add(path)
    edges: _Edges = defaultdict(lambda: defaultdict(dict))
    for path, symbols in files.items():
        for name, uses in symbols.references.items():
            targets = definers.get(name, set())
            if len(targets) > UBIQUITOUS:
                continue
            weight = _weight(name, uses, mentioned, len(targets))
            for target in targets - {path}:
                edges[path][target][name] = weight
    return edges


def _weight(name: str, uses: int, mentioned: frozenset[str], definers: int) -> float:
    factor = MENTIONED if name in mentioned else PRIVATE if name.startswith("_") else 1.0
    return factor * (PRIVATE if definers > COMMON else 1.0) * math.sqrt(uses)


def _flatten(edges: _Edges) -> dict[str, dict[str, float]]:
    return {
        source: {target: sum(by_name.values()) for target, by_name in targets.items()}
        for source, targets in edges.items()
    }


def _personal(
    files: Mapping[str, FileSymbols], focus: Iterable[str], mentioned: frozenset[str]
) -> dict[str, float]:
    personal = {path: 1.0 for path in focus if path in files}
    definers: defaultdict[str, set[str]] = defaultdict(set)
    for path, symbols in files.items():
        for definition in symbols.definitions:
            if definition.name in mentioned:
                definers[definition.name].add(path)
    for paths in definers.values():
        for path in paths if len(paths) <= COMMON else ():
            personal[path] = personal.get(path, 0.0) + 0.5
    return personal


def pagerank(
    nodes: Iterable[str],
    edges: Mapping[str, Mapping[str, float]],
    personal: Mapping[str, float],
    alpha: float = 0.85,
    tolerance: float = 1e-6,
    max_iterations: int = 100,
) -> dict[str, float]:
    """PageRank of ``nodes`` over weighted ``edges`` restarting at ``personal`` (uniformly when
    empty); dangling nodes' rank restarts the same way. Scores sum to 1; iteration stops when
    they move less than ``tolerance`` per node, networkx's defaults and criterion."""
    order = list(nodes)
    restart = _normalised(personal, order)
    links = [
        (source, [(target, weight / total) for target, weight in targets.items()])
        for source, targets in edges.items()
        if (total := sum(targets.values())) > 0
    ]
    linking = {source for source, _ in links}
    current = dict(restart)
    for _ in range(max_iterations):
        dangling = alpha * sum(current[node] for node in order if node not in linking)
        following = {node: (1 - alpha + dangling) * restart[node] for node in order}
        for source, targets in links:
            share = alpha * current[source]
            for target, fraction in targets:
                following[target] += share * fraction
        moved = sum(abs(following[node] - current[node]) for node in order)
        current = following
        if moved < len(order) * tolerance:
            break
    return current


def _normalised(personal: Mapping[str, float], order: list[str]) -> dict[str, float]:
    total = sum(personal.get(node, 0.0) for node in order)
    if total <= 0 or not order:
        return {node: 1 / len(order) for node in order}
    return {node: personal.get(node, 0.0) / total for node in order}


def _definition_weights(edges: _Edges, scores: Mapping[str, float]) -> dict[str, dict[str, float]]:
    """Target file → name → the rank flowing into that name's definitions."""
    weights: defaultdict[str, defaultdict[str, float]] = defaultdict(lambda: defaultdict(float))
    for source, targets in edges.items():
        total = sum(sum(by_name.values()) for by_name in targets.values())
        for target, by_name in targets.items():
            for name, weight in by_name.items():
                weights[target][name] += scores[source] * weight / total
    return {path: dict(by_name) for path, by_name in weights.items()}


def _ordered(
    definitions: tuple[Definition, ...],
    weights: Mapping[str, float] | None = None,
) -> tuple[Definition, ...]:
    weights = weights or {}
    return tuple(sorted(definitions, key=lambda d: (-weights.get(d.name, 0.0), d.start_line)))
