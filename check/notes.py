"""The one-line notes a run prints on stderr whatever the format: config errors, skipped files."""

from __future__ import annotations

from collections.abc import Iterator

from .model import CheckReport

__all__ = ["notes"]


def notes(report: CheckReport) -> Iterator[str]:
    """``config error: accord.toml: complexity.threshold: …`` and ``skipped big.py: …``."""
    for error in report.config_errors:
        yield f"accord: config error: {error} (that file's settings are left out)"
    for skipped in report.skipped:
        yield f"skipped {report.display(skipped.path)}: {skipped.reason}"
