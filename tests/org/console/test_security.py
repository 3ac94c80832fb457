"""The console's defences, in a real browser: CSRF tokens on every POST, another tenant's ids,
a developer on admin pages, expired and revoked sessions, and the session cookie's flags."""

from __future__ import annotations

import asyncio
from pathlib import Path

from playwright.async_api import Browser

from accord.protocol.org import ApprovalView

from ..approvals import ask
from ..server import OrgServer
from .browsing import Console, console_line, log_in

PAGES = ("approvals", "audit", "usage", "policy", "users")


async def test_the_session_cookie_is_httponly_and_samesite_strict(
    console: Console, browser: Browser
) -> None:
    context, _ = await log_in(browser, console, "admin@acme.test")
    [cookie] = [c for c in await context.cookies() if c["name"] == "accord_console"]
    assert cookie["httpOnly"] and cookie["sameSite"] == "Strict" and cookie["path"] == "/console"
    assert not cookie["secure"]  # plain http on loopback; Secure is set when served over TLS
    await context.close()


async def test_a_post_without_the_sessions_csrf_token_is_refused_and_changes_nothing(
    console: Console, browser: Browser
) -> None:
    context, page = await log_in(browser, console, "admin@acme.test")
    for form in (
        {"email": "dev@acme.test", "action": "remove"},
        {"email": "dev@acme.test", "action": "remove", "csrf": "forged"},
    ):
        answer = await context.request.post(f"{console.base}/users", form=form)
        assert answer.status == 403 and "CSRF" in await answer.text()
    answer = await context.request.post(
        f"{console.base}/policy", form={"yaml": "x: 1", "action": "save"}
    )
    assert answer.status == 403
    async with console.org.opened() as store:
        dev = await store.get_user(console.org.users["dev@acme.test"].id)
    assert dev is not None and dev.active
    # A login form posted without its cookie's token (from another site, say) is refused too.
    stranger = await browser.new_context()
    answer = await stranger.request.post(
        f"{console.base}/login",
        form={"token": await console.org.recorded_login_token("admin@acme.test")},
    )
    assert answer.status == 403
    await page.goto(f"{console.base}/users")
    assert "removed" not in await page.inner_text("#users")
    await context.close()
    await stranger.close()


async def test_another_organisations_approval_is_not_found(
    console: Console, browser: Browser
) -> None:
    bob_dev = await console.org.client("dev@bob.test")
    try:
        theirs = ApprovalView.model_validate(await bob_dev.call("approval.request", ask(8.0)))
    finally:
        await bob_dev.close()
    context, page = await log_in(browser, console, "lead@acme.test")
    answer = await page.goto(f"{console.base}/approvals/{theirs.id}")
    assert answer is not None and answer.status == 404
    assert theirs.proposal.title not in await page.content()
    csrf = await page.get_attribute("input[name=csrf]", "value")
    answer = await context.request.post(
        f"{console.base}/approvals/{theirs.id}/decide",
        form={
            "csrf": csrf or "",
            "decision": "approve",
            "content_hash": theirs.proposal.content_hash,
        },
    )
    assert answer.status == 404
    await page.goto(f"{console.base}/approvals")
    assert theirs.id not in await page.content()
    async with console.org.opened() as store:
        record = await store.get_approval(console.org.users["dev@bob.test"].org_id, theirs.id)
    assert record is not None and not record.request.approvals
    await context.close()


async def test_a_developer_gets_403_on_every_admin_page_and_a_lead_on_admin_only_ones(
    console: Console, browser: Browser
) -> None:
    context, page = await log_in(browser, console, "dev@acme.test")
    for name in PAGES:
        answer = await page.goto(f"{console.base}/{name}")
        assert answer is not None and answer.status == 403, name
        assert "needs one of the roles" in await page.inner_text("[role=alert]")
    await context.close()
    context, page = await log_in(browser, console, "lead@acme.test")
    for name, status in (("approvals", 200), ("audit", 200), ("policy", 403), ("users", 403)):
        answer = await page.goto(f"{console.base}/{name}")
        assert answer is not None and answer.status == status, name
    await context.close()


async def test_an_expired_or_revoked_session_goes_back_to_the_login_page(
    tmp_path: Path, browser: Browser
) -> None:
    org = OrgServer(
        tmp_path / "org.db", extra_args=("--console-port", "0", "--console-session", "2")
    )
    await org.seed()
    await org.start()
    try:
        console = Console(org, await console_line(org))
        context, page = await log_in(browser, console, "admin@acme.test")
        await page.goto(f"{console.base}/audit")
        assert page.url.endswith("/audit")
        await asyncio.sleep(2.5)
        await page.goto(f"{console.base}/audit")
        assert page.url.endswith("/login")
        await context.close()

        context, page = await log_in(browser, console, "lead@acme.test")
        await org_revoke(org, "lead@acme.test")
        await page.goto(f"{console.base}/approvals")
        assert page.url.endswith("/login")
        await context.close()
    finally:
        await org.stop()


async def org_revoke(org: OrgServer, email: str) -> None:
    """What ``accord org revoke EMAIL`` does: every token and session of the user ends."""
    from dataclasses import replace

    async with org.opened() as store:
        user = await store.get_user(org.users[email].id)
        assert user is not None
        await store.update_user(replace(user, token_epoch=user.token_epoch + 1))
