"""The duplicate index: every file's windows of ``min_lines`` significant lines, by shape.

A window that occurs in two places (two files, or two places of one file that do not overlap)
is a duplicate; consecutive duplicate windows with the same partner merge into one maximal
block, and overlapping blocks of a file into one region. A clone group is reported once, in its
first place (by path, then line), with the other places as related locations; where the first
place does not relate to every other place (copies of different extents), the region is also
reported where it is, so no copy goes unreported. Blocks with fewer
than ``min_tokens`` tokens (every token of their lines, as jscpd counts) are left out (runs of
``}`` and the like), and so are windows that occur in more than ``MAX_OCCURRENCES`` places
(boilerplate) by shape and by exact text (a shape as common as ``name=value,`` repeated is
boilerplate, but the same lines repeated word for word are a copy) and, unless ``declarative``
is set,
declarative tables: blocks whose lines (60% or more) are entries holding only names, literals
and punctuation, a third or more of them holding text, such as runs of
``partial(Option, "--flag", dest=..., help=...)`` or dictionary entries, or blocks of
registrations (``parser.add_option(options.verbose())``).
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass
from pathlib import PurePath

from ..findings import Finding, Related
from .fingerprint import FileFingerprint, token_count

__all__ = ["DECLARATIVE_SHARE", "DuplicateIndex", "MAX_OCCURRENCES"]

MAX_OCCURRENCES = 12
# The share of data lines that makes a block a declarative table.
DECLARATIVE_SHARE = 0.6
# The share of lines holding a string literal in a table of entries.
TEXT_SHARE = 0.3
_OPENERS = (b",", b"(", b"[", b"{")
# A data line's shape: names, numbers, literals and the punctuation of calls and literals.
_DATA_LINE = re.compile(rb"[IN\x02.,:=()\[\]{}* \-]+")
_LITERAL_MARK = b"\x02"
_CONSTANTS = re.compile(rb"\b(?:True|False|None|true|false|null|nil)\b")

Window = tuple[bytes, ...]


@dataclass(frozen=True, slots=True)
class _Block:
    """Significant lines ``[first, last]`` of one file that repeat at ``other``'s lines."""

    first: int
    last: int
    other: str
    other_first: int


