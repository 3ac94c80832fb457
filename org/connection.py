"""One WebSocket connection: authenticate in time, then answer requests one at a time.

Bad input never kills the connection: a frame that is not JSON, not JSON-RPC, binary, too large,
nested too deep, carrying a lone surrogate, of an unknown method or with wrong params gets a
JSON-RPC error and the next frame is read. Only these close it: no ``authenticate`` within the
deadline (4001), an access token that expires without being renewed by a new ``authenticate``
(4002), a client that keeps flooding after being told it is rate limited (4008), too many
connections waiting unauthenticated from its address or in all (1013, try again later), and the
client going away. (Below them, the WebSocket layer closes on a text frame that is not UTF-8,
1007, and on a message over its size limit, 1009: before authentication that limit is small.)
"""

from __future__ import annotations

import asyncio
import logging
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime

from pydantic import JsonValue, ValidationError
from websockets.asyncio.server import ServerConnection
from websockets.exceptions import ConnectionClosed

from accord.agents.providers.ratelimit import TokenBucket
from accord.policy.approval import ApprovalRefused, IllegalTransition
from accord.policy.loading import PolicyError
from accord.protocol.org import METHODS
from accord.protocol.rpc import (
    ErrorCode,
    RpcFailure,
    RpcRequest,
    RpcResponse,
    encode,
    parse_frame,
    peek_id,
)

from .admission import PER_ADDRESS, TOTAL, Admission
from .errors import NotFound, Unauthenticated
from .hub import Peer
from .quotas import DEFAULT_QUOTAS, Quota, QuotaExceeded, Quotas
from .rbac import Forbidden
from .service import PUBLIC, OrgService
from .store import Conflict

__all__ = ["Gates", "Limits", "serve_connection"]

log = logging.getLogger(__name__)

AUTH_TIMEOUT_CLOSE = 4001
TOKEN_EXPIRED_CLOSE = 4002
FLOOD_CLOSE = 4008
TRY_AGAIN_LATER = 1013


@dataclass(frozen=True, slots=True)
class Limits:
    """Per-connection limits."""

    auth_timeout: float = 5.0
    max_message: int = 1 << 20
    rate_per_second: float = 200.0
    burst: float = 400.0
    strikes: int = 100
    """Rate-limited frames, less those let through since, after which the connection is closed."""
    unauthenticated_frame: int = 64 << 10
    """The largest WebSocket message taken before the connection has authenticated."""
    unauthenticated_per_address: int = PER_ADDRESS
    """Connections that may wait unauthenticated from one address (IPv6: one /64)."""
    unauthenticated_total: int = TOTAL
    """Connections that may wait unauthenticated in all."""
    quotas: dict[str, Quota] = field(default_factory=lambda: dict(DEFAULT_QUOTAS))
    """Per-user events/s and bytes/s of the methods that add to the stores."""

    @property
    def frame_limit(self) -> int:
        """The largest WebSocket message taken once authenticated (larger than
        :attr:`max_message`, so that a message just over it gets its error, not a close)."""
        return max(self.max_message * 4, 1 << 16)


@dataclass(slots=True)
class Gates:
    """What the connections of one server share: the unauthenticated counts and the quotas."""

    admission: Admission
    quotas: Quotas

    @classmethod
    def of(cls, limits: Limits) -> Gates:
        admission = Admission(limits.unauthenticated_per_address, limits.unauthenticated_total)
        return cls(admission, Quotas(limits.quotas, time.monotonic))


_ERRORS: tuple[tuple[type[BaseException], ErrorCode], ...] = (
    (Unauthenticated, ErrorCode.UNAUTHENTICATED),
    (Forbidden, ErrorCode.FORBIDDEN),
    (ApprovalRefused, ErrorCode.FORBIDDEN),
    (NotFound, ErrorCode.NOT_FOUND),
    (Conflict, ErrorCode.CONFLICT),
    (IllegalTransition, ErrorCode.CONFLICT),
    (PolicyError, ErrorCode.INVALID_PARAMS),
    (ValueError, ErrorCode.INVALID_PARAMS),
)


