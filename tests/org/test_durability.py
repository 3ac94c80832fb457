"""Crash safety: kill -9 the org server in the middle of a stream of decisions and room events,
restart it on the same store and port, and find everything it acknowledged — twenty times over.

Each round opens approval requests, then streams decisions (one client) and room events (another)
while a third member watches the room; once a round-dependent number of answers has come back the
server is killed with requests still in flight. After the restart every acknowledged decision and
event is there, the audit chain verifies, and the watcher resumes from the last offset it saw with
no gap and no duplicate. The store carries over from round to round, so later rounds check the
earlier rounds' crashes too.
"""

from __future__ import annotations

import asyncio
import signal
from collections.abc import Awaitable
from dataclasses import dataclass, field

from accord.org.client import OrgClient, OrgError
from accord.protocol.org import (
    ApprovalDecide,
    ApprovalRef,
    ApprovalRequestParams,
    ApprovalView,
    AuditVerified,
    AuditVerify,
    RiskSummary,
    RoomEvent,
    RoomJoin,
    RoomJoined,
    RoomPublish,
    RoomPublished,
)
from accord.protocol.rpc import ErrorCode

from .proposals import summary
from .server import Inbox, OrgServer

ROUNDS = 20
APPROVALS = 8
WINDOW = 4
"""Requests each stream keeps in flight."""
ROOM = "shop"


@dataclass
class Acks:
    """What the server answered before it died."""

    goal: int
    decisions: dict[str, str] = field(default_factory=dict)
    """approval id → the decision acknowledged."""
    events: dict[int, int] = field(default_factory=dict)
    """offset → the ``n`` published at it."""
    reached: asyncio.Event = field(default_factory=asyncio.Event)

    def count(self) -> None:
        if len(self.decisions) + len(self.events) >= self.goal:
            self.reached.set()


def _ask(round_: int, index: int) -> ApprovalRequestParams:
    return ApprovalRequestParams(
        project=ROOM,
        proposal=summary(
            f"round {round_} change {index}",
            proposal_id=f"p-{round_}-{index}",
            title=f"change {index}",
        ),
        risk=RiskSummary(score=6, reasons="supervised"),
    )


async def _in_flight(calls: list[Awaitable[None]]) -> None:
    """Run ``calls`` concurrently (pipelined on one connection); raise the first failure."""
    outcomes = await asyncio.gather(*calls, return_exceptions=True)
    for outcome in outcomes:
        if isinstance(outcome, BaseException):
            raise outcome


async def _decide(lead: OrgClient, views: list[ApprovalView], acks: Acks) -> None:
    async def one(index: int, view: ApprovalView) -> None:
        decision = "approve" if index % 2 == 0 else "reject"
        await lead.request(
            "approval.decide",
            ApprovalDecide(
                approval_id=view.id, decision=decision, content_hash=view.proposal.content_hash
            ),
            ApprovalView,
        )
        acks.decisions[view.id] = decision
        acks.count()

    for start in range(0, len(views), WINDOW):
        await _in_flight([one(i, v) for i, v in enumerate(views) if start <= i < start + WINDOW])


async def _publish(dev: OrgClient, round_: int, acks: Acks) -> None:
    async def one(n: int) -> None:
        published = await dev.request(
            "room.publish",
            RoomPublish(project=ROOM, kind="agent_action", data={"round": round_, "n": n}),
            RoomPublished,
        )
        acks.events[published.offset] = n
        acks.count()

    for start in range(0, 10_000, WINDOW):
        await _in_flight([one(n) for n in range(start, start + WINDOW)])


async def _until_killed(job: asyncio.Task[None]) -> None:
    """Wait for a stream to end; only the server going away may end it early."""
    try:
        await job
    except OrgError as error:
        assert error.code == ErrorCode.UNAVAILABLE, error


