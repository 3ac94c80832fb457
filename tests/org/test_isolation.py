"""Tenant isolation: a member of Acme calls every org method with Bobco's ids and names and gets
nothing of Bobco's back; and role-based access within an organisation.

:data:`CASES` holds one isolation case per method of :data:`accord.protocol.org.METHODS`; a method
added to the protocol without a case here fails the test.
"""

from __future__ import annotations

import asyncio
import json
import sqlite3
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any
from uuid import UUID, uuid4

import pytest

from accord.audit.events import Event, EventDraft, EventType
from accord.org.client import OrgClient, OrgError
from accord.org.tokens import TokenIssuer
from accord.protocol.org import (
    METHODS,
    ApprovalApplied,
    ApprovalDecide,
    ApprovalList,
    ApprovalListed,
    ApprovalRef,
    ApprovalRequestParams,
    ApprovalView,
    AuditAppend,
    AuditAppended,
    AuditCheckpoint,
    AuditEvents,
    AuditQuery,
    AuditVerified,
    AuditVerify,
    Authenticate,
    Authenticated,
    Empty,
    NotifyPrefs,
    OrgKeys,
    PerformanceReport,
    PolicyDocument,
    PolicyGet,
    PolicySet,
    QuietHours,
    Recorded,
    RiskSummary,
    RoomJoin,
    RoomJoined,
    RoomLeave,
    RoomPublish,
    RoomPublished,
    RoomResume,
    SsoExchange,
    SsoOrg,
    TokenPair,
    TokenRefresh,
    UsageReport,
)
from accord.protocol.org_admin import (
    AdminApprovals,
    AuditSearch,
    PolicyHistory,
    PolicyRevisionRef,
    PolicyRollback,
    UsageQuery,
    UserChange,
    UserRef,
)
from accord.protocol.projects import ProjectResolve, ProjectResolved
from accord.protocol.rpc import ErrorCode

from .proposals import summary
from .server import Inbox, OrgServer

PROJECT = "shop"
SECRET = "bobco-only-secret"


def _default_policy_text() -> str:
    from importlib.resources import files

    return files("accord.policy").joinpath("default-policy.yaml").read_text("utf-8")


def _ask(words: str) -> ApprovalRequestParams:
    """A request for proposal ``p-1`` (the same id and content in both organisations)."""
    return ApprovalRequestParams(
        project=PROJECT,
        proposal=summary("same content", title=f"change {words}"),
        risk=RiskSummary(score=8.5, reasons=words),
    )


def _local_event(actor: str, note: str, id_: UUID | None = None) -> dict[str, Any]:
    """An event as a language server's local audit log holds it."""
    draft = EventDraft(
        type=EventType.MODE_CHANGED,
        actor=actor,
        project=PROJECT,
        payload={"mode": "control", "note": note},
    )
    placed = Event.place(draft, 1, id_ or uuid4(), datetime.now(UTC), "0" * 64)
    return placed.model_dump(mode="json")


@dataclass
class World:
    """Bobco's objects, and Acme's members connected."""

    org: OrgServer
    acme: dict[str, OrgClient] = field(default_factory=dict)
    bob: dict[str, OrgClient] = field(default_factory=dict)
    bob_inbox: Inbox = field(default_factory=Inbox)
    approval: ApprovalView | None = None
    policy: PolicyDocument | None = None
    room: RoomJoined | None = None
    appended: dict[str, Any] = field(default_factory=dict)
    audit: AuditVerified | None = None
    performance_id: str = ""

    @property
    def bob_approval(self) -> ApprovalView:
        assert self.approval is not None
        return self.approval

    @property
    def bob_epoch(self) -> str:
        assert self.room is not None
        return self.room.epoch

    async def client(self, email: str) -> OrgClient:
        self.acme[email] = await self.org.client(email)
        return self.acme[email]