async def serve_connection(
    socket: ServerConnection, service: OrgService, limits: Limits, gates: Gates
) -> None:
    """Serve one client until it goes away."""
    host = str(socket.remote_address[0]) if socket.remote_address else "?"
    metrics = service.metrics
    refused = gates.admission.enter(host)
    if refused is not None:
        metrics.refused_connections.labels(reason=refused).inc()
        await socket.close(TRY_AGAIN_LATER, "too many connections waiting to authenticate")
        return
    peer = Peer(socket)
    metrics.connections.labels(state="open").inc()
    bucket = TokenBucket(limits.rate_per_second, limits.burst, time.monotonic)
    strikes = 0
    waiting, expiry = True, _Expiry(socket, service, peer)
    try:
        async with asyncio.timeout(limits.auth_timeout) as deadline:
            while peer.identity is None:
                await _answer(socket, service, peer, await socket.recv(), limits, gates)
            deadline.reschedule(None)
        gates.admission.leave(host)
        waiting = False
        _allow_frames(socket, limits.frame_limit)
        expiry.watch()
        async for frame in socket:
            if bucket.take() > 0:
                strikes += 1
                if strikes >= limits.strikes:
                    await _close(socket, FLOOD_CLOSE, "too many messages; slow down")
                    break
                await _send(
                    socket, _failure(frame, ErrorCode.RATE_LIMITED, "rate limited; slow down")
                )
                continue
            strikes = max(0, strikes - 1)  # a flood earns strikes faster than the trickle it
            await _answer(socket, service, peer, frame, limits, gates)  # let through pays off
    except TimeoutError:
        metrics.auth_failures.labels(reason="timeout").inc()
        await _close(socket, AUTH_TIMEOUT_CLOSE, f"authenticate within {limits.auth_timeout:g} s")
    except ConnectionClosed:
        pass
    finally:
        if waiting:
            gates.admission.leave(host)
        expiry.cancel()
        service.disconnected(peer)
        metrics.connections.labels(state="open").dec()


def _allow_frames(socket: ServerConnection, size: int) -> None:
    """Take messages of up to ``size`` bytes from now on (the sans-I/O protocol reads its limit
    afresh for each frame; websockets 15 names it ``max_size``, later versions
    ``max_message_size``)."""
    protocol = socket.protocol
    setattr(
        protocol, "max_message_size" if hasattr(protocol, "max_message_size") else "max_size", size
    )


class _Expiry:
    """Closes an authenticated connection (4002) when its access token expires, unless a new
    ``authenticate`` moved the expiry on meanwhile. One timer, not a task, per connection."""

    def __init__(self, socket: ServerConnection, service: OrgService, peer: Peer) -> None:
        self.socket, self.service, self.peer = socket, service, peer
        self._timer: asyncio.TimerHandle | None = None
        self._closing: asyncio.Task[None] | None = None

    def watch(self) -> None:
        expires = self.peer.access_expires_at
        if expires is None:
            return
        left = (expires - datetime.now(UTC)).total_seconds()
        if left > 0:
            self._timer = asyncio.get_running_loop().call_later(left + 0.01, self.watch)
            return
        self.service.metrics.auth_failures.labels(reason="expired").inc()
        self.service.disconnected(self.peer)
        self.peer.identity = None
        self._closing = asyncio.create_task(
            self.socket.close(
                TOKEN_EXPIRED_CLOSE, "your access token expired: refresh it and authenticate"
            )
        )

    def cancel(self) -> None:
        if self._timer is not None:
            self._timer.cancel()


async def _close(socket: ServerConnection, code: int, reason: str) -> None:
    """Close, dropping what the client sent meanwhile: unread frames would keep its close frame
    from being read, and the handshake would wait out the close timeout."""
    closing = asyncio.create_task(socket.close(code, reason))
    try:
        async for _ in socket:
            pass
    except ConnectionClosed:
        pass
    await closing


