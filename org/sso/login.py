"""``accord login --sso``: the user's side of an OIDC login, ending with an Accord token pair.

With a browser: a listener on a loopback port receives the provider's redirect (RFC 8252); the
authorization request carries a fresh state, nonce and PKCE challenge, and a redirect whose
state differs is refused. Without one (``--device``): the org server starts a device
authorization, the user approves it on any machine, and this side asks until it is done. Either
way the org server redeems the code itself and validates the ID token; this side only carries.
"""

from __future__ import annotations

import asyncio
import html
import secrets
import time
import webbrowser
from collections.abc import Callable
from typing import TypeVar
from urllib.parse import parse_qs, urlsplit

from authlib.oauth2.rfc6749.parameters import prepare_grant_uri
from authlib.oauth2.rfc7636 import create_s256_code_challenge

from accord.protocol.org import (
    Message,
    SsoConfig,
    SsoDevice,
    SsoExchange,
    SsoExchanged,
    SsoOrg,
    TokenPair,
)

from ..client import OrgClient
from .provider import SsoError

__all__ = ["authorization_request", "browser_login", "device_login"]

M = TypeVar("M", bound=Message)
Say = Callable[[str], None]
_CLOSE_PAGE = "<!doctype html><title>Accord</title><p>{}</p>"


def authorization_request(
    client_id: str, scope: str, endpoint: str, redirect_uri: str
) -> tuple[str, str, str, str]:
    """The provider URL to send the user to, with its state, nonce and PKCE verifier."""
    state, nonce, verifier = (secrets.token_urlsafe(32) for _ in range(3))
    url = prepare_grant_uri(
        endpoint,
        client_id,
        "code",
        redirect_uri=redirect_uri,
        scope=scope,
        state=state,
        nonce=nonce,
        code_challenge=create_s256_code_challenge(verifier),
        code_challenge_method="S256",
    )
    return url, state, nonce, verifier


async def _ask(url: str, ca: str | None, method: str, params: Message, model: type[M]) -> M:
    """One call on a connection of its own (an unauthenticated connection does not wait long)."""
    async with OrgClient(url, ca=ca) as client:
        return await client.request(method, params, model)


async def _config(url: str, ca: str | None, org: str) -> SsoConfig:
    return await _ask(url, ca, "sso.config", SsoOrg(org=org), SsoConfig)


class _Redirect:
    """The loopback listener: takes the one redirect whose state is ours."""

    def __init__(self, state: str) -> None:
        self.state = state
        self.answer: asyncio.Future[str] = asyncio.get_running_loop().create_future()

    async def handle(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            head = await asyncio.wait_for(reader.readuntil(b"\r\n\r\n"), 10)
            target = head.split(b" ", 2)[1].decode("latin-1")
            status, text = self._take(parse_qs(urlsplit(target).query))
        except (asyncio.IncompleteReadError, asyncio.LimitOverrunError, TimeoutError, IndexError):
            status, text = 400, "That was not a login redirect."
        body = _CLOSE_PAGE.format(html.escape(text)).encode()
        writer.write(
            f"HTTP/1.1 {status} {'OK' if status == 200 else 'Bad Request'}\r\n"
            f"Content-Type: text/html; charset=utf-8\r\nContent-Length: {len(body)}\r\n"
            "Connection: close\r\n\r\n".encode()
            + body
        )
        try:
            await writer.drain()
        finally:
            writer.close()

    def _take(self, query: dict[str, list[str]]) -> tuple[int, str]:
        if self.answer.done():
            return 400, "This login is over already."
        if (query.get("state") or [""])[0] != self.state:
            self.answer.set_exception(
                SsoError("the provider's redirect carries another state (a forged redirect?)")
            )
            return 400, "Refused: the state does not match this login."
        if error := (query.get("error") or [""])[0]:
            said = (query.get("error_description") or [error])[0]
            self.answer.set_exception(SsoError(f"the identity provider refused: {said}"))
            return 400, f"The identity provider refused: {said}"
        code = (query.get("code") or [""])[0]
        if not code:
            return 400, "The redirect carries no code."
        self.answer.set_result(code)
        return 200, "Signed in to Accord. You can close this window."


async def browser_login(
    url: str,
    ca: str | None,
    org: str = "",
    open_browser: bool = True,
    say: Say = print,
    timeout: float = 300.0,
) -> SsoExchanged:
    """Sign in through the provider in a browser (loopback redirect)."""
    config = await _config(url, ca, org)
    redirect: _Redirect | None = None

    async def handle(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        assert redirect is not None
        await redirect.handle(reader, writer)

    server = await asyncio.start_server(handle, "127.0.0.1", 0)
    try:
        port = server.sockets[0].getsockname()[1]
        redirect_uri = f"http://127.0.0.1:{port}/callback"
        link, state, nonce, verifier = authorization_request(
            config.client_id, config.scope, config.authorization_endpoint, redirect_uri
        )
        redirect = _Redirect(state)
        say(f"sign in to {config.org_name} at {config.issuer}; open this address:")
        say(link)
        if open_browser:
            webbrowser.open(link)
        try:
            code = await asyncio.wait_for(redirect.answer, timeout)
        except TimeoutError:
            raise SsoError(f"no sign-in within {timeout:g} seconds") from None
    finally:
        server.close()
    exchange = SsoExchange(
        org_id=config.org_id,
        code=code,
        code_verifier=verifier,
        redirect_uri=redirect_uri,
        nonce=nonce,
    )
    return _done(await _ask(url, ca, "sso.exchange", exchange, SsoExchanged))


async def device_login(url: str, ca: str | None, org: str = "", say: Say = print) -> SsoExchanged:
    """Sign in with the device authorization grant (for machines without a browser)."""
    config = await _config(url, ca, org)
    device = await _ask(url, ca, "sso.device", SsoOrg(org=config.org_id), SsoDevice)
    say(
        f"sign in to {config.org_name}: open {device.verification_uri} and enter {device.user_code}"
    )
    if device.verification_uri_complete:
        say(f"(or open {device.verification_uri_complete})")
    deadline, interval = time.monotonic() + device.expires_in, max(1, device.interval)
    while time.monotonic() < deadline:
        await asyncio.sleep(interval)
        answer = await _ask(
            url,
            ca,
            "sso.exchange",
            SsoExchange(org_id=config.org_id, device_code=device.device_code),
            SsoExchanged,
        )
        if not answer.pending:
            return _done(answer)
        interval += 5 if answer.slow_down else 0
    raise SsoError("the device login expired before it was approved; run it again")


def _done(answer: SsoExchanged) -> SsoExchanged:
    if not isinstance(answer.pair, TokenPair):
        raise SsoError("the org server answered without tokens")
    return answer
