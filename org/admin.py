"""The org's admin methods (``admin.*`` of :mod:`accord.protocol.org_admin`), for a caller's
:class:`~accord.protocol.org.Identity`: the org server, ``accord org … --store`` and the web
console call the same :class:`AdminDesk`.

Policy, usage and users are an admin's; the audit search and the whole organisation's approvals
are also a reviewer's (tech lead, manager, security team, CTO). Anyone else is refused
(:class:`~accord.org.rbac.Forbidden`, answered as FORBIDDEN). Every change is written to the
audit chain with the caller as its actor.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import replace
from datetime import UTC, datetime
from importlib import resources
from typing import Any

from accord.audit.events import EventDraft, EventType
from accord.policy.approval import tick
from accord.protocol.org import (
    ApprovalListed,
    ApprovalRef,
    ApprovalView,
    AuditEvents,
    Empty,
    Identity,
    Message,
    PolicyDocument,
)
from accord.protocol.org_admin import (
    AdminApprovals,
    AuditSearch,
    PolicyHistory,
    PolicyRevisionRef,
    PolicyRollback,
    PolicyText,
    UsageQuery,
    UsageSummary,
    UserChange,
    UserRef,
    Users,
    UserView,
)

from .admin_queries import policy_history, usage_summary, user_view
from .approvals import view
from .errors import NotFound
from .paging import read_page
from .policies import OrgPolicy, PolicyBook
from .rbac import ADMIN, Forbidden, valid_roles
from .records import User
from .store import AuditFilter, OrgStore

__all__ = ["AdminDesk", "PolicyPublisher", "admin_check", "default_policy_text", "for_peers"]

PolicyPublisher = Callable[[str, PolicyDocument], Awaitable[None]]
"""Pushes a new policy revision to the organisation's connected members."""

_REVIEWERS = frozenset({"tech_lead", "manager", "security_team", "cto", ADMIN})
_ADMINS = frozenset({ADMIN})
_RULES: dict[str, frozenset[str]] = {
    "admin.audit.search": _REVIEWERS,
    "admin.audit.export": _REVIEWERS,
    "admin.approvals.list": _REVIEWERS,
    "admin.approvals.get": _REVIEWERS,
}
"""Admin methods open to reviewers too; every other ``admin.*`` method is an admin's only."""


def admin_check(method: str, roles: tuple[str, ...]) -> None:
    """Raise :class:`Forbidden` unless ``roles`` may call the admin method ``method``."""
    needed = _RULES.get(method, _ADMINS)
    if not needed & set(roles):
        raise Forbidden(
            f"{method} needs one of the roles {', '.join(sorted(needed))}; "
            f"you hold {', '.join(roles) or 'none'}"
        )


def default_policy_text() -> str:
    return resources.files("accord.policy").joinpath("default-policy.yaml").read_text("utf-8")


async def _nobody(org_id: str, document: PolicyDocument) -> None:
    """No connected members to tell (the ``--store`` side)."""


