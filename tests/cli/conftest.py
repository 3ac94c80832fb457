"""Fixtures of the command-line tests."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from tests.check.helpers import Project, project_factory
from tests.cli.running import accord_in_process
from tests.org.server import OrgServer


@pytest.fixture
def project(tmp_path: Path) -> Project:
    """A factory of projects under ``tmp_path`` (see :func:`tests.check.helpers.project_factory`)."""
    return project_factory(tmp_path)


@pytest.fixture
async def org(tmp_path: Path) -> AsyncIterator[OrgServer]:
    """A real org server on 127.0.0.1 (see :class:`tests.org.server.OrgServer`)."""
    server = OrgServer(tmp_path / "org.db")
    await server.seed()
    await server.start()
    try:
        yield server
    finally:
        await server.stop()


@pytest.fixture
async def homes(org: OrgServer, tmp_path: Path) -> dict[str, Path]:
    """Logged-in homes (``ACCORD_CONFIG_HOME``) of Acme's admin, a developer and a tech lead."""
    found = {}
    for name in ("admin", "dev", "lead"):
        user = org.users[f"{name}@acme.test"]
        found[name] = home = tmp_path / "home" / name
        _, printed, _ = await accord_in_process(
            "org", "token", user.email, "--store", org.store, "--org", user.org_id
        )
        token = printed.splitlines()[1].strip()
        code, said, err = await accord_in_process("login", org.url, "--token", token, home=home)
        assert code == 0 and f"as {user.email}" in said, err
    return found
