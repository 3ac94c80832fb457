"""The notification outbox and settings in the SQLite store (a mixin of
:class:`accord.org.store.sqlite.SqliteStore`)."""

from __future__ import annotations

import json
from collections.abc import Iterable
from contextlib import AbstractAsyncContextManager
from datetime import UTC, datetime
from typing import TYPE_CHECKING, cast

import aiosqlite
from pydantic import JsonValue

from ..codec import parse_time
from .outbox import COLUMNS, Channel, OutboxItem, SettingsInJson, Status

__all__ = ["OUTBOX_SCHEMA", "SqliteOutbox"]

OUTBOX_SCHEMA = """
CREATE TABLE IF NOT EXISTS notify_outbox (
    id TEXT PRIMARY KEY, organization_id TEXT NOT NULL, approval_id TEXT NOT NULL,
    kind TEXT NOT NULL, channel TEXT NOT NULL, recipient TEXT NOT NULL, dedupe TEXT NOT NULL,
    body TEXT NOT NULL, status TEXT NOT NULL, attempts INTEGER NOT NULL DEFAULT 0,
    next_at TEXT NOT NULL, lease_until TEXT, last_error TEXT NOT NULL DEFAULT '',
    created_at TEXT NOT NULL, updated_at TEXT NOT NULL, UNIQUE (organization_id, dedupe));
CREATE INDEX IF NOT EXISTS notify_outbox_due ON notify_outbox (status, next_at);
CREATE INDEX IF NOT EXISTS notify_outbox_approval ON notify_outbox (organization_id, approval_id);
"""


def _key(moment: datetime) -> str:
    """Fixed-width UTC text, so that text order is time order."""
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def _item(row: tuple[object, ...]) -> OutboxItem:
    id_, org, approval, kind, channel, to, dedupe, body, next_at, created, status, n, error, at = (
        row
    )
    return OutboxItem(
        id=str(id_),
        org_id=str(org),
        approval_id=str(approval),
        kind=str(kind),
        channel=cast(Channel, str(channel)),
        recipient=str(to),
        dedupe=str(dedupe),
        body=str(body),
        next_at=parse_time(str(next_at).replace("Z", "+00:00")),
        created_at=parse_time(str(created).replace("Z", "+00:00")),
        status=cast(Status, str(status)),
        attempts=int(str(n)),
        last_error=str(error),
        updated_at=parse_time(str(at).replace("Z", "+00:00")),
    )


class SqliteOutbox(SettingsInJson):
    """Notification storage over the SQLite store's connection and lock."""

    if TYPE_CHECKING:

        def _tx(self) -> AbstractAsyncContextManager[aiosqlite.Connection]: ...

        async def _one(
            self, sql: str, parameters: Iterable[object] = ()
        ) -> tuple[object, ...] | None: ...

        async def _all(
            self, sql: str, parameters: Iterable[object] = ()
        ) -> list[tuple[object, ...]]: ...

    async def _json_of(self, table: str, column: str, id_: str) -> dict[str, JsonValue] | None:
        row = await self._one(f"SELECT {column} FROM {table} WHERE id = ?", (id_,))
        if row is None:
            return None
        value = json.loads(str(row[0]) or "{}").get("notify")
        return value if isinstance(value, dict) else None

    async def _set_json(self, table: str, column: str, id_: str, value: JsonValue) -> None:
        async with self._tx() as db:
            async with db.execute(f"SELECT {column} FROM {table} WHERE id = ?", (id_,)) as c:
                row = await c.fetchone()
            if row is None:
                raise LookupError(f"no {table[:-1]} {id_}")
            document = json.loads(str(row[0]) or "{}")
            document["notify"] = value
            await db.execute(
                f"UPDATE {table} SET {column} = ?, updated_at = ? WHERE id = ?",
                (json.dumps(document), datetime.now(UTC).isoformat(), id_),
            )

    async def enqueue_notices(self, items: list[OutboxItem]) -> int:
        added = 0
        async with self._tx() as db:
            for i in items:
                cursor = await db.execute(
                    f"INSERT OR IGNORE INTO notify_outbox ({COLUMNS}) "
                    "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    tuple(_key(v) if isinstance(v, datetime) else v for v in i.values()),
                )
                added += cursor.rowcount
        return added

    async def claim_notices(
        self, now: datetime, lease_until: datetime, limit: int
    ) -> list[OutboxItem]:
        async with self._tx() as db:
            async with db.execute(
                f"SELECT {COLUMNS} FROM notify_outbox WHERE status = 'pending' "
                "AND next_at <= ? AND (lease_until IS NULL OR lease_until <= ?) "
                "ORDER BY next_at LIMIT ?",
                (_key(now), _key(now), limit),
            ) as cursor:
                rows = [tuple(row) for row in await cursor.fetchall()]
            for row in rows:
                await db.execute(
                    "UPDATE notify_outbox SET lease_until = ? WHERE id = ?",
                    (_key(lease_until), row[0]),
                )
        return [_item(row) for row in rows]

    async def settle_notice(self, item: OutboxItem) -> None:
        async with self._tx() as db:
            await db.execute(
                "UPDATE notify_outbox SET status = ?, attempts = ?, next_at = ?, last_error = ?, "
                "lease_until = NULL, updated_at = ? WHERE id = ?",
                (
                    item.status,
                    item.attempts,
                    _key(item.next_at),
                    item.last_error,
                    _key(item.updated_at or datetime.now(UTC)),
                    item.id,
                ),
            )

    async def notices(
        self, org_id: str, approval_id: str | None = None, limit: int = 100
    ) -> list[OutboxItem]:
        sql = f"SELECT {COLUMNS} FROM notify_outbox WHERE organization_id = ?"
        parameters: list[object] = [org_id]
        if approval_id is not None:
            sql += " AND approval_id = ?"
            parameters.append(approval_id)
        sql += " ORDER BY created_at DESC, id LIMIT ?"
        return [_item(row) for row in await self._all(sql, [*parameters, limit])]
