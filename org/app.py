"""``accord org serve``: the org server on one port — WebSocket JSON-RPC, ``/metrics``, ``/healthz``; over TLS (``wss://``, ``https://``) when given a certificate.

Compression is off: a permessage-deflate context costs ~30 KB per idle connection, and the org
link's frames are small. It prints ``accord org: listening on ws://HOST:PORT`` once it accepts
connections (``--port 0`` picks a free port), and stops cleanly on SIGINT or SIGTERM.
"""

from __future__ import annotations

import asyncio
import errno
import logging
import secrets
import signal
import ssl
import time
from collections.abc import Awaitable, Callable
from contextlib import suppress
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any
from uuid import uuid4

from prometheus_client import CONTENT_TYPE_LATEST
from redis.exceptions import RedisError
from websockets.asyncio.server import ServerConnection, serve
from websockets.http11 import Request, Response

from .bus import open_bus
from .connection import Gates, Limits, serve_connection
from .fanout import Fanout
from .membership import FRESH_SECONDS
from .metrics import Metrics
from .rooms import HISTORY, HISTORY_BYTES, ROSTER_SECONDS
from .service import OrgService
from .store import OrgStore
from .store.opening import opened_store, redacted
from .tokens import ACCESS_TTL, TokenIssuer

__all__ = ["ServerOptions", "StartupError", "run"]

log = logging.getLogger("accord.org")

_FD_ERRORS = frozenset({errno.EMFILE, errno.ENFILE, errno.ENOBUFS, errno.ENOMEM})


class StartupError(RuntimeError):
    """The store or the bus could not be reached at start."""


@dataclass(frozen=True, slots=True)
class ServerOptions:
    store: str | None = None
    bus: str | None = None
    host: str = "127.0.0.1"
    port: int = 8765
    limits: Limits = field(default_factory=Limits)
    history: int = HISTORY
    history_bytes: int = HISTORY_BYTES
    access_ttl: timedelta = ACCESS_TTL
    tick_seconds: float = 1.0
    ping_interval: float = 20.0
    reuse_port: bool = False
    tls_cert: str | None = None
    """A PEM certificate chain: serve ``wss://`` (then plain ``ws://`` is not spoken at all)."""
    tls_key: str | None = None
    console_port: int | None = None
    """Serve the web console (``/console``) on this port too (0 picks one), same process."""
    console_session_seconds: float = 8 * 3600.0


def _http(metrics: Metrics, gates: Gates) -> Callable[[ServerConnection, Request], Response | None]:
    def process_request(connection: ServerConnection, request: Request) -> Response | None:
        path = request.path.split("?", 1)[0]
        if path == "/healthz":
            return connection.respond(200, "ok\n")
        if path == "/metrics":
            response = connection.respond(200, metrics.exposition().decode("utf-8"))
            del response.headers["Content-Type"]  # setting a header adds one; replace it
            response.headers["Content-Type"] = CONTENT_TYPE_LATEST
            return response
        host = str(connection.remote_address[0]) if connection.remote_address else "?"
        if (refused := gates.admission.refusal(host)) is not None:
            metrics.refused_connections.labels(reason=refused).inc()
            response = connection.respond(503, "too many connections waiting to authenticate\n")
            response.headers["Retry-After"] = "5"
            return response
        return None

    return process_request


def _quiet_fd_exhaustion(loop: asyncio.AbstractEventLoop) -> None:
    """One log line (at most every 10 s) instead of a traceback per refused accept."""
    last = [0.0]

    def handler(loop: asyncio.AbstractEventLoop, context: dict[str, Any]) -> None:
        error = context.get("exception")
        if isinstance(error, OSError) and error.errno in _FD_ERRORS:
            now = time.monotonic()
            if now - last[0] >= 10:
                last[0] = now
                log.error(
                    "out of file descriptors (%s): new connections wait until some close; "
                    "raise the open-file limit or add a replica",
                    error.strerror,
                )
            return
        loop.default_exception_handler(context)

    loop.set_exception_handler(handler)


async def _every(seconds: float, work: Callable[[], Awaitable[object]], what: str) -> None:
    """Run ``work`` every ``seconds``; a failure is logged (as ``what`` failing) and the next
    turn comes all the same."""
    while True:
        await asyncio.sleep(seconds)
        try:
            await work()
        except Exception:
            log.exception("%s failed", what)


