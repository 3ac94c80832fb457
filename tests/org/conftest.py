from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import AsyncExitStack
from pathlib import Path

import pytest

from .projects import seed_projects
from .scaleout import postgres_schema
from .server import OrgServer


@pytest.fixture
async def org(tmp_path: Path) -> AsyncIterator[OrgServer]:
    server = OrgServer(tmp_path / "org.db", extra_args=("--tick", "0.2", "--auth-timeout", "1"))
    await server.seed()
    await server.start()
    try:
        yield server
    finally:
        await server.stop()


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
