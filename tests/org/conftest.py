from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from contextlib import AsyncExitStack
from pathlib import Path

import pytest

from .editors import Editor, log_in, start_editor
from .mailroom import Mailbox, Receiver, smtp_server, webhook_receiver
from .projects import seed_projects
from .scaleout import postgres_schema
from .server import OrgServer
from .sso.idp import Provider


@pytest.fixture
async def org(tmp_path: Path) -> AsyncIterator[OrgServer]:
    server = OrgServer(tmp_path / "org.db", extra_args=("--tick", "0.2", "--auth-timeout", "1"))
    await server.seed()
    await server.start()
    try:
        yield server
    finally:
        await server.stop()


@pytest.fixture
def mail(tmp_path: Path) -> Iterator[tuple[Mailbox, int, Path]]:
    """A real SMTP server on loopback (STARTTLS with a self-signed certificate, AUTH)."""
    with smtp_server(tmp_path) as running:
        yield running


@pytest.fixture
def idp() -> Iterator[Provider]:
    """A real OIDC provider on 127.0.0.1 (Authlib's authorization server)."""
    provider = Provider()
    provider.start()
    try:
        yield provider
    finally:
        provider.stop()


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    """A real HTTP server on loopback that records webhook posts."""
    with webhook_receiver() as running:
        yield running


@pytest.fixture(params=["sqlite", "postgresql"])
async def any_store_url(request: pytest.FixtureRequest, tmp_path: Path) -> AsyncIterator[str]:
    """A fresh store of each kind: a SQLite file, a new PostgreSQL schema."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'org.db'}"
        return
    async with postgres_schema() as url:
        yield url


@pytest.fixture
async def pair(org: OrgServer, tmp_path: Path) -> AsyncIterator[tuple[Editor, Editor]]:
    """Two users (dev, lead) logged in, each with a language server linked to the "shop" room."""
    editors = []
    for name in ("dev", "lead"):
        home = tmp_path / "home" / name
        await log_in(org, f"{name}@acme.test", home)
        editors.append(await start_editor(org, f"{name}@acme.test", home, tmp_path / name / "shop"))
    try:
        yield editors[0], editors[1]
    finally:
        for editor in editors:
            await editor.client.shutdown_session()


@pytest.fixture(params=["sqlite", "postgresql"])
async def teams(request: pytest.FixtureRequest, tmp_path: Path) -> AsyncIterator[OrgServer]:
    """A real org server (over a SQLite file, or PostgreSQL) whose Acme has the projects of
    :data:`.projects.TEAMS`."""
    async with AsyncExitStack() as stack:
        url = None
        if request.param == "postgresql":
            url = await stack.enter_async_context(postgres_schema())
        server = OrgServer(tmp_path / "org.db", extra_args=("--tick", "0.2"), store_url=url)
        await server.seed()
        await seed_projects(server)
        await server.start()
        try:
            yield server
        finally:
            await server.stop()
