"""The console in headless Chromium: approving a pending change that the requester's language
server then applies, rejecting one, changing the policy that a connected client then receives,
exporting the audit and verifying it offline, and the cost chart of recorded usage."""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.async_api import Browser

from accord.org.audit_export import read_jsonl, verify_export
from accord.protocol.org import ApprovalView, PolicyDocument, UsageReport

from ..approvals import ask
from ..editors import fix_the_migration, start_editor, until
from ..editors import log_in as editor_log_in
from ..server import Inbox
from .browsing import Console, log_in


async def _decide(
    browser: Browser, console: Console, email: str, approval_id: str, button: str
) -> str:
    """Open the request in ``email``'s console and press Approve or Reject; returns the state."""
    context, page = await log_in(browser, console, email)
    await page.click(f"a[href='/console/approvals/{approval_id}']")
    await page.click(f"button[value={button}]")
    await page.wait_for_url(f"**/approvals/{approval_id}")
    state = await page.inner_text("#state")
    await context.close()
    return state


@pytest.mark.slow
async def test_approved_in_the_console_and_applied_by_the_requesters_language_server(
    console: Console, browser: Browser, tmp_path: Path
) -> None:
    org = console.org
    home = tmp_path / "home" / "dev"
    await editor_log_in(org, "dev@acme.test", home)
    dev = await start_editor(org, "dev@acme.test", home, tmp_path / "dev" / "shop")
    try:
        result = await fix_the_migration(dev)
        assert result["state"] == "pending" and dev.edits == 0
        approval_id = result["approval_id"]

        context, page = await log_in(browser, console, "lead@acme.test")
        await page.click(f"a[href='/console/approvals/{approval_id}']")
        assert "ghp_" in await page.inner_text("#diff")  # the bound diff, as reviewed
        assert await page.inner_text("#reasons")
        await page.click("button[value=approve]")
        await page.wait_for_url(f"**/approvals/{approval_id}")
        assert "manager" in await page.inner_text("main")  # still needs the manager
        await context.close()
        assert dev.edits == 0
        assert await _decide(browser, console, "mgr@acme.test", approval_id, "approve") in (
            "approved",
            "applied",
        )
        await until(lambda: dev.edits == 1, what="the approved edit in the requester's editor")
        fixed = (dev.root / "db" / "migrations" / "0002_seed.py").read_text("utf-8")
        assert "ghp_" not in fixed and "environ" in fixed
    finally:
        await dev.client.shutdown_session()


async def test_rejected_in_the_console_and_self_approval_refused(
    console: Console, browser: Browser
) -> None:
    org = console.org
    inbox = Inbox()
    dev = await org.client("dev@acme.test", inbox)
    lead = await org.client("lead@acme.test")
    try:
        pending = ApprovalView.model_validate(await dev.call("approval.request", ask(8.0)))
        own = ApprovalView.model_validate(await lead.call("approval.request", ask(8.0, "v2")))
        assert await _decide(browser, console, "lead@acme.test", pending.id, "reject") == "rejected"
        await inbox.next(
            "approval.updated",
            where=lambda m: m.approval.id == pending.id and m.approval.state == "rejected",
        )

        context, page = await log_in(browser, console, "lead@acme.test")
        await page.goto(f"{console.base}/approvals/{own.id}")
        async with page.expect_response(lambda r: r.request.method == "POST") as posted:
            await page.click("button[value=approve]")
        assert (await posted.value).status == 403
        assert "cannot approve it" in await page.inner_text("[role=alert]")
        await context.close()
    finally:
        await dev.close()
        await lead.close()


