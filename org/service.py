"""The org server's methods: one handler per JSON-RPC method of :data:`accord.protocol.org.METHODS`.

Every handler gets the calling peer and its validated params, and works inside the caller's
organisation only: an id from another organisation is simply not found.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Awaitable, Callable
from dataclasses import replace
from datetime import UTC, datetime
from typing import Any

from pydantic import ValidationError

from accord import __version__
from accord.audit.chain import verify
from accord.audit.events import Event, EventDraft, EventType
from accord.protocol.org import (
    ORG_PROTOCOL_VERSION,
    PUSHES,
    ApprovalApplied,
    ApprovalDecide,
    ApprovalList,
    ApprovalRef,
    ApprovalRequestParams,
    AuditAppend,
    AuditAppended,
    AuditCheckpoint,
    AuditEvents,
    AuditQuery,
    AuditVerified,
    Authenticate,
    Authenticated,
    Empty,
    Identity,
    Message,
    OrgKeys,
    PerformanceReport,
    PolicyDocument,
    PolicyGet,
    PolicySet,
    Recorded,
    RoomJoin,
    RoomLeave,
    RoomPublish,
    RoomResume,
    TokenPair,
    TokenRefresh,
    UsageReport,
)

from .admin import AdminDesk, for_peers
from .approvals import ApprovalDesk
from .bus import BusMessage
from .checkpoints import RolledBack, latest_checkpoint, to_wire
from .errors import NotFound, Unauthenticated
from .fanout import Fanout
from .governance import not_theirs, refusal, refusal_message
from .hub import Hub, Peer
from .keyring import public_keys
from .membership import Membership
from .metrics import Metrics
from .notify.outbox import Notifier
from .notify.prefs import notify_handlers
from .paging import MAX_EVENT_BYTES, read_page
from .policies import PolicyBook
from .rbac import Forbidden, check
from .records import User
from .rooms import Rooms
from .sso.handlers import SsoHandlers
from .store import OrgStore
from .tokens import TokenError, TokenIssuer

__all__ = ["OrgService", "issue_pair"]

log = logging.getLogger(__name__)

Handler = Callable[[Peer, Any], Awaitable[Message]]

PUBLIC = frozenset({"authenticate", "token.refresh", "sso.config", "sso.device", "sso.exchange"})
"""Methods a connection may call before it has authenticated."""

RECHECK_SECONDS = 1.0
"""How stale an open connection's view of its user (active, token epoch, roles) may get."""


async def issue_pair(store: OrgStore, issuer: TokenIssuer, user: User) -> TokenPair:
    """A new access and refresh token for ``user`` (the refresh token is recorded)."""
    access = issuer.issue(user.id, user.org_id, "access", user.token_epoch)
    refresh = issuer.issue(user.id, user.org_id, "refresh", user.token_epoch)
    await store.save_refresh(refresh.claims.jti, user.id, refresh.claims.expires_at)
    return TokenPair(
        access_token=access.token,
        refresh_token=refresh.token,
        access_expires_at=access.claims.expires_at,
        refresh_expires_at=refresh.claims.expires_at,
    )


