"""Path patterns (``exclude``, ``per-file-ignores``), compiled once per set of patterns.

A path matches a pattern when the whole path matches it as a glob (``fnmatch``), when its last
parts match the pattern's parts one by one (``PurePath.match``), or when any one of its parts
matches it (``venv`` leaves out every folder of that name). Paths are POSIX-style, as the
project's files are named relative to its root.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from fnmatch import translate
from functools import cache
from pathlib import PurePosixPath

__all__ = ["matches_any"]


@dataclass(frozen=True, slots=True)
class _Pattern:
    parts: tuple[re.Pattern[str], ...]  # the pattern's parts below its root, last first
    anchored: bool  # an absolute pattern: matched against the whole path, part by part
    length: int  # how many parts the pattern has (root included)


@dataclass(frozen=True, slots=True)
class _PatternSet:
    any_of: re.Pattern[str]  # every pattern as one glob, for the whole path and each part
    by_parts: tuple[_Pattern, ...]  # patterns of several parts, or absolute, matched by parts


@cache
def _pattern_set(patterns: tuple[str, ...]) -> _PatternSet:
    """``patterns`` compiled once. A pattern of one relative part matches the path's last part
    only if it matches some part, so only longer or absolute patterns are matched part by part."""
    any_of = re.compile("|".join(translate(pattern) for pattern in patterns) or "(?!)")
    by_parts = []
    for pattern in patterns:
        pure = PurePosixPath(pattern)
        anchored = pure.is_absolute()
        below_root = pure.parts[1:] if anchored else pure.parts
        if anchored or len(below_root) > 1:
            parts = tuple(re.compile(translate(part)) for part in reversed(below_root))
            by_parts.append(_Pattern(parts, anchored, len(pure.parts)))
    return _PatternSet(any_of, tuple(by_parts))


def matches_any(path: str, patterns: Iterable[str]) -> bool:
    """Whether ``path`` matches one of ``patterns``."""
    compiled = _pattern_set(tuple(patterns))
    pure = PurePosixPath(path)
    posix, parts = pure.as_posix(), pure.parts
    if compiled.any_of.match(posix) or any(compiled.any_of.match(part) for part in parts):
        return True
    return any(_tail_matches(parts, pattern) for pattern in compiled.by_parts)


def _tail_matches(parts: tuple[str, ...], pattern: _Pattern) -> bool:
    """``PurePath.match``: the path's last parts match the pattern's, part by part."""
    if pattern.anchored:
        if not parts or parts[0] != "/" or len(parts) != pattern.length:
            return False
    elif pattern.length > len(parts):
        return False
    return all(
        part_pattern.match(part)
        for part, part_pattern in zip(reversed(parts), pattern.parts, strict=False)
    )
