"""Who is connected: authenticated peers by user, organisation and room, and pushes to them.

A push is encoded once and written to every recipient's socket without waiting
(``websockets.broadcast``): a slow reader never holds up the others. Connections whose transport
is closing are passed over: once a write to a reset connection has failed, asyncio logs every
further write to it ("socket.send() raised exception") until the loop gets round to closing it,
and a burst of pushes (presence as a room empties) would write thousands of such lines.
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import datetime
from typing import TypeVar
from uuid import uuid4

from websockets.asyncio.server import ServerConnection, broadcast

from accord.protocol.org import Identity, Message

__all__ = ["Hub", "Peer", "notification"]

K = TypeVar("K")


def notification(method: str, params: Message) -> str:
    """A JSON-RPC notification frame carrying ``params``."""
    body = {"jsonrpc": "2.0", "method": method, "params": params.model_dump(mode="json")}
    return json.dumps(body, separators=(",", ":"), ensure_ascii=False)


@dataclass(eq=False)
class Peer:
    """One connection; ``identity`` is set once it has authenticated."""

    socket: ServerConnection
    session_id: str = field(default_factory=lambda: uuid4().hex)
    identity: Identity | None = None
    rooms: set[str] = field(default_factory=set)
    token_epoch: int = 0
    """The user's token epoch when it authenticated (a later bump revokes the connection)."""
    checked_at: float = 0.0
    """When (``time.monotonic``) the user was last read from the store."""
    access_expires_at: datetime | None = None
    """When the access token it authenticated with (most recently) expires."""
    delta_rooms: set[str] = field(default_factory=set)
    """The rooms it joined with ``presence: "delta"`` (it gets ``presence.delta`` there)."""

    def push(self, method: str, params: Message) -> None:
        _broadcast([self.socket], notification(method, params))


class Hub:
    """The authenticated peers of this process."""

    def __init__(self) -> None:
        self._by_user: dict[str, set[Peer]] = defaultdict(set)
        self._by_org: dict[str, set[Peer]] = defaultdict(set)
        self._rooms: dict[tuple[str, str], set[Peer]] = defaultdict(set)

    def __len__(self) -> int:
        return sum(len(peers) for peers in self._by_org.values())

    def add(self, peer: Peer) -> None:
        identity = _identity(peer)
        self._by_user[identity.user_id].add(peer)
        self._by_org[identity.org_id].add(peer)

    def remove(self, peer: Peer) -> list[str]:
        """Forget ``peer``; returns the rooms it was in."""
        if peer.identity is None:
            return []
        identity = peer.identity
        _discard(self._by_user, identity.user_id, peer)
        _discard(self._by_org, identity.org_id, peer)
        left = sorted(peer.rooms)
        for project in left:
            _discard(self._rooms, (identity.org_id, project), peer)
        peer.rooms.clear()
        peer.delta_rooms.clear()
        return left

    def join(self, peer: Peer, project: str) -> None:
        self._rooms[(_identity(peer).org_id, project)].add(peer)
        peer.rooms.add(project)

    def leave(self, peer: Peer, project: str) -> bool:
        """Take ``peer`` out of the room; False when it was not in it."""
        if project not in peer.rooms:
            return False
        peer.rooms.discard(project)
        peer.delta_rooms.discard(project)
        _discard(self._rooms, (_identity(peer).org_id, project), peer)
        return True

    def online(self, org_id: str, project: str) -> tuple[str, ...]:
        """The emails of the users in a room, sorted."""
        peers = self._rooms.get((org_id, project), ())
        return tuple(sorted({_identity(p).email for p in peers}))

    def rooms(self) -> list[tuple[str, str]]:
        """The (organisation, project) rooms with someone in them here."""
        return list(self._rooms)

    def room_size(self, org_id: str, project: str) -> int:
        """How many connections are in a room."""
        return len(self._rooms.get((org_id, project), ()))

    def room_peers(self, org_id: str, project: str) -> tuple[Peer, ...]:
        """The connections in a room here."""
        return tuple(self._rooms.get((org_id, project), ()))

    def in_room(self, org_id: str, project: str, email: str) -> bool:
        peers = self._rooms.get((org_id, project), ())
        return any(_identity(p).email == email for p in peers)

    def org_peers(self, org_id: str) -> Iterable[Peer]:
        return tuple(self._by_org.get(org_id, ()))

    def push_org(
        self,
        org_id: str,
        method: str,
        params: Callable[[Identity], Message | None] | Message,
    ) -> int:
        """Push to the org's peers; with a function, each gets what it returns (None: nothing).
        Returns how many peers were sent something."""
        if isinstance(params, Message):
            peers = list(self._by_org.get(org_id, ()))
            _broadcast([p.socket for p in peers], notification(method, params))
            return len(peers)
        sent = 0
        for peer in tuple(self._by_org.get(org_id, ())):
            message = params(_identity(peer))
            if message is not None:
                peer.push(method, message)
                sent += 1
        return sent

    def push_room(
        self,
        org_id: str,
        project: str,
        method: str,
        params: Message,
        exclude: Peer | None = None,
        where: Callable[[Peer], bool] | None = None,
    ) -> int:
        """Push one frame to everyone in a room (but ``exclude``; only those ``where`` accepts,
        when given); returns how many. Nothing is encoded when nobody is to get it."""
        peers = [
            p.socket
            for p in self._rooms.get((org_id, project), ())
            if p is not exclude and (where is None or where(p))
        ]
        if peers:
            _broadcast(peers, notification(method, params))
        return len(peers)


def _broadcast(sockets: list[ServerConnection], frame: str) -> None:
    broadcast([s for s in sockets if not s.transport.is_closing()], frame)


def _identity(peer: Peer) -> Identity:
    if peer.identity is None:
        raise RuntimeError("the peer has not authenticated")
    return peer.identity


def _discard(table: dict[K, set[Peer]], key: K, peer: Peer) -> None:
    peers = table.get(key)
    if peers is not None:
        peers.discard(peer)
        if not peers:
            del table[key]
