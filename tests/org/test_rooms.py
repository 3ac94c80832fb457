"""Project rooms through a real org server: publish and receive, presence, resuming with no gap
and no duplicate, lost history, and collaboration modes."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest

from accord.org.client import OrgClient, OrgError
from accord.org.rooms import PRESENCE_BATCH_FROM
from accord.protocol.org import (
    Empty,
    Presence,
    PresenceDelta,
    RoomEvent,
    RoomJoin,
    RoomJoined,
    RoomLeave,
    RoomPublish,
    RoomPublished,
    RoomResume,
)
from accord.protocol.rpc import ErrorCode

from .server import Inbox, OrgServer

ROOM = "shop"


@pytest.fixture
async def short(tmp_path: Path) -> AsyncIterator[OrgServer]:
    """A server that keeps 5 events per room."""
    server = OrgServer(tmp_path / "org.db", extra_args=("--history", "5"))
    await server.seed()
    await server.start()
    try:
        yield server
    finally:
        await server.stop()


async def _join(client: OrgClient, **where: Any) -> RoomJoined:
    return await client.request("room.join", RoomJoin(project=ROOM, **where), RoomJoined)


async def _publish(client: OrgClient, n: int, kind: str = "agent_action") -> RoomPublished:
    return await client.request(
        "room.publish", RoomPublish(project=ROOM, kind=kind, data={"n": n}), RoomPublished
    )


async def _event(inbox: Inbox) -> RoomEvent:
    event = await inbox.next("room.event")
    assert isinstance(event, RoomEvent)
    return event


async def _presence(inbox: Inbox, email: str = "dev2@acme.test") -> Presence:
    """The next presence push about ``email`` (a joiner is told of its own arrival too)."""
    pushed = await inbox.next("presence", where=lambda p: p.email == email)
    assert isinstance(pushed, Presence)
    return pushed


async def test_members_publish_and_receive_in_order(org: OrgServer) -> None:
    dev_inbox, dev2_inbox = Inbox(), Inbox()
    dev = await org.client("dev@acme.test", dev_inbox)
    dev2 = await org.client("dev2@acme.test", dev2_inbox)
    try:
        first = await _join(dev)
        assert (first.offset, first.recovered, first.events) == (0, True, ())
        await _join(dev2)
        published = [await _publish(dev, n) for n in range(3)]
        assert [p.offset for p in published] == [1, 2, 3]
        assert {p.epoch for p in published} == {first.epoch}
        for n, sent in enumerate(published):
            got = await _event(dev2_inbox)
            assert (got.epoch, got.offset, got.kind, got.actor, got.data) == (
                sent.epoch,
                sent.offset,
                "agent_action",
                "dev@acme.test",
                {"n": n},
            )
            assert got.project == ROOM
        back = await _publish(dev2, 99)
        got = await _event(dev_inbox)
        assert (got.offset, got.actor, got.data) == (back.offset, "dev2@acme.test", {"n": 99})
        assert not dev_inbox.of("room.event") and not dev2_inbox.of("room.event")  # none echoed
    finally:
        await dev.close()
        await dev2.close()


async def test_presence_follows_joins_leaves_and_disconnects(org: OrgServer) -> None:
    inbox, other_room = Inbox(), Inbox()
    dev = await org.client("dev@acme.test", inbox)
    lead = await org.client("lead@acme.test", other_room)
    dev2 = await org.client("dev2@acme.test")
    try:
        assert (await _join(dev)).presence == ("dev@acme.test",)
        await lead.request("room.join", RoomJoin(project="web"), RoomJoined)
        joined = await _join(dev2)
        assert joined.presence == ("dev2@acme.test", "dev@acme.test")
        came = await _presence(inbox)
        assert (came.email, came.state, came.online) == (
            "dev2@acme.test",
            "joined",
            ("dev2@acme.test", "dev@acme.test"),
        )
        assert isinstance(await dev2.call("room.leave", RoomLeave(project=ROOM)), Empty)
        went = await _presence(inbox)
        assert (went.email, went.state, went.online) == (
            "dev2@acme.test",
            "left",
            ("dev@acme.test",),
        )
        await _join(dev2)
        assert (await _presence(inbox)).state == "joined"
        await dev2.close()
        gone = await _presence(inbox)
        assert (gone.email, gone.state, gone.online) == (
            "dev2@acme.test",
            "left",
            ("dev@acme.test",),
        )
        heard = [(p.project, p.email) for p in other_room.of("presence")]  # type: ignore[attr-defined]
        assert heard == [("web", "lead@acme.test")]  # the web room heard nothing of the shop
    finally:
        for client in (dev, lead, dev2):
            await client.close()


async def test_a_reconnecting_member_resumes_with_no_gap_and_no_duplicate(org: OrgServer) -> None:
    dev = await org.client("dev@acme.test")
    reader_inbox = Inbox()
    reader = await org.client("dev2@acme.test", reader_inbox)
    try:
        joined = await _join(dev)
        await _join(reader)
        for n in range(3):
            await _publish(dev, n)
        seen = [await _event(reader_inbox) for _ in range(3)]
        last = seen[-1].offset
        await reader.close()
        for n in range(3, 7):
            await _publish(dev, n)

        reader_inbox = Inbox()
        reader = await org.client("dev2@acme.test", reader_inbox)
        back = await _join(reader, epoch=joined.epoch, offset=last)
        assert back.recovered and back.epoch == joined.epoch
        assert [e.offset for e in back.events] == [4, 5, 6, 7] and back.offset == 7
        assert [e.data["n"] for e in back.events] == [3, 4, 5, 6]
        await _publish(dev, 7)
        pushed = await _event(reader_inbox)
        assert pushed.offset == 8  # what came with the join is not pushed again
        assert not reader_inbox.of("room.event")

        later = await reader.request(
            "room.resume", RoomResume(project=ROOM, epoch=joined.epoch, since=5), RoomJoined
        )
        assert later.recovered and [e.offset for e in later.events] == [6, 7, 8]
        current = await reader.request(
            "room.resume", RoomResume(project=ROOM, epoch=joined.epoch, since=8), RoomJoined
        )
        assert current.recovered and current.events == () and current.offset == 8
    finally:
        await dev.close()
        await reader.close()


async def test_a_stale_epoch_or_a_future_offset_asks_for_a_resync(org: OrgServer) -> None:
    dev = await org.client("dev@acme.test")
    try:
        joined = await _join(dev)
        for n in range(3):
            await _publish(dev, n)
        for epoch, offset in (("0123456789ab", 1), (joined.epoch, 4), (joined.epoch, 1000)):
            again = await _join(dev, epoch=epoch, offset=offset)
            assert not again.recovered and again.events == (), (epoch, offset)
            assert (again.epoch, again.offset) == (joined.epoch, 3)
            resumed = await dev.request(
                "room.resume", RoomResume(project=ROOM, epoch=epoch, since=offset), RoomJoined
            )
            assert not resumed.recovered and resumed.events == ()
    finally:
        await dev.close()


async def test_an_offset_older_than_the_history_asks_for_a_resync(short: OrgServer) -> None:
    dev = await short.client("dev@acme.test")
    reader = await short.client("dev2@acme.test")
    try:
        joined = await _join(dev)
        for n in range(10):
            await _publish(dev, n)
        for since in (0, 3, 4):
            lost = await _join(reader, epoch=joined.epoch, offset=since)
            assert not lost.recovered and lost.events == () and lost.offset == 10, since
        kept = await _join(reader, epoch=joined.epoch, offset=5)
        assert kept.recovered and [e.offset for e in kept.events] == [6, 7, 8, 9, 10]
        resumed = await reader.request(
            "room.resume", RoomResume(project=ROOM, epoch=joined.epoch, since=7), RoomJoined
        )
        assert [e.offset for e in resumed.events] == [8, 9, 10]
    finally:
        await dev.close()
        await reader.close()


async def test_modes_travel_in_the_stream_and_outlive_a_restart(org: OrgServer) -> None:
    inbox = Inbox()
    lead = await org.client("lead@acme.test")
    dev = await org.client("dev@acme.test", inbox)
    try:
        assert (await _join(lead)).mode == "guidance"
        await _join(dev)
        changed = await lead.request(
            "room.publish",
            RoomPublish(project=ROOM, kind="mode", data={"mode": "control", "by": "lead"}),
            RoomPublished,
        )
        event = await _event(inbox)
        assert (event.kind, event.offset, event.data) == (
            "mode",
            changed.offset,
            {"mode": "control", "by": "lead"},
        )
        await _publish(lead, 1)  # a later event of another kind leaves the mode alone
        for bad in ({"mode": "chaos"}, {}):
            with pytest.raises(OrgError) as refused:
                await lead.call("room.publish", RoomPublish(project=ROOM, kind="mode", data=bad))
            assert refused.value.code == ErrorCode.INVALID_PARAMS
            assert "is not a valid RoomMode" in refused.value.message
    finally:
        await lead.close()
        await dev.close()
    newcomer = await org.client("dev2@acme.test")
    try:
        assert (await _join(newcomer)).mode == "control"
    finally:
        await newcomer.close()
    await org.stop()
    await org.start()
    after = await org.client("dev2@acme.test")
    try:
        assert (await _join(after)).mode == "control"
    finally:
        await after.close()


async def _changes(inbox: Inbox, count: int) -> list[Presence]:
    """Presence pushes until they have told of ``count`` changes."""
    pushes: list[Presence] = []
    while sum(len(p.changes) or 1 for p in pushes) < count:
        pushed = await inbox.next("presence")
        assert isinstance(pushed, Presence)
        pushes.append(pushed)
    return pushes


CROWD = ("dev@acme.test", "dev2@acme.test", "mgr@acme.test", "sec@acme.test")


async def _large_room(org: OrgServer, inbox: Inbox) -> tuple[OrgClient, list[OrgClient]]:
    """A watcher (lead, its pushes in ``inbox``) and a crowd of connections big enough for
    presence to be batched, not joined yet."""
    watcher = await org.client("lead@acme.test", inbox)
    crowd = [await org.client(CROWD[n % 4]) for n in range(PRESENCE_BATCH_FROM + 8)]
    return watcher, crowd


async def test_presence_in_a_large_room_comes_in_batches_that_miss_no_change(
    org: OrgServer,
) -> None:
    inbox = Inbox()
    watcher, crowd = await _large_room(org, inbox)
    emails = CROWD
    try:
        await _join(watcher)
        await asyncio.gather(*(_join(client) for client in crowd))
        came = await _changes(inbox, 1 + len(crowd))
        assert len(came) < 1 + len(crowd)  # the joins past the threshold were batched
        told = [(c.email, c.state) for p in came for c in p.changes or (p,)]
        assert sorted(told) == sorted(
            [("lead@acme.test", "joined")] + [(emails[n % 4], "joined") for n in range(len(crowd))]
        )
        assert all(p.changes[-1].email == p.email for p in came if p.changes)
        assert came[-1].online == tuple(sorted({"lead@acme.test", *emails}))
        await asyncio.gather(*(client.close() for client in crowd))
        went = await _changes(inbox, len(crowd))
        assert {c.state for p in went for c in p.changes or (p,)} == {"left"}
        assert went[-1].online == ("lead@acme.test",)
        await asyncio.sleep(0.3)
        assert not inbox.of("presence")  # nothing more, nothing twice
    finally:
        await watcher.close()
        await asyncio.gather(*(client.close() for client in crowd))


async def _delta(inbox: Inbox) -> PresenceDelta:
    pushed = await inbox.next("presence.delta")
    assert isinstance(pushed, PresenceDelta)
    return pushed


async def test_a_client_that_asks_for_deltas_is_told_only_who_came_and_went(
    org: OrgServer,
) -> None:
    deltas, fulls = Inbox(), Inbox()
    dev = await org.client("dev@acme.test", deltas)
    lead = await org.client("lead@acme.test", fulls)
    dev2 = await org.client("dev2@acme.test")
    dev2_again = await org.client("dev2@acme.test")
    try:
        joined = await _join(dev, presence="delta")
        assert joined.presence == ("dev@acme.test",)  # the snapshot the deltas apply to
        assert (await _delta(deltas)) == PresenceDelta(
            project=ROOM, joined=("dev@acme.test",), count=1
        )
        await _join(lead)  # a client of before deltas still gets whole lists
        assert (await _delta(deltas)).joined == ("lead@acme.test",)
        assert (await _presence(fulls, "lead@acme.test")).online == (
            "dev@acme.test",
            "lead@acme.test",
        )
        await _join(dev2)
        await _join(dev2_again)
        first, second = await _delta(deltas), await _delta(deltas)
        assert (first.joined, first.count) == (("dev2@acme.test",), 3)
        assert (second.joined, second.count) == (("dev2@acme.test",), 3)  # set semantics
        await dev2.close()  # dev2's other connection is still in the room
        still = await _delta(deltas)
        assert (still.joined, still.left, still.count) == (("dev2@acme.test",), (), 3)
        await dev2_again.close()
        gone = await _delta(deltas)
        assert (gone.joined, gone.left, gone.count) == ((), ("dev2@acme.test",), 2)
        await asyncio.sleep(0.2)
        assert not deltas.of("presence")  # never a whole list to a client that asked for deltas
        assert not fulls.of("presence.delta")
    finally:
        for client in (dev, lead, dev2, dev2_again):
            await client.close()


async def test_deltas_in_a_large_room_name_each_change_once_whatever_the_rooms_size(
    org: OrgServer,
) -> None:
    inbox = Inbox()
    watcher, crowd = await _large_room(org, inbox)
    emails = CROWD
    try:
        await _join(watcher, presence="delta")
        await _delta(inbox)
        await asyncio.gather(*(_join(client, presence="delta") for client in crowd))
        await asyncio.sleep(0.5)  # the last batch's window closes
        pushes = [p for p in inbox.of("presence.delta") if isinstance(p, PresenceDelta)]
        assert {e for p in pushes for e in p.joined} == set(emails)
        assert all(len(p.joined) == len(set(p.joined)) for p in pushes)  # each email once
        assert len(pushes) < len(crowd)  # batched
        assert sum(len(p.joined) for p in pushes) <= len(crowd)  # never the whole room again
        assert pushes[-1].count == 5
        inbox.items.clear()
        await asyncio.gather(*(client.close() for client in crowd))
        await asyncio.sleep(0.5)
        went = [p for p in inbox.of("presence.delta") if isinstance(p, PresenceDelta)]
        assert {e for p in went for e in p.left} == set(emails)
        assert went[-1].count == 1 and not inbox.of("presence")
    finally:
        await watcher.close()
        await asyncio.gather(*(client.close() for client in crowd))
