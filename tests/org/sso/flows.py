"""Shared steps of the SSO tests: settings for the test provider, and a user's trip through its
authorization endpoint (the provider consents for its signed-in user at once)."""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

import httpx

from accord.org.sso.login import authorization_request
from accord.org.sso.provider import Provider
from accord.org.sso.settings import SsoSettings

from .idp import CLIENT_ID, CLIENT_SECRET
from .idp import Provider as Idp

REDIRECT = "http://127.0.0.1:9/callback"


def settings_for(idp: Idp, **changes: object) -> SsoSettings:
    """Settings that sign in through ``idp``: engineers are developers, leads tech leads."""
    base: dict[str, object] = {
        "issuer": idp.url,
        "client_id": CLIENT_ID,
        "client_secret": CLIENT_SECRET,
        "role_map": {"engineers": ("developer",), "leads": ("tech_lead", "developer")},
        "domains": ("acme.test",),
    }
    return SsoSettings.model_validate({**base, **changes})


async def authorized(provider: Provider) -> tuple[str, str, str]:
    """The code the provider redirects back with, and the request's nonce and PKCE verifier."""
    endpoint = (await provider.metadata())["authorization_endpoint"]
    settings = provider.settings
    link, state, nonce, verifier = authorization_request(
        settings.client_id, settings.scope, endpoint, REDIRECT
    )
    async with httpx.AsyncClient() as http:
        response = await http.get(link)
    assert response.status_code == 302, response.text
    query = parse_qs(urlsplit(response.headers["location"]).query)
    assert query["state"] == [state]
    return query["code"][0], nonce, verifier
