"""A proposal's evidence as a person reads it in the approval prompt (pure)."""

from __future__ import annotations

from accord.protocol import Proposal

__all__ = ["evidence_marks", "evidence_text"]

_MARK = {"passed": "✓", "failed": "✗", "skipped": "–"}


def evidence_text(proposal: Proposal) -> str:
    """`` Checked: ✓ parses; ✓ tests pass (3 tests of shop.tax); – … (skipped: …).``, or empty."""
    if not proposal.evidence:
        return ""
    checks = "; ".join(
        f"{_MARK[c.status.value]} {c.name}"
        + (f" ({c.detail})" if c.detail else "")
        + ("" if c.status.value == "passed" else f" [{c.status.value}]")
        for c in proposal.evidence
    )
    return f" Checked: {checks}."


def evidence_marks(evidence: object) -> str:
    """``✓ parses, ✗ tests pass`` from a step's ``evidence`` data (a list of check dicts)."""
    if not isinstance(evidence, list):
        return ""
    marks = [
        f"{_MARK.get(str(c.get('status')), '?')} {c.get('name')}"
        for c in evidence
        if isinstance(c, dict)
    ]
    return ", ".join(marks)