@dataclass
class Watcher:
    """A member who watches the room and remembers the last offset seen."""

    inbox: Inbox
    client: OrgClient
    epoch: str
    start: int

    def events(self) -> list[RoomEvent]:
        return [e for e in self.inbox.of("room.event") if isinstance(e, RoomEvent)]

    def offsets(self) -> list[int]:
        return [e.offset for e in self.events()]


async def _watch(org: OrgServer) -> Watcher:
    inbox = Inbox()
    client = await org.client("dev2@acme.test", inbox)
    joined = await client.request("room.join", RoomJoin(project=ROOM), RoomJoined)
    return Watcher(inbox, client, joined.epoch, joined.offset)


async def _crash_round(org: OrgServer, round_: int) -> tuple[Acks, Watcher]:
    """Open requests, stream decisions and events, and kill the server mid-stream."""
    dev = await org.client("dev@acme.test")
    lead = await org.client("lead@acme.test")
    watcher = await _watch(org)
    await dev.request("room.join", RoomJoin(project=ROOM), RoomJoined)
    views = [
        await dev.request("approval.request", _ask(round_, i), ApprovalView)
        for i in range(APPROVALS)
    ]
    acks = Acks(goal=2 + (round_ * 5) % 17)
    streams = [
        asyncio.create_task(_decide(lead, views, acks)),
        asyncio.create_task(_publish(dev, round_, acks)),
    ]
    await asyncio.wait_for(acks.reached.wait(), 30)
    await asyncio.sleep(0.002 * (round_ % 6))  # land the kill at different points of the work
    await org.stop(signal.SIGKILL)
    for stream in streams:
        await asyncio.wait_for(_until_killed(stream), 10)
    for client in (dev, lead, watcher.client):
        await client.close()
    return acks, watcher


async def _check_decisions(lead: OrgClient, acks: Acks) -> None:
    for approval_id, decision in acks.decisions.items():
        view = await lead.request(
            "approval.get", ApprovalRef(approval_id=approval_id), ApprovalView
        )
        if decision == "approve":
            assert [v.email for v in view.approvals] == ["lead@acme.test"], view
        else:
            assert view.state == "rejected" and view.decided_by == "lead@acme.test", view


async def _check_room(org: OrgServer, watcher: Watcher, acks: Acks, round_: int) -> None:
    seen = watcher.offsets()
    assert seen == list(range(watcher.start + 1, watcher.start + 1 + len(seen)))
    last = seen[-1] if seen else watcher.start
    client = await org.client("dev2@acme.test")
    try:
        back = await client.request(
            "room.join", RoomJoin(project=ROOM, epoch=watcher.epoch, offset=last), RoomJoined
        )
    finally:
        await client.close()
    assert back.recovered and back.epoch == watcher.epoch
    resumed = [e.offset for e in back.events]
    assert resumed == list(range(last + 1, back.offset + 1))  # no gap, no duplicate
    stream = seen + resumed
    assert stream == list(range(watcher.start + 1, back.offset + 1))
    received: dict[int, RoomEvent] = {e.offset: e for e in back.events}
    received |= {e.offset: e for e in watcher.events()}
    for offset, n in acks.events.items():
        assert received[offset].data == {"round": round_, "n": n}, offset


async def test_a_killed_server_keeps_everything_it_acknowledged(org: OrgServer) -> None:
    port = org.port
    cut_short = 0
    for round_ in range(ROUNDS):
        acks, watcher = await _crash_round(org, round_)
        assert acks.reached.is_set()
        cut_short += len(acks.decisions) < APPROVALS
        await org.start(port)
        lead = await org.client("lead@acme.test")
        try:
            await _check_decisions(lead, acks)
            await _check_room(org, watcher, acks, round_)
            verified = await lead.request("audit.verify", AuditVerify(), AuditVerified)
            assert verified.ok and not verified.findings, (round_, verified)
            assert verified.count >= 3 * APPROVALS * (round_ + 1) + len(acks.decisions)
        except AssertionError as error:
            raise AssertionError(f"round {round_}: {error}") from error
        finally:
            await lead.close()
    assert cut_short, "every round decided everything: the kills did not land mid-stream"
