"""The notification outbox and settings in the PostgreSQL store (a mixin of
:class:`accord.org.store.postgres.PostgresStore`): workers on every replica claim due notices
with ``FOR UPDATE SKIP LOCKED``, so each is attempted by one at a time."""

from __future__ import annotations

import json
from datetime import datetime
from typing import TYPE_CHECKING, cast

import asyncpg
from pydantic import JsonValue

from .outbox import COLUMNS, Channel, OutboxItem, SettingsInJson, Status

__all__ = ["PostgresOutbox"]


_CLAIM = f"""
UPDATE notify_outbox SET lease_until = $2 WHERE id IN (
    SELECT id FROM notify_outbox
    WHERE status = 'pending' AND next_at <= $1 AND (lease_until IS NULL OR lease_until <= $1)
    ORDER BY next_at LIMIT $3 FOR UPDATE SKIP LOCKED)
RETURNING {COLUMNS}
"""


def _item(row: asyncpg.Record) -> OutboxItem:
    return OutboxItem(
        id=row["id"],
        org_id=row["organization_id"],
        approval_id=row["approval_id"],
        kind=row["kind"],
        channel=cast(Channel, row["channel"]),
        recipient=row["recipient"],
        dedupe=row["dedupe"],
        body=row["body"],
        next_at=row["next_at"],
        created_at=row["created_at"],
        status=cast(Status, row["status"]),
        attempts=row["attempts"],
        last_error=row["last_error"],
        updated_at=row["updated_at"],
    )


class PostgresOutbox(SettingsInJson):
    """Notification storage over the PostgreSQL store's pool."""

    if TYPE_CHECKING:

        @property
        def pool(self) -> asyncpg.Pool: ...

    async def _json_of(self, table: str, column: str, id_: str) -> dict[str, JsonValue] | None:
        raw = await self.pool.fetchval(
            f"SELECT {column} -> 'notify' FROM {table} WHERE id = $1", id_
        )
        value = None if raw is None else json.loads(raw)
        return value if isinstance(value, dict) else None

    async def _set_json(self, table: str, column: str, id_: str, value: JsonValue) -> None:
        done = await self.pool.execute(
            f"UPDATE {table} SET {column} = jsonb_set({column}, '{{notify}}', $2::jsonb), "
            "updated_at = now() WHERE id = $1",
            id_,
            json.dumps(value),
        )
        if done.endswith(" 0"):
            raise LookupError(f"no {table[:-1]} {id_}")

    async def enqueue_notices(self, items: list[OutboxItem]) -> int:
        added = 0
        async with self.pool.acquire() as connection, connection.transaction():
            for i in items:
                done = await connection.execute(
                    f"INSERT INTO notify_outbox ({COLUMNS}) VALUES "
                    "($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14) "
                    "ON CONFLICT (organization_id, dedupe) DO NOTHING",
                    *i.values(),
                )
                added += int(done.rsplit(" ", 1)[1])
        return added

    async def claim_notices(
        self, now: datetime, lease_until: datetime, limit: int
    ) -> list[OutboxItem]:
        rows = await self.pool.fetch(_CLAIM, now, lease_until, limit)
        return sorted((_item(row) for row in rows), key=lambda item: item.next_at)

    async def settle_notice(self, item: OutboxItem) -> None:
        await self.pool.execute(
            "UPDATE notify_outbox SET status = $2, attempts = $3, next_at = $4, last_error = $5, "
            "lease_until = NULL, updated_at = now() WHERE id = $1",
            item.id,
            item.status,
            item.attempts,
            item.next_at,
            item.last_error,
        )

    async def notices(
        self, org_id: str, approval_id: str | None = None, limit: int = 100
    ) -> list[OutboxItem]:
        if approval_id is None:
            rows = await self.pool.fetch(
                f"SELECT {COLUMNS} FROM notify_outbox WHERE organization_id = $1 "
                "ORDER BY created_at DESC, id LIMIT $2",
                org_id,
                limit,
            )
        else:
            rows = await self.pool.fetch(
                f"SELECT {COLUMNS} FROM notify_outbox WHERE organization_id = $1 "
                "AND approval_id = $2 ORDER BY created_at DESC, id LIMIT $3",
                org_id,
                approval_id,
                limit,
            )
        return [_item(row) for row in rows]