async def _bobco(world: World) -> None:
    """Bobco's approval request, policy, room events and audit events."""
    org = world.org
    dev = world.bob["dev"] = await org.client("dev@bob.test")
    admin = world.bob["admin"] = await org.client("admin@bob.test")
    world.bob["lead"] = await org.client("lead@bob.test", world.bob_inbox)
    world.approval = await dev.request("approval.request", _ask(SECRET), ApprovalView)
    text = _default_policy_text()
    for hours in ("12", "6"):  # two revisions: Bobco is at revision 2
        changed = text.replace("timeout_hours: 24", f"timeout_hours: {hours}")
        world.policy = await admin.request("policy.set", PolicySet(yaml=changed), PolicyDocument)
    await world.bob["lead"].request("room.join", RoomJoin(project=PROJECT), RoomJoined)
    await dev.request("room.join", RoomJoin(project=PROJECT), RoomJoined)
    for step in range(3):
        await dev.request(
            "room.publish",
            RoomPublish(
                project=PROJECT, kind="agent_action", data={"step": step, "secret": SECRET}
            ),
            RoomPublished,
        )
    await dev.request(
        "room.publish",
        RoomPublish(project=PROJECT, kind="mode", data={"mode": "control"}),
        RoomPublished,
    )
    world.room = await dev.request("room.join", RoomJoin(project=PROJECT), RoomJoined)
    world.appended = _local_event("dev@bob.test", SECRET)
    await dev.request("audit.append", AuditAppend(events=(world.appended,)), AuditAppended)
    recorded = await dev.request(
        "performance.report",
        PerformanceReport(service_name="bobco-lsp", metric_name="latency", metric_value=1.0),
        Recorded,
    )
    world.performance_id = recorded.id
    world.audit = await admin.request("audit.verify", AuditVerify(), AuditVerified)
    assert world.audit.ok and world.audit.count == 6  # 3 for the request, 2 policies, 1 appended
    await asyncio.sleep(0.2)
    world.bob_inbox.items.clear()


@pytest.fixture
async def world(org: OrgServer) -> AsyncIterator[World]:
    built = World(org)
    try:
        await _bobco(built)
        for email in ("dev@acme.test", "lead@acme.test", "admin@acme.test"):
            await built.client(email)
        yield built
    finally:
        for client in (*built.acme.values(), *built.bob.values()):
            await client.close()


async def _not_found(client: OrgClient, method: str, params: Any) -> str:
    with pytest.raises(OrgError) as refused:
        await client.call(method, params)
    assert refused.value.code == ErrorCode.NOT_FOUND, refused.value
    return refused.value.message


def _no_bobco(value: object) -> None:
    """Nothing of Bobco's in what came back."""
    text = (
        value.model_dump_json()
        if hasattr(value, "model_dump_json")
        else json.dumps(value, default=str)
    )
    for mark in (SECRET, "@bob.test"):
        assert mark not in text, f"{mark!r} leaked: {text[:500]}"


# --- one case per method -------------------------------------------------------------------

Case = Callable[[World], Awaitable[None]]
CASES: dict[str, Case] = {}


def case(method: str) -> Callable[[Case], Case]:
    def register(function: Case) -> Case:
        CASES[method] = function
        return function

    return register


@case("authenticate")
async def _authenticate(w: World) -> None:
    dev = w.acme["dev@acme.test"]
    with pytest.raises(OrgError) as again:
        await dev.call("authenticate", Authenticate(token=w.org.access_token("dev@bob.test")))
    assert again.value.code == ErrorCode.UNAUTHENTICATED
    await _not_found(dev, "approval.get", ApprovalRef(approval_id=w.bob_approval.id))  # still Acme
    # A token naming a Bobco user in Acme (signed with the server's own key) is refused.
    bob, acme = w.org.users["dev@bob.test"], w.org.users["dev@acme.test"]
    crossed = TokenIssuer(w.org.key).issue(bob.id, acme.org_id, "access", 0).token
    async with OrgClient(w.org.url, timeout=5) as fresh:
        with pytest.raises(OrgError) as refused:
            await fresh.call("authenticate", Authenticate(token=crossed))
        assert refused.value.code == ErrorCode.UNAUTHENTICATED
        assert "not an active member" in refused.value.message


@case("token.refresh")
async def _refresh(w: World) -> None:
    bob, acme = w.org.users["dev@bob.test"], w.org.users["dev@acme.test"]
    crossed = TokenIssuer(w.org.key).issue(bob.id, acme.org_id, "refresh", 0).token
    dev = w.acme["dev@acme.test"]
    with pytest.raises(OrgError) as refused:
        await dev.call("token.refresh", TokenRefresh(refresh_token=crossed))
    assert refused.value.code == ErrorCode.UNAUTHENTICATED
    pair = await dev.request(
        "token.refresh",
        TokenRefresh(refresh_token=await w.org.recorded_login_token("dev@acme.test")),
        TokenPair,
    )
    async with OrgClient(w.org.url, timeout=5) as fresh:
        hello = await fresh.request(
            "authenticate", Authenticate(token=pair.access_token), Authenticated
        )
    assert hello.identity.org_id == acme.org_id and hello.identity.email == "dev@acme.test"


