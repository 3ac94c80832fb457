"""`accord org serve` (and the admin commands) with a PostgreSQL store and a Redis bus that cannot be used: one clear line,
with any password in the URL hidden, and a non-zero exit."""

from __future__ import annotations

import subprocess
import sys

from .scaleout import postgres_schema


def _serve(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "accord", "org", "serve", "--port", "0", *args],
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_an_unreachable_store_is_named_without_its_password() -> None:
    store = "postgresql://accord:hunter2@127.0.0.1:9/accord"
    init = subprocess.run(
        [
            sys.executable,
            "-m",
            "accord",
            "org",
            "init",
            "--store",
            store,
            "--name",
            "Acme",
            "--admin",
            "ann@acme.test",
        ],
        capture_output=True,
        text=True,
        timeout=60,
    )
    for done in (_serve("--store", store), init):
        assert done.returncode == 1
        assert "cannot open the store postgresql://accord:***@127.0.0.1:9/accord" in done.stderr
        assert "hunter2" not in done.stderr + done.stdout
        assert "Traceback" not in done.stderr


async def test_an_unreachable_or_unknown_bus_is_refused() -> None:
    async with postgres_schema() as url:
        done = _serve("--store", url, "--bus", "redis://:pw@127.0.0.1:9/0")
        assert done.returncode == 1 and "Traceback" not in done.stderr
        assert "cannot reach the bus redis://:***@127.0.0.1:9/0" in done.stderr
        unknown = _serve("--store", url, "--bus", "kafka://127.0.0.1:9092")
        assert unknown.returncode == 2
        assert "kafka://127.0.0.1:9092: unknown bus; use redis://HOST:PORT/DB" in unknown.stderr
