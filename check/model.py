"""The values a check run produces: located findings, skipped files and the whole report.

Lines and columns are 1-based and count characters (Unicode code points); an end column is
the column just after the last character, as in SARIF.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from accord.analyzers.findings import Severity
from accord.analyzers.rules import RuleInfo
from accord.config import ConfigError

__all__ = ["CheckReport", "FileResult", "Located", "RelatedLines", "Skipped", "Span"]


@dataclass(frozen=True, slots=True)
class Span:
    """Where a finding lies: 1-based lines and character columns, the end column exclusive."""

    line: int
    column: int
    end_line: int
    end_column: int


@dataclass(frozen=True, slots=True)
class RelatedLines:
    """Lines ``line``..``end_line`` (1-based, inclusive) of another file the finding refers to."""

    path: str
    line: int
    end_line: int
    message: str


@dataclass(frozen=True, slots=True)
class Located:
    """A finding placed in its file (``path`` is relative to the project root, with ``/``).

    ``fingerprint`` identifies the finding across runs even when lines move above it: it
    hashes the rule, the file and the text of the finding's first line, plus an occurrence
    number among identical ones.
    """

    path: str
    code: str
    severity: Severity
    message: str
    span: Span
    fingerprint: str
    value: float | None = None
    related: tuple[RelatedLines, ...] = ()

    @property
    def order(self) -> tuple[str, int, int, str]:
        return self.path, self.span.line, self.span.column, self.code


@dataclass(frozen=True, slots=True)
class Skipped:
    """A file that was not analysed, and why (``binary file``, ``not UTF-8``, too big…)."""

    path: str
    reason: str


@dataclass(frozen=True, slots=True)
class FileResult:
    """What a worker returns for one file: its findings, or why it was skipped.

    ``fingerprint`` is the file's duplication fingerprint when ACC002 runs (an opaque,
    picklable value from ``accord.analyzers.duplication``); ``digest`` identifies the content
    the result was found in (``accord.check.cache``), None for a skipped file.
    """

    path: str
    findings: tuple[Located, ...] = ()
    skipped: str | None = None
    fingerprint: Any = None
    digest: str | None = None


@dataclass(frozen=True, slots=True)
class CheckReport:
    """The outcome of a run, ready to render.

    ``root`` is the project root the paths are relative to; ``display_prefix`` turns such a
    path into one relative to the working folder (``examples/sample-project/``, or ``""``).
    """

    root: Path
    rules: tuple[RuleInfo, ...]
    severities: dict[str, Severity]
    findings: tuple[Located, ...]
    skipped: tuple[Skipped, ...] = ()
    files_checked: int = 0
    config_errors: tuple[ConfigError, ...] = ()
    display_prefix: str = ""
    by_severity: Counter[Severity] = field(init=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "by_severity", Counter(f.severity for f in self.findings))

    def display(self, path: str) -> str:
        """``path`` (relative to the root) as the user should see it."""
        return f"{self.display_prefix}{path}"

    def failing(self, threshold: Severity) -> bool:
        """Whether any finding is at least as serious as ``threshold``."""
        return any(f.severity.rank <= threshold.rank for f in self.findings)
