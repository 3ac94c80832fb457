"""The ``finding gone`` and ``no new finding`` checks: the analyzers run on both texts (pure).

Findings are compared by code and message with numbers blanked (a complexity that went from 14
to 11 is the same finding, not a new one).
"""

from __future__ import annotations

import re
from collections import Counter

from accord.analyzers.engine import DocumentAnalysis
from accord.analyzers.languages import LanguageSpec
from accord.analyzers.source import SourceDocument
from accord.config import Settings
from accord.protocol.proposal import Check, CheckStatus

__all__ = ["finding_gone", "no_new_finding"]

_NUMBER = re.compile(r"\d+(?:\.\d+)?")


def finding_gone(spec: LanguageSpec, path: str, before: str, after: str, code: str) -> Check:
    """Passed when ``after`` has fewer ``code`` findings than ``before``."""
    old = sum(1 for found, _ in _findings(spec, path, before) if found == code)
    new = sum(1 for found, _ in _findings(spec, path, after) if found == code)
    if new < old:
        return Check(
            name="finding gone", status=CheckStatus.PASSED, detail=f"{code}: {old} → {new}"
        )
    return Check(
        name="finding gone",
        status=CheckStatus.FAILED,
        detail=f"{code} is still reported ({old} before, {new} after)",
    )


def no_new_finding(spec: LanguageSpec, path: str, before: str, after: str) -> Check:
    """Passed when ``after`` has no finding that ``before`` did not have."""
    new = Counter(_findings(spec, path, after)) - Counter(_findings(spec, path, before))
    if not new:
        return Check(name="no new finding", status=CheckStatus.PASSED, detail="analyzers rerun")
    code, message = next(iter(new))
    more = f" and {sum(new.values()) - 1} more" if sum(new.values()) > 1 else ""
    return Check(name="no new finding", status=CheckStatus.FAILED, detail=f"{code} {message}{more}")


def _findings(spec: LanguageSpec, path: str, text: str) -> list[tuple[str, str]]:
    document = SourceDocument.from_text(spec, text)
    found = DocumentAnalysis(document, Settings(), path).findings
    return [(f.code, _NUMBER.sub("#", f.message)) for f in found]
