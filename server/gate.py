"""The approval gate between a Proposal and the files: risk score, workflow, approval request.

``assess`` is pure over the proposal and the texts it was made on: it applies the edits to get
each file's new text, derives the change facts (lines, complexity growth, public signatures),
scores the risk with the project's policy, picks the workflow and opens the approval request
(local, single-user, when the policy allows it) with a content hash of every touched file, so a
proposal whose files changed since can be refused as stale. A change that removes documentation
or tests is never auto-applied: its decision is ``apply`` (after the requester's yes). ``route``
is the pure decision of what the language server does next with an assessed proposal; the
handlers only carry it out.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from pathlib import Path

from accord.agents.actions.apply import apply_edits
from accord.analyzers.change import change_facts
from accord.analyzers.languages import language_for
from accord.policy.approval import ApprovalRequest, Decision, NextStep, decide, open_request
from accord.policy.model import CollaborationMode, Policy
from accord.policy.scoring import RiskScore, score_change
from accord.protocol import Proposal

__all__ = ["Assessment", "Route", "assess", "digest", "explain", "hashes_of", "route"]

ReadText = Callable[[str], str | None]


@dataclass(frozen=True, slots=True)
class Assessment:
    """What the gate concluded about a proposal."""

    risk: RiskScore
    request: ApprovalRequest
    decision: Decision


def digest(text: str | None) -> str:
    """The content hash a stale check compares (an absent file hashes as empty)."""
    return hashlib.sha256((text or "").encode("utf-8")).hexdigest()


def hashes_of(paths: Mapping[str, object], read_text: ReadText) -> dict[str, str]:
    """The current content hash of each path."""
    return {path: digest(read_text(path)) for path in paths}


def assess(
    proposal: Proposal,
    policy: Policy,
    read_text: ReadText,
    root: Path,
    requester: str,
    now: datetime,
) -> Assessment:
    """Score ``proposal`` and open its approval request."""
    facts, hashes = [], {}
    for file in proposal.files:
        before = None if file.create else read_text(file.path)
        after = apply_edits(before or "", file.edits)
        spec = language_for(None, file.path)
        facts.append(
            change_facts(_relative(file.path, root), spec.name if spec else None, before, after)
        )
        hashes[file.path] = digest(before)
    risk = score_change(policy, proposal.action, facts)
    request = open_request(
        policy,
        str(proposal.id),
        requester,
        risk.workflow_name,
        hashes,
        now,
        local=policy.allow_local_approval,
    )
    decision = decide(policy, request, hashes, now)
    if risk.review_required and decision.step is NextStep.AUTO_APPLY:
        # Approved by the workflow, but applied only once the requester says yes.
        decision = Decision(NextStep.APPLY)
    return Assessment(risk, request, decision)


def explain(assessment: Assessment) -> str:
    """One paragraph for the user: the score, each factor's reason, the approvals needed."""
    risk = assessment.risk
    reasons = "; ".join(
        f"{f.name.replace('_', ' ')} {f.value:g} ({f.reason})" for f in risk.factors
    )
    needs = ", ".join(assessment.decision.missing_roles) or "no one"
    if assessment.decision.step is NextStep.APPLY:
        needs = "you: it is never applied automatically"
    return (
        f"Risk {risk.score:g}/10 → {risk.workflow_name.replace('_', ' ')}: {reasons}. "
        f"Needs approval by {needs}."
    )


def _relative(path: str, root: Path) -> str:
    try:
        return Path(path).relative_to(root).as_posix()
    except ValueError:
        return path


class Route(StrEnum):
    """What the language server does with an assessed proposal."""

    # Observation mode: show the diff, apply nothing.
    OBSERVE = "observe"
    # Approvers are needed and the workspace is linked: the org server routes the request.
    ORG = "org"
    # No approval is needed (and control mode does not ask for each step): apply now.
    APPLY = "apply"
    # Approvers are needed, there is no org, and the user lacks the roles: it waits.
    WAIT = "wait"
    # Ask the user in the editor's refactor preview (a change annotation needing confirmation).
    PREVIEW = "preview"
    # Ask the user with a message and Apply / Reject / Show diff.
    ASK = "ask"


def route(
    mode: CollaborationMode,
    needs_approvers: bool,
    linked: bool,
    user_can_approve: bool,
    client_previews: bool,
    needs_yes: bool = False,
) -> Route:
    """The next step for a proposal, from the collaboration mode, whether the policy's decision
    asks approvers, whether the workspace is linked to an org, whether the local user holds the
    roles to approve (single-user mode only), whether the editor confirms edits in a preview, and
    whether the decision, though it needs no approver, waits for the requester's yes (a change
    that removes documentation or tests).
    """
    if mode is CollaborationMode.OBSERVATION:
        return Route.OBSERVE
    if needs_approvers and linked:
        return Route.ORG
    if not needs_approvers and not needs_yes and mode is not CollaborationMode.CONTROL:
        return Route.APPLY
    if needs_approvers and not user_can_approve:
        return Route.WAIT
    return Route.PREVIEW if client_previews else Route.ASK