class AdminDesk:
    """The ``admin.*`` handlers over one store."""

    def __init__(
        self, store: OrgStore, policies: PolicyBook, publish: PolicyPublisher = _nobody
    ) -> None:
        self._store, self._policies, self._publish = store, policies, publish

    def handlers(self) -> dict[str, Callable[[Identity, Any], Awaitable[Message]]]:
        """Each method's handler, checking the caller's roles first."""
        table: dict[str, Callable[[Identity, Any], Awaitable[Message]]] = {
            "admin.policy.get": self.policy_text,
            "admin.policy.history": self.policy_history,
            "admin.policy.rollback": self.policy_rollback,
            "admin.audit.search": self.audit_search,
            "admin.audit.export": self.audit_export,
            "admin.usage": self.usage,
            "admin.users.list": self.users,
            "admin.users.roles": self.user_roles,
            "admin.users.remove": self.user_remove,
            "admin.approvals.list": self.approvals,
            "admin.approvals.get": self.approval,
        }
        return {name: _checked(name, handler) for name, handler in table.items()}

    # --- policy ---------------------------------------------------------------------------

    async def policy_text(self, caller: Identity, params: PolicyRevisionRef) -> PolicyText:
        revisions = await self._store.policy_revisions(caller.org_id)
        if params.revision == 0:
            if not revisions:
                return PolicyText(revision=0, yaml=default_policy_text())
            return PolicyText(revision=revisions[0].revision, yaml=revisions[0].yaml)
        found = [r for r in revisions if r.revision == params.revision]
        if not found:
            raise NotFound(f"no policy revision {params.revision} in your organisation")
        return PolicyText(revision=found[0].revision, yaml=found[0].yaml)

    async def policy_history(self, caller: Identity, params: Empty) -> PolicyHistory:
        return PolicyHistory(revisions=tuple(await policy_history(self._store, caller.org_id)))

    async def policy_set(self, caller: Identity, yaml_text: str) -> PolicyDocument:
        """Validate, sign, store and push a new revision, audited with the caller."""
        stored = await self._policies.put(caller.org_id, yaml_text)
        return await self._stored(caller, stored, {})

    async def policy_rollback(self, caller: Identity, params: PolicyRollback) -> PolicyDocument:
        text = await self.policy_text(caller, PolicyRevisionRef(revision=params.revision))
        stored = await self._policies.put(caller.org_id, text.yaml)
        return await self._stored(caller, stored, {"rollback_to": params.revision})

    async def _stored(
        self, caller: Identity, stored: OrgPolicy, extra: dict[str, Any]
    ) -> PolicyDocument:
        document = stored.document()
        await self._store.append_audit(
            caller.org_id,
            [
                EventDraft(
                    type=EventType.POLICY_CHANGED,
                    actor=caller.email,
                    project="*",
                    payload={"revision": stored.revision, "etag": stored.etag, **extra},
                )
            ],
        )
        await self._publish(caller.org_id, document)
        return document

    # --- audit and usage ------------------------------------------------------------------

    async def audit_search(self, caller: Identity, params: AuditSearch) -> AuditEvents:
        where = AuditFilter(params.project, params.type, params.actor, params.since, params.until)
        events, more = await read_page(
            lambda after, limit: self._store.audit_search(caller.org_id, where, after, limit),
            lambda event: event.seq,
            lambda event: len(event.model_dump_json()),
            params.after_seq,
            params.limit,
        )
        return AuditEvents(
            events=tuple(e.model_dump(mode="json") for e in events),
            last_seq=events[-1].seq if events else params.after_seq,
            more=more,
        )

    async def audit_export(self, caller: Identity, params: AuditSearch) -> AuditEvents:
        """:meth:`audit_search` for an export, which is audited at its first page."""
        if params.after_seq == 0:
            await self.audited(caller, "audit.export")
        return await self.audit_search(caller, params)

    async def usage(self, caller: Identity, params: UsageQuery) -> UsageSummary:
        rows = await self._store.usage_events(caller.org_id, params.since)
        emails = {u.id: u.email for u in await self._store.list_users(caller.org_id)}
        return usage_summary(rows, params.by, emails)

    async def audited(self, caller: Identity, action: str, **details: Any) -> None:
        """Write an admin action (``action`` and its details) with the caller as actor."""
        await self._store.append_audit(
            caller.org_id,
            [
                EventDraft(
                    type=EventType.ADMIN_ACTION,
                    actor=caller.email,
                    project="*",
                    payload={"action": action, **details},
                )
            ],
        )

    # --- users ----------------------------------------------------------------------------

    async def users(self, caller: Identity, params: Empty) -> Users:
        found = await self._store.list_users(caller.org_id)
        return Users(users=tuple(user_view(u) for u in found))

    async def user_roles(self, caller: Identity, params: UserChange) -> UserView:
        roles = valid_roles(params.roles)
        user = await self._member(caller, params.email)
        if user.id == caller.user_id and ADMIN not in roles:
            raise Forbidden("you cannot take the admin role from yourself")
        changed = await self._store.update_user(replace(user, roles=roles))
        await self.audited(
            caller, "user.roles", email=user.email, before=list(user.roles), after=list(roles)
        )
        return user_view(changed)

    async def user_remove(self, caller: Identity, params: UserRef) -> UserView:
        user = await self._member(caller, params.email)
        if user.id == caller.user_id:
            raise Forbidden("you cannot remove yourself")
        changed = await self._store.update_user(
            replace(user, active=False, token_epoch=user.token_epoch + 1)
        )
        await self.audited(caller, "user.remove", email=user.email)
        return user_view(changed)

    async def _member(self, caller: Identity, email: str) -> User:
        user = await self._store.user_by_email(caller.org_id, email)
        if user is None:
            raise NotFound(f"{email} is not a member of your organisation")
        return user

    # --- approvals ------------------------------------------------------------------------

    async def approvals(self, caller: Identity, params: AdminApprovals) -> ApprovalListed:
        policy = (await self._policies.current(caller.org_id)).policy
        records = await self._store.list_approvals(
            caller.org_id, params.state, params.project, params.limit
        )
        return ApprovalListed(approvals=tuple(view(policy, r) for r in records))

    async def approval(self, caller: Identity, params: ApprovalRef) -> ApprovalView:
        record = await self._store.get_approval(caller.org_id, params.approval_id)
        if record is None:
            raise NotFound(f"no approval {params.approval_id} in your organisation")
        policy = (await self._policies.current(caller.org_id)).policy
        return view(
            policy, replace(record, request=tick(policy, record.request, datetime.now(UTC)))
        )


def _checked(
    name: str, handler: Callable[[Identity, Any], Awaitable[Message]]
) -> Callable[[Identity, Any], Awaitable[Message]]:
    async def checked(caller: Identity, params: Any) -> Message:
        admin_check(name, caller.roles)
        return await handler(caller, params)

    return checked


def for_peers(
    handlers: dict[str, Callable[[Identity, Any], Awaitable[Message]]],
    caller: Callable[[Any], Identity],
) -> dict[str, Callable[[Any, Any], Awaitable[Message]]]:
    """The handlers as the org server calls them: with the connection, whose identity
    ``caller`` reads (raising when it has not authenticated)."""

    def bound(
        handler: Callable[[Identity, Any], Awaitable[Message]],
    ) -> Callable[[Any, Any], Awaitable[Message]]:
        async def on_peer(peer: Any, params: Any) -> Message:
            return await handler(caller(peer), params)

        return on_peer

    return {name: bound(handler) for name, handler in handlers.items()}
