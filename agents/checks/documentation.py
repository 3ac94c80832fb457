"""The ``keeps documentation`` check: no comment, docstring or test of the original is removed."""

from __future__ import annotations

from accord.analyzers.documentation import removed_documentation, summary
from accord.protocol.proposal import Check, CheckStatus

__all__ = ["keeps_documentation"]

NAME = "keeps documentation"


def keeps_documentation(language: str, before: str, after: str) -> Check:
    """Failed (with what is removed) when ``after`` lacks documentation lines or tests."""
    removed = removed_documentation(language, before, after)
    if removed:
        first = next((r.text for r in removed if r.kind != "test"), removed[0].text)
        detail = f"removes {summary(removed)}, e.g. {first[:60]!r}"
        return Check(name=NAME, status=CheckStatus.FAILED, detail=detail)
    return Check(
        name=NAME, status=CheckStatus.PASSED, detail="no comment, docstring or test removed"
    )
