"""Single sign-on login time at the org server, against the token login it sits beside.

``accord org serve`` runs on a fresh SQLite store whose organisation signs in through a real OIDC
provider on loopback (the Authlib provider of ``tests/org/sso/idp.py``). One SSO login is what
``accord login --sso`` does minus the human: ``sso.config`` on one connection, the provider's
authorization redirect (consent is immediate), then ``sso.exchange`` on another connection (the
org server redeems the code at the provider, fetches nothing else once discovery and keys are
cached, verifies the RS256 ID token, updates the member's roles and issues a token pair). The
baseline is ``accord login --token``'s call: ``token.refresh`` on a fresh connection.

    python benchmarks/org_sso_login.py [--iterations 100]
"""

from __future__ import annotations

import argparse
import asyncio
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import httpx
from org_wire import _start, _stop, quantiles_ms

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from accord.org.client import OrgClient
from accord.org.sso.login import authorization_request
from accord.org.sso.settings import SETTING
from accord.org.store.sqlite import SqliteStore
from accord.org.tokens import TokenIssuer
from accord.protocol.org import (
    SsoConfig,
    SsoExchange,
    SsoExchanged,
    SsoOrg,
    TokenPair,
    TokenRefresh,
)
from tests.org.sso.flows import settings_for
from tests.org.sso.idp import Person, Provider

WARM = 5


async def _seed(path: Path, idp: Provider, logins: int) -> list[str]:
    """The organisation (SSO through ``idp``) and ``logins`` recorded login tokens."""
    store = SqliteStore(path)
    await store.open()
    try:
        org = await store.create_org("Bench")
        settings = settings_for(idp, domains=("bench.test",))
        await store.put_org_setting(org.id, SETTING, settings.model_dump(mode="json"))
        user = await store.add_user(org.id, "dev@bench.test", ("developer",))
        issuer, tokens = TokenIssuer(await store.signing_key()), []
        for _ in range(logins):
            issued = issuer.issue(user.id, org.id, "refresh", 0)
            await store.save_refresh(issued.claims.jti, user.id, issued.claims.expires_at)
            tokens.append(issued.token)
        return tokens
    finally:
        await store.close()


async def _sso_login(url: str, browser: httpx.AsyncClient) -> None:
    async with OrgClient(url) as client:
        config = await client.request("sso.config", SsoOrg(), SsoConfig)
    redirect = "http://127.0.0.1:9/callback"
    link, _, nonce, verifier = authorization_request(
        config.client_id, config.scope, config.authorization_endpoint, redirect
    )
    code = parse_qs(urlsplit((await browser.get(link)).headers["location"]).query)["code"][0]
    exchange = SsoExchange(
        org_id=config.org_id, code=code, code_verifier=verifier, redirect_uri=redirect, nonce=nonce
    )
    async with OrgClient(url) as client:
        answer = await client.request("sso.exchange", exchange, SsoExchanged)
    assert answer.pair is not None


async def _token_login(url: str, token: str) -> None:
    async with OrgClient(url) as client:
        await client.request("token.refresh", TokenRefresh(refresh_token=token), TokenPair)


async def main(iterations: int) -> None:
    idp = Provider()
    idp.behaviour.user = Person("dev@bench.test", ["engineers"])
    idp.start()
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "org.db"
        tokens = await _seed(path, idp, iterations + WARM)
        server = await _start(
            sys.executable, "-m", "accord", "org", "serve", "--store", f"sqlite:///{path}",
            "--port", "0",
        )  # fmt: skip
        try:
            sso, token = [], []
            async with httpx.AsyncClient() as browser:
                for index in range(iterations + WARM):
                    started = time.perf_counter()
                    await _sso_login(server.url, browser)
                    middle = time.perf_counter()
                    await _token_login(server.url, tokens[index])
                    if index >= WARM:
                        sso.append(middle - started)
                        token.append(time.perf_counter() - middle)
        finally:
            await _stop(server)
            idp.stop()
    s50, s99, smax = quantiles_ms(sso)
    t50, t99, tmax = quantiles_ms(token)
    print(
        f"{iterations} logins each (after {WARM} warm-up), org server and provider on 127.0.0.1\n"
    )
    print(f"{'login':<46}{'p50 ms':>8}{'p99 ms':>8}{'max ms':>8}")
    print(
        f"{'accord login --sso (config, authorize, exchange)':<46}{s50:>8.2f}{s99:>8.2f}{smax:>8.2f}"
    )
    print(f"{'accord login --token (token.refresh)':<46}{t50:>8.2f}{t99:>8.2f}{tmax:>8.2f}")
    print(f"\nSSO / token login, p50: {s50 / t50:.1f}x")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--iterations", type=int, default=100)
    asyncio.run(main(parser.parse_args().iterations))
