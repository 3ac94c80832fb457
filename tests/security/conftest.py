"""The org server most security tests attack: ``org`` (a module may define its own)."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from ..org.server import OrgServer
from .trust_probe import running_org


@pytest.fixture
async def org(tmp_path: Path) -> AsyncIterator[OrgServer]:
    """A real org server on a SQLite file, seeded with the usual tenants (see ``trust_probe``)."""
    async with running_org(tmp_path) as server:
        yield server
