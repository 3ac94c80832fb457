"""Approval prompts: a Proposal reaches the files only through the project's policy gate.

Low risk (an auto-approving workflow) is applied at once. Otherwise the requester sees the
score and its reasons (``window/showMessageRequest``: Apply / Reject / Show diff; Show diff is
``workspace/applyEdit`` with a change annotation that needs confirmation, where the client
supports one, else a diff document). Until the org server routes requests to other people, the
requester's approval fills the roles they hold (``[approvals] roles``), when the policy allows
local approval; roles they lack leave the proposal pending. Before anything is applied the
touched files are hashed again: a proposal whose files changed since is stale and refused.
Every proposal, score, decision, approval, rejection and application is an audit event.

With an org server (``[tool.accord.org] url``), its policy is the one in force, and a proposal
that needs approval goes to the org's approvers instead (:mod:`accord.server.org_link`): the
requester cannot approve it alone; once the org says approved, the link applies it here.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from lsprotocol import types
from pygls.exceptions import JsonRpcException

from accord.agents.actions.apply import apply_edits
from accord.audit import AuditStore, EventDraft, EventType
from accord.policy.approval import (
    ApprovalRequest,
    NextStep,
    State,
    approve,
    missing_roles,
    reject,
)
from accord.policy.approval import apply as settle
from accord.policy.authority import in_force
from accord.policy.loading import PolicyError, load_policy
from accord.policy.model import Policy
from accord.protocol import Proposal

from ..edits import to_workspace_edit
from ..evidence import evidence_text
from ..gate import Assessment, Route, assess, explain, hashes_of, route
from .collaboration import mode_of

if TYPE_CHECKING:
    from ..app import AccordServer
    from ..org_link import OrgLink

__all__ = ["apply_approved", "through_gate"]

APPLY, REJECT, SHOW_DIFF = "Apply", "Reject", "Show diff"


class GateRefused(JsonRpcException):
    """The gate refused the proposal (stale, bad policy); LSP RequestFailed (-32803)."""

    CODE = -32803


async def through_gate(server: AccordServer, proposal: Proposal) -> dict[str, Any]:
    """Score, decide, ask, audit and (when approved) apply ``proposal``; returns the outcome."""
    root = Path(server.session.root_of(proposal.files[0].path))
    link = server.org_links.get(root)
    authority = in_force(
        link is not None,
        link.project_policy if link is not None else None,
        link.identity.roles if link is not None and link.identity is not None else None,
        lambda: _policy(root),
        server.session.settings_for(proposal.files[0].path).settings.approvals.roles,
    )
    policy = authority.policy
    user = server.agents.user
    audit = _Audit(AuditStore(root), user, root.name, str(proposal.id))
    assessment = assess(proposal, policy, server.session.current_text, root, user, _now())
    audit.record(
        EventType.PROPOSAL_CREATED,
        title=proposal.title,
        action=proposal.action,
        files=[f.path for f in proposal.files],
        rationale=proposal.rationale,
        evidence=[check.model_dump(mode="json") for check in proposal.evidence],
    )
    audit.record(
        EventType.RISK_SCORED,
        score=assessment.risk.score,
        factors={
            f.name: {"value": f.value, "band": f.band, "reason": f.reason}
            for f in assessment.risk.factors
        },
    )
    audit.record(
        EventType.DECISION_MADE,
        workflow=assessment.risk.workflow_name,
        step=assessment.decision.step.value,
        missing_roles=list(assessment.decision.missing_roles),
    )
    outcome = {
        "risk": assessment.risk.score,
        "workflow": assessment.risk.workflow_name,
        "reasons": explain(assessment),
    }
    request = assessment.request
    roles = authority.roles
    # Until the org's policy is known, every change of a linked workspace goes to the org.
    needs_approvers = (
        assessment.decision.step is NextStep.ASK_APPROVERS or authority.org_decides_all
    )
    step = route(
        mode_of(server),
        needs_approvers=needs_approvers,
        linked=link is not None,
        # Only a pending local request can be approved here (an auto-approved one is done).
        user_can_approve=needs_approvers and _can_approve(policy, request, user, roles),
        client_previews=_confirms_in_preview(server),
        # A change that removes documentation or tests waits for the requester's yes.
        needs_yes=assessment.decision.step is not NextStep.AUTO_APPLY,
    )
    if step is Route.OBSERVE:
        await _show_diff(server, proposal)
        return outcome | {"applied": False, "state": "observed"}
    if step is Route.ORG:
        assert link is not None
        return outcome | await _route(server, link, proposal, assessment, audit)
    if step is Route.APPLY:
        return outcome | await _apply(server, proposal, request, audit)
    if step is Route.WAIT:
        return outcome | _wait(server, proposal, assessment, audit)
    message = f"Accord: {proposal.title}. {explain(assessment)}{evidence_text(proposal)}"
    review = _Review(server, proposal, policy, roles, audit)
    if step is Route.PREVIEW:
        return outcome | await _confirm_in_preview(review, request, message)
    request = await _ask(review, request, message)
    if request.state is not State.APPROVED:
        return outcome | {"applied": False, "state": request.state.value}
    return outcome | await _apply(server, proposal, request, audit)


def _wait(
    server: AccordServer, proposal: Proposal, assessment: Assessment, audit: _Audit
) -> dict[str, Any]:
    """Tell the user the proposal waits for approvers they are not; audit the wait."""
    audit.record(
        EventType.DECISION_MADE,
        step=NextStep.WAIT.value,
        missing_roles=list(assessment.decision.missing_roles),
    )
    server.window_show_message(
        types.ShowMessageParams(
            type=types.MessageType.Warning,
            message=f"Accord: {proposal.title} waits for approval. {explain(assessment)}",
        )
    )
    return {"applied": False, "state": assessment.request.state.value}


async def _route(
    server: AccordServer, link: OrgLink, proposal: Proposal, assessment: Assessment, audit: _Audit
) -> dict[str, Any]:
    """Send the proposal to the org server's approvers (or queue it while offline)."""
    reasons = explain(assessment) + evidence_text(proposal)
    routed = await link.route(
        proposal,
        dict(assessment.request.hashes),
        assessment.risk.score,
        reasons,
        _diff(server, proposal),
    )
    audit.record(
        EventType.DECISION_MADE,
        step="routed",
        state=routed.state,
        approval_id=routed.approval.id if routed.approval else None,
    )
    where = (
        "queued until the org server is reachable"
        if routed.approval is None
        else f"sent to the org's approvers (needs {', '.join(routed.approval.missing_roles)})"
    )
    server.window_show_message(
        types.ShowMessageParams(
            type=types.MessageType.Warning,
            message=f"Accord: {proposal.title} waits for approval, {where}. {reasons}",
        )
    )
    await link.sync_audit()
    answer: dict[str, Any] = {"applied": False, "state": routed.state}
    if routed.approval is not None:
        answer["approval_id"] = routed.approval.id
    return answer


