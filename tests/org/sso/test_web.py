"""The console's single sign-on routes, mounted in a small Starlette app, against a real provider
and a real SQLite store: who gets in, with which roles, and what is refused."""

from __future__ import annotations

import time
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import parse_qs, urlencode, urlsplit

import httpx
import jwt
import pytest
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import PlainTextResponse, Response

from accord.org.records import Organisation, User
from accord.org.sso.settings import SETTING
from accord.org.sso.web import COOKIE, sso_routes
from accord.org.store import OrgStore
from accord.org.store.opening import open_store

from .flows import settings_for
from .idp import Person
from .idp import Provider as Idp

CONSOLE = "http://console.test"
SECRET = b"k" * 32


@dataclass
class Console:
    """A Starlette app with the SSO routes, whose ``on_login`` records who signed in."""

    store: OrgStore
    acme: Organisation
    bobco: Organisation
    http: httpx.AsyncClient
    signed_in: list[User] = field(default_factory=list)

    async def sign_in(self) -> httpx.Response:
        return await self.http.get(f"{CONSOLE}/sso/login", params={"org": "Acme"})


@pytest.fixture
async def console(idp: Idp, tmp_path: Path) -> AsyncIterator[Console]:
    store = open_store(f"sqlite:///{tmp_path / 'org.db'}")
    await store.open()
    acme, bobco = await store.create_org("Acme"), await store.create_org("Bobco")
    for org in (acme, bobco):
        domain = "acme.test" if org is acme else "bob.test"
        settings = settings_for(idp, domains=(domain,))
        await store.put_org_setting(org.id, SETTING, settings.model_dump(mode="json"))
    idp.redirect_uris.add(f"{CONSOLE}/sso/callback")
    signed_in: list[User] = []

    async def on_login(request: Request, user: User) -> Response:
        signed_in.append(user)
        return PlainTextResponse(f"welcome {user.email}: {', '.join(user.roles)}")

    app = Starlette(routes=sso_routes(store, SECRET, on_login))
    mounts = {CONSOLE: httpx.ASGITransport(app=app)}
    async with httpx.AsyncClient(mounts=mounts, follow_redirects=True) as http:
        yield Console(store, acme, bobco, http, signed_in)
    await store.close()


async def test_a_mapped_user_signs_in_and_is_created_with_the_roles_of_their_groups(
    console: Console, idp: Idp
) -> None:
    idp.behaviour.user = Person("lin@acme.test", ["leads", "marketing"])
    answer = await console.sign_in()
    assert answer.status_code == 200, answer.text
    assert answer.text == "welcome lin@acme.test: tech_lead, developer"
    (user,) = console.signed_in
    assert user.org_id == console.acme.id
    stored = await console.store.user_by_email(console.acme.id, "lin@acme.test")
    assert stored is not None and stored.roles == ("tech_lead", "developer")
    assert COOKIE not in console.http.cookies


async def test_roles_follow_the_groups_on_every_login(console: Console, idp: Idp) -> None:
    idp.behaviour.user = Person("lin@acme.test", ["leads"])
    await console.sign_in()
    idp.behaviour.user = Person("lin@acme.test", ["engineers"])
    answer = await console.sign_in()
    assert answer.text == "welcome lin@acme.test: developer"
    first, second = console.signed_in
    assert first.id == second.id
    stored = await console.store.user_by_email(console.acme.id, "lin@acme.test")
    assert stored is not None and stored.roles == ("developer",)


async def test_a_user_in_no_mapped_group_is_refused_and_not_created(
    console: Console, idp: Idp
) -> None:
    idp.behaviour.user = Person("sam@acme.test", ["marketing"])
    answer = await console.sign_in()
    assert answer.status_code == 403
    assert "in no group that Acme maps to an Accord role" in answer.text
    assert "marketing" in answer.text
    assert console.signed_in == []
    assert await console.store.user_by_email(console.acme.id, "sam@acme.test") is None


async def test_an_email_of_another_organisations_domain_is_refused(
    console: Console, idp: Idp
) -> None:
    idp.behaviour.user = Person("dev@bob.test", ["engineers"])
    answer = await console.sign_in()
    assert answer.status_code == 403
    assert "dev@bob.test is not an address of Acme" in answer.text
    assert await console.store.list_users(console.acme.id) == []


async def test_an_unverified_email_is_refused(console: Console, idp: Idp) -> None:
    idp.behaviour.user = Person("lin@acme.test", ["engineers"], email_verified=False)
    answer = await console.sign_in()
    assert answer.status_code == 403
    assert "has not verified lin@acme.test" in answer.text


async def test_another_tenants_member_of_the_same_email_stays_theirs(
    console: Console, idp: Idp
) -> None:
    await console.store.put_org_setting(
        console.acme.id,
        SETTING,
        settings_for(idp, domains=()).model_dump(mode="json"),
    )
    theirs = await console.store.add_user(console.bobco.id, "dev@bob.test", ("admin",))
    idp.behaviour.user = Person("dev@bob.test", ["engineers"])
    answer = await console.sign_in()
    assert answer.status_code == 200
    (user,) = console.signed_in
    assert user.org_id == console.acme.id and user.id != theirs.id
    assert user.roles == ("developer",)
    assert await console.store.get_user(theirs.id) == theirs


async def test_a_callback_with_another_state_is_refused(console: Console, idp: Idp) -> None:
    idp.behaviour.user = Person("lin@acme.test", ["engineers"])
    http = console.http
    started = await http.get(f"{CONSOLE}/sso/login?org=Acme", follow_redirects=False)
    at_provider = await http.get(started.headers["location"], follow_redirects=False)
    query = parse_qs(urlsplit(at_provider.headers["location"]).query)
    forged = {"code": query["code"][0], "state": "an-attackers-state"}
    answer = await http.get(f"{CONSOLE}/sso/callback?{urlencode(forged)}")
    assert answer.status_code == 400
    assert "another state" in answer.text
    assert console.signed_in == []


async def test_a_callback_without_the_login_cookie_is_refused(console: Console, idp: Idp) -> None:
    http = console.http
    started = await http.get(f"{CONSOLE}/sso/login?org=Acme", follow_redirects=False)
    at_provider = await http.get(started.headers["location"], follow_redirects=False)
    http.cookies.clear()
    answer = await http.get(at_provider.headers["location"])
    assert answer.status_code == 400
    assert "expired or was not started here" in answer.text
    assert console.signed_in == []


async def test_the_login_cookie_is_http_only_lax_scoped_and_short_lived(
    console: Console, idp: Idp
) -> None:
    started = await console.http.get(f"{CONSOLE}/sso/login?org=Acme", follow_redirects=False)
    assert started.status_code == 303
    cookie = started.headers["set-cookie"].lower()
    for flag in ("httponly", "samesite=lax", "path=/sso", "max-age=600"):
        assert flag in cookie, cookie
    stale = jwt.encode(
        {"state": "s", "org": console.acme.id, "exp": int(time.time()) - 1}, SECRET, "HS256"
    )
    console.http.cookies.set(COOKIE, stale, domain="console.test", path="/sso")
    answer = await console.http.get(f"{CONSOLE}/sso/callback?code=c&state=s")
    assert answer.status_code == 400 and "expired" in answer.text
    assert console.signed_in == []


async def test_a_forged_id_token_does_not_sign_anyone_in(console: Console, idp: Idp) -> None:
    idp.behaviour.rogue = True
    answer = await console.sign_in()
    assert answer.status_code == 403
    assert "signature does not verify" in answer.text
    assert console.signed_in == []
