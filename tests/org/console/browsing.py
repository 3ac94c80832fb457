"""The console as a person uses it: a real org server serving ``/console`` and headless
Chromium (Debian's, driven by Playwright) logging in with a token."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass

from playwright.async_api import Browser, BrowserContext, Page

from ..server import OrgServer

__all__ = ["Console", "console_line", "log_in"]


@dataclass
class Console:
    org: OrgServer
    base: str
    """``http://127.0.0.1:PORT/console``"""


async def console_line(org: OrgServer) -> str:
    """The console's URL, from the line the server prints after its listening line."""
    assert org.process is not None and org.process.stdout is not None
    line = (await asyncio.wait_for(org.process.stdout.readline(), 30)).decode()
    assert "console on" in line, line
    return line.rsplit(" ", 1)[1].strip()


async def log_in(browser: Browser, console: Console, email: str) -> tuple[BrowserContext, Page]:
    """A new browser profile logged in as ``email`` with a login token the admin printed."""
    context = await browser.new_context()
    page = await context.new_page()
    await page.goto(f"{console.base}/login")
    await page.fill("#token", await console.org.recorded_login_token(email))
    await page.click("button[type=submit]")
    await page.wait_for_url(f"{console.base}/approvals")
    return context, page
