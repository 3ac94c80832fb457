"""The one-line notes a run prints on stderr whatever the format: config errors, skipped files."""

from __future__ import annotations

from collections.abc import Iterator

from .discovery import EXCLUDED_BY_DEFAULT
from .model import CheckReport

__all__ = ["notes"]


def notes(report: CheckReport) -> Iterator[str]:
    """``config error: accord.toml: complexity.threshold: …`` and ``skipped big.py: …``."""
    for error in report.config_errors:
        yield f"accord: config error: {error} (that file's settings are left out)"
    left_out = [s.path for s in report.skipped if s.reason == EXCLUDED_BY_DEFAULT]
    if left_out:
        yield (
            f"excluded by default (as ruff does): {', '.join(map(report.display, left_out))}; "
            "set `exclude` in accord.toml to choose for yourself"
        )
    for skipped in report.skipped:
        if skipped.reason != EXCLUDED_BY_DEFAULT:
            yield f"skipped {report.display(skipped.path)}: {skipped.reason}"
