"""Project rooms: a stream of events per project with an epoch and offsets, and presence.

Each event is numbered and stored before it is pushed (one lock per room keeps pushes in offset
order). A client resumes after the last offset it saw; when the history no longer reaches back
that far, or the epoch changed, it is told ``recovered: false`` and re-syncs. Modes (seed §6.2)
travel in the stream as ``mode`` events; the current one is the last such event.

Presence carries the room's whole online list, so in a room of N a change costs N pushes of size
N, and N people joining cost N³. In a room over :data:`PRESENCE_BATCH_FROM` connections the
changes of :data:`PRESENCE_WINDOW` seconds therefore go out as one push (listing them all); in a
smaller room each change is pushed at once, on its own. A client that joined with
``presence: "delta"`` gets ``presence.delta`` instead, naming only who came and went (its size
bounded by the changes, not the room; see :func:`delta`); its snapshot is the join's answer.

With several replicas, every replica delivers every room's events in offset order: an event that
arrives (over the bus) ahead of one it has not seen yet makes it read the missing ones from the
store first, and one it has delivered already is dropped. Presence is the union of this replica's
members and the rosters other replicas announce (a replica not heard from for
:data:`ROSTER_TTL` seconds is taken to be gone).
"""

from __future__ import annotations

import asyncio
import json
import time
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Literal

from pydantic import JsonValue

from accord.protocol.org import (
    Identity,
    Presence,
    PresenceChange,
    PresenceDelta,
    RoomEvent,
    RoomJoin,
    RoomJoined,
    RoomMode,
    RoomPublish,
    RoomPublished,
)

from .bus import BusMessage
from .fanout import Fanout
from .hub import Hub, Peer
from .metrics import Metrics
from .paging import HISTORY_BYTES, MAX_EVENT_BYTES, read_page
from .store import OrgStore

__all__ = ["HISTORY_BYTES", "Rooms", "delta"]

HISTORY = 1000
"""Events kept per room for resuming."""
_RESUME_LIMIT = 1000
ROSTER_SECONDS = 5.0
"""How often a replica announces who is in its rooms."""
ROSTER_TTL = 3 * ROSTER_SECONDS
RoomKey = tuple[str, str]
PRESENCE_BATCH_FROM = 32
"""Connections in a room above which presence changes are sent in batches."""
PRESENCE_WINDOW = 0.1
"""Seconds of presence changes sent as one push in a large room."""


def delta(
    project: str, changes: list[PresenceChange] | tuple[PresenceChange, ...], online: set[str]
) -> PresenceDelta:
    """The delta of ``changes`` given who is ``online`` after them: each changed email once,
    as joined when it is online now (another connection of it may remain), else as left."""
    changed = dict.fromkeys(c.email for c in changes)
    return PresenceDelta(
        project=project,
        joined=tuple(e for e in changed if e in online),
        left=tuple(e for e in changed if e not in online),
        count=len(online),
    )


def _wants_delta(project: str) -> tuple[Callable[[Peer], bool], Callable[[Peer], bool]]:
    """Filters of a room's peers: those that get deltas, and those that get full lists."""
    return (lambda p: project in p.delta_rooms), (lambda p: project not in p.delta_rooms)


@dataclass(slots=True)
class _Batch:
    """Presence changes of one room waiting to be pushed together."""

    org_id: str
    project: str
    changes: list[PresenceChange] = field(default_factory=list)


