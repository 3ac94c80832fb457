"""Fixtures of the command-line tests."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from tests.check.helpers import Project, project_factory
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
