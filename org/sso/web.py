"""Single sign-on for web pages (the console): a login route that sends the browser to the
organisation's provider and a callback route that signs the user in.

The request's state, nonce and PKCE verifier travel in a short-lived cookie signed with the
server's key (HttpOnly, SameSite=Lax so the provider's redirect brings it back, Secure over
HTTPS); a callback whose state is not the cookie's is refused. What a signed-in user gets (a
session) is the caller's ``on_login``.
"""

from __future__ import annotations

import hmac
import time
from collections.abc import Awaitable, Callable
from html import escape

import jwt
from starlette.requests import Request
from starlette.responses import HTMLResponse, RedirectResponse, Response
from starlette.routing import Route

from ..errors import NotFound
from ..records import User
from ..store import OrgStore
from .handlers import org_settings, sign_in
from .login import authorization_request
from .provider import Providers, SsoError

__all__ = ["COOKIE", "sso_routes"]

COOKIE = "accord_sso"
COOKIE_SECONDS = 600
OnLogin = Callable[[Request, User], Awaitable[Response]]


def _refused(message: str, status: int = 403, prefix: str = "/") -> Response:
    page = (
        "<!doctype html><title>Sign-in refused</title>"
        f"<h1>Sign-in refused</h1><p>{escape(message)}</p>"
    )
    response = HTMLResponse(page, status_code=status)
    response.delete_cookie(COOKIE, path=prefix)
    return response


def sso_routes(
    store: OrgStore,
    secret: bytes,
    on_login: OnLogin,
    org: str = "",
    providers: Providers | None = None,
    prefix: str = "/sso",
) -> list[Route]:
    """``GET {prefix}/login`` (``?org=`` picks the organisation, else ``org``) and
    ``GET {prefix}/callback``, named ``sso_login`` and ``sso_callback``."""
    providers = providers or Providers()

    async def login(request: Request) -> Response:
        try:
            found, settings = await org_settings(store, request.query_params.get("org", org))
            endpoint = (await providers.of(settings).metadata())["authorization_endpoint"]
        except (NotFound, SsoError) as error:
            return _refused(str(error), 404 if isinstance(error, NotFound) else 502, prefix)
        redirect_uri = str(request.url_for("sso_callback"))
        link, state, nonce, verifier = authorization_request(
            settings.client_id, settings.scope, endpoint, redirect_uri
        )
        pending = {
            "org": found.id,
            "state": state,
            "nonce": nonce,
            "verifier": verifier,
            "redirect_uri": redirect_uri,
            "exp": int(time.time()) + COOKIE_SECONDS,
        }
        response = RedirectResponse(link, status_code=303)
        response.set_cookie(
            COOKIE,
            jwt.encode(pending, secret, algorithm="HS256"),
            max_age=COOKIE_SECONDS,
            path=prefix,
            httponly=True,
            secure=request.url.scheme == "https",
            samesite="lax",
        )
        return response

    async def callback(request: Request) -> Response:
        try:
            pending = jwt.decode(request.cookies.get(COOKIE, ""), secret, algorithms=["HS256"])
        except jwt.PyJWTError:
            return _refused("this sign-in expired or was not started here; start again", 400)
        state = request.query_params.get("state", "")
        if not hmac.compare_digest(state.encode(), str(pending.get("state", "")).encode()):
            return _refused(
                "the provider's redirect carries another state (a forged link?)", 400, prefix
            )
        if error := request.query_params.get("error"):
            said = request.query_params.get("error_description", error)
            return _refused(f"the identity provider refused: {said}", 403, prefix)
        try:
            found, settings = await org_settings(store, str(pending["org"]))
            provider = providers.of(settings)
            tokens = await provider.redeem_code(
                request.query_params.get("code", ""),
                str(pending["verifier"]),
                str(pending["redirect_uri"]),
            )
            user = await sign_in(store, provider, found, settings, tokens, str(pending["nonce"]))
        except (NotFound, SsoError) as error:
            return _refused(str(error), 403, prefix)
        response = await on_login(request, user)
        response.delete_cookie(COOKIE, path=prefix)
        return response

    return [
        Route(f"{prefix}/login", login, name="sso_login"),
        Route(f"{prefix}/callback", callback, name="sso_callback"),
    ]
