"""The approval state machine: pure, with the clock passed in as ``now``.

States: pending → approved | rejected | expired | escalated; escalated → approved | rejected |
expired (or escalated again) under the escalated workflow; approved → applied | stale.
Every function returns a new ``ApprovalRequest``; an illegal transition raises
``IllegalTransition`` naming the current and the requested state.

Guarantees: the requester never counts as an approver (under any role) unless the request is a
local single-user one and the policy allows local approval; a quorum needs a distinct person for
each required role (in local mode, the one user may fill every role they hold), holding it or a
role the policy lets stand in for it; a request whose touched documents changed since it was made
(content hashes differ) is stale and is never applied.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from enum import StrEnum

from .model import OnTimeout, Policy

__all__ = [
    "Approval",
    "ApprovalRefused",
    "ApprovalRequest",
    "Decision",
    "IllegalTransition",
    "NextStep",
    "State",
    "apply",
    "approve",
    "decide",
    "missing_roles",
    "open_request",
    "reject",
    "tick",
]


class State(StrEnum):
    """Where an approval request stands."""

    PENDING = "pending"
    APPROVED = "approved"
    REJECTED = "rejected"
    EXPIRED = "expired"
    ESCALATED = "escalated"
    APPLIED = "applied"
    STALE = "stale"


_OPEN = frozenset({State.PENDING, State.ESCALATED})


class IllegalTransition(ValueError):
    """A transition the state machine does not allow from the current state."""

    def __init__(self, current: State, requested: State) -> None:
        super().__init__(f"cannot go from {current} to {requested}")
        self.current, self.requested = current, requested


class ApprovalRefused(ValueError):
    """An approval that cannot count: the requester's own, or by someone without a needed role."""


@dataclass(frozen=True, slots=True)
class Approval:
    """``person``, holding ``roles``, approved at ``at``."""

    person: str
    roles: frozenset[str]
    at: datetime


@dataclass(frozen=True, slots=True)
class ApprovalRequest:
    """One proposal's approval record; ``hashes`` maps each touched file to its content hash."""

    proposal_id: str
    requester: str
    workflow_name: str
    created_at: datetime
    deadline: datetime | None
    hashes: Mapping[str, str]
    state: State = State.PENDING
    approvals: tuple[Approval, ...] = ()
    decided_by: str | None = None
    local: bool = False


class NextStep(StrEnum):
    """What the editor gate should do next."""

    AUTO_APPLY = "auto_apply"
    APPLY = "apply"
    ASK_APPROVERS = "ask_approvers"
    WAIT = "wait"
    EXPIRED = "expired"
    REJECTED = "rejected"
    STALE = "stale"
    DONE = "done"


@dataclass(frozen=True, slots=True)
class Decision:
    """The gate's next step and, when approvals are missing, the roles still needed."""

    step: NextStep
    missing_roles: tuple[str, ...] = ()


def _deadline(policy: Policy, workflow_name: str, now: datetime) -> datetime | None:
    hours = policy.workflows[workflow_name].timeout_hours
    return None if hours is None else now + timedelta(hours=hours)


def open_request(
    policy: Policy,
    proposal_id: str,
    requester: str,
    workflow_name: str,
    hashes: Mapping[str, str],
    now: datetime,
    local: bool = False,
) -> ApprovalRequest:
    """A new request; auto-approving workflows start approved. ``local`` needs the policy's leave."""
    if local and not policy.allow_local_approval:
        raise ApprovalRefused("the policy forbids local (single-user) approval")
    workflow = policy.workflows[workflow_name]
    state = State.APPROVED if workflow.auto_approve else State.PENDING
    deadline = _deadline(policy, workflow_name, now)
    return ApprovalRequest(
        proposal_id, requester, workflow_name, now, deadline, dict(hashes), state, local=local
    )


def _assign(
    role: str,
    covers: Mapping[str, frozenset[str]],
    people: Mapping[str, frozenset[str]],
    taken: dict[str, str],
    seen: set[str],
) -> bool:
    for person, roles in people.items():
        if person in seen or not roles & covers[role]:
            continue
        seen.add(person)
        if person not in taken or _assign(taken[person], covers, people, taken, seen):
            taken[person] = role
            return True
    return False


