"""Three org-server replicas as subprocesses on one PostgreSQL store and one Redis bus: clients
spread across them see one organisation — room streams, approvals, policy pushes, presence and
deadlines — and a replica killed mid-stream loses nothing acknowledged."""

from __future__ import annotations

import asyncio
import signal
from collections.abc import AsyncIterator
from datetime import UTC, datetime
from pathlib import Path
from uuid import uuid4

import pytest

from accord.audit.chain import GENESIS
from accord.audit.events import Event, EventDraft, EventType
from accord.org.client import OrgClient
from accord.protocol.org import (
    ApprovalRef,
    ApprovalUpdated,
    ApprovalView,
    AuditVerified,
    PolicyDocument,
    Presence,
    PresenceDelta,
    RoomEvent,
    RoomJoin,
    RoomJoined,
    RoomPublish,
    RoomPublished,
)

from .approvals import _default_policy_text, ask, decide
from .scaleout import REDIS, need_redis, postgres_schema
from .server import Inbox, OrgServer

# Slow: real editors, replicas, whole corpora or a build; `pytest -m "not slow"` leaves it out.
pytestmark = pytest.mark.slow

ROOM = "shop"


@pytest.fixture
async def replicas(tmp_path: Path) -> AsyncIterator[list[OrgServer]]:
    need_redis()
    async with postgres_schema() as url:
        servers = [
            OrgServer(
                tmp_path / "unused.db", store_url=url, bus_url=REDIS, extra_args=("--tick", "0.2")
            )
            for _ in range(3)
        ]
        await servers[0].seed()
        for server in servers[1:]:
            server.key, server.users = servers[0].key, servers[0].users
        await asyncio.gather(*(s.start() for s in servers))  # they migrate the schema together
        try:
            yield servers
        finally:
            await asyncio.gather(*(s.stop() for s in servers))


async def _join(client: OrgClient, **where: object) -> RoomJoined:
    return await client.request("room.join", RoomJoin(project=ROOM, **where), RoomJoined)  # type: ignore[arg-type]


async def _publish(client: OrgClient, n: int) -> RoomPublished:
    return await client.request(
        "room.publish", RoomPublish(project=ROOM, kind="agent_action", data={"n": n}), RoomPublished
    )


async def _offsets(inbox: Inbox, count: int, timeout: float = 10) -> list[int]:
    events = [await inbox.next("room.event", timeout=timeout) for _ in range(count)]
    return [e.offset for e in events if isinstance(e, RoomEvent)]


async def test_room_events_from_two_replicas_reach_every_replica_in_order(
    replicas: list[OrgServer],
) -> None:
    a, b, c = replicas
    inboxes = [Inbox(), Inbox(), Inbox()]
    observers = [
        await server.client(email, inbox)
        for server, email, inbox in zip(
            replicas, ("lead@acme.test", "mgr@acme.test", "sec@acme.test"), inboxes, strict=True
        )
    ]
    writers = [await a.client("dev@acme.test"), await b.client("dev2@acme.test")]
    try:
        for client in (*observers, *writers):
            await _join(client)
        await asyncio.gather(*(_publish(writers[n % 2], n) for n in range(40)))
        for inbox in inboxes:
            assert await _offsets(inbox, 40) == list(range(1, 41))
            await asyncio.sleep(0.2)
            assert not inbox.of("room.event")  # none twice
        seen = await _presence_of(inboxes[2], "dev2@acme.test")
        assert {"lead@acme.test", "mgr@acme.test", "dev@acme.test"} <= set(seen.online)
    finally:
        for client in (*observers, *writers):
            await client.close()


async def _presence_of(inbox: Inbox, email: str) -> Presence:
    found = await inbox.next("presence", where=lambda p: p.email == email and p.state == "joined")
    assert isinstance(found, Presence)
    return found


async def test_presence_deltas_tell_of_members_on_other_replicas(
    replicas: list[OrgServer],
) -> None:
    a, b, c = replicas
    inbox = Inbox()
    watcher = await c.client("lead@acme.test", inbox)
    dev, dev2 = await a.client("dev@acme.test"), await b.client("dev2@acme.test")
    try:
        assert (await _join(watcher, presence="delta")).presence == ("lead@acme.test",)
        online = {"lead@acme.test"}
        for client in (dev, dev2):
            await _join(client)
        while len(online) < 3:
            delta = await inbox.next("presence.delta", timeout=10)
            assert isinstance(delta, PresenceDelta)
            online = (online | set(delta.joined)) - set(delta.left)
        assert online == {"lead@acme.test", "dev@acme.test", "dev2@acme.test"}
        assert isinstance(delta, PresenceDelta) and delta.count == 3  # agrees with the set
        await dev.close()
        gone = await inbox.next(
            "presence.delta", timeout=10, where=lambda d: "dev@acme.test" in d.left
        )
        assert isinstance(gone, PresenceDelta) and gone.count == 2
        assert not inbox.of("presence")  # never a whole list
    finally:
        for client in (watcher, dev, dev2):
            await client.close()