class Rooms:
    """Joining, leaving, publishing and resuming."""

    def __init__(
        self,
        store: OrgStore,
        hub: Hub,
        metrics: Metrics,
        history: int = HISTORY,
        fanout: Fanout | None = None,
    ) -> None:
        self._store, self._hub, self._metrics, self.history = store, hub, metrics, history
        self.history_bytes = HISTORY_BYTES
        self._unchecked: dict[RoomKey, int] = defaultdict(int)
        """Bytes published per room since its history was last trimmed to its byte budget."""
        self._fanout = fanout or Fanout()
        self._locks: dict[RoomKey, asyncio.Lock] = defaultdict(asyncio.Lock)
        self._relay_locks: dict[RoomKey, asyncio.Lock] = defaultdict(asyncio.Lock)
        self._modes: dict[RoomKey, RoomMode] = {}
        self._delivered: dict[RoomKey, tuple[str, int]] = {}
        """The last event this replica pushed, per room: (epoch, offset)."""
        self._remote: dict[RoomKey, dict[str, tuple[tuple[str, ...], float]]] = defaultdict(dict)
        """Other replicas' members per room: origin → (emails, when heard)."""
        self._fanout.on("room", self._remote_event)
        self._fanout.on("presence", self._remote_presence)
        self._fanout.on("roster", self._remote_roster)
        self._batches: dict[RoomKey, _Batch] = {}
        self._background: set[asyncio.Task[None]] = set()

    async def join(self, peer: Peer, caller: Identity, params: RoomJoin) -> RoomJoined:
        """Enter the room, with what was missed since ``(epoch, offset)`` when given."""
        first_time = params.project not in peer.rooms
        self._hub.join(peer, params.project)
        if params.presence == "delta":
            peer.delta_rooms.add(params.project)
        else:
            peer.delta_rooms.discard(params.project)
        joined = await self._position(caller, params.project, params.epoch, params.offset)
        if first_time:
            self._presence(caller, params.project, "joined")
        return joined

    async def resume(self, caller: Identity, project: str, epoch: str, since: int) -> RoomJoined:
        return await self._position(caller, project, epoch, since)

    def leave(self, peer: Peer, caller: Identity, project: str) -> None:
        if self._hub.leave(peer, project):
            self._presence(caller, project, "left")

    def disconnected(self, caller: Identity, rooms: list[str]) -> None:
        """Presence for the rooms a closed connection was in."""
        for project in rooms:
            self._presence(caller, project, "left")

    async def publish(self, peer: Peer, caller: Identity, params: RoomPublish) -> RoomPublished:
        """Store the event and push it to everyone else in the room."""
        if params.kind == "mode":
            mode = RoomMode(str(params.data.get("mode")))
            data = {**params.data, "mode": mode.value}
        else:
            data = params.data
        size = len(json.dumps(data, separators=(",", ":"), ensure_ascii=False).encode())
        if size > MAX_EVENT_BYTES:
            raise ValueError(
                f"room.publish: data of {size:,} bytes is over the limit of {MAX_EVENT_BYTES:,}"
            )
        key = (caller.org_id, params.project)
        async with self._locks[key]:
            event = await self._store.append_room_event(
                caller.org_id,
                params.project,
                params.kind,
                caller.email,
                data,
                self.history,
                self._trim_to(key, size),
            )
            await self._deliver(caller.org_id, event, exclude=peer)
        await self._fanout.publish(
            "room", caller.org_id, "room.event", {"event": event.model_dump(mode="json")}
        )
        self._metrics.room_events.inc()
        return RoomPublished(epoch=event.epoch, offset=event.offset)

    def _trim_to(self, key: RoomKey, size: int) -> int | None:
        """The byte budget to trim a room's history to with this event, once an eighth of it
        has been published since the last trim (a trim reads the whole history); else None.
        History so stays within 9/8 of the budget (per replica publishing into the room)."""
        self._unchecked[key] += size
        if self._unchecked[key] < self.history_bytes // 8:
            return None
        self._unchecked[key] = 0
        return self.history_bytes

    async def _deliver(self, org_id: str, event: RoomEvent, exclude: Peer | None = None) -> None:
        """Push ``event`` to this replica's members of its room, after any event before it that
        this replica has not pushed yet (read back from the store); never one twice."""
        key = (org_id, event.project)
        async with self._relay_locks[key]:
            known = self._delivered.get(key)
            if known is not None and known[0] == event.epoch:
                if event.offset <= known[1]:
                    return
                if event.offset > known[1] + 1:
                    missing = await self._store.room_events(
                        org_id, event.project, known[1], event.offset - known[1] - 1
                    )
                    for earlier in missing:
                        self._push(org_id, earlier, None)
            self._push(org_id, event, exclude)
            self._delivered[key] = (event.epoch, event.offset)

    def _push(self, org_id: str, event: RoomEvent, exclude: Peer | None) -> None:
        self._hub.push_room(org_id, event.project, "room.event", event, exclude=exclude)
        if event.kind == "mode":
            self._modes[(org_id, event.project)] = RoomMode(str(event.data.get("mode")))

    async def _remote_event(self, message: BusMessage) -> None:
        event = RoomEvent.model_validate(message.params["event"])
        await self._deliver(message.org_id, event)

    async def _position(
        self, caller: Identity, project: str, epoch: str | None, since: int | None
    ) -> RoomJoined:
        state = await self._store.room_state(caller.org_id, project)
        self._delivered.setdefault((caller.org_id, project), (state.epoch, state.offset))
        mode = await self._mode(caller.org_id, project)
        online = self.online(caller.org_id, project)
        if epoch is None or since is None:
            return RoomJoined(
                project=project,
                epoch=state.epoch,
                offset=state.offset,
                recovered=epoch is None,
                presence=online,
                mode=mode,
            )
        reaches = state.first <= since + 1 and since <= state.offset
        if epoch != state.epoch or not reaches:
            return RoomJoined(
                project=project,
                epoch=state.epoch,
                offset=state.offset,
                recovered=False,
                presence=online,
                mode=mode,
            )
        events, more = await read_page(
            lambda after, limit: self._store.room_events(caller.org_id, project, after, limit),
            lambda event: event.offset,
            lambda event: len(event.model_dump_json()),
            since,
            _RESUME_LIMIT,
        )
        offset = events[-1].offset if events else since
        return RoomJoined(
            project=project,
            epoch=state.epoch,
            offset=offset,
            recovered=True,
            events=tuple(events),
            presence=online,
            mode=mode,
            more=more,
        )

    async def _mode(self, org_id: str, project: str) -> RoomMode:
        """The last ``mode`` event's mode; after a restart, read back from the room's history."""
        key = (org_id, project)
        async with self._locks[key]:
            if key not in self._modes:
                events = await self._store.room_events(org_id, project, 0, self.history)
                modes = [e.data.get("mode") for e in events if e.kind == "mode"]
                self._modes[key] = RoomMode(str(modes[-1])) if modes else RoomMode.GUIDANCE
            return self._modes[key]

    def online(self, org_id: str, project: str) -> tuple[str, ...]:
        """The emails of the users in a room on any replica, sorted."""
        emails = set(self._hub.online(org_id, project))
        fresh = time.monotonic() - ROSTER_TTL
        for members, heard in self._remote.get((org_id, project), {}).values():
            if heard >= fresh:
                emails.update(members)
        return tuple(sorted(emails))

    def _presence(self, caller: Identity, project: str, state: Literal["joined", "left"]) -> None:
        key = (caller.org_id, project)
        change = PresenceChange(email=caller.email, state=state)
        batch = self._batches.get(key)
        if batch is None and self._hub.room_size(*key) <= PRESENCE_BATCH_FROM:
            self._push_presence(caller.org_id, project, [change])
            return
        if batch is None:
            batch = self._batches[key] = _Batch(caller.org_id, project)
            asyncio.get_running_loop().call_later(PRESENCE_WINDOW, self._flush, key)
        batch.changes.append(change)

    def _flush(self, key: RoomKey) -> None:
        batch = self._batches.pop(key)
        self._push_presence(batch.org_id, batch.project, batch.changes)

    def _push_presence(self, org_id: str, project: str, changes: list[PresenceChange]) -> None:
        """Push to this replica's members of the room, and (in the background) tell the others."""
        last = changes[-1]
        online = self.online(org_id, project)
        message = Presence(
            project=project,
            email=last.email,
            state=last.state,
            online=online,
            changes=tuple(changes) if len(changes) > 1 else (),
        )
        self._push_both(org_id, message, changes, online)
        if self._fanout.replicated:
            told = asyncio.create_task(
                self._fanout.publish(
                    "presence",
                    org_id,
                    "presence",
                    {
                        "presence": message.model_dump(mode="json"),
                        "members": list(self._hub.online(org_id, project)),
                    },
                )
            )
            self._background.add(told)
            told.add_done_callback(self._background.discard)

    async def _remote_presence(self, message: BusMessage) -> None:
        presence = Presence.model_validate(message.params["presence"])
        members = message.params.get("members")
        key = (message.org_id, presence.project)
        emails = tuple(str(m) for m in members) if isinstance(members, list) else ()
        self._remote[key][message.origin] = (emails, time.monotonic())
        online = self.online(*key)
        shown = presence.model_copy(update={"online": online})
        self._push_both(message.org_id, shown, presence.changes or (presence,), online)

    def _push_both(
        self,
        org_id: str,
        full: Presence,
        changes: list[PresenceChange] | tuple[PresenceChange | Presence, ...],
        online: tuple[str, ...],
    ) -> None:
        """Push ``full`` to the room's members that want whole lists, its delta to the rest."""
        deltas, fulls = _wants_delta(full.project)
        self._hub.push_room(org_id, full.project, "presence", full, where=fulls)
        told = [PresenceChange(email=c.email, state=c.state) for c in changes]
        self._hub.push_room(
            org_id,
            full.project,
            "presence.delta",
            delta(full.project, told, set(online)),
            where=deltas,
        )

    async def announce(self) -> None:
        """Tell the other replicas who is in this replica's rooms (and that it is alive)."""
        rooms: list[JsonValue] = [
            [org_id, project, list(self._hub.online(org_id, project))]
            for org_id, project in self._hub.rooms()
        ]
        await self._fanout.publish("roster", "*", "", {"rooms": rooms})

    async def _remote_roster(self, message: BusMessage) -> None:
        now = time.monotonic()
        listed: set[RoomKey] = set()
        rooms = message.params.get("rooms")
        for entry in rooms if isinstance(rooms, list) else []:
            if isinstance(entry, list) and len(entry) == 3 and isinstance(entry[2], list):
                key = (str(entry[0]), str(entry[1]))
                listed.add(key)
                self._remote[key][message.origin] = (tuple(str(e) for e in entry[2]), now)
        for key, origins in self._remote.items():
            if key not in listed:
                origins.pop(message.origin, None)