async def apply_approved(
    server: AccordServer, proposal: Proposal, hashes: dict[str, str]
) -> tuple[bool, bool]:
    """Apply a proposal the org approved; ``(applied, stale)``. Stale when a touched file
    changed since it was proposed: then nothing is applied."""
    root = Path(server.session.root_of(proposal.files[0].path))
    audit = _Audit(AuditStore(root), server.agents.user, root.name, str(proposal.id))
    current = hashes_of(hashes, server.session.current_text)
    if current != hashes:
        audit.record(EventType.PROPOSAL_STALE, files=sorted(hashes))
        server.window_show_message(
            types.ShowMessageParams(
                type=types.MessageType.Warning,
                message=f"Accord: {proposal.title} was approved, but its files changed since; "
                "nothing applied — run the action again",
            )
        )
        return False, True
    applied = await _send_edit(server, proposal)
    if applied:
        audit.record(
            EventType.PROPOSAL_APPLIED, files=[f.path for f in proposal.files], by="org approval"
        )
    link = server.org_links.get(root)
    if link is not None:
        await link.sync_audit()
    return applied, False


def _can_approve(
    policy: Policy, request: ApprovalRequest, user: str, roles: frozenset[str]
) -> bool:
    """Whether the local user's approval would complete the quorum."""
    if not request.local or not roles:
        return False
    return approve(policy, request, user, roles, _now()).state is State.APPROVED


def _confirms_in_preview(server: AccordServer) -> bool:
    """Whether the client shows edits that need confirmation (change annotations)."""
    workspace = server.client_capabilities.workspace
    edits = workspace.workspace_edit if workspace else None
    return bool(edits and edits.change_annotation_support is not None)


@dataclass(frozen=True, slots=True)
class _Review:
    """One proposal under review by the local user."""

    server: AccordServer
    proposal: Proposal
    policy: Policy
    roles: frozenset[str]
    audit: _Audit

    def settle(self, request: ApprovalRequest, accepted: bool) -> ApprovalRequest:
        """Record the user's answer: an approval of the roles they hold, or a rejection."""
        user, now = self.server.agents.user, _now()
        if not accepted:
            if request.state is State.PENDING:
                request = reject(self.policy, request, user, self.roles, now)
            self.audit.record(EventType.APPROVAL_REJECTED, by=user)
            return replace(request, state=State.REJECTED)
        if request.state is State.PENDING:
            request = approve(self.policy, request, user, self.roles, now)
            self.audit.record(
                EventType.APPROVAL_RECORDED,
                roles=sorted(self.roles),
                state=request.state.value,
                missing_roles=list(missing_roles(self.policy, request)),
            )
        return request


