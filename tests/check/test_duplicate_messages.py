"""ACC002's message reads right: each side's own range, and 'place' or 'places'."""

from __future__ import annotations

import pytest

from .helpers import Project, check_json

BODY = """\
    rows = [line.split(",") for line in text.splitlines() if line]
    header, *records = rows
    index = {name: position for position, name in enumerate(header)}
    totals = {}
    for record in records:
        key = record[index["region"]]
        totals[key] = totals.get(key, 0) + float(record[index["amount"]])
    best = max(totals, key=totals.get) if totals else None
    print(f"{len(records)} records, best region {best}")"""


@pytest.mark.parametrize(
    ("copies", "more"), [(2, ""), (3, " (and 1 more place)"), (4, " (and 2 more places)")]
)
def test_a_clone_group_is_worded_once_with_its_other_places(
    project: Project, copies: int, more: str
) -> None:
    files = {f"m{n}.py": f"def f(text):\n{BODY}\n    return totals\n" for n in range(copies)}
    root = project(files)
    report = check_json("--select", "ACC002", "--no-cache", str(root))
    [finding] = report["findings"]
    assert finding["message"] == (
        f"These lines repeat lines 1-11 of m1.py{more}: extract the shared code"
    )
