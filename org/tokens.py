"""Access and refresh tokens: JWTs signed with the store's key (HS256), short-lived and revocable.

Pure over the key and the clock. A token names its user, organisation, kind, id (``jti``) and the
user's token epoch (``te``): revoking all of a user's tokens bumps the epoch in the store, revoking
one adds its ``jti`` to the store's revocation list. Roles are never read from a token: the
server looks them up when they matter.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Literal
from uuid import uuid4

import jwt

__all__ = ["Claims", "TokenError", "TokenIssuer"]

ISSUER = "accord-org"
ACCESS_TTL = timedelta(minutes=15)
REFRESH_TTL = timedelta(days=30)

Kind = Literal["access", "refresh"]


class TokenError(ValueError):
    """A token that cannot be used: malformed, forged, expired or of the wrong kind."""


@dataclass(frozen=True, slots=True)
class Claims:
    """What a verified token says."""

    user_id: str
    org_id: str
    kind: Kind
    jti: str
    token_epoch: int
    expires_at: datetime


@dataclass(frozen=True, slots=True)
class IssuedToken:
    token: str
    claims: Claims


class TokenIssuer:
    """Signs and verifies tokens with ``key``."""

    def __init__(
        self,
        key: bytes,
        access_ttl: timedelta = ACCESS_TTL,
        refresh_ttl: timedelta = REFRESH_TTL,
    ) -> None:
        self._key = key
        self.access_ttl, self.refresh_ttl = access_ttl, refresh_ttl

    def issue(
        self, user_id: str, org_id: str, kind: Kind, token_epoch: int, now: datetime | None = None
    ) -> IssuedToken:
        """A new signed token of ``kind`` for the user."""
        now = now or datetime.now(UTC)
        expires = now + (self.access_ttl if kind == "access" else self.refresh_ttl)
        claims = Claims(user_id, org_id, kind, uuid4().hex, token_epoch, expires)
        payload = {
            "iss": ISSUER,
            "sub": user_id,
            "org": org_id,
            "typ": kind,
            "jti": claims.jti,
            "te": token_epoch,
            "iat": int(now.timestamp()),
            "exp": int(expires.timestamp()),
        }
        return IssuedToken(jwt.encode(payload, self._key, algorithm="HS256"), claims)

    def verify(self, token: str, kind: Kind, now: datetime | None = None) -> Claims:
        """The claims of a genuine, unexpired token of ``kind``; raises :class:`TokenError`."""
        options: jwt.types.Options = {
            "require": ["exp", "iat", "sub", "jti", "typ", "iss"],
            "verify_exp": False,
        }
        moment = (now or datetime.now(UTC)).timestamp()
        try:
            header = jwt.get_unverified_header(token)
            if header.get("alg") != "HS256":
                raise TokenError(f"tokens are signed with HS256, not {header.get('alg')!r}")
            payload = jwt.decode(
                token,
                self._key,
                algorithms=["HS256"],
                issuer=ISSUER,
                options=options,
            )
        except jwt.InvalidSignatureError:
            raise TokenError(
                "the token's signature does not verify (forged or another server's)"
            ) from None
        except jwt.PyJWTError as error:
            raise TokenError(f"the token cannot be read: {error}") from None
        if payload["exp"] <= moment:
            raise TokenError("the token has expired; run `accord login` again or refresh it")
        if payload["typ"] != kind:
            raise TokenError(
                f"{_a(str(payload['typ']))} token was given where {_a(kind)} token is needed"
            )
        try:
            return Claims(
                str(payload["sub"]),
                str(payload["org"]),
                kind,
                str(payload["jti"]),
                int(payload["te"]),
                datetime.fromtimestamp(payload["exp"], UTC),
            )
        except (KeyError, TypeError, ValueError):
            raise TokenError("the token lacks the claims Accord needs") from None


def _a(word: str) -> str:
    """``word`` with its indefinite article."""
    return f"an {word}" if word[:1] in tuple("aeiou") else f"a {word}"