@case("policy.get")
async def _policy_get(w: World) -> None:
    assert w.policy is not None
    for known in (None, w.policy.revision):
        got = await w.acme["dev@acme.test"].request(
            "policy.get", PolicyGet(known_revision=known), PolicyDocument
        )
        assert got.etag != w.policy.etag and got.policy is not None
        assert got.policy != w.policy.policy


@case("policy.set")
async def _policy_set(w: World) -> None:
    assert w.policy is not None
    text = _default_policy_text().replace("timeout_hours: 24", "timeout_hours: 48")
    stored = await w.acme["admin@acme.test"].request(
        "policy.set", PolicySet(yaml=text), PolicyDocument
    )
    assert stored.etag != w.policy.etag
    bobco = await w.bob["dev"].request("policy.get", PolicyGet(), PolicyDocument)
    assert (bobco.revision, bobco.etag) == (w.policy.revision, w.policy.etag)


@case("approval.request")
async def _approval_request(w: World) -> None:
    view = await w.acme["dev@acme.test"].request("approval.request", _ask("acme"), ApprovalView)
    assert view.id != w.bob_approval.id  # the same proposal and content: Acme's own request
    assert view.requester_email == "dev@acme.test" and view.approvals == ()


@case("approval.decide")
async def _approval_decide(w: World) -> None:
    bob = w.bob_approval
    decide = ApprovalDecide(
        approval_id=bob.id, decision="approve", content_hash=bob.proposal.content_hash
    )
    message = await _not_found(w.acme["lead@acme.test"], "approval.decide", decide)
    assert message == f"no approval {bob.id} in your organisation"
    reject = decide.model_copy(update={"decision": "reject"})
    await _not_found(w.acme["admin@acme.test"], "approval.decide", reject)
    still = await w.bob["dev"].request(
        "approval.get", ApprovalRef(approval_id=bob.id), ApprovalView
    )
    assert still.version == bob.version and still.approvals == ()


@case("approval.get")
async def _approval_get(w: World) -> None:
    for email in ("dev@acme.test", "admin@acme.test"):
        await _not_found(w.acme[email], "approval.get", ApprovalRef(approval_id=w.bob_approval.id))


@case("approval.list")
async def _approval_list(w: World) -> None:
    for query in (
        ApprovalList(),
        ApprovalList(project=PROJECT),
        ApprovalList(state="pending"),
        ApprovalList(actionable=True, limit=1000),
    ):
        for email in ("lead@acme.test", "admin@acme.test"):
            listed = await w.acme[email].request("approval.list", query, ApprovalListed)
            assert w.bob_approval.id not in {a.id for a in listed.approvals}
            assert all(a.requester_email.endswith("@acme.test") for a in listed.approvals)


@case("approval.applied")
async def _approval_applied(w: World) -> None:
    bob = w.bob_approval
    report = ApprovalApplied(approval_id=bob.id, content_hash=bob.proposal.content_hash)
    await _not_found(w.acme["dev@acme.test"], "approval.applied", report)
    await _not_found(
        w.acme["dev@acme.test"], "approval.applied", report.model_copy(update={"stale": True})
    )


@case("room.join")
async def _room_join(w: World) -> None:
    async with OrgClient(w.org.url, timeout=5) as fresh:
        await fresh.call("authenticate", Authenticate(token=w.org.access_token("dev2@acme.test")))
        joined = await fresh.request("room.join", RoomJoin(project=PROJECT), RoomJoined)
        assert joined.epoch != w.bob_epoch and joined.events == ()
        assert joined.mode == "guidance"  # Bobco's room is in control mode
        assert not any(e.endswith("@bob.test") for e in joined.presence)
        resumed = await fresh.request(
            "room.join", RoomJoin(project=PROJECT, epoch=w.bob_epoch, offset=0), RoomJoined
        )
        assert not resumed.recovered and resumed.events == () and resumed.epoch == joined.epoch
        _no_bobco(resumed)


