"""Store URLs: ``sqlite:///PATH`` (the embedded default), a plain path to a SQLite file, or
``postgresql://USER@HOST:PORT/DB`` for many replicas."""

from __future__ import annotations

import os
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import asyncpg

from . import OrgStore
from .postgres import PostgresStore
from .sqlite import SqliteStore

__all__ = [
    "StoreUnavailable",
    "StoreUrlError",
    "default_store_path",
    "open_store",
    "opened_store",
    "redacted",
]


class StoreUrlError(ValueError):
    """A ``--store`` value Accord cannot use."""


class StoreUnavailable(RuntimeError):
    """The store could not be reached or opened."""


def default_store_path() -> Path:
    """``$ACCORD_ORG_STORE`` or ``$XDG_DATA_HOME/accord/org.db`` (``~/.local/share`` by default)."""
    if env := os.environ.get("ACCORD_ORG_STORE"):
        return Path(env)
    base = os.environ.get("XDG_DATA_HOME") or Path.home() / ".local" / "share"
    return Path(base) / "accord" / "org.db"


def open_store(url: str | None) -> OrgStore:
    """The store that ``url`` names (not yet opened)."""
    if url is None:
        return SqliteStore(default_store_path())
    if url.startswith("sqlite:///"):
        return SqliteStore(Path(url.removeprefix("sqlite:///")).expanduser())
    if url.startswith("sqlite://"):
        raise StoreUrlError(f"{url}: write sqlite:///PATH (three slashes, then the file's path)")
    if url.startswith(("postgresql://", "postgres://")):
        return PostgresStore(url)
    if "://" in url:
        scheme = url.split("://", 1)[0]
        raise StoreUrlError(
            f"{url}: unknown store scheme {scheme!r}; use sqlite:///PATH or postgresql://…"
        )
    return SqliteStore(Path(url).expanduser())


async def opened_store(url: str | None) -> OrgStore:
    """The store that ``url`` names, opened (its schema migrated).

    Raises:
        StoreUnavailable: it cannot be reached; the message names it, password hidden.
    """
    store = open_store(url)
    try:
        await store.open()
    except (OSError, asyncpg.PostgresError) as error:
        raise StoreUnavailable(f"cannot open the store {redacted(url)}: {error}") from error
    return store


def redacted(url: str | None) -> str:
    """``url`` with any password replaced by ``***`` (safe to log)."""
    if url is None:
        return "(default)"
    parts = urlsplit(url)
    if parts.password is None:
        return url
    netloc = parts.netloc.replace(f":{parts.password}@", ":***@", 1)
    return urlunsplit(parts._replace(netloc=netloc))