class DuplicateIndex:
    """Duplicates among the files added to it; findings are computed when asked, and cached."""

    def __init__(self, min_lines: int = 6, min_tokens: int = 50, declarative: bool = False) -> None:
        self.min_lines = min_lines
        self.min_tokens = min_tokens
        self.declarative = declarative
        self._prints: dict[str, FileFingerprint] = {}
        # Each window's places: (file key, index of its first significant line).
        self._places: dict[Window, list[tuple[str, int]]] = defaultdict(list)
        # The same by exact text, asked where a shape is too common to tell copies apart.
        self._exact_places: dict[Window, list[tuple[str, int]]] = defaultdict(list)
        self._cache: dict[str, list[Finding]] = {}
        self._link_cache: dict[str, list[tuple[int, int, Related]]] = {}

    def update(self, key: str, print_: FileFingerprint) -> set[str]:
        """Add or replace a file; returns the keys whose findings may have changed."""
        touched = self.remove(key)
        self._prints[key] = print_
        for table, windows in self._tables(print_):
            for index, window in enumerate(windows):
                places = table[window]
                places.append((key, index))
                if len(places) > 1:  # most windows are in one place: this file's
                    touched.update(other for other, _ in places[: MAX_OCCURRENCES + 1])
        self._forget(touched)
        return touched | {key}

    def remove(self, key: str) -> set[str]:
        """Forget a file; returns the keys whose findings may have changed."""
        print_ = self._prints.pop(key, None)
        if print_ is None:
            return set()
        touched = {key}
        for table, windows in self._tables(print_):
            for window in set(windows):
                places = table[window]
                touched.update(other for other, _ in places[: MAX_OCCURRENCES + 1])
                remaining = [place for place in places if place[0] != key]
                if remaining:
                    table[window] = remaining
                else:
                    del table[window]
        self._forget(touched)
        return touched

    def findings(self, key: str) -> list[Finding]:
        """ACC002's findings in one file, in byte offsets of the text it was fingerprinted from."""
        if key not in self._cache:
            print_ = self._prints.get(key)
            self._cache[key] = self._findings(key, print_) if print_ else []
        return self._cache[key]

    def _forget(self, keys: set[str]) -> None:
        for key in keys:
            self._cache.pop(key, None)
            self._link_cache.pop(key, None)

    def _windows(self, lines: tuple[bytes, ...]) -> list[Window]:
        size = self.min_lines
        return [lines[index : index + size] for index in range(len(lines) - size + 1)]

    def _tables(
        self, print_: FileFingerprint
    ) -> list[tuple[dict[Window, list[tuple[str, int]]], list[Window]]]:
        """Each index table with this file's windows for it: by shape, and by exact text."""
        return [
            (self._places, self._windows(print_.shapes)),
            (self._exact_places, self._windows(print_.exact)),
        ]

    def _partners(self, shape: Window, exact: Window) -> list[tuple[str, int]]:
        """The places of a window: by shape, or, where that shape is boilerplate (too many
        places), by exact text; none when neither tells a few copies apart."""
        for places in (self._places.get(shape, ()), self._exact_places.get(exact, ())):
            if len(places) <= MAX_OCCURRENCES:
                return list(places) if len(places) > 1 else []
        return []

    def _findings(self, key: str, print_: FileFingerprint) -> list[Finding]:
        """One finding per clone group, in the group's first place (by path, then line): the
        overlapping blocks of this file merge into one region, and the region is reported here
        when no other place of it comes first, or when the first place does not relate to all
        of its other places (a report there would leave some out); the other places are its
        related ones."""
        found = []
        for first, last, places in _regions(self._links(key)):
            start_row, end_row = print_.rows[first], print_.rows[last]
            here = Related(key, start_row, end_row, "")
            related = [  # a periodic block's copies inside its own region are not others
                item for item in places if not _overlap(item, here)
            ]
            if related and self._reported_here(here, related):
                found.append(self._finding(print_, first, last, tuple(sorted(related, key=_where))))
        return found

    def _links(self, key: str) -> list[tuple[int, int, Related]]:
        """This file's blocks that count (enough tokens, not a table unless asked), each with
        its other copy; cached until the file or a partner changes."""
        if key not in self._link_cache:
            print_ = self._prints[key]
            links = []
            for block in self._blocks(key, print_):
                if self._token_count(print_, block) < self.min_tokens:
                    continue
                shapes = print_.shapes[block.first : block.last + 1]
                if not self.declarative and _is_table(shapes):
                    continue
                links.append((block.first, block.last, self._related(block)))
            self._link_cache[key] = links
        return self._link_cache[key]

    def _reported_here(self, here: Related, related: list[Related]) -> bool:
        first = min(related, key=_where)
        if _where(here) < _where(first):
            return True
        rows = self._prints[first.path].rows
        reach = [
            other
            for start, end, other in self._links(first.path)
            if _overlap(first, Related(first.path, rows[start], rows[end], ""))
        ]
        others = [item for item in related if item is not first] + [here]
        return not all(any(_overlap(item, link) for link in reach) for item in others)

    def _blocks(self, key: str, print_: FileFingerprint) -> list[_Block]:
        """Maximal runs of duplicate windows, one per partner place."""
        starts: dict[tuple[str, int], list[int]] = defaultdict(list)
        windows = zip(self._windows(print_.shapes), self._windows(print_.exact), strict=True)
        for index, (shape, exact) in enumerate(windows):
            for other, other_index in self._partners(shape, exact):
                if other != key or abs(other_index - index) >= self.min_lines:
                    starts[(other, other_index - index)].append(index)
        blocks = []
        for (other, shift), indexes in starts.items():
            for first, last in _runs(indexes):
                blocks.append(_Block(first, last + self.min_lines - 1, other, first + shift))
        return blocks

    def _token_count(self, print_: FileFingerprint, block: _Block) -> int:
        """Every token of the block's lines: its significant lines and the gaps between them."""
        shapes = print_.shapes[block.first : block.last + 1]
        return sum(map(token_count, shapes)) + sum(print_.gaps[block.first + 1 : block.last + 1])

    def _related(self, block: _Block) -> Related:
        other = self._prints[block.other]
        last = block.other_first + block.last - block.first
        start_row, end_row = other.rows[block.other_first], other.rows[last]
        return Related(
            block.other, start_row, end_row, f"the other copy: lines {start_row + 1}-{end_row + 1}"
        )

    def _finding(
        self, print_: FileFingerprint, first: int, last: int, related: tuple[Related, ...]
    ) -> Finding:
        lines = print_.rows[last] - print_.rows[first] + 1
        copy = related[0]
        where = f"lines {copy.start_row + 1}-{copy.end_row + 1} of {PurePath(copy.path).name}"
        exact = all(self._same_text(print_, first, last, item) for item in related)
        how = "" if exact else " with other names or values"
        others = len(related) - 1
        more = f" (and {others} more place{'s' if others > 1 else ''})" if others else ""
        # Each side's own range says its size: blank lines and comments inside a copy can make
        # one side longer than the other, so no count is claimed for both.
        return Finding(
            code="ACC002",
            message=f"These lines repeat {where}{more}{how}: extract the shared code",
            start=print_.spans[first][0],
            end=print_.spans[last][1],
            value=lines,
            related=related,
        )

    def _same_text(self, print_: FileFingerprint, first: int, last: int, item: Related) -> bool:
        other = self._prints[item.path]
        other_first = other.rows.index(item.start_row)
        count = last - first + 1
        return print_.exact[first : last + 1] == other.exact[other_first : other_first + count]


