"""``accord org sso`` and ``accord login --sso`` as a user runs them: real subprocesses against a
real org server (SQLite) and a real OIDC provider, ending with a working authenticated
connection from the saved credentials."""

from __future__ import annotations

import asyncio
import os
import sys
from collections.abc import AsyncIterator
from pathlib import Path

import httpx
import pytest

from accord.org.client import OrgClient, OrgError
from accord.org.credentials import open_session
from accord.org.sso.handlers import CALLS_PER_CONNECTION
from accord.org.sso.settings import SETTING
from accord.protocol.org import SsoConfig, SsoExchange, SsoExchanged, SsoOrg
from accord.protocol.rpc import ErrorCode

from ..server import OrgServer
from .flows import REDIRECT, settings_for
from .idp import CLIENT_ID, CLIENT_SECRET, Person
from .idp import Provider as Idp


async def _accord(*args: str, home: Path | None = None) -> tuple[int, str]:
    process = await _start(*args, home=home)
    output, _ = await asyncio.wait_for(process.communicate(), 60)
    assert process.returncode is not None
    return process.returncode, output.decode()


async def _start(*args: str, home: Path | None = None) -> asyncio.subprocess.Process:
    env = {**os.environ, "PYTHONUNBUFFERED": "1"}
    if home is not None:
        env["ACCORD_CONFIG_HOME"] = str(home)
    return await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "accord",
        *args,
        env=env,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.STDOUT,
    )


async def _line_with(process: asyncio.subprocess.Process, marker: str) -> tuple[str, str]:
    """Read the process's output up to the first line containing ``marker``."""
    assert process.stdout is not None
    seen = ""
    while True:
        line = (await asyncio.wait_for(process.stdout.readline(), 30)).decode()
        assert line, f"ended before printing {marker!r}:\n{seen}"
        seen += line
        if marker in line:
            return line.strip(), seen


@pytest.fixture
async def server(tmp_path: Path, idp: Idp) -> AsyncIterator[OrgServer]:
    """The seeded org server, Acme signing in through ``idp``."""
    org = OrgServer(tmp_path / "org.db")
    await org.seed()
    settings = settings_for(idp)
    async with org.opened() as store:
        await store.put_org_setting(
            org.users["admin@acme.test"].org_id, SETTING, settings.model_dump(mode="json")
        )
    await org.start()
    try:
        yield org
    finally:
        await org.stop()


async def _authenticated_as(url: str, home: Path) -> tuple[str, tuple[str, ...]]:
    client, hello = await open_session(url, path=home / "credentials.json")
    try:
        return hello.identity.email, hello.identity.roles
    finally:
        await client.close()


async def test_login_sso_in_a_browser_ends_with_a_working_session(
    server: OrgServer, idp: Idp, tmp_path: Path
) -> None:
    idp.behaviour.user = Person("ada@acme.test", ["engineers"])
    home = tmp_path / "home"
    login = await _start("login", server.url, "--sso", "--no-browser", "--org", "Acme", home=home)
    link, _ = await _line_with(login, "/authorize?")
    async with httpx.AsyncClient(follow_redirects=True) as browser:
        landed = await browser.get(link)
    assert landed.status_code == 200
    assert "Signed in to Accord" in landed.text
    output, _ = await asyncio.wait_for(login.communicate(), 30)
    assert login.returncode == 0, output.decode()
    assert f"logged in to {server.url} as ada@acme.test (developer) of Acme" in output.decode()
    assert await _authenticated_as(server.url, home) == ("ada@acme.test", ("developer",))


async def test_login_sso_with_the_device_grant(server: OrgServer, idp: Idp, tmp_path: Path) -> None:
    idp.behaviour.user = Person("lead@acme.test", ["leads"])
    home = tmp_path / "home"
    login = await _start("login", server.url, "--device", "--org", "Acme", home=home)
    line, said = await _line_with(login, "(or open ")
    assert "enter " in said
    approve = line.removeprefix("(or open ").removesuffix(")")
    async with httpx.AsyncClient() as phone:
        assert (await phone.get(approve)).status_code == 200
    output, _ = await asyncio.wait_for(login.communicate(), 30)
    assert login.returncode == 0, output.decode()
    # the seeded lead@acme.test was a tech lead; their groups now say tech lead and developer
    assert await _authenticated_as(server.url, home) == (
        "lead@acme.test",
        ("tech_lead", "developer"),
    )


