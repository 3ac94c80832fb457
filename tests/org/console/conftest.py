from __future__ import annotations

import shutil
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from playwright.async_api import Browser, async_playwright

from ..server import OrgServer
from .browsing import Console, console_line


@pytest.fixture
async def console(tmp_path: Path) -> AsyncIterator[Console]:
    """A real org server on a SQLite file (Acme and Bobco) with its console on another port."""
    server = OrgServer(tmp_path / "org.db", extra_args=("--console-port", "0", "--tick", "0.2"))
    await server.seed()
    await server.start()
    try:
        yield Console(server, await console_line(server))
    finally:
        await server.stop()


@pytest.fixture
async def browser() -> AsyncIterator[Browser]:
    """Debian's Chromium, headless (``.ci/run`` installs it)."""
    chromium = shutil.which("chromium")
    if chromium is None:
        pytest.skip("chromium is not installed (apt-get install chromium)")
    async with async_playwright() as playwright:
        launched = await playwright.chromium.launch(executable_path=chromium, headless=True)
        try:
            yield launched
        finally:
            await launched.close()