async def test_a_policy_saved_in_the_console_reaches_a_connected_client(
    console: Console, browser: Browser
) -> None:
    inbox = Inbox()
    dev = await console.org.client("dev@acme.test", inbox)
    try:
        context, page = await log_in(browser, console, "admin@acme.test")
        await page.goto(f"{console.base}/policy")
        draft = await page.input_value("#yaml")
        await page.fill("#yaml", "risk_levels: [\n")
        await page.click("button[value=check]")
        assert "policy.yaml:" in await page.inner_text("#policy-error")
        await page.fill("#yaml", draft + "# reviewed by the console\n")
        await page.click("button[value=check]")
        assert "+# reviewed by the console" in await page.inner_text("#diff")
        await page.click("button[value=save]")
        assert "revision 1 stored" in await page.inner_text("#policy-notice")
        pushed = await inbox.next("policy.changed")
        assert isinstance(pushed, PolicyDocument) and pushed.revision == 1 and pushed.signature
        assert "admin@acme.test" in await page.inner_text("#history")

        await page.fill("#yaml", draft + "# second\n")
        await page.click("button[value=save]")
        await page.click("text=Roll back to 1")
        assert "revision 1 is back as revision 3" in await page.inner_text("#policy-notice")
        assert (await inbox.next("policy.changed", where=lambda m: m.revision == 3)).revision == 3
        await context.close()
    finally:
        await dev.close()


async def test_the_audit_is_verified_exported_and_the_export_verifies_offline(
    console: Console, browser: Browser, tmp_path: Path
) -> None:
    admin = await console.org.client("admin@acme.test")
    try:
        policy = (Path(__file__).parents[3] / "policy" / "default-policy.yaml").read_text("utf-8")
        await admin.call("policy.set", {"yaml": policy})
    finally:
        await admin.close()
    context, page = await log_in(browser, console, "lead@acme.test")
    await page.goto(f"{console.base}/audit?type=policy.changed")
    assert "admin@acme.test" in await page.inner_text("#events")
    await page.click("text=Verify the chain")
    assert "Intact: 1 events" in await page.inner_text("#verification")
    async with page.expect_download() as downloading:
        await page.click("#export-jsonl")
    saved = tmp_path / "export.jsonl"
    await (await downloading.value).save_as(saved)
    header, bodies = read_jsonl(saved.read_text("utf-8"))
    report = verify_export(header, bodies, None)
    assert report.findings == () and report.count == 2  # the policy change and the export
    assert '"action":"audit.export"' in bodies[-1] and "lead@acme.test" in bodies[-1]
    await context.close()


async def test_the_cost_chart_shows_recorded_usage(console: Console, browser: Browser) -> None:
    dev = await console.org.client("dev@acme.test")
    try:
        for provider, cost in (("anthropic", 0.5), ("anthropic", 0.25), ("openai", 0.125)):
            data = {
                "provider": provider,
                "action": "fix",
                "input_tokens": 900,
                "output_tokens": 100,
                "cost_usd": cost,
            }
            report = UsageReport(project="shop", event_type="agent.proposal", event_data=data)
            await dev.call("usage.report", report)
    finally:
        await dev.close()
    context, page = await log_in(browser, console, "admin@acme.test")
    await page.goto(f"{console.base}/usage?by=provider")
    bars = page.locator("#per-key rect.bar")
    assert await bars.count() == 2
    assert await bars.nth(0).get_attribute("data-label") == "anthropic"
    assert float(await bars.nth(0).get_attribute("data-value") or 0) == 0.75
    assert await page.locator("#over-time rect.bar").count() == 1
    table = await page.inner_text("#usage")
    assert "anthropic" in table and "$0.7500" in table and "1800" in table
    await context.close()


async def test_an_admin_changes_roles_and_removes_a_member(
    console: Console, browser: Browser
) -> None:
    context, page = await log_in(browser, console, "admin@acme.test")
    await page.goto(f"{console.base}/users")
    row = page.locator("#users tr", has_text="dev2@acme.test")
    await row.locator("input[name=roles]").fill("developer,tech_lead")
    await row.locator("button[value=roles]").click()
    assert "developer, tech_lead" in await page.locator("#users tr", has_text="dev2@").inner_text()
    await row.locator("input[name=roles]").fill("wizard")
    await row.locator("button[value=roles]").click()
    assert "unknown role 'wizard'" in await page.inner_text("[role=alert]")
    await page.goto(f"{console.base}/users")
    await (
        page.locator("#users tr", has_text="dev2@acme.test").locator("button[value=remove]").click()
    )
    assert "removed" in await page.locator("#users tr", has_text="dev2@").inner_text()
    assert "bob.test" not in await page.inner_text("#users")
    await page.goto(f"{console.base}/audit?type=admin.action")
    events = await page.inner_text("#events")
    assert "user.roles" in events and "user.remove" in events and "admin@acme.test" in events
    await context.close()
