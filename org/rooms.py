"""Project rooms: a stream of events per project with an epoch and offsets, and presence.

Each event is numbered and stored before it is pushed (one lock per room keeps pushes in offset
order). A client resumes after the last offset it saw; when the history no longer reaches back
that far, or the epoch changed, it is told ``recovered: false`` and re-syncs. Modes (seed §6.2)
travel in the stream as ``mode`` events; the current one is the last such event.

Presence carries the room's whole online list, so in a room of N a change costs N pushes of size
N, and N people joining cost N³. In a room over :data:`PRESENCE_BATCH_FROM` connections the
changes of :data:`PRESENCE_WINDOW` seconds therefore go out as one push (listing them all); in a
smaller room each change is pushed at once, on its own.
"""

from __future__ import annotations

import asyncio
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Literal

from accord.protocol.org import (
    Identity,
    Presence,
    PresenceChange,
    RoomEvent,
    RoomJoin,
    RoomJoined,
    RoomMode,
    RoomPublish,
    RoomPublished,
)

from .hub import Hub, Peer
from .metrics import Metrics
from .store import OrgStore

__all__ = ["Rooms"]

HISTORY = 1000
"""Events kept per room for resuming."""
_RESUME_LIMIT = 1000
PRESENCE_BATCH_FROM = 32
"""Connections in a room above which presence changes are sent in batches."""
PRESENCE_WINDOW = 0.1
"""Seconds of presence changes sent as one push in a large room."""


@dataclass(slots=True)
class _Batch:
    """Presence changes of one room waiting to be pushed together."""

    org_id: str
    project: str
    changes: list[PresenceChange] = field(default_factory=list)


class Rooms:
    """Joining, leaving, publishing and resuming."""

    def __init__(self, store: OrgStore, hub: Hub, metrics: Metrics, history: int = HISTORY) -> None:
        self._store, self._hub, self._metrics, self.history = store, hub, metrics, history
        self._locks: dict[tuple[str, str], asyncio.Lock] = defaultdict(asyncio.Lock)
        self._modes: dict[tuple[str, str], RoomMode] = {}
        self._batches: dict[tuple[str, str], _Batch] = {}

    async def join(self, peer: Peer, caller: Identity, params: RoomJoin) -> RoomJoined:
        """Enter the room, with what was missed since ``(epoch, offset)`` when given."""
        first_time = params.project not in peer.rooms
        self._hub.join(peer, params.project)
        joined = await self._position(caller, params.project, params.epoch, params.offset)
        if first_time:
            self._presence(caller, params.project, "joined")
        return joined

    async def resume(
        self, caller: Identity, project: str, epoch: str, since: int
    ) -> RoomJoined:
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
        key = (caller.org_id, params.project)
        async with self._locks[key]:
            event = await self._store.append_room_event(
                caller.org_id, params.project, params.kind, caller.email, data, self.history
            )
            self._hub.push_room(caller.org_id, params.project, "room.event", event, exclude=peer)
            if params.kind == "mode":
                self._modes[key] = RoomMode(str(data["mode"]))
        self._metrics.room_events.inc()
        return RoomPublished(epoch=event.epoch, offset=event.offset)

    async def _position(
        self, caller: Identity, project: str, epoch: str | None, since: int | None
    ) -> RoomJoined:
        state = await self._store.room_state(caller.org_id, project)
        mode = await self._mode(caller.org_id, project)
        online = self._hub.online(caller.org_id, project)
        if epoch is None or since is None:
            return RoomJoined(project=project, epoch=state.epoch, offset=state.offset,
                              recovered=epoch is None, presence=online, mode=mode)
        reaches = state.first <= since + 1 and since <= state.offset
        if epoch != state.epoch or not reaches:
            return RoomJoined(project=project, epoch=state.epoch, offset=state.offset,
                              recovered=False, presence=online, mode=mode)
        events: list[RoomEvent] = await self._store.room_events(
            caller.org_id, project, since, _RESUME_LIMIT
        )
        offset = events[-1].offset if events else since
        return RoomJoined(project=project, epoch=state.epoch, offset=offset, recovered=True,
                          events=tuple(events), presence=online, mode=mode)

    async def _mode(self, org_id: str, project: str) -> RoomMode:
        """The last ``mode`` event's mode; after a restart, read back from the room's history."""
        key = (org_id, project)
        async with self._locks[key]:
            if key not in self._modes:
                events = await self._store.room_events(org_id, project, 0, self.history)
                modes = [e.data.get("mode") for e in events if e.kind == "mode"]
                self._modes[key] = RoomMode(str(modes[-1])) if modes else RoomMode.GUIDANCE
            return self._modes[key]

    def _presence(
        self, caller: Identity, project: str, state: Literal["joined", "left"]
    ) -> None:
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

    def _flush(self, key: tuple[str, str]) -> None:
        batch = self._batches.pop(key)
        self._push_presence(batch.org_id, batch.project, batch.changes)

    def _push_presence(self, org_id: str, project: str, changes: list[PresenceChange]) -> None:
        last = changes[-1]
        message = Presence(
            project=project, email=last.email, state=last.state,
            online=self._hub.online(org_id, project),
            changes=tuple(changes) if len(changes) > 1 else (),
        )
        self._hub.push_room(org_id, project, "presence", message)
