"""Inline suppression: a comment ``accord: ignore[ACC003]`` (or ``accord: ignore`` for every
rule) on the line where a finding starts hides that finding."""

from __future__ import annotations

import re
from collections.abc import Iterable

from .findings import Finding
from .positions import LineIndex

__all__ = ["may_hold_marker", "suppressed_codes", "unsuppressed"]

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


def unsuppressed(
    findings: Iterable[Finding], lines: LineIndex, marked: bool | None = None
) -> list[Finding]:
    """``findings`` less those that a comment on their first line suppresses.

    Only the lines where findings start are read, so the cost follows the findings, not the
    size of the file (an editor asks after every keystroke). ``marked`` says whether the text
    may hold a suppression comment at all (``may_hold_marker``, kept up to date by the
    caller); None: look.
    """
    if not (marked if marked is not None else _MARK in lines.data):
        return list(findings)
    kept: list[Finding] = []
    codes_of_row: dict[int, frozenset[str]] = {}
    for finding in findings:
        row = lines.point(finding.start)[0]
        codes = codes_of_row.get(row)
        if codes is None:
            codes = codes_of_row[row] = suppressed_codes(lines.line_bytes(row))
        if not (codes is ALL or any(finding.code.startswith(code) for code in codes)):
            kept.append(finding)
    return kept


# Every suppression comment holds this.
_MARK = b"accord:"


def may_hold_marker(data: bytes, start: int = 0, end: int | None = None) -> bool:
    """Whether bytes ``[start, end)`` of ``data``, or a marker they complete with what is
    either side, may hold a suppression comment."""
    end = len(data) if end is None else end
    reach = len(_MARK) - 1
    return _MARK in data[max(0, start - reach) : end + reach]