async def _answer(
    socket: ServerConnection,
    service: OrgService,
    peer: Peer,
    frame: str | bytes,
    limits: Limits,
    gates: Gates,
) -> None:
    if len(frame) > limits.max_message:
        await _send(
            socket,
            _failure(
                frame,
                ErrorCode.TOO_LARGE,
                f"message of {len(frame):,} bytes is over the limit of {limits.max_message:,}",
            ),
        )
        service.metrics.messages.labels(method="-", outcome="too_large").inc()
        return
    if isinstance(frame, bytes):
        await _send(
            socket,
            _failure(
                frame, ErrorCode.INVALID_REQUEST, "send JSON-RPC in text frames, not binary ones"
            ),
        )
        service.metrics.messages.labels(method="-", outcome="error").inc()
        return
    started = time.perf_counter()
    method = "-"
    try:
        parsed = parse_frame(frame)
        if not isinstance(parsed, RpcRequest):
            raise RpcFailure(ErrorCode.INVALID_REQUEST, "only requests are accepted (with an id)")
        method = parsed.method if parsed.method in METHODS else "unknown"
        response = await _call(service, peer, parsed, gates.quotas, len(frame))
        outcome = "ok" if response.error is None else "error"
    except RpcFailure as failure:
        response, outcome = failure.response(), "error"
    service.metrics.messages.labels(method=method, outcome=outcome).inc()
    service.metrics.latency.labels(method=method).observe(time.perf_counter() - started)
    await _send(socket, response)


async def _call(
    service: OrgService, peer: Peer, request: RpcRequest, quotas: Quotas, size: int
) -> RpcResponse:
    if request.method not in METHODS:
        raise RpcFailure(ErrorCode.METHOD_NOT_FOUND, f"no method {request.method!r}", request.id)
    if peer.identity is None and request.method not in PUBLIC:
        raise RpcFailure(ErrorCode.UNAUTHENTICATED, "authenticate first", request.id)
    params_model, result_model = METHODS[request.method]
    try:
        params = params_model.model_validate(request.params)
    except ValidationError as error:
        problem = error.errors()[0]
        where = ".".join(str(part) for part in problem["loc"]) or "params"
        raise RpcFailure(
            ErrorCode.INVALID_PARAMS, f"{request.method}: {where}: {problem['msg']}", request.id
        ) from None
    try:
        if request.method not in PUBLIC:
            await service.recheck(peer)
            _charge(service, peer, quotas, request, params, size)
        result = await service.handlers[request.method](peer, params)
    except RpcFailure:
        raise
    except Exception as error:
        code = next((c for kind, c in _ERRORS if isinstance(error, kind)), None)
        if code is None:
            log.exception("%s failed", request.method)
            code, message = ErrorCode.INTERNAL_ERROR, f"{request.method} failed on the server"
        else:
            message = str(error)
        raise RpcFailure(code, message, request.id) from None
    if not isinstance(result, result_model):
        raise RpcFailure(ErrorCode.INTERNAL_ERROR, "the server built a wrong answer", request.id)
    return RpcResponse(id=request.id, result=result.model_dump(mode="json"))


def _charge(
    service: OrgService, peer: Peer, quotas: Quotas, request: RpcRequest, params: object, size: int
) -> None:
    """Take the call from its user's quota; raises :class:`RpcFailure` (rate limited) when over."""
    if request.method not in quotas.rules or peer.identity is None:
        return
    events = getattr(params, "events", None)
    count = len(events) if isinstance(events, tuple) else 1
    try:
        quotas.charge(peer.identity.user_id, request.method, count, size)
    except QuotaExceeded as over:
        service.metrics.quota_refusals.labels(method=request.method, quota=over.kind).inc()
        data: dict[str, JsonValue] = {"retry_after": round(over.retry_after, 3), "quota": over.kind}
        raise RpcFailure(ErrorCode.RATE_LIMITED, str(over), request.id, data) from None


def _failure(frame: str | bytes, code: ErrorCode, message: str) -> RpcResponse:
    """An error answering ``frame``, with its id when one can be read from its start (a frame
    too large to parse is not parsed)."""
    return RpcFailure(code, message, peek_id(frame)).response()


async def _send(socket: ServerConnection, response: RpcResponse) -> None:
    await socket.send(encode(response))