@case("room.resume")
async def _room_resume(w: World) -> None:
    dev = w.acme["dev@acme.test"]
    joined = await dev.request("room.join", RoomJoin(project=PROJECT), RoomJoined)
    for since in (0, 1):
        resumed = await dev.request(
            "room.resume", RoomResume(project=PROJECT, epoch=w.bob_epoch, since=since), RoomJoined
        )
        assert not resumed.recovered and resumed.events == ()
        assert resumed.epoch == joined.epoch != w.bob_epoch
    own = await dev.request(
        "room.resume", RoomResume(project=PROJECT, epoch=joined.epoch, since=0), RoomJoined
    )
    _no_bobco(own)
    assert all(e.actor.endswith("@acme.test") for e in own.events)


@case("room.leave")
async def _room_leave(w: World) -> None:
    lead = w.acme["lead@acme.test"]
    await lead.request("room.join", RoomJoin(project=PROJECT), RoomJoined)
    assert isinstance(await lead.call("room.leave", RoomLeave(project=PROJECT)), Empty)
    await asyncio.sleep(0.1)
    assert not w.bob_inbox.of("presence")


@case("room.publish")
async def _room_publish(w: World) -> None:
    dev = w.acme["dev@acme.test"]
    await dev.request("room.join", RoomJoin(project=PROJECT), RoomJoined)
    published = await dev.request(
        "room.publish",
        RoomPublish(project=PROJECT, kind="agent_action", data={"from": "acme"}),
        RoomPublished,
    )
    assert published.epoch != w.bob_epoch
    await asyncio.sleep(0.1)
    assert not w.bob_inbox.of("room.event")
    bobco = await w.bob["dev"].request("room.join", RoomJoin(project=PROJECT), RoomJoined)
    assert (bobco.epoch, bobco.offset) == (w.bob_epoch, 4)


@case("audit.query")
async def _audit_query(w: World) -> None:
    admin = w.acme["admin@acme.test"]
    everything = await admin.request("audit.query", AuditQuery(limit=1000), AuditEvents)
    assert everything.events, "Acme has audit events of its own by now"
    assert [e["seq"] for e in everything.events] == list(range(1, len(everything.events) + 1))
    _no_bobco(everything.events)
    for query in (
        AuditQuery(project=PROJECT),
        AuditQuery(type="policy.changed"),
        AuditQuery(type="mode.changed"),
        AuditQuery(after_seq=1),
    ):
        _no_bobco((await admin.request("audit.query", query, AuditEvents)).events)


@case("audit.verify")
async def _audit_verify(w: World) -> None:
    assert w.audit is not None
    verified = await w.acme["lead@acme.test"].request("audit.verify", AuditVerify(), AuditVerified)
    assert verified.ok and verified.last_hash != w.audit.last_hash
    listed = await w.acme["admin@acme.test"].request(
        "audit.query", AuditQuery(limit=1000), AuditEvents
    )
    assert verified.count == len(listed.events)


@case("audit.append")
async def _audit_append(w: World) -> None:
    dev = w.acme["dev@acme.test"]
    # An event with the id of Bobco's: recorded in Acme's chain, not taken for Bobco's duplicate.
    same_id = _local_event("dev@acme.test", "acme", UUID(str(w.appended["id"])))
    first = await dev.request("audit.append", AuditAppend(events=(same_id,)), AuditAppended)
    assert (first.accepted, first.duplicates) == (1, 0)
    again = await dev.request("audit.append", AuditAppend(events=(same_id,)), AuditAppended)
    assert (again.accepted, again.duplicates) == (0, 1)
    got = await w.acme["admin@acme.test"].request(
        "audit.query", AuditQuery(type="mode.changed"), AuditEvents
    )
    assert [e["actor"] for e in got.events] == ["dev@acme.test"]


@case("audit.checkpoint")
async def _audit_checkpoint(w: World) -> None:
    acme = await w.acme["dev@acme.test"].request("audit.checkpoint", Empty(), AuditCheckpoint)
    bob = await w.bob["dev"].request("audit.checkpoint", Empty(), AuditCheckpoint)
    assert acme.org_id == w.org.users["dev@acme.test"].org_id != bob.org_id
    assert acme.hash != bob.hash and acme.signature != bob.signature
    listed = await w.acme["admin@acme.test"].request(
        "audit.query", AuditQuery(limit=1000), AuditEvents
    )
    assert acme.seq == len(listed.events)


@case("org.keys")
async def _org_keys(w: World) -> None:
    acme = await w.acme["dev@acme.test"].request("org.keys", Empty(), OrgKeys)
    bob = await w.bob["dev"].request("org.keys", Empty(), OrgKeys)
    assert acme.org_id == w.org.users["dev@acme.test"].org_id != bob.org_id
    assert not {k.key_id for k in acme.keys} & {k.key_id for k in bob.keys}


