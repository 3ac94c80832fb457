"""A member's own notification preferences in the console (issue 20): any member may set them,
they are what the notifier reads, and a bad time zone or a forged form changes nothing."""

from __future__ import annotations

from playwright.async_api import Browser

from accord.org.notify.prefs import get_prefs
from accord.protocol.org import NotifyPrefs, QuietHours

from .browsing import Console, log_in


async def _prefs(console: Console, email: str) -> NotifyPrefs:
    async with console.org.opened() as store:
        return await get_prefs(store, console.org.users[email].id)


async def test_a_developer_sets_their_own_e_mail_and_quiet_hours(
    console: Console, browser: Browser
) -> None:
    context, page = await log_in(browser, console, "dev@acme.test")
    answer = await page.goto(f"{console.base}/notifications")
    assert answer is not None and answer.status == 200  # not an admin page
    assert await page.is_checked("input[name=email]")  # e-mail is on by default

    await page.uncheck("input[name=email]")
    await page.fill("input[name=quiet_start]", "22:00")
    await page.fill("input[name=quiet_end]", "07:00")
    await page.fill("input[name=timezone]", "Europe/Paris")
    await page.click("#prefs button[type=submit]")
    await page.wait_for_url(f"{console.base}/notifications")

    night = QuietHours(start="22:00", end="07:00", timezone="Europe/Paris")
    assert await _prefs(console, "dev@acme.test") == NotifyPrefs(channels=(), quiet_hours=night)
    assert await _prefs(console, "lead@acme.test") == NotifyPrefs()  # only their own
    assert await page.input_value("input[name=quiet_start]") == "22:00"
    assert not await page.is_checked("input[name=email]")
    await context.close()


async def test_a_bad_time_zone_or_a_forged_form_changes_nothing(
    console: Console, browser: Browser
) -> None:
    context, page = await log_in(browser, console, "lead@acme.test")
    await page.goto(f"{console.base}/notifications")
    await page.fill("input[name=quiet_start]", "22:00")
    await page.fill("input[name=quiet_end]", "07:00")
    await page.fill("input[name=timezone]", "Mars/Olympus")
    async with page.expect_response(f"{console.base}/notifications") as answered:
        await page.click("#prefs button[type=submit]")
    answer = await answered.value
    assert answer.status == 400 and "unknown time zone" in await page.inner_text("[role=alert]")
    forged = await context.request.post(f"{console.base}/notifications", form={"email": ""})
    assert forged.status == 403
    assert await _prefs(console, "lead@acme.test") == NotifyPrefs()
    await context.close()
