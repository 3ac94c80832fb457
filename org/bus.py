"""How replicas tell each other what to push: a publish/subscribe bus.

One process needs none (:class:`LocalBus`: every push is delivered locally and that is all).
Several replicas share a Redis server (:class:`RedisBus`, ``--bus redis://…``): each push is
delivered to the publishing replica's own connections at once and published on the cluster's
channel; every other replica delivers it to its connections. The channel is named after the
store's cluster id, so replicas of one store find each other without configuration.

Every frame is authenticated (:mod:`accord.org.busauth`: an HMAC under the cluster's secret,
kept in the store, with a timestamp and nonce checked against a replay window): a forged,
replayed, stale or malformed frame is dropped and counted (``accord_bus_dropped_total``), never
delivered. Give Redis a password or ACL user and TLS (``rediss://``) as well: the MAC keeps
strangers from speaking on the bus, not from listening.

Redis pub/sub delivers at most once. What must not be missed does not depend on it: room events
are numbered in the store and a replica that sees a gap reads the missing ones back from it, and
clients resume from their last offset when they reconnect.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Awaitable, Callable
from contextlib import suppress
from typing import Literal, Protocol, cast

from pydantic import BaseModel, ConfigDict, JsonValue
from redis.asyncio import Redis
from redis.exceptions import RedisError

from .busauth import Dropped, Opener, seal

__all__ = ["Bus", "BusError", "BusMessage", "LocalBus", "RedisBus", "open_bus"]

log = logging.getLogger(__name__)

Kind = Literal["org", "approval", "room", "presence", "roster"]
Receiver = Callable[["BusMessage"], Awaitable[None]]
DropCounter = Callable[[str], None]
"""Told the reason each time a frame from the bus is dropped."""


_LOG_EVERY = 10.0


def _ignore(reason: str) -> None:
    return None


class BusError(ValueError):
    """A ``--bus`` value Accord cannot use."""


class BusMessage(BaseModel):
    """One push on its way to the other replicas."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    origin: str
    """The publishing replica (it has delivered the push to its own connections already)."""
    kind: Kind
    org_id: str
    method: str = ""
    params: dict[str, JsonValue] = {}


class Bus(Protocol):
    origin: str
    """This replica's id; its own messages are not delivered back to it."""

    async def start(self, channel: str, receive: Receiver) -> None:
        """Begin delivering other replicas' messages on ``channel`` to ``receive``."""
        ...

    async def publish(self, message: BusMessage) -> None: ...

    async def close(self) -> None: ...


class LocalBus:
    """One process: nothing to tell anyone."""

    def __init__(self, origin: str) -> None:
        self.origin = origin

    async def start(self, channel: str, receive: Receiver) -> None:
        return None

    async def publish(self, message: BusMessage) -> None:
        return None

    async def close(self) -> None:
        return None


class RedisBus:
    """Redis pub/sub between replicas, every frame authenticated under ``secret``; reconnects
    (with backoff) when Redis goes away."""

    def __init__(
        self, url: str, origin: str, secret: bytes, dropped: DropCounter = _ignore
    ) -> None:
        self.url, self.origin = url, origin
        self._secret, self._dropped = secret, dropped
        self._opener = Opener(secret)
        self._logged: dict[str, float] = {}
        self._redis: Redis | None = None
        self._channel = ""
        self._reader: asyncio.Task[None] | None = None
        self._subscribed = asyncio.Event()

    async def start(self, channel: str, receive: Receiver) -> None:
        self._channel = channel
        self._redis = Redis.from_url(self.url)
        await cast("Awaitable[bool]", self._redis.ping())  # a bad URL fails now, not at a push
        self._reader = asyncio.create_task(self._read(receive), name="accord-bus-reader")
        await asyncio.wait_for(self._subscribed.wait(), timeout=10)

    async def publish(self, message: BusMessage) -> None:
        if self._redis is None:
            return
        try:
            frame = seal(self._secret, message.model_dump_json(), time.time())
            await self._redis.publish(self._channel, frame)
        except RedisError as error:
            log.warning("could not publish to the other replicas: %s", error)

    async def close(self) -> None:
        if self._reader is not None:
            self._reader.cancel()
            with suppress(asyncio.CancelledError):
                await self._reader
        if self._redis is not None:
            await self._redis.aclose()
            self._redis = None

    async def _read(self, receive: Receiver) -> None:
        delay = 0.1
        while True:
            try:
                assert self._redis is not None
                async with self._redis.pubsub(ignore_subscribe_messages=True) as pubsub:
                    await pubsub.subscribe(self._channel)
                    self._subscribed.set()
                    delay = 0.1
                    async for raw in pubsub.listen():
                        await self._dispatch(raw, receive)
            except asyncio.CancelledError:
                raise
            except (RedisError, OSError) as error:
                log.warning("lost the bus (%s); reconnecting in %.1f s", error, delay)
                await asyncio.sleep(delay)
                delay = min(delay * 2, 5.0)

    async def _dispatch(self, raw: dict[str, object], receive: Receiver) -> None:
        if raw.get("type") != "message":
            return
        data = raw.get("data")
        try:
            body = self._opener.open(data if isinstance(data, bytes | str) else b"", time.time())
            message = BusMessage.model_validate_json(body)
        except Dropped as drop:
            self._drop(drop.reason)
            return
        except ValueError:
            self._drop("malformed")
            return
        if message.origin == self.origin:
            return
        try:
            await receive(message)
        except Exception:
            log.exception(
                "delivering a %s push from replica %s failed", message.kind, message.origin
            )

    def _drop(self, reason: str) -> None:
        """Count the drop; log it at most every 10 s per reason (a flood stays one line)."""
        self._dropped(reason)
        now = time.monotonic()
        if now - self._logged.get(reason, -_LOG_EVERY) >= _LOG_EVERY:
            self._logged[reason] = now
            log.warning(
                "dropped a %s frame from the bus (counted in accord_bus_dropped_total)", reason
            )


def open_bus(
    url: str | None, origin: str, secret: bytes = b"", dropped: DropCounter = _ignore
) -> Bus:
    """The bus ``url`` names: none (one process) or ``redis://…`` / ``rediss://…``, its frames
    authenticated under ``secret`` (the cluster's, from the store)."""
    if url is None:
        return LocalBus(origin)
    if url.startswith(("redis://", "rediss://", "unix://")):
        if len(secret) < 16:
            raise BusError("the bus needs the cluster's secret (16 bytes or more)")
        return RedisBus(url, origin, secret, dropped)
    raise BusError(f"{url}: unknown bus; use redis://HOST:PORT/DB")