@case("usage.report")
async def _usage_report(w: World) -> None:
    recorded = await w.acme["dev@acme.test"].request(
        "usage.report",
        UsageReport(project=PROJECT, event_type="action", event_data={"n": 1}),
        Recorded,
    )
    row = await asyncio.to_thread(_usage_row, w.org, recorded.id)
    acme = w.org.users["dev@acme.test"]
    assert row == (acme.org_id, acme.id, PROJECT)


def _usage_row(org: OrgServer, id_: str) -> tuple[object, ...]:
    with sqlite3.connect(org.store_path) as db:
        row = db.execute(
            "SELECT organization_id, user_id, project_id FROM usage_events WHERE id = ?", (id_,)
        ).fetchone()
    assert row is not None
    return tuple(row)


@case("performance.report")
async def _performance_report(w: World) -> None:
    recorded = await w.acme["dev@acme.test"].request(
        "performance.report",
        PerformanceReport(service_name="bobco-lsp", metric_name="latency", metric_value=2.0),
        Recorded,
    )
    assert recorded.id != w.performance_id


@case("sso.config")
@case("sso.device")
@case("sso.exchange")
async def _sso(w: World) -> None:
    """Neither organisation signs in through a provider here: naming Bobco (by id or name)
    finds nothing, and a made-up code is no way in (tests/org/sso covers the real flows)."""
    bob = w.org.users["dev@bob.test"].org_id
    dev = w.acme["dev@acme.test"]
    for org in (bob, "Bobco"):
        said = await _not_found(dev, "sso.config", SsoOrg(org=org))
        assert "not set up" in said
        await _not_found(dev, "sso.device", SsoOrg(org=org))
    exchange = SsoExchange(
        org_id=bob, code="c", code_verifier="v" * 43, redirect_uri="x", nonce="n"
    )
    await _not_found(dev, "sso.exchange", exchange)


@case("notify.prefs.set")
async def _notify_prefs_set(w: World) -> None:
    night = NotifyPrefs(quiet_hours=QuietHours(start="22:00", end="07:00", timezone="UTC"))
    await w.bob["dev"].request("notify.prefs.set", night, NotifyPrefs)
    silent = NotifyPrefs(channels=())
    assert await w.acme["dev@acme.test"].request("notify.prefs.set", silent, NotifyPrefs) == silent
    assert await w.bob["dev"].request("notify.prefs.get", Empty(), NotifyPrefs) == night


@case("notify.prefs.get")
async def _notify_prefs_get(w: World) -> None:
    await w.bob["lead"].request("notify.prefs.set", NotifyPrefs(channels=()), NotifyPrefs)
    mine = await w.acme["lead@acme.test"].request("notify.prefs.get", Empty(), NotifyPrefs)
    assert mine == NotifyPrefs()  # each member reads only their own


@case("project.resolve")
async def _project_resolve(w: World) -> None:
    remote = "git@github.com:bobco/shop.git"
    async with w.org.opened() as store:
        bob = w.org.users["dev@bob.test"]
        await store.create_project(bob.org_id, "bob-shop", (remote,), {}, "test")
    found = await w.acme["dev@acme.test"].request(
        "project.resolve", ProjectResolve(remote=remote), ProjectResolved
    )
    assert found == ProjectResolved()
    theirs = await w.bob["dev"].request(
        "project.resolve", ProjectResolve(remote=remote), ProjectResolved
    )
    assert theirs.project == "bob-shop"


# --- the admin methods (accord.protocol.org_admin) ------------------------------------------


@case("admin.policy.get")
async def _admin_policy_get(w: World) -> None:
    admin = w.acme["admin@acme.test"]
    _no_bobco(await admin.call("admin.policy.get", PolicyRevisionRef()))
    assert w.policy is not None
    await _not_found(admin, "admin.policy.get", PolicyRevisionRef(revision=w.policy.revision + 5))


@case("admin.policy.history")
async def _admin_policy_history(w: World) -> None:
    _no_bobco(await w.acme["admin@acme.test"].call("admin.policy.history", Empty()))


