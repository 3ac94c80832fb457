from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from .editors import Editor, log_in, start_editor
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
