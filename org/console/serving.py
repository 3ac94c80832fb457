"""The console's HTTP server (uvicorn) inside the org server's process and event loop.

The org server keeps its own signal handling: this uvicorn does not capture signals, and stops
when the org server's ``stop`` event is set. (uvicorn rather than Hypercorn: importing
Hypercorn's HTTP/2 stack cost the websocket server ~1.4 KB more per idle connection.)
"""

from __future__ import annotations

import asyncio
import socket
from collections.abc import Callable, Iterator
from contextlib import contextmanager

import uvicorn
from starlette.routing import BaseRoute

from accord.org.service import OrgService

from .app import console_app
from .sessions import Sessions
from .single_sign_on import console_sso_routes, sso_secret

__all__ = ["login_routes", "serve_console"]


async def login_routes(service: OrgService) -> list[BaseRoute]:
    """More ways to log in to the console: single sign-on through an organisation's provider
    (offered on the login page of an organisation that set one up)."""
    return console_sso_routes(service, sso_secret(await service.store.signing_key()))


class _Embedded(uvicorn.Server):
    """A uvicorn server that leaves the process's signals to the org server."""

    @contextmanager
    def capture_signals(self) -> Iterator[None]:
        yield


def _listening(host: str, port: int) -> socket.socket:
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    # IPPROTO_TCP named, or asyncio does not set TCP_NODELAY on the accepted connections.
    sock = socket.socket(family, socket.SOCK_STREAM, socket.IPPROTO_TCP)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind((host, port))
    sock.listen(128)
    sock.setblocking(False)
    return sock


async def serve_console(
    service: OrgService,
    host: str,
    port: int,
    session_seconds: float,
    tls_cert: str | None,
    tls_key: str | None,
    ready: Callable[[str], None],
    stop: asyncio.Event,
) -> asyncio.Task[None]:
    """Start serving the console on ``host:port`` until ``stop`` is set; ``ready`` gets the
    line ``accord org: console on http(s)://HOST:PORT/console``."""
    sock = _listening(host, port)
    sessions = Sessions(session_seconds, secure=tls_cert is not None)
    app = console_app(service, sessions, extra_routes=await login_routes(service))
    config = uvicorn.Config(
        app,
        lifespan="off",
        access_log=False,
        log_config=None,  # the org server's logging stays as configured
        ssl_certfile=tls_cert,
        ssl_keyfile=tls_key,
        timeout_graceful_shutdown=2,
    )
    server = _Embedded(config)
    serving = asyncio.create_task(server.serve(sockets=[sock]))
    while not server.started and not serving.done():
        await asyncio.sleep(0.01)
    if serving.done():
        serving.result()  # raises what stopped it

    async def until_stopped() -> None:
        await stop.wait()
        server.should_exit = True
        await serving

    scheme = "https" if tls_cert else "http"
    ready(f"accord org: console on {scheme}://{host}:{sock.getsockname()[1]}/console")
    return asyncio.create_task(until_stopped())