def _is_table(shapes: tuple[bytes, ...]) -> bool:
    """Whether lines of these shapes are a declarative table (see the module docs): mostly
    entries, and either a good share of them holding text (option and message tables,
    dictionaries) or mostly registrations (``parser.add_option(options.verbose())``)."""
    plain = [_CONSTANTS.sub(b"N", shape) for shape in shapes]
    data = [line for line in plain if _DATA_LINE.fullmatch(line)]
    entries = sum(1 for line in data if line.endswith(_OPENERS) or _LITERAL_MARK in line)
    texts = sum(1 for line in data if _LITERAL_MARK in line)
    calls = sum(1 for line in data if line.endswith(b")") and b"=" not in line)
    count = len(shapes)
    return (entries >= DECLARATIVE_SHARE * count and texts >= TEXT_SHARE * count) or (
        calls >= DECLARATIVE_SHARE * count
    )


def _regions(blocks: list[tuple[int, int, Related]]) -> list[tuple[int, int, list[Related]]]:
    """Overlapping blocks of one file merged: each region's extent and every related place."""
    regions: list[tuple[int, int, list[Related]]] = []
    for first, last, related in sorted(blocks, key=lambda block: (block[0], block[1])):
        if regions and first <= regions[-1][1]:
            start, end, places = regions[-1]
            if related not in places:
                places.append(related)
            regions[-1] = (start, max(end, last), places)
        else:
            regions.append((first, last, [related]))
    return regions


def _runs(indexes: list[int]) -> list[tuple[int, int]]:
    """Consecutive runs in a sorted list of indexes, as (first, last) pairs."""
    runs: list[tuple[int, int]] = []
    for index in sorted(indexes):
        if runs and index == runs[-1][1] + 1:
            runs[-1] = (runs[-1][0], index)
        else:
            runs.append((index, index))
    return runs


def _where(item: Related) -> tuple[str, int]:
    return item.path, item.start_row


def _overlap(a: Related, b: Related) -> bool:
    return a.path == b.path and a.start_row <= b.end_row and b.start_row <= a.end_row
