"""What checking a proposal before anyone sees it concluded.

An action module may provide ``verify(task, proposal) -> Verdict`` (run in a worker thread, as
it may run the project's code). The orchestrator shows only ``Verdict.proposal``; when it is
None the action fails with ``reason``. A model gets ``feedback`` back for another round, a
bounded number of times, when there is something to improve.
"""

from __future__ import annotations

from dataclasses import dataclass

from accord.protocol import Proposal

__all__ = ["Verdict"]


@dataclass(frozen=True, slots=True)
class Verdict:
    """A verified proposal (with its evidence), or why there is none, and what to fix."""

    proposal: Proposal | None
    # One line a person reads, when ``proposal`` is None.
    reason: str = ""
    # For a model's next round (failures, uncovered lines); empty when nothing is to be fixed.
    feedback: str = ""
