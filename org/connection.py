"""One WebSocket connection: authenticate in time, then answer requests one at a time.

Bad input never kills the connection: a frame that is not JSON, not JSON-RPC, binary, too large,
of an unknown method or with wrong params gets a JSON-RPC error and the next frame is read. Only
three things close it: no ``authenticate`` within the deadline (4001), a client that keeps flooding
after being told it is rate limited (4008), and the client going away. (Below them, the WebSocket
layer closes on a text frame that is not UTF-8, 1007, and on a message over its size limit, 1009.)
"""

from __future__ import annotations

import asyncio
import logging
import re
import time
from dataclasses import dataclass

from accord.agents.providers.ratelimit import TokenBucket
from accord.policy.approval import ApprovalRefused, IllegalTransition
from accord.policy.loading import PolicyError
from accord.protocol.org import METHODS
from accord.protocol.rpc import ErrorCode, RpcFailure, RpcRequest, RpcResponse, encode, parse_frame
from pydantic import ValidationError
from websockets.asyncio.server import ServerConnection
from websockets.exceptions import ConnectionClosed

from .errors import NotFound, Unauthenticated
from .hub import Peer
from .rbac import Forbidden
from .service import PUBLIC, OrgService
from .store import Conflict

__all__ = ["Limits", "serve_connection"]

log = logging.getLogger(__name__)

AUTH_TIMEOUT_CLOSE = 4001
FLOOD_CLOSE = 4008


@dataclass(frozen=True, slots=True)
class Limits:
    """Per-connection limits."""

    auth_timeout: float = 5.0
    max_message: int = 1 << 20
    rate_per_second: float = 200.0
    burst: float = 400.0
    strikes: int = 100
    """Rate-limited frames, less those let through since, after which the connection is closed."""


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


async def serve_connection(socket: ServerConnection, service: OrgService, limits: Limits) -> None:
    """Serve one client until it goes away."""
    peer = Peer(socket)
    metrics = service.metrics
    metrics.connections.labels(state="open").inc()
    bucket = TokenBucket(limits.rate_per_second, limits.burst, time.monotonic)
    strikes = 0
    try:
        async with asyncio.timeout(limits.auth_timeout) as deadline:
            while peer.identity is None:
                await _answer(socket, service, peer, await socket.recv(), limits)
            deadline.reschedule(None)
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
            await _answer(socket, service, peer, frame, limits)  # is let through pays them off
    except TimeoutError:
        metrics.auth_failures.labels(reason="timeout").inc()
        await _close(socket, AUTH_TIMEOUT_CLOSE, f"authenticate within {limits.auth_timeout:g} s")
    except ConnectionClosed:
        pass
    finally:
        service.disconnected(peer)
        metrics.connections.labels(state="open").dec()


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
    socket: ServerConnection, service: OrgService, peer: Peer, frame: str | bytes, limits: Limits
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
        response = await _call(service, peer, parsed)
        outcome = "ok" if response.error is None else "error"
    except RpcFailure as failure:
        response, outcome = failure.response(), "error"
    service.metrics.messages.labels(method=method, outcome=outcome).inc()
    service.metrics.latency.labels(method=method).observe(time.perf_counter() - started)
    await _send(socket, response)


async def _call(service: OrgService, peer: Peer, request: RpcRequest) -> RpcResponse:
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
        result = await service.handlers[request.method](peer, params)
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


_ID = re.compile(r'"id"\s*:\s*(-?\d{1,18}|"[^"\\]{0,100}")')


def _failure(frame: str | bytes, code: ErrorCode, message: str) -> RpcResponse:
    """An error answering ``frame``, with its id when one can be read from its start (a frame
    too large to parse is not parsed)."""
    head = frame[:512] if isinstance(frame, str) else frame[:512].decode("utf-8", "replace")
    found = _ID.search(head)
    request_id: int | str | None = None
    if found:
        text = found[1]
        request_id = text[1:-1] if text.startswith('"') else int(text)
    return RpcFailure(code, message, request_id).response()


async def _send(socket: ServerConnection, response: RpcResponse) -> None:
    await socket.send(encode(response))
