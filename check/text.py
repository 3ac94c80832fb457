"""The text format: ``path:line:col: CODE message`` per finding, then a summary line."""

from __future__ import annotations

from accord.analyzers.findings import Severity

from .model import CheckReport, Located

__all__ = ["render", "summary"]


def render(report: CheckReport) -> str:
    """One line per finding (1-based line, character column), then ``summary``."""
    lines = [_line(report, finding) for finding in report.findings]
    return "\n".join([*lines, summary(report)]) + "\n"


def _line(report: CheckReport, finding: Located) -> str:
    span = finding.span
    return f"{report.display(finding.path)}:{span.line}:{span.column}: {finding.code} {finding.message}"


def summary(report: CheckReport) -> str:
    """``Found 3 findings (1 error, 2 warnings) in 12 files checked, 1 skipped.``"""
    checked = f"{_count(report.files_checked, 'file')} checked"
    if report.skipped:
        checked += f", {len(report.skipped)} skipped"
    if not report.findings:
        return f"No findings in {checked}."
    parts = [_count(report.by_severity[s], s.value) for s in Severity if report.by_severity[s]]
    return f"Found {_count(len(report.findings), 'finding')} ({', '.join(parts)}) in {checked}."


def _count(number: int, noun: str) -> str:
    plural = noun if number == 1 or noun in (Severity.INFO, Severity.HINT) else f"{noun}s"
    return f"{number} {plural}"
