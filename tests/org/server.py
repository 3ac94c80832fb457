"""A real org server for tests: a subprocess on 127.0.0.1 over a SQLite file (or the PostgreSQL
store and Redis bus that ``store_url`` and ``bus_url`` name), seeded with two organisations, and
clients that log in as their users."""

from __future__ import annotations

import asyncio
import os
import signal
import sys
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path
from urllib.parse import urlsplit

from accord.org.client import OrgClient, PushHandler
from accord.org.records import User
from accord.org.store import OrgStore
from accord.org.store.opening import open_store
from accord.org.tokens import TokenIssuer
from accord.protocol.org import Authenticate, Authenticated

ACME = {
    "admin@acme.test": ("admin",),
    "dev@acme.test": ("developer",),
    "dev2@acme.test": ("developer",),
    "lead@acme.test": ("tech_lead",),
    "mgr@acme.test": ("manager",),
    "sec@acme.test": ("security_team",),
}
BOBCO = {
    "admin@bob.test": ("admin",),
    "dev@bob.test": ("developer",),
    "lead@bob.test": ("tech_lead",),
}


@dataclass
class OrgServer:
    """A running ``accord org serve`` and the users seeded into its store."""

    store_path: Path
    users: dict[str, User] = field(default_factory=dict)
    key: bytes = b""
    process: asyncio.subprocess.Process | None = None
    url: str = ""
    extra_args: tuple[str, ...] = ()
    store_url: str | None = None
    bus_url: str | None = None
    log_path: Path | None = None
    """Where the server's stderr (its log) goes; None: the test's own stderr."""

    @property
    def store(self) -> str:
        return self.store_url or f"sqlite:///{self.store_path}"

    async def seed(self) -> None:
        store = open_store(self.store)
        await store.open()
        try:
            self.key = await store.signing_key()
            for name, members in (("Acme", ACME), ("Bobco", BOBCO)):
                org = await store.create_org(name)
                for email, roles in members.items():
                    self.users[email] = await store.add_user(org.id, email, roles)
        finally:
            await store.close()

    async def load(self) -> None:
        """Read the key and every user from a store seeded elsewhere (by the CLI, say)."""
        async with self.opened() as store:
            self.key = await store.signing_key()
            for org in await store.list_orgs():
                for user in await store.list_users(org.id):
                    self.users[user.email] = user

    @asynccontextmanager
    async def opened(self) -> AsyncIterator[OrgStore]:
        """The server's store, opened beside it (SQLite serialises the two processes)."""
        store = open_store(self.store)
        await store.open()
        try:
            yield store
        finally:
            await store.close()

    @property
    def port(self) -> int:
        port = urlsplit(self.url).port
        assert port is not None, self.url
        return port

    async def start(self, port: int = 0) -> None:
        log = None if self.log_path is None else self.log_path.open("ab")
        self.process = await asyncio.create_subprocess_exec(
            sys.executable,
            "-m",
            "accord",
            "org",
            "serve",
            "--store",
            self.store,
            "--port",
            str(port),
            *self.extra_args,
            *(("--bus", self.bus_url) if self.bus_url else ()),
            stdout=asyncio.subprocess.PIPE,
            stderr=log,
            env={**os.environ, "PYTHONUNBUFFERED": "1"},
        )
        if log is not None:
            log.close()
        assert self.process.stdout is not None
        line = (await asyncio.wait_for(self.process.stdout.readline(), 30)).decode()
        assert "listening on" in line, line
        self.url = line.rsplit(" ", 1)[1].strip()

    async def stop(self, sig: int = signal.SIGTERM) -> None:
        if self.process is not None and self.process.returncode is None:
            self.process.send_signal(sig)
            await self.process.wait()

    def access_token(self, email: str, ttl: float | None = None) -> str:
        """An access token as `accord login` would obtain (signed with the server's key),
        lasting ``ttl`` seconds when given."""
        user = self.users[email]
        issuer = (
            TokenIssuer(self.key) if ttl is None else TokenIssuer(self.key, timedelta(seconds=ttl))
        )
        return issuer.issue(user.id, user.org_id, "access", 0).token

    def login_token(self, email: str, kind: str = "refresh") -> str:
        user = self.users[email]
        return TokenIssuer(self.key).issue(user.id, user.org_id, kind, 0).token  # type: ignore[arg-type]

    async def recorded_login_token(self, email: str) -> str:
        """A refresh token recorded in the store, as `accord org user add` prints it."""
        user = self.users[email]
        issued = TokenIssuer(self.key).issue(user.id, user.org_id, "refresh", user.token_epoch)
        async with self.opened() as store:
            await store.save_refresh(issued.claims.jti, user.id, issued.claims.expires_at)
        return issued.token

    async def client(self, email: str, on_push: PushHandler | None = None) -> OrgClient:
        client = await OrgClient(self.url, on_push, timeout=10).connect()
        await client.request(
            "authenticate", Authenticate(token=self.access_token(email)), Authenticated
        )
        return client


class Inbox:
    """Collects pushes; ``await inbox.next(method)`` waits for the next one of a kind."""

    def __init__(self) -> None:
        self.items: list[tuple[str, object]] = []
        self._changed = asyncio.Event()

    def __call__(self, method: str, message: object) -> None:
        self.items.append((method, message))
        self._changed.set()

    async def next(self, method: str, timeout: float = 5.0, where: object = None) -> object:
        async with asyncio.timeout(timeout):
            while True:
                for index, (kind, message) in enumerate(self.items):
                    if kind == method and (where is None or where(message)):  # type: ignore[operator]
                        del self.items[index]
                        return message
                self._changed.clear()
                await self._changed.wait()

    def of(self, method: str) -> list[object]:
        return [m for k, m in self.items if k == method]
