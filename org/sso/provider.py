"""One organisation's OIDC provider as the org server sees it: discovery, the provider's keys,
token requests (authorization code with PKCE, device authorization) and ID token validation.

Discovery reads ``ISSUER/.well-known/openid-configuration`` (its ``issuer`` must be the configured
one) and is kept for :data:`METADATA_SECONDS`; the key set is fetched again when a token names a
key it does not hold (the provider rotated its keys). Token requests go through Authlib's httpx
client; ID tokens are verified with joserfc and Authlib's OIDC claim rules.
"""

from __future__ import annotations

import functools
import ssl
import time
from dataclasses import dataclass, field
from typing import Any

import httpx
from authlib.integrations.httpx_client import AsyncOAuth2Client, OAuthError
from authlib.oidc.core import CodeIDToken
from authlib.oidc.discovery import OpenIDProviderMetadata
from joserfc import jwt
from joserfc.errors import JoseError
from joserfc.jwk import KeySet

from .settings import SsoSettings

__all__ = ["DEVICE_GRANT", "Pending", "Provider", "Providers", "SsoError"]

METADATA_SECONDS = 300.0
LEEWAY_SECONDS = 60
DEVICE_GRANT = "urn:ietf:params:oauth:grant-type:device_code"
_ALGORITHMS = ("RS256", "RS384", "RS512", "ES256", "ES384", "PS256", "EdDSA")


@functools.cache
def _tls() -> ssl.SSLContext:
    """One TLS context for every request to a provider (building one costs tens of ms)."""
    return ssl.create_default_context()


class SsoError(Exception):
    """A single sign-on refused or impossible; the message says why, for the user."""


class Pending(Exception):
    """Device grant: the user has not approved yet (``slow_down``: poll less often)."""

    def __init__(self, slow_down: bool) -> None:
        super().__init__("authorization pending")
        self.slow_down = slow_down