async def _open(options: ServerOptions, metrics: Metrics) -> tuple[OrgStore, Fanout]:
    """The opened store and this replica's started side of the bus (authenticated with the
    cluster's secret from the store)."""
    store = await opened_store(options.store)
    cluster = await store.setting("cluster_id", secrets.token_hex(8).encode())
    secret = await store.setting("bus_secret", secrets.token_bytes(32))
    try:
        bus = open_bus(options.bus, uuid4().hex, secret, metrics.bus_drop)
    except BaseException:
        await store.close()
        raise
    fanout = Fanout(bus, metrics.bus_drop)
    try:
        await fanout.start(f"accord:{cluster.decode()}")
    except (OSError, RedisError, TimeoutError) as error:
        await store.close()
        raise StartupError(f"cannot reach the bus {redacted(options.bus)}: {error}") from error
    return store, fanout


def _tls(options: ServerOptions) -> ssl.SSLContext | None:
    """The server's TLS context (TLS 1.2 at least), when it has a certificate."""
    if options.tls_cert is None:
        return None
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.minimum_version = ssl.TLSVersion.TLSv1_2
    try:
        context.load_cert_chain(options.tls_cert, options.tls_key)
    except (OSError, ssl.SSLError) as error:
        raise StartupError(f"cannot load the TLS certificate {options.tls_cert}: {error}") from None
    return context


async def _console(
    options: ServerOptions,
    service: OrgService,
    tls: ssl.SSLContext | None,
    ready: Callable[[str], None],
    stop: asyncio.Event,
) -> list[asyncio.Task[None]]:
    """The web console's server task (none without ``console_port``); imported only then."""
    if options.console_port is None:
        return []
    from .console.serving import serve_console

    return [
        await serve_console(
            service,
            options.host,
            options.console_port,
            options.console_session_seconds,
            options.tls_cert,
            options.tls_key,
            ready,
            stop,
        )
    ]


async def run(options: ServerOptions, ready: Callable[[str], None] = print) -> None:
    """Serve until SIGINT/SIGTERM; ``ready`` gets the listening line."""
    loop = asyncio.get_running_loop()
    _quiet_fd_exhaustion(loop)
    tls = _tls(options)
    metrics = Metrics()
    store, fanout = await _open(options, metrics)
    issuer = TokenIssuer(await store.signing_key(), access_ttl=options.access_ttl)
    service = OrgService(store, issuer, metrics, options.history, fanout)
    service.rooms.history_bytes = options.history_bytes
    gates = Gates.of(options.limits)
    if not await store.list_orgs():
        log.warning(
            "the store has no organisation yet: nobody can log in until `accord org init "
            "--store URL --name NAME --admin EMAIL` creates one"
        )

    async def handler(socket: ServerConnection) -> None:
        await serve_connection(socket, service, options.limits, gates)

    stop = asyncio.Event()
    for signum in (signal.SIGINT, signal.SIGTERM):
        with suppress(NotImplementedError, RuntimeError):
            loop.add_signal_handler(signum, stop.set)
    try:
        async with serve(
            handler,
            options.host,
            options.port,
            compression=None,
            max_size=options.limits.unauthenticated_frame,  # raised once authenticated
            ping_interval=options.ping_interval,
            ping_timeout=options.ping_interval,
            process_request=_http(metrics, gates),
            reuse_port=options.reuse_port or None,
            ssl=tls,
            logger=logging.getLogger("accord.org.websockets"),
        ) as server:
            port = next(iter(server.sockets)).getsockname()[1]
            scheme = "wss" if tls is not None else "ws"
            ready(f"accord org: listening on {scheme}://{options.host}:{port}")
            consoles = await _console(options, service, tls, ready, stop)
            tickers = [
                *consoles,
                asyncio.create_task(
                    _every(
                        options.tick_seconds, service.approvals.sweep, "the approval deadline sweep"
                    )
                ),
                asyncio.create_task(
                    _every(options.tick_seconds, service.notifier.tick, "delivering notifications")
                ),
                asyncio.create_task(
                    _every(FRESH_SECONDS, service.evict_non_members, "evicting non-members")
                ),
            ]
            if fanout.replicated:
                tickers.append(
                    asyncio.create_task(
                        _every(
                            ROSTER_SECONDS,
                            service.rooms.announce,
                            "announcing this replica's rooms",
                        )
                    )
                )
            await stop.wait()
            for ticker in tickers:
                ticker.cancel()
            await service.notifier.settled()  # the notices of the last changes are queued
    finally:
        await fanout.close()
        await store.close()
