"""The byte bound on room history and the reading of poisoned rows, on both org stores (a SQLite
file and PostgreSQL)."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import asyncpg
import pytest

from accord.org.store import OrgStore
from accord.org.store.opening import open_store
from accord.protocol.jsonlimits import TOO_DEEP

from ..org.scaleout import postgres_schema


@pytest.fixture(params=["sqlite", "postgresql"])
async def store_url(request: pytest.FixtureRequest, tmp_path: Path) -> AsyncIterator[str]:
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'org.db'}"
        return
    async with postgres_schema() as url:
        yield url


@pytest.fixture
async def store(store_url: str) -> AsyncIterator[OrgStore]:
    opened = open_store(store_url)
    await opened.open()
    try:
        yield opened
    finally:
        await opened.close()


async def test_room_history_keeps_what_fits_its_bytes_and_always_the_newest(
    store: OrgStore,
) -> None:
    org = await store.create_org("Acme")
    for _ in range(10):
        await store.append_room_event(org.id, "shop", "note", "a@x", {"pad": "p" * 10_000}, 1000)
    assert len(await store.room_events(org.id, "shop", 0, 100)) == 10  # no byte budget given
    await store.append_room_event(
        org.id, "shop", "note", "a@x", {"pad": "q" * 10_000}, 1000, 35_000
    )
    kept = await store.room_events(org.id, "shop", 0, 100)
    assert [e.offset for e in kept] == [9, 10, 11]
    state = await store.room_state(org.id, "shop")
    assert (state.first, state.offset) == (9, 11)
    await store.append_room_event(org.id, "shop", "note", "a@x", {"pad": "r" * 20_000}, 1000, 100)
    [newest] = await store.room_events(org.id, "shop", 0, 100)
    assert newest.offset == 12 and newest.data["pad"] == "r" * 20_000


def _deep(levels: int) -> Any:
    value: Any = "bottom"
    for _ in range(levels):
        value = {"k": value}
    return value


async def test_a_poisoned_room_row_is_read_back_defused(store: OrgStore, store_url: str) -> None:
    """A row an older server stored: 250 levels deep (pydantic's parser stops at 200)."""
    org = await store.create_org("Acme")
    await store.append_room_event(org.id, "shop", "note", "a@x", {"ok": 1}, 1000)
    data = {"deep": _deep(250), "odd": "\ud800"}
    if store_url.startswith("sqlite"):
        import sqlite3

        [event] = await store.room_events(org.id, "shop", 0, 10)
        body = event.model_dump(mode="json")
        body["data"] = data
        with sqlite3.connect(store_url.removeprefix("sqlite:///")) as db:
            db.execute("UPDATE room_events SET body = ?", (json.dumps(body),))
    else:
        connection = await asyncpg.connect(store_url)
        try:
            await connection.execute("UPDATE room_events SET data = $1", json.dumps(data))
        finally:
            await connection.close()
    [event] = await store.room_events(org.id, "shop", 0, 10)
    assert TOO_DEEP in json.dumps(event.data) and event.data["odd"] == "\ufffd"
