"""Stored logins (``accord login``) and authenticated sessions built on them.

Credentials live in ``$ACCORD_CONFIG_HOME/credentials.json`` (default
``$XDG_CONFIG_HOME/accord`` or ``~/.config/accord``), one entry per server URL, readable by the
user alone. Beside the tokens, an entry pins the organisation (its id and public keys, by key id,
as base64: what pushed policies must be signed with) and names the CA file that ``wss://``
certificates are verified against (none: the system's CAs). Refresh tokens rotate and are good once, so a refresh happens under an exclusive lock
on the file and re-reads it first: two language servers of one user never spend the same token.
"""

from __future__ import annotations

import asyncio
import fcntl
import json
import os
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from accord.protocol.org import Authenticate, Authenticated, TokenPair, TokenRefresh
from accord.protocol.rpc import ErrorCode

from .client import OrgClient, OrgError, PushHandler

__all__ = [
    "LoginError",
    "credentials_path",
    "load_login",
    "open_session",
    "refresh_login",
    "renew_session",
    "pin_keys",
    "save_login",
]

_EARLY = timedelta(seconds=60)


class LoginError(Exception):
    """No usable login for a server: run ``accord login``."""


def credentials_path() -> Path:
    if env := os.environ.get("ACCORD_CONFIG_HOME"):
        return Path(env) / "credentials.json"
    base = os.environ.get("XDG_CONFIG_HOME") or Path.home() / ".config"
    return Path(base) / "accord" / "credentials.json"


@dataclass(frozen=True, slots=True)
class Login:
    url: str
    pair: TokenPair
    email: str = ""
    org_id: str = ""
    keys: dict[str, str] = field(default_factory=dict)
    """The organisation's pinned public keys: key id to base64 raw Ed25519 key."""
    ca: str | None = None
    """A CA file (PEM) to verify the server's certificate against, instead of the system's."""


def _read(path: Path) -> dict[str, Any]:
    try:
        data = json.loads(path.read_text("utf-8"))
    except FileNotFoundError:
        return {}
    except (OSError, ValueError) as error:
        raise LoginError(f"{path}: cannot read the stored logins ({error})") from None
    return data if isinstance(data, dict) else {}


def load_login(url: str, path: Path | None = None) -> Login:
    """The stored login for ``url``; raises :class:`LoginError` when there is none."""
    path = path or credentials_path()
    entry = _read(path).get(url)
    if not isinstance(entry, dict):
        raise LoginError(f"not logged in to {url}: run `accord login {url} --token TOKEN`")
    keys = entry.get("keys")
    ca = entry.get("ca")
    return Login(
        url,
        TokenPair.model_validate(entry["pair"]),
        str(entry.get("email", "")),
        str(entry.get("org_id", "")),
        {str(k): str(v) for k, v in keys.items()} if isinstance(keys, dict) else {},
        ca if isinstance(ca, str) else None,
    )


def save_login(login: Login, path: Path | None = None) -> None:
    """Store ``login`` (the file is created readable by the user alone)."""
    path = path or credentials_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    data = _read(path)
    data[login.url] = {
        "pair": login.pair.model_dump(mode="json"),
        "email": login.email,
        "org_id": login.org_id,
        "keys": login.keys,
        "ca": login.ca,
    }
    temporary = path.with_suffix(".tmp")
    descriptor = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(descriptor, "w", encoding="utf-8") as stream:
        json.dump(data, stream, indent=2)
    os.replace(temporary, path)


@contextmanager
def _locked(path: Path) -> Iterator[None]:
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path.with_suffix(".lock"), "a") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)


async def refresh_login(
    client: OrgClient, url: str, path: Path | None = None, replacing: datetime | None = None
) -> Login:
    """A fresh access token for ``url``, refreshing (under the file lock) only when needed: the
    stored one expires within a minute, or no later than ``replacing`` (the expiry of the token
    a session holds and wants to replace; one stored since by another process is used)."""
    path = path or credentials_path()
    with _locked(path):
        login = load_login(url, path)
        expires = login.pair.access_expires_at
        fresh = expires - _EARLY > datetime.now(UTC)
        if fresh and (replacing is None or expires > replacing):
            return login
        pair = await client.request(
            "token.refresh", TokenRefresh(refresh_token=login.pair.refresh_token), TokenPair
        )
        login = replace(login, pair=pair)
        save_login(login, path)
        return login


def pin_keys(url: str, keys: dict[str, str], path: Path | None = None) -> None:
    """Add ``keys`` (key id to base64 public key) to the login's pinned keys."""
    path = path or credentials_path()
    with _locked(path):
        login = load_login(url, path)
        if not keys.keys() - login.keys.keys():
            return
        save_login(replace(login, keys={**login.keys, **keys}), path)


async def open_session(
    url: str,
    on_push: PushHandler | None = None,
    path: Path | None = None,
    client_name: str = "accord",
) -> tuple[OrgClient, Authenticated]:
    """A connected, authenticated client for the stored login of ``url`` (a ``wss://`` server's
    certificate verified against the login's CA file, or the system's CAs)."""
    client = await OrgClient(url, on_push, ca=load_login(url, path).ca).connect()
    try:
        login = await refresh_login(client, url, path)
        hello = await client.request(
            "authenticate",
            Authenticate(token=login.pair.access_token, client=client_name),
            Authenticated,
        )
    except OrgError as error:
        await client.close()
        if error.code == ErrorCode.UNAUTHENTICATED:
            raise LoginError(f"{url}: {error.message}") from None
        raise
    except BaseException:
        await client.close()
        raise
    return client, hello


def renewal_delay(expires_at: datetime, now: datetime | None = None) -> float:
    """Seconds to wait before renewing a session whose token expires at ``expires_at``: a
    minute before, or at 80 % of what is left when that is less than a few minutes."""
    left = (expires_at - (now or datetime.now(UTC))).total_seconds()
    return max(0.0, left - _EARLY.total_seconds(), left * 0.8)


async def renew_session(
    client: OrgClient,
    url: str,
    expires_at: datetime,
    path: Path | None = None,
    client_name: str = "accord",
) -> None:
    """Keep an authenticated session alive: before each access token expires, refresh it and
    authenticate again on the same connection. Runs until cancelled; raises :class:`OrgError`
    or :class:`LoginError` when a renewal fails (the server then ends the session at expiry)."""
    while True:
        await asyncio.sleep(renewal_delay(expires_at))
        login = await refresh_login(client, url, path, replacing=expires_at)
        hello = await client.request(
            "authenticate",
            Authenticate(token=login.pair.access_token, client=client_name),
            Authenticated,
        )
        expires_at = hello.access_expires_at
