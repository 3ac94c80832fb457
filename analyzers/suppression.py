"""Inline suppression: a comment ``accord: ignore[ACC003]`` (or ``accord: ignore`` for every
rule) on the line where a finding starts hides that finding."""

from __future__ import annotations

import re
from collections.abc import Iterable

from .findings import Finding
from .positions import LineIndex

__all__ = ["suppressed_codes", "unsuppressed"]

_MARKER = re.compile(rb"accord:\s*ignore(?:\[(?P<codes>[A-Za-z0-9_, ]*)\])?")
ALL = frozenset({"*"})


def suppressed_codes(line: bytes) -> frozenset[str]:
    """The rule codes a line's suppression comment names; ``{"*"}`` for all; empty if none."""
    match = _MARKER.search(line)
    if match is None:
        return frozenset()
    codes = match.group("codes")
    if codes is None:
        return ALL
    return frozenset(code.strip().decode() for code in codes.split(b",") if code.strip())


def unsuppressed(findings: Iterable[Finding], lines: LineIndex) -> list[Finding]:
    """``findings`` less those that a comment on their first line suppresses."""
    marked = _marked_rows(lines)
    if not marked:
        return list(findings)
    kept: list[Finding] = []
    for finding in findings:
        codes = marked.get(lines.point(finding.start)[0], frozenset())
        if not (codes is ALL or any(finding.code.startswith(code) for code in codes)):
            kept.append(finding)
    return kept


def _marked_rows(lines: LineIndex) -> dict[int, frozenset[str]]:
    """The rows holding a suppression comment, with the codes each suppresses."""
    marked: dict[int, frozenset[str]] = {}
    data = lines.data
    position = data.find(b"accord")
    while position >= 0:
        row = lines.point(position)[0]
        codes = suppressed_codes(lines.line_bytes(row))
        if codes:
            marked[row] = codes
        following = row + 1
        if following >= lines.line_count:
            break
        position = data.find(b"accord", lines.starts[following])
    return marked
