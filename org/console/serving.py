"""The console's HTTP server (Hypercorn) inside the org server's process and event loop."""

from __future__ import annotations

import asyncio
import logging
import socket
from collections.abc import Callable

from hypercorn.asyncio import serve
from hypercorn.config import Config
from starlette.routing import BaseRoute

from accord.org.service import OrgService

from .app import console_app
from .sessions import Sessions

__all__ = ["login_routes", "serve_console"]

log = logging.getLogger("accord.org.console")


def login_routes(service: OrgService) -> list[BaseRoute]:
    """More ways to log in to the console, each starting sessions with
    :func:`accord.org.console.sessions.open_session`.

    SSO MOUNT POINT: single sign-on's routes (``accord.org.sso``) are to be returned here."""
    return []


def _listening(host: str, port: int) -> socket.socket:
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
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
    bound = sock.getsockname()[1]
    config = Config()
    config.bind = [f"fd://{sock.detach()}"]  # Hypercorn owns the socket from here
    config.accesslog = None
    config.errorlog = log
    if tls_cert is not None:
        config.certfile, config.keyfile = tls_cert, tls_key
    sessions = Sessions(session_seconds, secure=tls_cert is not None)
    app = console_app(service, sessions, extra_routes=login_routes(service))
    scheme = "https" if tls_cert else "http"
    task = asyncio.create_task(
        serve(app, config, shutdown_trigger=stop.wait)  # type: ignore[arg-type]
    )
    ready(f"accord org: console on {scheme}://{host}:{bound}/console")
    return task
