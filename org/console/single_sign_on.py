"""Single sign-on for the console: :func:`accord.org.sso.web.sso_routes` under ``/console/sso``,
whose signed-in users get a console session (audited), and what the login page offers.

The session cookie is SameSite=Strict, and a browser sends none on a navigation that a page of
another site started (the provider's sign-in page, where the user typed a password). So the
callback does not redirect: it answers a page of ours that moves on to the console (a same-site
navigation, which carries the new cookie).
"""

from __future__ import annotations

import hashlib
import hmac
from dataclasses import dataclass

from starlette.requests import Request
from starlette.responses import HTMLResponse, Response
from starlette.routing import BaseRoute

from accord.org.records import User
from accord.org.service import OrgService
from accord.org.sso.settings import SETTING, settings_from
from accord.org.sso.web import sso_routes
from accord.protocol.org import Identity

from .sessions import Sessions

__all__ = ["PREFIX", "Offer", "console_sso_routes", "offer", "sso_secret"]

PREFIX = "/console/sso"
_ONWARD = (
    '<!doctype html><meta http-equiv="refresh" content="0;url=/console/">'
    '<title>Signed in · Accord console</title><p>Signed in. <a href="/console/">Continue</a></p>'
)


def sso_secret(signing_key: bytes) -> bytes:
    """The key that signs the sign-in cookie: derived from the store's signing key, so every
    replica of the org server agrees, and never the token key itself."""
    return hmac.new(signing_key, b"accord console sso state", hashlib.sha256).digest()


def console_sso_routes(service: OrgService, secret: bytes) -> list[BaseRoute]:
    """The console's ``/console/sso/login`` and ``/console/sso/callback``."""

    async def on_login(request: Request, user: User) -> Response:
        org = await service.store.get_org(user.org_id)
        identity = Identity(
            user_id=user.id,
            email=user.email,
            org_id=user.org_id,
            org_name=org.name if org else "",
            roles=user.roles,
        )
        await service.admin.audited(identity, "console.login", method="sso", roles=list(user.roles))
        sessions: Sessions = request.app.state.sessions
        response = HTMLResponse(_ONWARD)
        sessions.set_cookie(response, sessions.open(user))
        return response

    return list(
        sso_routes(service.store, secret, on_login, providers=service.sso.providers, prefix=PREFIX)
    )


@dataclass(frozen=True, slots=True)
class Offer:
    """What the login page offers: one organisation's provider, or (``issuer`` empty) a field
    to name the organisation when several sign in here."""

    org_id: str = ""
    issuer: str = ""


async def offer(service: OrgService, org: str = "") -> Offer | None:
    """The single sign-on the login page shows (None: no organisation here has one)."""
    found: list[Offer] = []
    for candidate in await service.store.list_orgs():
        if org and org not in (candidate.id, candidate.name):
            continue
        try:
            settings = settings_from(await service.store.org_setting(candidate.id, SETTING))
        except ValueError:
            continue  # the sign-in itself says what is wrong with them
        if settings is not None:
            found.append(Offer(candidate.id, settings.issuer))
    if len(found) > 1:
        return Offer()
    return found[0] if found else None
