"""The scale-out services for tests: a fresh PostgreSQL schema per test and the local Redis.

Both run on this machine kind at their standard ports (``.ci/run`` starts them when they are
down); a test that needs one is skipped, with the reason, only when it cannot be reached.
"""

from __future__ import annotations

import os
import secrets
import socket
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from urllib.parse import urlsplit

import asyncpg
import pytest

POSTGRES = os.environ.get("ACCORD_TEST_POSTGRES", "postgresql://postgres@127.0.0.1:5432/test")
REDIS = os.environ.get("ACCORD_TEST_REDIS", "redis://127.0.0.1:6379/0")


def _reachable(url: str, default_port: int) -> bool:
    parts = urlsplit(url)
    try:
        with socket.create_connection(
            (parts.hostname or "127.0.0.1", parts.port or default_port), timeout=1
        ):
            return True
    except OSError:
        return False


def need_postgres() -> None:
    if not _reachable(POSTGRES, 5432):
        pytest.skip(f"PostgreSQL is not reachable at {POSTGRES} (set ACCORD_TEST_POSTGRES)")


def need_redis() -> None:
    if not _reachable(REDIS, 6379):
        pytest.skip(f"Redis is not reachable at {REDIS} (set ACCORD_TEST_REDIS)")


@asynccontextmanager
async def postgres_schema() -> AsyncIterator[str]:
    """A store URL on a new, empty schema of the test database; dropped afterwards."""
    need_postgres()
    schema = f"accord_test_{secrets.token_hex(6)}"
    admin = await asyncpg.connect(POSTGRES)
    try:
        await admin.execute(f"CREATE SCHEMA {schema}")
        yield f"{POSTGRES}?search_path={schema}"
    finally:
        await admin.execute(f"DROP SCHEMA IF EXISTS {schema} CASCADE")
        await admin.close()
