"""Path patterns (``exclude``, ``per-file-ignores``), compiled once per pattern.

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
    whole: re.Pattern[str]
    parts: tuple[re.Pattern[str], ...]  # the pattern's parts below its root, last first
    anchored: bool  # an absolute pattern: matched against the whole path, part by part
    length: int  # how many parts the pattern has (root included)


@cache
def _pattern(text: str) -> _Pattern:
    pure = PurePosixPath(text)
    anchored = pure.is_absolute()
    below_root = pure.parts[1:] if anchored else pure.parts
    return _Pattern(
        whole=re.compile(translate(text)),
        parts=tuple(re.compile(translate(part)) for part in reversed(below_root)),
        anchored=anchored,
        length=len(pure.parts),
    )


def matches_any(path: str, patterns: Iterable[str]) -> bool:
    """Whether ``path`` matches one of ``patterns``."""
    pure = PurePosixPath(path)
    posix, parts = pure.as_posix(), pure.parts
    return any(_matches(posix, parts, _pattern(pattern)) for pattern in patterns)


def _matches(posix: str, parts: tuple[str, ...], pattern: _Pattern) -> bool:
    if pattern.whole.match(posix):
        return True
    if pattern.parts and _tail_matches(parts, pattern):
        return True
    return any(pattern.whole.match(part) for part in parts)


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