def missing_roles(policy: Policy, request: ApprovalRequest) -> tuple[str, ...]:
    """The required roles that no distinct approver can fill (a maximum matching of people).

    A local (single-user) request has one person: each role they hold (or stand in for) is filled.
    """
    required = policy.workflows[request.workflow_name].approvers
    covers = {role: policy.roles_covering(role) for role in required}
    if request.local:
        held = frozenset().union(*(approval.roles for approval in request.approvals))
        return tuple(role for role in required if not held & covers[role])
    people: dict[str, frozenset[str]] = {}
    for approval in request.approvals:
        people[approval.person] = people.get(approval.person, frozenset()) | approval.roles
    taken: dict[str, str] = {}
    # The most specific roles first, so that people who could fill several are matched to the
    # one only they can fill, and the roles left open are the ones others can still take.
    order = sorted(required, key=lambda role: len(covers[role]))
    unfilled = {r for r in order if not _assign(r, covers, people, taken, set())}
    return tuple(r for r in required if r in unfilled)


def _require(request: ApprovalRequest, allowed: frozenset[State], target: State) -> None:
    if request.state not in allowed:
        raise IllegalTransition(request.state, target)


def _check_person(request: ApprovalRequest, person: str) -> None:
    if person == request.requester and not request.local:
        raise ApprovalRefused(f"{person} requested this change and cannot approve it")


def approve(
    policy: Policy, request: ApprovalRequest, person: str, roles: frozenset[str], now: datetime
) -> ApprovalRequest:
    """Record ``person``'s approval; the request becomes approved once every role is filled."""
    request = tick(policy, request, now)
    _require(request, _OPEN, State.APPROVED)
    _check_person(request, person)
    if not roles:
        raise ApprovalRefused(f"{person} holds no role")
    added = replace(request, approvals=(*request.approvals, Approval(person, roles, now)))
    done = not missing_roles(policy, added)
    return replace(added, state=State.APPROVED, decided_by=person) if done else added


def reject(
    policy: Policy, request: ApprovalRequest, person: str, roles: frozenset[str], now: datetime
) -> ApprovalRequest:
    """Reject the request: the requester (withdrawing it) or anyone who could approve it."""
    request = tick(policy, request, now)
    _require(request, _OPEN, State.REJECTED)
    required = policy.workflows[request.workflow_name].approvers
    if person != request.requester and not any(roles & policy.roles_covering(r) for r in required):
        raise ApprovalRefused(f"{person} holds none of the roles {', '.join(required)}")
    return replace(request, state=State.REJECTED, decided_by=person)


def tick(policy: Policy, request: ApprovalRequest, now: datetime) -> ApprovalRequest:
    """Apply the deadline: an open request past it expires or escalates per its workflow."""
    if request.state not in _OPEN or request.deadline is None or now < request.deadline:
        return request
    workflow = policy.workflows[request.workflow_name]
    if workflow.on_timeout is OnTimeout.EXPIRE or workflow.escalate_to is None:
        return replace(request, state=State.EXPIRED)
    target = workflow.escalate_to
    escalated = replace(
        request,
        state=State.ESCALATED,
        workflow_name=target,
        deadline=_deadline(policy, target, now),
    )
    done = not missing_roles(policy, escalated)
    return replace(escalated, state=State.APPROVED) if done else escalated


def apply(request: ApprovalRequest, current: Mapping[str, str]) -> ApprovalRequest:
    """Mark an approved request applied, or stale when a touched document changed since."""
    _require(request, frozenset({State.APPROVED}), State.APPLIED)
    if _is_stale(request, current):
        return replace(request, state=State.STALE)
    return replace(request, state=State.APPLIED)


def _is_stale(request: ApprovalRequest, current: Mapping[str, str]) -> bool:
    return any(current.get(path) != digest for path, digest in request.hashes.items())


_FINAL = {
    State.REJECTED: NextStep.REJECTED,
    State.EXPIRED: NextStep.EXPIRED,
    State.STALE: NextStep.STALE,
    State.APPLIED: NextStep.DONE,
}


def decide(
    policy: Policy, request: ApprovalRequest, current: Mapping[str, str], now: datetime
) -> Decision:
    """What the gate should do now, given the documents' current hashes and the time."""
    request = tick(policy, request, now)
    if request.state in _FINAL:
        return Decision(_FINAL[request.state])
    if _is_stale(request, current):
        return Decision(NextStep.STALE)
    if request.state is State.APPROVED:
        auto = policy.workflows[request.workflow_name].auto_approve and not request.approvals
        return Decision(NextStep.AUTO_APPLY if auto else NextStep.APPLY)
    missing = missing_roles(policy, request)
    return Decision(NextStep.ASK_APPROVERS if not request.approvals else NextStep.WAIT, missing)
