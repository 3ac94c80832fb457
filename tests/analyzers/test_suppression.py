"""Inline suppression: which findings a ``accord: ignore`` comment on their first line hides."""

from __future__ import annotations

import pytest

from accord.analyzers.findings import Finding
from accord.analyzers.positions import LineIndex
from accord.analyzers.suppression import unsuppressed

TEXT = b"""x = 1  # accord: ignore[ACC003]
y = 2  # according to the spec, not a marker
z = 3  # accord: ignore
w = 4  # accord: ignore[ACC001, ACC005]
v = 5"""


def _at(row: int, code: str) -> Finding:
    start = LineIndex(TEXT).starts[row]
    return Finding(code, "m", start, start + 1)


@pytest.mark.parametrize(
    ("row", "code", "kept"),
    [
        (0, "ACC003", False),
        (0, "ACC001", True),
        (1, "ACC003", True),
        (2, "ACC002", False),
        (3, "ACC005", False),
        (3, "ACC003", True),
        (4, "ACC001", True),
    ],
)
def test_a_marker_hides_only_what_it_names_on_its_line(row: int, code: str, kept: bool) -> None:
    finding = _at(row, code)
    assert unsuppressed([finding], LineIndex(TEXT)) == ([finding] if kept else [])


def test_text_without_markers_keeps_everything() -> None:
    data = b"according to plan\naccord"
    found = [Finding("ACC001", "m", 0, 3), Finding("ACC001", "m", 18, 20)]
    assert unsuppressed(found, LineIndex(data)) == found