async def test_login_sso_refuses_a_user_in_no_mapped_group(
    server: OrgServer, idp: Idp, tmp_path: Path
) -> None:
    idp.behaviour.user = Person("sam@acme.test", ["marketing"])
    login = await _start(
        "login", server.url, "--sso", "--no-browser", "--org", "Acme", home=tmp_path / "home"
    )
    link, _ = await _line_with(login, "/authorize?")
    async with httpx.AsyncClient(follow_redirects=True) as browser:
        await browser.get(link)
    output, _ = await asyncio.wait_for(login.communicate(), 30)
    assert login.returncode == 1
    assert "sam@acme.test is in no group that Acme maps to an Accord role" in output.decode()
    assert not (tmp_path / "home" / "credentials.json").exists()


async def test_sso_calls_per_connection_are_capped_and_refusals_counted(
    server: OrgServer, idp: Idp
) -> None:
    acme = server.users["admin@acme.test"].org_id
    async with OrgClient(server.url, timeout=10) as client:
        for _ in range(CALLS_PER_CONNECTION - 1):
            config = await client.request("sso.config", SsoOrg(org="Acme"), SsoConfig)
        assert config.org_id == acme and config.issuer == idp.url
        forged = SsoExchange(
            org_id=acme, code="made-up", code_verifier="v" * 43, redirect_uri=REDIRECT, nonce="n"
        )
        with pytest.raises(OrgError, match="refused the code") as refused:
            await client.request("sso.exchange", forged, SsoExchanged)
        assert refused.value.code == ErrorCode.UNAUTHENTICATED
        with pytest.raises(OrgError, match="too many single sign-on calls"):
            await client.request("sso.config", SsoOrg(org="Acme"), SsoConfig)
    async with httpx.AsyncClient() as http:
        metrics = (await http.get(server.url.replace("ws://", "http://") + "/metrics")).text
    assert 'accord_auth_failures_total{reason="sso"} 1.0' in metrics


async def test_login_sso_for_an_organisation_without_it_says_so(
    server: OrgServer, tmp_path: Path
) -> None:
    code, said = await _accord(
        "login", server.url, "--sso", "--no-browser", "--org", "Bobco", home=tmp_path
    )
    assert code == 1
    assert "single sign-on is not set up for organisation 'Bobco'" in said


async def test_token_login_keeps_working(server: OrgServer, tmp_path: Path) -> None:
    token = await server.recorded_login_token("dev@acme.test")
    code, said = await _accord("login", server.url, "--token", token, home=tmp_path)
    assert code == 0, said
    assert await _authenticated_as(server.url, tmp_path) == ("dev@acme.test", ("developer",))
    code, said = await _accord("login", server.url, home=tmp_path)
    assert code == 2
    assert "give --token TOKEN, or --sso" in said


async def test_sso_set_show_and_bad_settings(server: OrgServer, idp: Idp) -> None:
    acme = server.users["admin@acme.test"].org_id
    where = ("--store", server.store, "--org", acme)
    code, said = await _accord(
        *("org", "sso", "set", *where, "--issuer", idp.url, "--client-id", CLIENT_ID),
        *("--client-secret", CLIENT_SECRET, "--domain", "acme.test"),
        *("--map", "engineers=developer", "--map", "leads=tech_lead,developer"),
    )
    assert code == 0, said
    assert "leads -> tech_lead, developer" in said
    code, shown = await _accord("org", "sso", "show", *where)
    assert code == 0, shown
    assert f"issuer: {idp.url}" in shown
    assert "leads -> tech_lead, developer" in shown
    assert CLIENT_SECRET not in shown and "client_secret: (set)" in shown
    code, said = await _accord("org", "sso", "set", *where, "--map", "engineers=wizard")
    assert code == 2 and "unknown role 'wizard'" in said
    code, said = await _accord("org", "sso", "set", *where, "--issuer", "http://127.0.0.1:9")
    assert code == 2 and "discovery failed" in said
    code, unchanged = await _accord("org", "sso", "show", *where)
    assert unchanged == shown
