"""Pushes that other replicas must also deliver: publish them on the bus, and hand what other
replicas publish to the part of this replica that delivers that kind (rooms, approvals, …)."""

from __future__ import annotations

from uuid import uuid4

from pydantic import JsonValue

from .bus import Bus, BusMessage, DropCounter, Kind, LocalBus, Receiver, _ignore

__all__ = ["Fanout"]


class Fanout:
    """This replica's side of the bus."""

    def __init__(self, bus: Bus | None = None, dropped: DropCounter = _ignore) -> None:
        self.bus = bus or LocalBus(uuid4().hex)
        self.dropped = dropped
        """Told ``unknown`` for an authentic message that no part of this replica delivers."""
        self._receivers: dict[Kind, Receiver] = {}

    @property
    def replicated(self) -> bool:
        """Whether other replicas may exist (a bus other than the local one)."""
        return not isinstance(self.bus, LocalBus)

    def on(self, kind: Kind, receiver: Receiver) -> None:
        """Deliver other replicas' ``kind`` messages with ``receiver``."""
        self._receivers[kind] = receiver

    async def start(self, channel: str) -> None:
        await self.bus.start(channel, self._receive)

    async def publish(
        self, kind: Kind, org_id: str, method: str = "", params: dict[str, JsonValue] | None = None
    ) -> None:
        """Tell the other replicas (this one has delivered to its own connections already)."""
        if self.replicated:
            message = BusMessage(
                origin=self.bus.origin, kind=kind, org_id=org_id, method=method, params=params or {}
            )
            await self.bus.publish(message)

    async def close(self) -> None:
        await self.bus.close()

    async def _receive(self, message: BusMessage) -> None:
        receiver = self._receivers.get(message.kind)
        if receiver is None:
            self.dropped("unknown")
            return
        await receiver(message)