class OrgService:
    """Auth, policy, approvals, rooms, audit and analytics over one store."""

    def __init__(
        self,
        store: OrgStore,
        issuer: TokenIssuer,
        metrics: Metrics,
        history: int,
        fanout: Fanout | None = None,
    ) -> None:
        self.store, self.issuer, self.metrics = store, issuer, metrics
        self.hub = Hub()
        self.fanout = fanout or Fanout()
        self.policies = PolicyBook(store)
        self.membership = Membership(store)
        self.approvals = ApprovalDesk(
            store, self.policies, self.hub, metrics, self.fanout, self.membership
        )
        self.rooms = Rooms(store, self.hub, metrics, history, self.fanout)
        self.notifier = Notifier(store, self.policies, metrics)
        self.approvals.watchers.append(self.notifier.approval_changed)
        self.fanout.on("org", self._remote_org_push)
        self.handlers: dict[str, Handler] = {
            "authenticate": self.authenticate,
            "token.refresh": self.refresh,
            "policy.get": self.policy_get,
            "policy.set": self.policy_set,
            "approval.request": self._approval_request,
            "approval.decide": self._approval_decide,
            "approval.get": self._approval_get,
            "approval.list": self._approval_list,
            "approval.applied": self._approval_applied,
            "room.join": self._room_join,
            "room.resume": self._room_resume,
            "room.leave": self._room_leave,
            "room.publish": self._room_publish,
            "audit.query": self.audit_query,
            "audit.verify": self.audit_verify,
            "audit.append": self.audit_append,
            "audit.checkpoint": self.audit_checkpoint,
            "org.keys": self.org_keys,
            "usage.report": self.usage_report,
            "performance.report": self.performance_report,
            **notify_handlers(store),
            "project.resolve": lambda peer, params: self.membership.resolve(_caller(peer), params),
        }
        self.sso = SsoHandlers(store, issuer, metrics)
        self.handlers.update(self.sso.table())
        self.admin = AdminDesk(store, self.policies, self.publish_policy)
        self.handlers.update(for_peers(self.admin.handlers(), _caller))

    async def _remote_org_push(self, message: BusMessage) -> None:
        """Another replica's push to a whole organisation (a policy change)."""
        model = PUSHES.get(message.method)
        if model is None:
            self.fanout.dropped("unknown")
        else:
            self.hub.push_org(message.org_id, message.method, model.model_validate(message.params))

    # --- auth -------------------------------------------------------------------------------

    async def authenticate(self, peer: Peer, params: Authenticate) -> Authenticated:
        """Bind the connection to the token's user; on an authenticated connection, a new
        access token of the same user renews the session until that token expires."""
        if params.protocol != ORG_PROTOCOL_VERSION:
            raise Unauthenticated(
                f"protocol {params.protocol} is not spoken here (this server speaks "
                f"{ORG_PROTOCOL_VERSION}); update Accord"
            )
        claims, user = await self._holder(params.token, "access")
        if peer.identity is not None:
            return self._renewed(peer, user, claims.expires_at)
        org = await self.store.get_org(user.org_id)
        if org is None:
            raise Unauthenticated("the token's organisation no longer exists")
        peer.identity = Identity(
            user_id=user.id, email=user.email, org_id=org.id, org_name=org.name, roles=user.roles
        )
        peer.token_epoch, peer.checked_at = user.token_epoch, time.monotonic()
        peer.access_expires_at = claims.expires_at
        self.hub.add(peer)
        self.metrics.connections.labels(state="authenticated").inc()
        return Authenticated(
            identity=peer.identity,
            session_id=peer.session_id,
            protocol=ORG_PROTOCOL_VERSION,
            server=f"accord {__version__}",
            access_expires_at=claims.expires_at,
        )

    def _renewed(self, peer: Peer, user: User, expires_at: datetime) -> Authenticated:
        identity = _caller(peer)
        if user.id != identity.user_id:
            raise Unauthenticated("this connection has authenticated already, as another user")
        peer.access_expires_at = expires_at
        self.metrics.session_renewals.inc()
        return Authenticated(
            identity=identity,
            session_id=peer.session_id,
            protocol=ORG_PROTOCOL_VERSION,
            server=f"accord {__version__}",
            access_expires_at=expires_at,
        )

    async def recheck(self, peer: Peer) -> None:
        """Re-read an authenticated caller (at most every :data:`RECHECK_SECONDS`) before a call:
        a removed or revoked user's open connection is signed out (no more calls, no more
        pushes), and changed roles apply."""
        identity = _caller(peer)
        if peer.access_expires_at is not None and peer.access_expires_at <= datetime.now(UTC):
            raise Unauthenticated(
                "your access token expired: refresh it (token.refresh) and authenticate again"
            )
        now = time.monotonic()
        if now - peer.checked_at < RECHECK_SECONDS:
            return
        peer.checked_at = now
        user = await self.store.get_user(identity.user_id)
        if user is None or not user.active or user.token_epoch != peer.token_epoch:
            self.disconnected(peer)
            peer.identity = None
            reason = "revoked" if user is not None and user.active else "user"
            self.metrics.auth_failures.labels(reason=reason).inc()
            if reason == "revoked":
                raise Unauthenticated("your tokens were revoked; run `accord login` again")
            raise Unauthenticated("you are not an active member any more")
        if user.roles != identity.roles:
            peer.identity = identity.model_copy(update={"roles": user.roles})

    async def refresh(self, peer: Peer, params: TokenRefresh) -> TokenPair:
        """Rotate a refresh token: each is good once; a reused one revokes all the user's tokens."""
        claims, user = await self._holder(params.refresh_token, "refresh")
        if not await self.store.consume_refresh(claims.jti):
            await self.store.update_user(replace(user, token_epoch=user.token_epoch + 1))
            self.metrics.auth_failures.labels(reason="refresh_reused").inc()
            raise Unauthenticated(
                "this refresh token was used already; every token of this user is now revoked "
                "— run `accord login` again"
            )
        return await issue_pair(self.store, self.issuer, user)

    async def token_holder(self, token: str, kind: str) -> tuple[Any, User]:
        """The claims and active user of a valid ``kind`` token (else :class:`Unauthenticated`)."""
        return await self._holder(token, kind)

    async def _holder(self, token: str, kind: str) -> tuple[Any, User]:
        try:
            claims = self.issuer.verify(token, kind)  # type: ignore[arg-type]
        except TokenError as error:
            self.metrics.auth_failures.labels(reason="invalid").inc()
            raise Unauthenticated(str(error)) from None
        user = await self.store.get_user(claims.user_id)
        if user is None or user.org_id != claims.org_id or not user.active:
            self.metrics.auth_failures.labels(reason="user").inc()
            raise Unauthenticated("the token's user is not an active member any more")
        if claims.token_epoch != user.token_epoch or await self.store.is_revoked(claims.jti):
            self.metrics.auth_failures.labels(reason="revoked").inc()
            raise Unauthenticated("the token was revoked; run `accord login` again")
        return claims, user

    # --- policy -----------------------------------------------------------------------------

    async def policy_get(self, peer: Peer, params: PolicyGet) -> PolicyDocument:
        current = await self.policies.signed(_caller(peer).org_id)
        return current.document(params.known_revision)

    async def org_keys(self, peer: Peer, params: Message) -> OrgKeys:
        """The organisation's public keys (``accord login`` pins them)."""
        org_id = _caller(peer).org_id
        return public_keys(org_id, await self.policies.keys.keys(org_id))

    async def policy_set(self, peer: Peer, params: PolicySet) -> PolicyDocument:
        """Store a new revision and push it to every connected member of the organisation."""
        caller = _caller(peer)
        check("policy.set", caller.roles)
        stored = await self.policies.put(caller.org_id, params.yaml)
        pushed = stored.document()
        await self.publish_policy(caller.org_id, pushed)
        await self.store.append_audit(
            caller.org_id,
            [
                EventDraft(
                    type=EventType.POLICY_CHANGED,
                    actor=caller.email,
                    project="*",
                    payload={"revision": stored.revision, "etag": stored.etag},
                )
            ],
        )
        return pushed

    async def publish_policy(self, org_id: str, pushed: PolicyDocument) -> None:
        """Push a new revision to the organisation's members on this replica and the others."""
        self.hub.push_org(org_id, "policy.changed", pushed)
        await self.fanout.publish("org", org_id, "policy.changed", pushed.model_dump(mode="json"))

    # --- approvals --------------------------------------------------------------------------

    async def _approval_request(self, peer: Peer, params: ApprovalRequestParams) -> Message:
        return await self.approvals.request(_caller(peer), params)

    async def _approval_decide(self, peer: Peer, params: ApprovalDecide) -> Message:
        return await self.approvals.decide(_caller(peer), params)

    async def _approval_get(self, peer: Peer, params: ApprovalRef) -> Message:
        return await self.approvals.get(_caller(peer), params.approval_id)

    async def _approval_list(self, peer: Peer, params: ApprovalList) -> Message:
        return await self.approvals.list(_caller(peer), params)

    async def _approval_applied(self, peer: Peer, params: ApprovalApplied) -> Message:
        return await self.approvals.applied(_caller(peer), params)

    # --- rooms ------------------------------------------------------------------------------

    async def _room_join(self, peer: Peer, params: RoomJoin) -> Message:
        await self.membership.require_member(_caller(peer), params.project, "room.join")
        return await self.rooms.join(peer, _caller(peer), params)

    async def _room_resume(self, peer: Peer, params: RoomResume) -> Message:
        await self.membership.require_member(_caller(peer), params.project, "room.resume")
        if params.project not in peer.rooms:
            raise NotFound(f"join the room {params.project} before resuming it")
        return await self.rooms.resume(_caller(peer), params.project, params.epoch, params.since)

    async def _room_leave(self, peer: Peer, params: RoomLeave) -> Message:
        self.rooms.leave(peer, _caller(peer), params.project)
        return Empty()

    async def _room_publish(self, peer: Peer, params: RoomPublish) -> Message:
        await self.membership.require_member(_caller(peer), params.project, "room.publish")
        if params.project not in peer.rooms:
            raise NotFound(f"join the room {params.project} before publishing to it")
        return await self.rooms.publish(peer, _caller(peer), params)

    async def evict_non_members(self) -> int:
        """Take out of each project room here the connections whose user is no longer a member
        of its project (they hear no more of it); returns how many."""
        evicted = 0
        for org_id, name in self.hub.rooms():
            project = await self.membership.project(org_id, name)
            if project is None:
                continue
            for peer in self.hub.room_peers(org_id, name):
                if peer.identity is not None and project.member(peer.identity.email) is None:
                    self.rooms.leave(peer, peer.identity, name)
                    evicted += 1
        return evicted

    def disconnected(self, peer: Peer) -> None:
        """Forget a closed connection and tell its rooms."""
        if peer.identity is None:
            return
        rooms = self.hub.remove(peer)
        self.rooms.disconnected(peer.identity, rooms)
        self.metrics.connections.labels(state="authenticated").dec()

    # --- audit ------------------------------------------------------------------------------

    async def audit_query(self, peer: Peer, params: AuditQuery) -> AuditEvents:
        caller = _caller(peer)
        check("audit.query", caller.roles)
        events, more = await read_page(
            lambda after, limit: self.store.audit_events(
                caller.org_id, params.project, params.type, after, limit
            ),
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

    async def audit_verify(self, peer: Peer, params: Message) -> AuditVerified:
        caller = _caller(peer)
        check("audit.verify", caller.roles)
        rows = await self.store.audit_rows(caller.org_id)
        head = await self.store.audit_head(caller.org_id)
        findings = verify(rows, head)
        return AuditVerified(
            ok=not findings,
            count=len(rows),
            last_hash=rows[-1].hash if rows else None,
            findings=tuple(str(f) for f in findings),
        )

    async def audit_checkpoint(self, peer: Peer, params: Message) -> AuditCheckpoint:
        """The organisation's audit head, signed with the org key; refused (a conflict) when the
        chain is behind a checkpoint signed before."""
        org_id = _caller(peer).org_id
        try:
            checkpoint = await latest_checkpoint(self.store, self.policies.keys, org_id)
        except RolledBack as error:
            self.metrics.audit_rollbacks.inc()
            log.error("organisation %s: %s", org_id, error)
            raise
        return to_wire(org_id, checkpoint)

    async def audit_append(self, peer: Peer, params: AuditAppend) -> AuditAppended:
        """Record a language server's local events in the org chain, each once (by its id).

        The actor is the authenticated caller; the local actor, seq and hash are kept as
        ``origin`` so the two chains can be compared.
        """
        caller = _caller(peer)
        drafts: list[EventDraft] = []
        origins: list[str | None] = []
        events = [_audit_event(index, raw) for index, raw in enumerate(params.events)]
        if refused := not_theirs(e.type.value for e in events):
            await self._refuse_write(caller, "audit.append", refused)
        for event in events:
            origin = {
                "id": str(event.id),
                "seq": event.seq,
                "actor": event.actor,
                "ts": event.ts.isoformat(),
            }
            drafts.append(
                EventDraft(
                    type=event.type,
                    actor=caller.email,
                    project=event.project,
                    session_id=event.session_id,
                    proposal_id=event.proposal_id,
                    payload={**event.payload, "origin": origin},
                    agent_action=event.agent_action,
                )
            )
            origins.append(str(event.id))
        sealed = await self.store.append_audit(caller.org_id, drafts, origins)
        accepted = [e for e in sealed if e is not None]
        self.metrics.audit_appends.inc(len(accepted))
        head = await self.store.audit_head(caller.org_id)
        return AuditAppended(
            accepted=len(accepted),
            duplicates=len(sealed) - len(accepted),
            last_seq=head.seq if head else 0,
        )

    async def _refuse_write(self, caller: Identity, method: str, types: tuple[str, ...]) -> None:
        """Count, audit and refuse a client's write of events that are not theirs to write."""
        for kind in types:
            self.metrics.refused_writes.labels(method=method, type=kind).inc()
        await self.store.append_audit(caller.org_id, [refusal(caller.email, method, types)])
        log.warning("%s tried to write %s through %s", caller.email, ", ".join(types), method)
        raise Forbidden(refusal_message(types))

    # --- analytics --------------------------------------------------------------------------

    async def usage_report(self, peer: Peer, params: UsageReport) -> Recorded:
        caller = _caller(peer)
        id_ = await self.store.record_usage(
            caller.org_id, caller.user_id, params.project, params.event_type, params.event_data
        )
        return Recorded(id=id_)

    async def performance_report(self, peer: Peer, params: PerformanceReport) -> Recorded:
        _caller(peer)
        tags = {**params.tags, "reported_at": datetime.now(UTC).isoformat()}
        id_ = await self.store.record_performance(
            params.service_name, params.metric_name, params.metric_value, tags
        )
        return Recorded(id=id_)


def _audit_event(index: int, raw: dict[str, Any]) -> Event:
    """The ``index``-th event a client sent, validated and within the size bound."""
    try:
        event = Event.model_validate(raw)
    except ValidationError as error:
        raise ValueError(
            f"events[{index}] is not an audit event: {error.errors()[0]['msg']}"
        ) from None
    if (size := len(event.model_dump_json())) > MAX_EVENT_BYTES:
        raise ValueError(
            f"events[{index}] is {size:,} bytes, over the limit of {MAX_EVENT_BYTES:,}"
        )
    return event


def _caller(peer: Peer) -> Identity:
    if peer.identity is None:
        raise Unauthenticated("authenticate first")
    return peer.identity
