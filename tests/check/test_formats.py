"""The text and JSON renderings of a report."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from accord.analyzers.findings import Severity
from accord.analyzers.rules import RuleInfo
from accord.check import json_, text
from accord.check.model import CheckReport, Located, RelatedLines, Skipped, Span

RULE = RuleInfo("ACC001", "complexity", "Cyclomatic complexity", Severity.WARNING, "chunk")


def located(severity: Severity, line: int = 3, value: float | None = None) -> Located:
    return Located(
        "pkg/mod.py",
        "ACC001",
        severity,
        "too complex",
        Span(line, 5, line, 9),
        f"key:{line}",
        value,
        (RelatedLines("pkg/other.py", 1, 6, "copy"),),
    )


def report(*findings: Located, skipped: int = 0, prefix: str = "") -> CheckReport:
    return CheckReport(
        root=Path("/project"),
        rules=(RULE,),
        severities={"ACC001": Severity.WARNING},
        findings=findings,
        skipped=tuple(Skipped(f"s{i}.py", "binary") for i in range(skipped)),
        files_checked=4,
        display_prefix=prefix,
    )


@pytest.mark.parametrize(
    "findings, skipped, expected",
    [
        ((), 0, "No findings in 4 files checked."),
        ((), 2, "No findings in 4 files checked, 2 skipped."),
        ((located(Severity.ERROR),), 0, "Found 1 finding (1 error) in 4 files checked."),
        (
            (located(Severity.WARNING), located(Severity.WARNING, 7), located(Severity.INFO, 9)),
            1,
            "Found 3 findings (2 warnings, 1 info) in 4 files checked, 1 skipped.",
        ),
    ],
)
def test_summary(findings: tuple[Located, ...], skipped: int, expected: str) -> None:
    assert text.summary(report(*findings, skipped=skipped)) == expected


def test_text_lines_show_paths_from_the_working_folder() -> None:
    rendered = text.render(report(located(Severity.WARNING), prefix="sub/"))
    assert rendered.splitlines()[0] == "sub/pkg/mod.py:3:5: ACC001 too complex"


def test_json_findings_carry_position_value_and_related_lines() -> None:
    document = json.loads(
        json_.render(report(located(Severity.WARNING, value=12.0), prefix="sub/"))
    )
    assert document["findings"] == [
        {
            "file": "sub/pkg/mod.py",
            "line": 3,
            "column": 5,
            "end_line": 3,
            "end_column": 9,
            "code": "ACC001",
            "severity": "warning",
            "message": "too complex",
            "value": 12,
            "related": [{"file": "sub/pkg/other.py", "line": 1, "end_line": 6, "message": "copy"}],
        }
    ]
    assert document["summary"]["by_severity"] == {"warning": 1}


@pytest.mark.parametrize("value, shown", [(None, None), (3.0, 3), (2.5, 2.5)])
def test_measured_values_drop_a_zero_fraction(value: float | None, shown: float | None) -> None:
    assert json_.measured(value) == shown


@pytest.mark.parametrize(
    "threshold, failing", [(Severity.ERROR, False), (Severity.WARNING, True), (Severity.HINT, True)]
)
def test_failing_compares_with_the_threshold(threshold: Severity, failing: bool) -> None:
    assert report(located(Severity.WARNING)).failing(threshold) is failing
