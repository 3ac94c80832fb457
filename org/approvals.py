"""Multi-party approvals on the org server: open, decide, settle, expire — and route each change
to the people who can act on it.

The state machine is :mod:`accord.policy.approval`; this module adds what only a server can do:
the decider's roles are read from the store when they decide (not from their token), an approval
binds to the proposal's content hash, every transition is written with its audit event in one
transaction, and deadlines are enforced by a ticker whether or not anyone is online.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import replace
from datetime import UTC, datetime
from typing import Any
from uuid import uuid4

from accord.audit.events import EventDraft, EventType
from accord.policy.approval import (
    Approval,
    ApprovalRefused,
    ApprovalRequest,
    State,
    approve,
    missing_roles,
    open_request,
    reject,
    tick,
)
from accord.policy.model import Policy
from accord.policy.overrides import for_project
from accord.protocol.org import (
    ApprovalApplied,
    ApprovalDecide,
    ApprovalList,
    ApprovalListed,
    ApprovalRequestParams,
    ApprovalUpdated,
    ApprovalView,
    ApprovalVote,
    Identity,
)

from .bus import BusMessage
from .codec import approval_from_json, approval_to_json
from .errors import NotFound
from .fanout import Fanout
from .hub import Hub
from .membership import Membership
from .metrics import Metrics
from .policies import PolicyBook
from .projects import Project, effective_roles
from .records import ApprovalRecord
from .review import review
from .risk import judge
from .store import Conflict, OrgStore

__all__ = ["ApprovalDesk", "actionable", "view"]

log = logging.getLogger(__name__)

_OPEN = frozenset({State.PENDING, State.ESCALATED})
_RETRIES = 5


def _now() -> datetime:
    return datetime.now(UTC)


def view(policy: Policy, record: ApprovalRecord) -> ApprovalView:
    """The record as clients see it."""
    request = record.request
    missing = missing_roles(policy, request) if request.state in _OPEN else ()
    return ApprovalView(
        id=record.id,
        project=record.project,
        proposal=record.proposal,
        risk=record.risk,
        requester_email=request.requester,
        workflow=request.workflow_name,
        state=State.APPLIED.value if record.applied else request.state.value,
        missing_roles=missing,
        approvals=tuple(
            ApprovalVote(email=a.person, roles=tuple(sorted(a.roles)), at=a.at)
            for a in request.approvals
        ),
        deadline=request.deadline,
        created_at=request.created_at,
        updated_at=record.updated_at,
        decided_by=request.decided_by,
        version=record.version,
    )


def actionable(policy: Policy, request: ApprovalRequest, email: str, roles: frozenset[str]) -> bool:
    """Whether ``email`` holding ``roles`` can approve ``request`` now: it is open, they did not
    ask for it nor approve it already, and they can fill a role it still needs."""
    if request.state not in _OPEN or email == request.requester:
        return False
    if any(a.person == email for a in request.approvals):
        return False
    return fills_a_role(policy, request, email, roles)


def fills_a_role(
    policy: Policy, request: ApprovalRequest, email: str, roles: frozenset[str]
) -> bool:
    """Whether an approval by ``email`` holding ``roles`` would fill one more required role
    (approvers already counted may move to other roles to make room)."""
    if not roles:
        return False
    trial = replace(request, approvals=(*request.approvals, Approval(email, roles, _now())))
    return len(missing_roles(policy, trial)) < len(missing_roles(policy, request))


class ApprovalDesk:
    """The approval methods and the deadline ticker."""

    def __init__(
        self,
        store: OrgStore,
        policies: PolicyBook,
        hub: Hub,
        metrics: Metrics,
        fanout: Fanout | None = None,
        membership: Membership | None = None,
    ) -> None:
        self._store, self._policies, self._hub, self._metrics = store, policies, hub, metrics
        self._membership = membership or Membership(store)
        self._fanout = fanout or Fanout()
        self._fanout.on("approval", self._remote_route)
        # Proposals are reviewed (parsed, scored) one at a time, off the event loop.
        self._reviewer = ThreadPoolExecutor(1, thread_name_prefix="accord-review")
        self.watchers: list[Callable[[Policy, ApprovalRecord, Project | None], None]] = []
        """Told of every change this replica makes (they must not block: notifications)."""

    async def request(self, caller: Identity, params: ApprovalRequestParams) -> ApprovalView:
        """Open the approval request of a proposal (or return the one this content has).

        The server derives the proposal's diff and content hash from its changes
        (:mod:`.review`) and scores it itself (:mod:`.risk`): the requester's score can raise
        the workflow, never lower it."""
        await self._membership.require_member(caller, params.project, "approval.request")
        policy = await self._policy(caller.org_id, params.project)
        loop = asyncio.get_running_loop()
        reviewed = await loop.run_in_executor(self._reviewer, review, params.proposal)
        proposal = reviewed.summary
        found = await self._store.find_approval(
            caller.org_id, proposal.proposal_id, proposal.content_hash
        )
        if found is not None:
            if found.request.requester != caller.email:
                raise NotFound(f"no approval for proposal {proposal.proposal_id}")
            return view(policy, found)
        verdict = judge(policy, proposal.action, reviewed.facts, params.risk)
        workflow, _ = policy.workflow_for(verdict.used.score)
        now = _now()
        request = open_request(
            policy, proposal.proposal_id, caller.email, workflow, reviewed.hashes, now
        )
        record = ApprovalRecord(
            id=str(uuid4()),
            org_id=caller.org_id,
            project=params.project,
            request=request,
            proposal=proposal,
            risk=verdict.used,
            updated_at=now,
        )
        audit = [
            self._event(
                record,
                caller.email,
                EventType.PROPOSAL_CREATED,
                title=proposal.title,
                action=proposal.action,
                files=list(proposal.files),
                content_hash=proposal.content_hash,
                rationale=proposal.rationale,
            ),
            self._event(record, caller.email, EventType.RISK_SCORED, **verdict.audit()),
            self._event(
                record,
                caller.email,
                EventType.DECISION_MADE,
                workflow=workflow,
                state=request.state.value,
                missing_roles=list(missing_roles(policy, request)),
            ),
        ]
        try:
            await self._store.insert_approval(record, audit)
        except Conflict:
            return await self.request(caller, params)
        self._metrics.risk_claims.labels(outcome=verdict.outcome).inc()
        self._metrics.approval(request.state.value)
        await self._route(policy, record)
        return view(policy, record)

    async def decide(self, caller: Identity, params: ApprovalDecide) -> ApprovalView:
        """Approve or reject with the caller's roles as they are now."""
        for _ in range(_RETRIES):
            record = await self._get(caller.org_id, params.approval_id)
            if record.proposal.content_hash != params.content_hash:
                raise Conflict(
                    "the proposal changed since you reviewed it; review the current version"
                )
            user = await self._store.get_user(caller.user_id)
            policy = await self._policy(caller.org_id, record.project)
            roles = await self._membership.require_decider(
                policy, caller, record.project, user.roles if user and user.active else ()
            )
            now = _now()
            current = tick(policy, record.request, now)
            details: dict[str, Any]
            if params.decision == "approve":
                self._check_approver(policy, current, caller.email, roles)
                changed = approve(policy, current, caller.email, roles, now)
                kind = EventType.APPROVAL_RECORDED
                details = {"roles": sorted(roles)}
            else:
                changed = reject(policy, current, caller.email, roles, now)
                kind, details = EventType.APPROVAL_REJECTED, {"comment": params.comment}
            updated = replace(record, request=changed, updated_at=now, version=record.version + 1)
            details |= {
                "state": changed.state.value,
                "content_hash": params.content_hash,
                "missing_roles": list(missing_roles(policy, changed)),
            }
            audit = [self._event(updated, caller.email, kind, **details)]
            try:
                await self._store.save_approval(updated, record.version, audit)
            except Conflict:
                continue
            self._metrics.approval(changed.state.value)
            await self._route(policy, updated)
            return view(policy, updated)
        raise Conflict("the approval kept changing under this decision; try again")

    async def applied(self, caller: Identity, params: ApprovalApplied) -> ApprovalView:
        """The requester's report that the approved edit was applied (or was stale)."""
        record = await self._get(caller.org_id, params.approval_id)
        if record.request.requester != caller.email:
            raise ApprovalRefused("only the requester's editor applies an approved change")
        if record.proposal.content_hash != params.content_hash:
            raise Conflict("this content was not the one approved")
        if record.applied or record.request.state is not State.APPROVED:
            raise Conflict(f"the approval is {view(*await self._pair(record)).state}, not approved")
        now = _now()
        state = State.STALE if params.stale else State.APPROVED
        updated = replace(
            record,
            request=replace(record.request, state=state),
            applied=not params.stale,
            updated_at=now,
            version=record.version + 1,
        )
        kind = EventType.PROPOSAL_STALE if params.stale else EventType.PROPOSAL_APPLIED
        audit = [
            self._event(
                updated,
                caller.email,
                kind,
                files=list(record.proposal.files),
                content_hash=params.content_hash,
            )
        ]
        await self._store.save_approval(updated, record.version, audit)
        policy = await self._policy(caller.org_id, record.project)
        self._metrics.approval(State.STALE.value if params.stale else State.APPLIED.value)
        await self._route(policy, updated)
        return view(policy, updated)

    async def get(self, caller: Identity, approval_id: str) -> ApprovalView:
        policy, record = await self._pair(await self._get(caller.org_id, approval_id))
        if not await self._membership.may_see(policy, caller, record.project):
            raise NotFound(f"no approval {approval_id} in your projects")
        return view(policy, record)

    async def list(self, caller: Identity, params: ApprovalList) -> ApprovalListed:
        """The caller's organisation's approvals, newest first."""
        limit = params.limit if not params.actionable else 1000
        records = await self._store.list_approvals(
            caller.org_id, params.state, params.project, limit
        )
        pairs = [
            (policy, r)
            for policy, r in [(await self._policy(caller.org_id, r.project), r) for r in records]
            if await self._membership.may_see(policy, caller, r.project)
        ]
        if params.actionable:
            user = await self._store.get_user(caller.user_id)
            held = user.roles if user else ()
            now = _now()
            kept = []
            for policy, r in pairs:
                roles = await self._membership.roles(
                    policy, caller.org_id, r.project, caller.email, held
                )
                if actionable(policy, tick(policy, r.request, now), caller.email, roles):
                    kept.append((policy, r))
            pairs = kept[: params.limit]
        return ApprovalListed(approvals=tuple(view(policy, r) for policy, r in pairs))

    async def sweep(self) -> int:
        """Expire or escalate every open request past its deadline; returns how many moved."""
        now = _now()
        moved = 0
        for record in await self._store.open_approvals(due_before=now):
            policy = await self._policy(record.org_id, record.project)
            changed = tick(policy, record.request, now)
            if changed == record.request:
                continue
            updated = replace(record, request=changed, updated_at=now, version=record.version + 1)
            kind = (
                EventType.PROPOSAL_EXPIRED
                if changed.state is State.EXPIRED
                else EventType.DECISION_MADE
            )
            audit = [
                self._event(
                    updated,
                    "accord-org",
                    kind,
                    state=changed.state.value,
                    workflow=changed.workflow_name,
                    missing_roles=list(missing_roles(policy, changed)),
                )
            ]
            try:
                await self._store.save_approval(updated, record.version, audit)
            except Conflict:
                continue
            moved += 1
            self._metrics.approval(changed.state.value)
            await self._route(policy, updated)
        return moved

    def _check_approver(
        self, policy: Policy, request: ApprovalRequest, email: str, roles: frozenset[str]
    ) -> None:
        if request.state not in _OPEN:
            return  # the state machine names the illegal transition
        if email == request.requester:
            raise ApprovalRefused(f"{email} requested this change and cannot approve it")
        if any(a.person == email for a in request.approvals):
            raise Conflict(f"{email} has approved this already")
        needed = missing_roles(policy, request)
        if not fills_a_role(policy, request, email, roles):
            raise ApprovalRefused(
                f"this change needs approval by {', '.join(needed)}; "
                f"{email} holds {', '.join(sorted(roles)) or 'no role'}"
            )

    async def _get(self, org_id: str, approval_id: str) -> ApprovalRecord:
        record = await self._store.get_approval(org_id, approval_id)
        if record is None:
            raise NotFound(f"no approval {approval_id} in your organisation")
        return record

    async def _pair(self, record: ApprovalRecord) -> tuple[Policy, ApprovalRecord]:
        return await self._policy(record.org_id, record.project), record

    async def _policy(self, org_id: str, project: str) -> Policy:
        """The organisation's policy with ``project``'s overrides."""
        return for_project((await self._policies.current(org_id)).policy, project)

    async def _route(self, policy: Policy, record: ApprovalRecord) -> None:
        """Tell the requester and everyone who can act on it (or did) that it changed, on this
        replica and the others."""
        project = await self._membership.project(record.org_id, record.project)
        self._push(policy, record, project)
        for watcher in self.watchers:
            watcher(policy, record, project)
        await self._fanout.publish(
            "approval",
            record.org_id,
            "approval.updated",
            {
                "id": record.id,
                "project": record.project,
                "version": record.version,
                "body": approval_to_json(record),
            },
        )

    async def _remote_route(self, message: BusMessage) -> None:
        params = message.params
        record = approval_from_json(
            str(params["id"]),
            message.org_id,
            str(params["project"]),
            int(str(params["version"])),
            str(params["body"]),
        )
        project = await self._membership.project(record.org_id, record.project)
        self._push(await self._policy(record.org_id, record.project), record, project)

    def _push(self, policy: Policy, record: ApprovalRecord, project: Project | None) -> None:
        """Push the change to this replica's connections that should hear of it."""
        shown = view(policy, record)
        involved = {record.request.requester, *(a.person for a in record.request.approvals)}

        def message(identity: Identity) -> ApprovalUpdated | None:
            roles = effective_roles(policy, project, identity.email, identity.roles)
            can_act = actionable(policy, record.request, identity.email, roles)
            if can_act or identity.email in involved:
                return ApprovalUpdated(approval=shown, actionable=can_act)
            return None

        self._hub.push_org(record.org_id, "approval.updated", message)

    @staticmethod
    def _event(record: ApprovalRecord, actor: str, kind: EventType, **payload: Any) -> EventDraft:
        return EventDraft(
            type=kind,
            actor=actor,
            project=record.project,
            proposal_id=record.request.proposal_id,
            payload={"approval_id": record.id, **payload},
        )