@case("admin.policy.rollback")
async def _admin_policy_rollback(w: World) -> None:
    await _not_found(
        w.acme["admin@acme.test"], "admin.policy.rollback", PolicyRollback(revision=99)
    )
    bob = await w.bob["admin"].request("admin.policy.history", Empty(), PolicyHistory)
    assert [r.revision for r in bob.revisions] == [2, 1]


@case("admin.audit.search")
async def _admin_audit_search(w: World) -> None:
    admin = w.acme["admin@acme.test"]
    found = await admin.request(
        "admin.audit.search", AuditSearch(actor="dev@bob.test"), AuditEvents
    )
    assert found.events == ()
    _no_bobco(await admin.call("admin.audit.search", AuditSearch(limit=1000)))


@case("admin.audit.export")
async def _admin_audit_export(w: World) -> None:
    _no_bobco(await w.acme["lead@acme.test"].call("admin.audit.export", AuditSearch(limit=1000)))


@case("admin.usage")
async def _admin_usage(w: World) -> None:
    for by in ("user", "project", "provider", "action", "day"):
        _no_bobco(await w.acme["admin@acme.test"].call("admin.usage", UsageQuery(by=by)))


@case("admin.users.list")
async def _admin_users_list(w: World) -> None:
    _no_bobco(await w.acme["admin@acme.test"].call("admin.users.list", Empty()))


@case("admin.users.roles")
async def _admin_users_roles(w: World) -> None:
    change = UserChange(email="dev@bob.test", roles=("admin",))
    await _not_found(w.acme["admin@acme.test"], "admin.users.roles", change)


@case("admin.users.remove")
async def _admin_users_remove(w: World) -> None:
    await _not_found(w.acme["admin@acme.test"], "admin.users.remove", UserRef(email="dev@bob.test"))
    assert (await w.bob["dev"].request("audit.checkpoint", Empty(), AuditCheckpoint)).seq > 0


@case("admin.approvals.list")
async def _admin_approvals_list(w: World) -> None:
    _no_bobco(await w.acme["lead@acme.test"].call("admin.approvals.list", AdminApprovals()))


@case("admin.approvals.get")
async def _admin_approvals_get(w: World) -> None:
    ref = ApprovalRef(approval_id=w.bob_approval.id)
    await _not_found(w.acme["lead@acme.test"], "admin.approvals.get", ref)


# --- the tests ------------------------------------------------------------------------------


def test_every_method_has_an_isolation_case() -> None:
    assert sorted(CASES) == sorted(METHODS), "add a case for each new method (and drop stale ones)"


async def test_acme_gets_nothing_of_bobco_through_any_method(world: World) -> None:
    missing = [method for method in METHODS if method not in CASES]
    assert not missing, f"no isolation case for {missing}"
    for method in METHODS:
        try:
            await CASES[method](world)
        except AssertionError as error:
            raise AssertionError(f"{method}: {error}") from error
    await asyncio.sleep(0.2)
    # Bobco's member saw nothing of Acme's doing, and Bobco's chain did not move.
    for kind, message in world.bob_inbox.items:
        assert "@acme.test" not in json.dumps(message.model_dump(mode="json")), (kind, message)  # type: ignore[attr-defined]
    assert world.audit is not None
    after = await world.bob["admin"].request("audit.verify", AuditVerify(), AuditVerified)
    assert after.ok and (after.count, after.last_hash) == (world.audit.count, world.audit.last_hash)


async def test_roles_limit_the_admin_and_audit_methods(org: OrgServer) -> None:
    refusals: tuple[tuple[str, str, dict[str, Any]], ...] = (
        ("dev@acme.test", "policy.set", {"yaml": "workflows: {}"}),
        ("lead@acme.test", "policy.set", {"yaml": "workflows: {}"}),
        ("dev@acme.test", "audit.query", {}),
        ("dev@acme.test", "audit.verify", {}),
    )
    for email, method, params in refusals:
        client = await org.client(email)
        try:
            with pytest.raises(OrgError) as refused:
                await client.call(method, params)
            assert refused.value.code == ErrorCode.FORBIDDEN, (email, method)
            role = org.users[email].roles[0]
            assert refused.value.message.startswith(f"{method} needs one of the roles ")
            assert refused.value.message.endswith(f"you hold {role}")
            assert (await client.request("policy.get", PolicyGet(), PolicyDocument)).revision == 0
        finally:
            await client.close()
    lead = await org.client("lead@acme.test")
    try:
        assert (await lead.request("audit.verify", AuditVerify(), AuditVerified)).ok
    finally:
        await lead.close()
