from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest

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