async def _confirm_in_preview(
    review: _Review, request: ApprovalRequest, message: str
) -> dict[str, Any]:
    """The edit, marked as needing confirmation: the client's preview is the approval."""
    _refuse_stale(review.server, review.proposal, request, review.audit)
    applied = await _send_edit(review.server, review.proposal, confirm=message)
    request = review.settle(request, applied)
    if applied:
        files = [f.path for f in review.proposal.files]
        review.audit.record(EventType.PROPOSAL_APPLIED, files=files)
    return {"applied": applied, "state": State.APPLIED.value if applied else request.state.value}


async def _ask(review: _Review, request: ApprovalRequest, message: str) -> ApprovalRequest:
    """Apply / Reject / Show diff through ``window/showMessageRequest``."""
    choice = await _choose(review.server, message, review.proposal)
    return review.settle(request, choice == APPLY)


async def _choose(server: AccordServer, message: str, proposal: Proposal) -> str | None:
    """Ask until the user applies, rejects or dismisses; Show diff shows it and asks again."""
    actions = [types.MessageActionItem(title=t) for t in (APPLY, REJECT, SHOW_DIFF)]
    while True:
        params = types.ShowMessageRequestParams(
            type=types.MessageType.Warning, message=message, actions=actions
        )
        picked = await server.window_show_message_request_async(params)
        if picked is None or picked.title != SHOW_DIFF:
            return picked.title if picked is not None else None
        await _show_diff(server, proposal)
        actions = actions[:2]


async def _show_diff(server: AccordServer, proposal: Proposal) -> None:
    root = Path(server.session.root_of(proposal.files[0].path))
    target = root / ".accord" / "proposals" / f"{proposal.id}.diff"
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(_diff(server, proposal), "utf-8")
    await server.window_show_document_async(
        types.ShowDocumentParams(uri=target.as_uri(), take_focus=True)
    )


def _diff(server: AccordServer, proposal: Proposal) -> str:
    chunks: list[str] = []
    for file in proposal.files:
        before = "" if file.create else server.session.current_text(file.path) or ""
        after = apply_edits(before, file.edits)
        chunks += difflib.unified_diff(
            before.splitlines(True),
            after.splitlines(True),
            f"a/{Path(file.path).name}",
            f"b/{Path(file.path).name}",
        )
    return "".join(chunks)


async def _apply(
    server: AccordServer, proposal: Proposal, request: ApprovalRequest, audit: _Audit
) -> dict[str, Any]:
    current = hashes_of(request.hashes, server.session.current_text)
    settled = settle(request, current)
    if settled.state is State.STALE:
        audit.record(EventType.PROPOSAL_STALE, files=sorted(request.hashes))
        raise GateRefused(
            message=f"Accord: {proposal.title} is stale: its files changed since "
            "it was proposed; run the action again"
        )
    applied = await _send_edit(server, proposal)
    if applied:
        audit.record(EventType.PROPOSAL_APPLIED, files=[f.path for f in proposal.files])
    return {"applied": applied, "state": settled.state.value if applied else "declined"}


def _refuse_stale(
    server: AccordServer, proposal: Proposal, request: ApprovalRequest, audit: _Audit
) -> ApprovalRequest:
    """The request marked applied; raises when a touched file changed since the proposal."""
    current = hashes_of(request.hashes, server.session.current_text)
    settled = settle(replace(request, state=State.APPROVED), current)
    if settled.state is State.STALE:
        audit.record(EventType.PROPOSAL_STALE, files=sorted(request.hashes))
        raise GateRefused(
            message=f"Accord: {proposal.title} is stale: its files changed since "
            "it was proposed; run the action again"
        )
    return settled


async def _send_edit(server: AccordServer, proposal: Proposal, confirm: str = "") -> bool:
    workspace = server.client_capabilities.workspace
    edits = workspace.workspace_edit if workspace else None
    document_changes = bool(
        edits
        and edits.document_changes
        and types.ResourceOperationKind.Create in (edits.resource_operations or ())
    )
    edit = to_workspace_edit(
        proposal,
        server.session.current_text,
        server.session.encoding,
        document_changes or bool(confirm),
        needs_confirmation=bool(confirm),
        versions=server.session.versions(),
    )
    result = await server.workspace_apply_edit_async(
        types.ApplyWorkspaceEditParams(edit=edit, label=confirm or proposal.title)
    )
    return result.applied


def _policy(root: Path) -> Policy:
    try:
        return load_policy(root)
    except PolicyError as error:
        raise GateRefused(
            message=f"Accord: the policy cannot be used, so nothing is applied:\n{error}"
        ) from error


def _now() -> datetime:
    return datetime.now(UTC)


class _Audit:
    """Appends this proposal's events to the project's audit log."""

    def __init__(self, store: AuditStore, actor: str, project: str, proposal: str) -> None:
        self.store, self.actor, self.project, self.proposal = store, actor, project, proposal

    def record(self, kind: EventType, **payload: Any) -> None:
        self.store.append(
            EventDraft(
                type=kind,
                actor=self.actor,
                project=self.project,
                proposal_id=self.proposal,
                payload=payload,
            )
        )
