"""Who is told what about an approval (pure): the outbox items a change, or a deadline coming
near, calls for.

- pending: each approver who can act is asked (once per approval), and each team webhook;
- escalated: the approvers who can act now, and the webhooks, once;
- approved, rejected, expired: the requester, and the webhooks, once (not a request that its
  workflow approved as it was made);
- before the deadline (``remind_before_minutes``): the approvers who can act and have not,
  and the webhooks, once per deadline.

Dedupe keys make each of these happen once however often the change is seen (by a replica's
catch-up, a retry, another replica). A user who turned e-mail off gets none; quiet hours are
the worker's to apply (:mod:`.outbox`).
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime, timedelta
from uuid import uuid4

from accord.policy.approval import State, missing_roles
from accord.policy.model import Policy
from accord.protocol.org import NotifyPrefs

from ..approvals import actionable
from ..projects import Project, effective_roles
from ..records import ApprovalRecord, User
from ..store.outbox import Channel, OutboxItem
from .messages import Kind, notice
from .settings import OrgNotify

__all__ = ["change_items", "reminder_items"]

_OUTCOMES = frozenset({State.APPROVED, State.REJECTED, State.EXPIRED})


def _approvers(
    policy: Policy,
    record: ApprovalRecord,
    users: Iterable[tuple[User, NotifyPrefs]],
    project: Project | None,
) -> list[str]:
    """Who can act on ``record`` by the roles they hold in its project (their organisation
    roles where the project is not registered), and takes e-mail."""
    return [
        user.email
        for user, prefs in users
        if user.active
        and "email" in prefs.channels
        and actionable(
            policy,
            record.request,
            user.email,
            effective_roles(policy, project, user.email, user.roles),
        )
    ]


def _items(
    kind: Kind,
    key: str,
    policy: Policy,
    record: ApprovalRecord,
    settings: OrgNotify,
    emails: list[str],
    now: datetime,
) -> list[OutboxItem]:
    told = notice(
        kind, record, missing_roles(policy, record.request), settings.base_url
    ).model_dump_json()
    targets: list[tuple[Channel, str]] = []
    if settings.email is not None:
        targets += [("email", email) for email in emails]
    targets += [("webhook", hook.name) for hook in settings.webhooks]
    return [
        OutboxItem(
            id=str(uuid4()),
            org_id=record.org_id,
            approval_id=record.id,
            kind=kind,
            channel=channel,
            recipient=recipient,
            dedupe=f"{record.id}:{key}:{channel}:{recipient}",
            body=told,
            next_at=now,
            created_at=now,
        )
        for channel, recipient in targets
    ]


def change_items(
    policy: Policy,
    record: ApprovalRecord,
    settings: OrgNotify,
    users: list[tuple[User, NotifyPrefs]],
    now: datetime,
    project: Project | None = None,
) -> list[OutboxItem]:
    """What a change of ``record`` (to its current state) calls for; approvers by their roles
    in ``project``, the record's registered project (None: not registered)."""
    state = record.request.state
    if record.applied:
        return []
    if state is State.PENDING:
        emails = _approvers(policy, record, users, project)
        return _items("requested", "requested", policy, record, settings, emails, now)
    if state is State.ESCALATED:
        emails = _approvers(policy, record, users, project)
        return _items("escalated", "escalated", policy, record, settings, emails, now)
    if state in _OUTCOMES and record.version > 1:  # an auto-approved request is no news
        requester = [
            u.email
            for u, prefs in users
            if u.email == record.request.requester and "email" in prefs.channels
        ]
        key = f"outcome-{state.value}"
        return _items("outcome", key, policy, record, settings, requester, now)
    return []


def reminder_items(
    policy: Policy,
    record: ApprovalRecord,
    settings: OrgNotify,
    users: list[tuple[User, NotifyPrefs]],
    now: datetime,
    project: Project | None = None,
) -> list[OutboxItem]:
    """The reminders ``record`` calls for now: none unless it is open and its deadline is
    within ``remind_before_minutes``."""
    deadline = record.request.deadline
    lead = timedelta(minutes=settings.remind_before_minutes)
    if (
        deadline is None
        or not lead
        or record.request.state not in (State.PENDING, State.ESCALATED)
        or not now < deadline <= now + lead
    ):
        return []
    emails = _approvers(policy, record, users, project)
    key = f"reminder-{deadline.isoformat()}"
    return _items("reminder", key, policy, record, settings, emails, now)
