"""The risk the org server uses: its own score of the change, never less (pure).

The requester's score is a claim. The server scores the change itself with the same pure code
(:func:`accord.policy.scoring.score_change`) under the organisation's current policy and uses the
higher of the two: a client may ask for more scrutiny, never for less. Both scores are kept
(:meth:`Verdict.audit`) so a client that understates shows in the audit.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from accord.analyzers.change import ChangeFacts
from accord.policy.model import Policy
from accord.policy.scoring import RiskScore, score_change
from accord.protocol.org import RiskSummary

__all__ = ["Verdict", "judge"]


@dataclass(frozen=True, slots=True)
class Verdict:
    """The claimed and computed scores and the one in force."""

    claimed: float
    computed: RiskScore
    used: RiskSummary

    @property
    def outcome(self) -> str:
        """``understated``, ``overstated`` or ``agreed``: how the claim compares."""
        if self.claimed < self.computed.score:
            return "understated"
        return "overstated" if self.claimed > self.computed.score else "agreed"

    def audit(self) -> dict[str, Any]:
        """The ``risk.scored`` payload: both scores, the one used, and the server's factors."""
        return {
            "score": self.used.score,
            "claimed": self.claimed,
            "computed": self.computed.score,
            "outcome": self.outcome,
            "factors": {
                f.name: {"value": f.value, "band": f.band, "reason": f.reason}
                for f in self.computed.factors
            },
        }


def judge(
    policy: Policy, action: str, facts: Sequence[ChangeFacts], claimed: RiskSummary
) -> Verdict:
    """Score the change under ``policy`` and settle on the score to use."""
    computed = score_change(policy, action, facts)
    reasons = "; ".join(
        f"{f.name.replace('_', ' ')} {f.value:g} ({f.reason})" for f in computed.factors
    )
    if claimed.score > computed.score:
        reasons = (
            f"the requester's score {claimed.score:g} (above the server's "
            f"{computed.score:g}: {reasons}): {claimed.reasons}"
        )
    used = RiskSummary(score=max(claimed.score, computed.score), reasons=reasons[:5_000])
    return Verdict(claimed.score, computed, used)
