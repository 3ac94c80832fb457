"""Single sign-on in the console, in headless Chromium: through a real Authlib provider on
loopback into the approvals inbox with the roles of the IdP's groups; a user of no mapped group
refused with a page saying why; the token login unchanged.

The browser reaches the console as ``localhost`` and the provider as ``127.0.0.1``: two sites,
as in production, so the SameSite=Strict session cookie must survive a cross-site redirect chain.
"""

from __future__ import annotations

from playwright.async_api import Browser, BrowserContext, Page

from accord.org.store import OrgStore

from ..editors import accord
from ..server import OrgServer
from ..sso.idp import CLIENT_ID, CLIENT_SECRET, Person
from ..sso.idp import Provider as Idp
from .browsing import Console, log_in


def _as_localhost(console: Console) -> str:
    return console.base.replace("127.0.0.1", "localhost")


async def _sso_set(
    org: OrgServer, idp: Idp, base: str, admin: str = "admin@acme.test", domain: str = "acme.test"
) -> None:
    """``accord org sso set`` for ``admin``'s organisation, as its operator would."""
    org_id = org.users[admin].org_id
    await accord(
        *("org", "sso", "set", "--store", org.store, "--org", org_id),
        *("--issuer", idp.url, "--client-id", CLIENT_ID, "--client-secret", CLIENT_SECRET),
        *("--map", "leads=tech_lead", "--map", "engineers=developer", "--domain", domain),
    )
    idp.redirect_uris.add(f"{base}/sso/callback")


async def _sso_logins(store: OrgStore, org_id: str) -> list[dict[str, object]]:
    events = await store.audit_events(org_id, None, "admin.action", 0, 1000)
    return [
        {"actor": e.actor, **e.payload}
        for e in events
        if e.payload.get("action") == "console.login"
    ]


async def _sign_in(browser: Browser, base: str, idp: Idp) -> tuple[BrowserContext, Page]:
    """A new browser profile pressing "Sign in with <issuer>" on the login page."""
    context = await browser.new_context()
    page = await context.new_page()
    await page.goto(f"{base}/login")
    link = page.locator("#sso")
    assert await link.inner_text() == f"Sign in with {idp.url}"
    await link.click()
    return context, page


async def test_sign_in_with_the_provider_lands_in_the_inbox_and_is_audited(
    console: Console, browser: Browser, idp: Idp
) -> None:
    base = _as_localhost(console)
    await _sso_set(console.org, idp, base)
    idp.behaviour.user = Person("lin@acme.test", ["leads", "marketing"])
    context, page = await _sign_in(browser, base, idp)
    await page.wait_for_url(f"{base}/approvals")
    assert "lin@acme.test" in await page.inner_text("nav")
    assert await page.locator("h1").inner_text() == "Approvals"
    await context.close()

    async with console.org.opened() as store:
        lin = await store.user_by_email(
            console.org.users["admin@acme.test"].org_id, "lin@acme.test"
        )
        assert lin is not None and lin.roles == ("tech_lead",)
        logins = await _sso_logins(store, lin.org_id)
    assert logins == [
        {
            "actor": "lin@acme.test",
            "action": "console.login",
            "method": "sso",
            "roles": ["tech_lead"],
        }
    ]


async def test_a_user_in_no_mapped_group_is_refused_and_the_token_login_still_works(
    console: Console, browser: Browser, idp: Idp
) -> None:
    base = _as_localhost(console)
    context, page = await log_in(browser, console, "lead@acme.test")
    await page.goto(f"{console.base}/login")
    assert await page.locator("#sso").count() == 0  # no single sign-on set up yet
    await context.close()

    await _sso_set(console.org, idp, base)
    idp.behaviour.user = Person("sam@acme.test", ["marketing"])
    context, page = await _sign_in(browser, base, idp)
    await page.wait_for_url(f"{base}/sso/callback?**")
    assert await page.locator("h1").inner_text() == "Sign-in refused"
    said = await page.inner_text("p")
    assert "sam@acme.test is in no group that Acme maps to an Accord role" in said
    assert "marketing" in said
    await page.goto(f"{base}/approvals")
    await page.wait_for_url(f"{base}/login")  # no session came of it
    await context.close()
    async with console.org.opened() as store:
        acme = console.org.users["admin@acme.test"].org_id
        assert await store.user_by_email(acme, "sam@acme.test") is None
        assert await _sso_logins(store, acme) == []

    context, page = await log_in(browser, console, "lead@acme.test")  # tokens still work
    assert "lead@acme.test" in await page.inner_text("nav")
    await context.close()


async def test_with_several_organisations_signing_in_the_page_asks_which(
    console: Console, browser: Browser, idp: Idp
) -> None:
    base = _as_localhost(console)
    await _sso_set(console.org, idp, base)
    await _sso_set(console.org, idp, base, "admin@bob.test", "bob.test")
    idp.behaviour.user = Person("lead@bob.test", ["leads"])
    context = await browser.new_context()
    page = await context.new_page()
    await page.goto(f"{base}/login")
    assert idp.url not in await page.inner_text("main")  # nothing said about either org
    await page.fill("#sso input[name=org]", "Bobco")
    await page.click("#sso button")
    await page.wait_for_url(f"{base}/approvals")
    assert "Accord · Bobco" in await page.inner_text("nav")
    await page.goto(f"{base}/sso/login?org=Nobody")
    assert "single sign-on is not set up for organisation 'Nobody'" in await page.inner_text("p")
    await context.close()
