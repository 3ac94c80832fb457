"""The JSON format: one object with the findings, the skipped files and a summary.

Each finding has ``file`` (as shown in the text format), ``line``, ``column``, ``end_line``,
``end_column`` (1-based, characters, end exclusive), ``code``, ``severity``, ``message``,
``value`` (what the rule measured, e.g. ACC001's complexity; null otherwise) and ``related``
(other places it refers to, e.g. ACC002's other copies).
"""

from __future__ import annotations

import json
from typing import Any

from accord import __version__
from accord.analyzers.findings import Severity

from .model import CheckReport, Located

__all__ = ["document", "measured", "render"]


def render(report: CheckReport) -> str:
    return json.dumps(document(report), indent=2, ensure_ascii=False) + "\n"


def document(report: CheckReport) -> dict[str, Any]:
    """The report as plain JSON values, in a stable order."""
    return {
        "tool": {"name": "accord", "version": __version__},
        "findings": [_finding(report, finding) for finding in report.findings],
        "skipped": [{"file": report.display(s.path), "reason": s.reason} for s in report.skipped],
        "config_errors": [
            {"source": e.source, "key": e.key, "message": e.message} for e in report.config_errors
        ],
        "summary": {
            "files_checked": report.files_checked,
            "files_skipped": len(report.skipped),
            "findings": len(report.findings),
            "by_severity": {
                s.value: report.by_severity[s] for s in Severity if report.by_severity[s]
            },
        },
    }


def _finding(report: CheckReport, finding: Located) -> dict[str, Any]:
    span = finding.span
    return {
        "file": report.display(finding.path),
        "line": span.line,
        "column": span.column,
        "end_line": span.end_line,
        "end_column": span.end_column,
        "code": finding.code,
        "severity": str(finding.severity),
        "message": finding.message,
        "value": measured(finding.value),
        "related": [
            {
                "file": report.display(r.path),
                "line": r.line,
                "end_line": r.end_line,
                "message": r.message,
            }
            for r in finding.related
        ],
    }


def measured(value: float | None) -> float | int | None:
    """A measured value as JSON shows it best: whole numbers without a fraction."""
    return int(value) if value is not None and float(value).is_integer() else value