async def test_the_approval_story_across_replicas(replicas: list[OrgServer]) -> None:
    a, b, c = replicas
    dev_inbox, lead_inbox, mgr_inbox = Inbox(), Inbox(), Inbox()
    dev = await a.client("dev@acme.test", dev_inbox)
    lead = await b.client("lead@acme.test", lead_inbox)
    mgr = await c.client("mgr@acme.test", mgr_inbox)
    try:
        view = await dev.request("approval.request", ask(8.5), ApprovalView)
        for inbox in (lead_inbox, mgr_inbox):
            pushed = await inbox.next("approval.updated")
            assert isinstance(pushed, ApprovalUpdated) and pushed.actionable
        await lead.request("approval.decide", decide(view), ApprovalView)
        await mgr.request("approval.decide", decide(view), ApprovalView)
        told = await dev_inbox.next(
            "approval.updated", where=lambda m: m.approval.state == "approved"
        )
        assert isinstance(told, ApprovalUpdated) and told.approval.decided_by == "mgr@acme.test"
    finally:
        for client in (dev, lead, mgr):
            await client.close()


async def test_a_policy_change_on_one_replica_reaches_editors_on_all(
    replicas: list[OrgServer],
) -> None:
    a, b, c = replicas
    inboxes = [Inbox(), Inbox()]
    editors = [
        await a.client("dev@acme.test", inboxes[0]),
        await b.client("lead@acme.test", inboxes[1]),
    ]
    admin = await c.client("admin@acme.test")
    try:
        await admin.call("policy.set", {"yaml": await _default_policy_text()})
        for inbox in inboxes:
            pushed = await inbox.next("policy.changed")
            assert isinstance(pushed, PolicyDocument) and pushed.revision == 1
    finally:
        for client in (*editors, admin):
            await client.close()


async def test_a_deadline_fires_exactly_once_across_replicas(replicas: list[OrgServer]) -> None:
    a, b, c = replicas
    admin = await a.client("admin@acme.test")
    yaml_text = (await _default_policy_text()).replace("timeout_hours: 24", "timeout_hours: 0.0003")
    await admin.call("policy.set", {"yaml": yaml_text})
    inbox = Inbox()
    dev = await b.client("dev@acme.test", inbox)
    try:
        view = await dev.request("approval.request", ask(8.5), ApprovalView)
        expired = await inbox.next(
            "approval.updated", timeout=10, where=lambda m: m.approval.state == "expired"
        )
        assert isinstance(expired, ApprovalUpdated)
        await asyncio.sleep(1.5)  # every replica's sweeper has had several turns
        assert not [m for m in inbox.of("approval.updated") if m.approval.state == "expired"]  # type: ignore[attr-defined]
        got = await dev.request("approval.get", ApprovalRef(approval_id=view.id), ApprovalView)
        assert got.state == "expired"
        events = (await admin.call("audit.query", {"type": "proposal.expired"})).events  # type: ignore[attr-defined]
        assert len(events) == 1
    finally:
        await dev.close()
        await admin.close()


async def test_a_replica_killed_mid_stream_loses_nothing_its_clients_resume_elsewhere(
    replicas: list[OrgServer],
) -> None:
    a, b, c = replicas
    inbox = Inbox()
    reader = await b.client("lead@acme.test", inbox)
    writer = await a.client("dev@acme.test")
    acknowledged: list[int] = []
    try:
        joined = await _join(reader)
        await _join(writer)

        async def write(count: int) -> None:
            for n in range(count):
                acknowledged.append((await _publish(writer, n)).offset)
                await asyncio.sleep(0.01)

        stream = asyncio.create_task(write(150))
        await inbox.next("room.event", where=lambda e: e.offset == 40, timeout=15)
        await b.stop(signal.SIGKILL)
        seen = [e.offset for e in inbox.of("room.event")] + [40]  # type: ignore[attr-defined]
        seen = sorted(set(seen))
        await reader.close()

        inbox2 = Inbox()
        reader = await c.client("lead@acme.test", inbox2)
        resumed = await _join(reader, epoch=joined.epoch, offset=seen[-1])
        assert resumed.recovered
        await stream
        got = seen + [e.offset for e in resumed.events]
        while got[-1] < 150:  # live events; as every client does, skip what the resume gave
            event = await inbox2.next("room.event", timeout=10)
            assert isinstance(event, RoomEvent)
            if event.offset > got[-1]:
                got.append(event.offset)
        assert got == list(range(1, 151))
        assert sorted(acknowledged) == list(range(1, 151))

        admin = await a.client("admin@acme.test")
        verified = await admin.call("audit.verify", {})
        assert isinstance(verified, AuditVerified)
        await admin.close()
        assert verified.ok, verified.findings
    finally:
        await reader.close()
        await writer.close()


async def test_concurrent_audit_appends_through_every_replica_keep_one_chain(
    replicas: list[OrgServer],
) -> None:
    clients = [await server.client("dev@acme.test") for server in replicas]
    admin = await replicas[0].client("admin@acme.test")
    try:

        async def append(n: int) -> None:
            event = _local_event(n)
            await clients[n % 3].call("audit.append", {"events": [event]})

        await asyncio.gather(*(append(n) for n in range(60)))
        verified = await admin.call("audit.verify", {})
        assert isinstance(verified, AuditVerified)
        assert verified.ok and verified.count == 60, verified.findings
    finally:
        for client in (*clients, admin):
            await client.close()


def _local_event(n: int) -> dict[str, object]:
    """An event as a language server's local audit log holds it."""
    draft = EventDraft(
        type=EventType.MODE_CHANGED, actor="dev@acme.test", project=ROOM, payload={"n": n}
    )
    return Event.place(draft, n + 1, uuid4(), datetime.now(UTC), GENESIS).model_dump(mode="json")
