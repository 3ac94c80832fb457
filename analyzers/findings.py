"""What an analyzer reports: a finding at a byte range of one document."""

from __future__ import annotations

from dataclasses import dataclass

# Severity is a setting (`[severity]`) as much as a finding's field; it lives in the shared
# vocabulary so that the settings never import the analyzers.
from accord.vocabulary import Severity

__all__ = ["Finding", "Related", "Severity"]


@dataclass(frozen=True, slots=True)
class Related:
    """Another place a finding refers to (the other copy of a duplicated block)."""

    path: str
    start_row: int
    end_row: int
    message: str


@dataclass(frozen=True, slots=True)
class Finding:
    """One rule's report on bytes ``[start, end)`` of a document.

    ``value`` is what the rule measured, where it measures something (ACC001: the function's
    cyclomatic complexity; ACC005: its length in lines).
    """

    code: str
    message: str
    start: int
    end: int
    value: float | None = None
    related: tuple[Related, ...] = ()

    def shifted(self, delta: int) -> Finding:
        """The same finding ``delta`` bytes later (an edit before it moved it)."""
        return Finding(
            self.code, self.message, self.start + delta, self.end + delta, self.value, self.related
        )