@dataclass
class Provider:
    """The provider of ``settings``, reached over ``http``."""

    settings: SsoSettings
    timeout: float = 10.0
    _metadata: OpenIDProviderMetadata | None = None
    _fetched_at: float = 0.0
    _keys: KeySet | None = field(default=None, repr=False)

    async def metadata(self) -> OpenIDProviderMetadata:
        """The provider's discovery document (validated, cached)."""
        if self._metadata is not None and time.monotonic() - self._fetched_at < METADATA_SECONDS:
            return self._metadata
        url = f"{self.settings.issuer}/.well-known/openid-configuration"
        document = await self._json("GET", url, "discovery")
        metadata = OpenIDProviderMetadata(document)
        try:
            metadata.validate()
        except ValueError as error:
            raise SsoError(f"the provider's discovery document is invalid: {error}") from None
        if metadata["issuer"] != self.settings.issuer:
            raise SsoError(
                f"the provider at {self.settings.issuer} names itself {metadata['issuer']!r}"
            )
        self._metadata, self._fetched_at, self._keys = metadata, time.monotonic(), None
        return metadata

    async def _json(self, method: str, url: str, what: str, **kwargs: Any) -> dict[str, Any]:
        try:
            async with httpx.AsyncClient(timeout=self.timeout, verify=_tls()) as http:
                response = await http.request(method, url, **kwargs)
            response.raise_for_status()
            document = response.json()
        except (httpx.HTTPError, ValueError) as error:
            raise SsoError(f"the identity provider's {what} failed ({url}): {error}") from None
        if not isinstance(document, dict):
            raise SsoError(f"the identity provider's {what} is not a JSON object ({url})")
        return document

    async def key_set(self, refresh: bool = False) -> KeySet:
        if self._keys is None or refresh:
            metadata = await self.metadata()
            document = await self._json("GET", metadata["jwks_uri"], "key set")
            try:
                self._keys = KeySet.import_key_set(document)  # type: ignore[arg-type]
            except (JoseError, ValueError, KeyError, TypeError) as error:
                raise SsoError(f"the provider's key set cannot be read: {error}") from None
        return self._keys

    def _client(self) -> AsyncOAuth2Client:
        settings = self.settings
        return AsyncOAuth2Client(
            client_id=settings.client_id,
            client_secret=settings.client_secret,
            token_endpoint_auth_method=(
                "client_secret_basic" if settings.client_secret else "none"
            ),
            timeout=self.timeout,
            verify=_tls(),
        )

    async def redeem_code(self, code: str, verifier: str, redirect_uri: str) -> dict[str, Any]:
        """The provider's token response for an authorization code (PKCE ``verifier``)."""
        metadata = await self.metadata()
        async with self._client() as client:
            try:
                return dict(
                    await client.fetch_token(
                        metadata["token_endpoint"],
                        grant_type="authorization_code",
                        code=code,
                        code_verifier=verifier,
                        redirect_uri=redirect_uri,
                    )
                )
            except (OAuthError, httpx.HTTPError, ValueError) as error:
                raise SsoError(f"the identity provider refused the code: {error}") from None

    async def start_device(self) -> dict[str, Any]:
        """A new device authorization (RFC 8628): codes and where the user approves."""
        metadata = await self.metadata()
        endpoint = metadata.get("device_authorization_endpoint")
        if not endpoint:
            raise SsoError("the identity provider offers no device authorization; use a browser")
        settings = self.settings
        secret = settings.client_secret
        answer = await self._json(
            "POST",
            endpoint,
            "device authorization",
            data={"scope": settings.scope, **({} if secret else {"client_id": settings.client_id})},
            auth=(settings.client_id, secret) if secret else None,
        )
        if "device_code" not in answer:
            raise SsoError("the identity provider's device authorization answer is malformed")
        return answer

    async def poll_device(self, device_code: str) -> dict[str, Any]:
        """The token response once the user approved; raises :class:`Pending` before."""
        metadata = await self.metadata()
        async with self._client() as client:
            try:
                return dict(
                    await client.fetch_token(
                        metadata["token_endpoint"], grant_type=DEVICE_GRANT, device_code=device_code
                    )
                )
            except OAuthError as error:
                if error.error in ("authorization_pending", "slow_down"):
                    raise Pending(error.error == "slow_down") from None
                raise SsoError(f"the identity provider refused the device login: {error}") from None
            except (httpx.HTTPError, ValueError) as error:
                raise SsoError(f"the identity provider refused the device login: {error}") from None

    async def verified_claims(
        self, id_token: str, nonce: str | None, access_token: str | None = None
    ) -> dict[str, Any]:
        """The claims of a genuine ID token for this client: signed by one of the provider's
        keys, from its issuer, for our client id, unexpired and (when ``nonce`` is given) of
        that request. Raises :class:`SsoError` naming what is wrong."""
        if not isinstance(id_token, str) or not id_token:
            raise SsoError("the identity provider sent no ID token (is `openid` in the scope?)")
        token = await self._decoded(id_token)
        issuer = (await self.metadata())["issuer"]
        claims = CodeIDToken(
            token.claims,
            token.header,
            options={
                "iss": {"essential": True, "value": issuer},
                "aud": {"essential": True, "value": self.settings.client_id},
            },
            params={"nonce": nonce, "access_token": access_token},
        )
        if nonce is not None and claims.get("nonce") != nonce:
            raise SsoError("the ID token's nonce is not the one of this login (a replay?)")
        try:
            claims.validate(leeway=LEEWAY_SECONDS)
        except JoseError as error:
            raise SsoError(f"the ID token is not valid: {_said(error)}") from None
        return dict(claims)

    async def _decoded(self, id_token: str) -> jwt.Token:
        for refresh in (False, True):
            keys = await self.key_set(refresh)
            try:
                return jwt.decode(id_token, keys, algorithms=list(_ALGORITHMS))
            except JoseError as error:
                if refresh or error.error not in ("bad_signature", "invalid_key_id"):
                    if error.error == "bad_signature":
                        raise SsoError(
                            "the ID token's signature does not verify with the provider's keys "
                            "(forged?)"
                        ) from None
                    raise SsoError(f"the ID token cannot be read: {_said(error)}") from None
            except ValueError as error:
                if refresh:
                    raise SsoError(f"the ID token cannot be read: {error}") from None
        raise AssertionError("unreachable")


def _said(error: JoseError) -> str:
    return error.description or error.error


@dataclass
class Providers:
    """The providers the server has met, by configuration (discovery and keys stay cached)."""

    timeout: float = 10.0
    _known: dict[tuple[str, str, str | None], Provider] = field(default_factory=dict)

    def of(self, settings: SsoSettings) -> Provider:
        key = (settings.issuer, settings.client_id, settings.client_secret)
        provider = self._known.get(key)
        if provider is None or provider.settings != settings:
            provider = self._known[key] = Provider(settings, self.timeout)
        return provider
