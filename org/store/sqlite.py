"""The embedded default store: one SQLite file (aiosqlite), WAL, ``synchronous=FULL``.

One connection per process; every operation holds the store's lock for its whole transaction
(``BEGIN IMMEDIATE``, so two processes sharing the file serialise on SQLite's own lock too).
An operation returns only after its commit: what a client was told is on disk.
"""

from __future__ import annotations

import asyncio
import json
import secrets
import sqlite3
from collections.abc import AsyncIterator, Iterable
from contextlib import asynccontextmanager
from datetime import UTC, datetime
from pathlib import Path
from uuid import uuid4

import aiosqlite
from pydantic import JsonValue

from accord.audit.chain import Head, StoredRow
from accord.audit.events import Event, EventDraft
from accord.policy.approval import State
from accord.protocol.org import RoomEvent

from ..codec import (
    approval_from_json,
    approval_to_json,
    audit_event_from_json,
    iso,
    parse_time,
    room_event_from_json,
)
from ..projects import Project, ProjectMember
from ..records import ApprovalRecord, Organisation, User
from ..signing import Checkpoint, OrgKey, PublicKey
from . import (
    AuditFilter,
    Conflict,
    PolicyRevision,
    PolicySigner,
    RoomState,
    StoredPolicy,
    UsageRow,
)
from .outbox_sqlite import OUTBOX_SCHEMA, SqliteOutbox
from .sealing import seal_batch

__all__ = ["SqliteStore"]

_SCHEMA = (
    """
CREATE TABLE IF NOT EXISTS settings (name TEXT PRIMARY KEY, value BLOB NOT NULL);
CREATE TABLE IF NOT EXISTS organizations (
    id TEXT PRIMARY KEY, name TEXT NOT NULL, subscription_plan TEXT NOT NULL DEFAULT 'starter',
    settings TEXT NOT NULL DEFAULT '{}', created_at TEXT NOT NULL, updated_at TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS users (
    id TEXT PRIMARY KEY, organization_id TEXT NOT NULL REFERENCES organizations(id),
    email TEXT NOT NULL, roles TEXT NOT NULL, active INTEGER NOT NULL DEFAULT 1,
    token_epoch INTEGER NOT NULL DEFAULT 0, preferences TEXT NOT NULL DEFAULT '{}',
    created_at TEXT NOT NULL, updated_at TEXT NOT NULL, UNIQUE (organization_id, email));
CREATE TABLE IF NOT EXISTS refresh_tokens (
    jti TEXT PRIMARY KEY, user_id TEXT NOT NULL, expires_at TEXT NOT NULL,
    used INTEGER NOT NULL DEFAULT 0);
CREATE TABLE IF NOT EXISTS revoked_tokens (jti TEXT PRIMARY KEY, expires_at TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS policies (
    organization_id TEXT NOT NULL, revision INTEGER NOT NULL, yaml TEXT NOT NULL,
    document TEXT NOT NULL, created_at TEXT NOT NULL, PRIMARY KEY (organization_id, revision));
CREATE TABLE IF NOT EXISTS approvals (
    id TEXT PRIMARY KEY, organization_id TEXT NOT NULL, project TEXT NOT NULL,
    proposal_id TEXT NOT NULL, content_hash TEXT NOT NULL, state TEXT NOT NULL,
    deadline TEXT, created_at TEXT NOT NULL, version INTEGER NOT NULL, body TEXT NOT NULL);
CREATE UNIQUE INDEX IF NOT EXISTS approvals_content
    ON approvals (organization_id, proposal_id, content_hash);
CREATE INDEX IF NOT EXISTS approvals_open ON approvals (state, deadline);
CREATE TABLE IF NOT EXISTS audit_events (
    organization_id TEXT NOT NULL, seq INTEGER NOT NULL, id TEXT NOT NULL, ts TEXT NOT NULL,
    type TEXT NOT NULL, project TEXT NOT NULL, hash TEXT NOT NULL, prev_hash TEXT NOT NULL,
    body TEXT NOT NULL, origin_id TEXT, PRIMARY KEY (organization_id, seq));
CREATE UNIQUE INDEX IF NOT EXISTS audit_origin ON audit_events (organization_id, origin_id);
CREATE TRIGGER IF NOT EXISTS audit_no_update BEFORE UPDATE ON audit_events
BEGIN SELECT RAISE(ABORT, 'audit events are append-only'); END;
CREATE TRIGGER IF NOT EXISTS audit_no_delete BEFORE DELETE ON audit_events
BEGIN SELECT RAISE(ABORT, 'audit events are append-only'); END;
CREATE INDEX IF NOT EXISTS audit_actor
    ON audit_events (organization_id, json_extract(body, '$.actor'), seq);
CREATE INDEX IF NOT EXISTS audit_project ON audit_events (organization_id, project, seq);
CREATE INDEX IF NOT EXISTS audit_type ON audit_events (organization_id, type, seq);
CREATE TABLE IF NOT EXISTS audit_heads (
    organization_id TEXT PRIMARY KEY, seq INTEGER NOT NULL, hash TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS rooms (
    organization_id TEXT NOT NULL, project TEXT NOT NULL, epoch TEXT NOT NULL,
    last_offset INTEGER NOT NULL, PRIMARY KEY (organization_id, project));
CREATE TABLE IF NOT EXISTS room_events (
    organization_id TEXT NOT NULL, project TEXT NOT NULL, offset INTEGER NOT NULL,
    body TEXT NOT NULL, PRIMARY KEY (organization_id, project, offset));
CREATE TABLE IF NOT EXISTS org_keys (
    organization_id TEXT NOT NULL, generation INTEGER NOT NULL, key_id TEXT NOT NULL,
    public_key BLOB NOT NULL, private_key BLOB NOT NULL, endorsement TEXT NOT NULL,
    created_at TEXT NOT NULL, PRIMARY KEY (organization_id, generation));
CREATE TABLE IF NOT EXISTS policy_signatures (
    organization_id TEXT NOT NULL, revision INTEGER NOT NULL, key_id TEXT NOT NULL,
    signature TEXT NOT NULL, PRIMARY KEY (organization_id, revision));
CREATE TABLE IF NOT EXISTS audit_checkpoints (
    organization_id TEXT NOT NULL, seq INTEGER NOT NULL, hash TEXT NOT NULL, ts TEXT NOT NULL,
    key_id TEXT NOT NULL, signature TEXT NOT NULL, PRIMARY KEY (organization_id, seq));
CREATE TABLE IF NOT EXISTS usage_events (
    id TEXT PRIMARY KEY, organization_id TEXT NOT NULL, user_id TEXT, project_id TEXT,
    event_type TEXT NOT NULL, event_data TEXT NOT NULL, timestamp TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS performance_metrics (
    id TEXT PRIMARY KEY, service_name TEXT NOT NULL, metric_name TEXT NOT NULL,
    metric_value REAL NOT NULL, tags TEXT NOT NULL, timestamp TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS projects (
    id TEXT PRIMARY KEY, organization_id TEXT NOT NULL REFERENCES organizations(id),
    name TEXT NOT NULL, description TEXT NOT NULL DEFAULT '', repositories TEXT NOT NULL,
    settings TEXT NOT NULL DEFAULT '{}', status TEXT NOT NULL DEFAULT 'active',
    created_by TEXT NOT NULL, created_at TEXT NOT NULL, updated_at TEXT NOT NULL,
    UNIQUE (organization_id, name));
CREATE TABLE IF NOT EXISTS project_members (
    project_id TEXT NOT NULL REFERENCES projects(id), user_id TEXT NOT NULL REFERENCES users(id),
    roles TEXT NOT NULL, owner INTEGER NOT NULL DEFAULT 0, created_at TEXT NOT NULL,
    PRIMARY KEY (project_id, user_id));
"""
    + OUTBOX_SCHEMA
)

_PROJECTS_FROM_NAMES = """
INSERT OR IGNORE INTO projects (id, organization_id, name, repositories, settings, created_by,
    created_at, updated_at)
SELECT lower(hex(randomblob(16))), organization_id, project, '[]', '{"migrated": true}',
    'accord-org', :now, :now
FROM (SELECT organization_id, project FROM approvals
      UNION SELECT organization_id, project FROM rooms
      UNION SELECT organization_id, project FROM audit_events)
WHERE project NOT IN ('', '*') AND organization_id IN (SELECT id FROM organizations);
INSERT OR IGNORE INTO project_members (project_id, user_id, roles, owner, created_at)
SELECT p.id, u.id, u.roles, EXISTS (SELECT 1 FROM json_each(u.roles) WHERE value = 'admin'), :now
FROM projects p
JOIN (SELECT organization_id, project, json_extract(body, '$.actor') AS email FROM audit_events
      UNION SELECT organization_id, project, json_extract(body, '$.actor') FROM room_events) seen
    ON seen.organization_id = p.organization_id AND seen.project = p.name
JOIN users u ON u.organization_id = p.organization_id AND u.email = seen.email;
INSERT OR IGNORE INTO project_members (project_id, user_id, roles, owner, created_at)
SELECT p.id, u.id, '[]', 1, :now FROM projects p
JOIN users u ON u.organization_id = p.organization_id AND u.active = 1
WHERE EXISTS (SELECT 1 FROM json_each(u.roles) WHERE value = 'admin');
"""
"""Projects for the names a store used before it had projects (once, when the tables are new):
the people seen in each (its audit events, its room) become members with their organisation
roles, and the organisation's admins its owners. History and audit are not touched."""

_OPEN_STATES = (State.PENDING.value, State.ESCALATED.value)

_TRIM_BYTES = """
DELETE FROM room_events WHERE organization_id = ? AND project = ? AND offset < ? AND offset <= (
    SELECT offset FROM (
        SELECT offset, SUM(length(CAST(body AS BLOB))) OVER (ORDER BY offset DESC) AS kept
        FROM room_events WHERE organization_id = ? AND project = ?)
    WHERE kept > ? ORDER BY offset DESC LIMIT 1)
"""
"""Drop a room's oldest events until the rest fit its byte budget (the newest always stays)."""


def _now() -> datetime:
    return datetime.now(UTC)


def _user(row: sqlite3.Row | tuple[object, ...]) -> User:
    id_, org, email, roles, active, epoch, created = row
    return User(
        str(id_),
        str(org),
        str(email),
        tuple(json.loads(str(roles))),
        bool(active),
        int(str(epoch)),
        parse_time(str(created)),
    )


_USER_COLUMNS = "id, organization_id, email, roles, active, token_epoch, created_at"


class SqliteStore(SqliteOutbox):
    """The org store in one SQLite file at ``path``."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._db: aiosqlite.Connection | None = None
        self._lock = asyncio.Lock()

    async def open(self) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self._db = await aiosqlite.connect(self.path, timeout=30, isolation_level=None)
        await self._db.execute("PRAGMA journal_mode=WAL")
        await self._db.execute("PRAGMA synchronous=FULL")
        await self._db.execute("PRAGMA foreign_keys=ON")
        await self._db.executescript(_SCHEMA)
        await self._projects_from_names()

    async def _projects_from_names(self) -> None:
        async with self._tx() as db:
            marked = await db.execute(
                "INSERT OR IGNORE INTO settings VALUES ('migration:projects', x'01')"
            )
            if marked.rowcount != 1:
                return
            for statement in filter(str.strip, _PROJECTS_FROM_NAMES.split(";")):
                await db.execute(statement, {"now": iso(_now())})

    async def close(self) -> None:
        if self._db is not None:
            await self._db.close()
            self._db = None

    @asynccontextmanager
    async def _tx(self) -> AsyncIterator[aiosqlite.Connection]:
        """One write transaction, serialised within the process and across processes."""
        db = self._connection()
        async with self._lock:
            await db.execute("BEGIN IMMEDIATE")
            try:
                yield db
            except BaseException:
                await db.execute("ROLLBACK")
                raise
            await db.execute("COMMIT")

    @asynccontextmanager
    async def _read(self) -> AsyncIterator[aiosqlite.Connection]:
        async with self._lock:
            yield self._connection()

    def _connection(self) -> aiosqlite.Connection:
        if self._db is None:
            raise RuntimeError("the store is not open")
        return self._db

    async def _one(self, sql: str, parameters: Iterable[object] = ()) -> tuple[object, ...] | None:
        async with self._read() as db, db.execute(sql, tuple(parameters)) as cursor:
            row = await cursor.fetchone()
        return None if row is None else tuple(row)

    async def _all(self, sql: str, parameters: Iterable[object] = ()) -> list[tuple[object, ...]]:
        async with self._read() as db, db.execute(sql, tuple(parameters)) as cursor:
            return [tuple(row) for row in await cursor.fetchall()]

    # --- settings and tenants -------------------------------------------------------------

    async def signing_key(self) -> bytes:
        return await self.setting("signing_key", secrets.token_bytes(32))

    async def setting(self, name: str, first: bytes) -> bytes:
        async with self._tx() as db:
            await db.execute("INSERT OR IGNORE INTO settings VALUES (?, ?)", (name, first))
            async with db.execute("SELECT value FROM settings WHERE name = ?", (name,)) as c:
                row = await c.fetchone()
            return bytes(row[0]) if row else first

    async def create_org(self, name: str) -> Organisation:
        org = Organisation(str(uuid4()), name, _now())
        async with self._tx() as db:
            await db.execute(
                "INSERT INTO organizations (id, name, created_at, updated_at) VALUES (?, ?, ?, ?)",
                (org.id, name, iso(org.created_at), iso(org.created_at)),
            )
        return org

    async def get_org(self, org_id: str) -> Organisation | None:
        row = await self._one(
            "SELECT id, name, created_at FROM organizations WHERE id = ?", (org_id,)
        )
        return (
            None if row is None else Organisation(str(row[0]), str(row[1]), parse_time(str(row[2])))
        )

    async def list_orgs(self) -> list[Organisation]:
        rows = await self._all("SELECT id, name, created_at FROM organizations ORDER BY created_at")
        return [Organisation(str(i), str(n), parse_time(str(c))) for i, n, c in rows]

    async def org_setting(self, org_id: str, name: str) -> JsonValue:
        row = await self._one("SELECT settings FROM organizations WHERE id = ?", (org_id,))
        return None if row is None else json.loads(str(row[0])).get(name)

    async def put_org_setting(self, org_id: str, name: str, value: JsonValue) -> bool:
        async with self._tx() as db:
            async with db.execute(
                "SELECT settings FROM organizations WHERE id = ?", (org_id,)
            ) as c:
                row = await c.fetchone()
            if row is None:
                return False
            settings = json.loads(str(row[0]))
            settings.pop(name, None)
            if value is not None:
                settings[name] = value
            await db.execute(
                "UPDATE organizations SET settings = ?, updated_at = ? WHERE id = ?",
                (json.dumps(settings), iso(_now()), org_id),
            )
        return True

    async def add_user(self, org_id: str, email: str, roles: tuple[str, ...]) -> User:
        user = User(str(uuid4()), org_id, email, roles, True, 0, _now())
        try:
            async with self._tx() as db:
                await db.execute(
                    f"INSERT INTO users ({_USER_COLUMNS}, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                    (
                        user.id,
                        org_id,
                        email,
                        json.dumps(list(roles)),
                        1,
                        0,
                        iso(user.created_at),
                        iso(user.created_at),
                    ),
                )
        except sqlite3.IntegrityError as error:
            raise Conflict(
                f"{email} is already a member, or the organisation is unknown"
            ) from error
        return user

    async def get_user(self, user_id: str) -> User | None:
        row = await self._one(f"SELECT {_USER_COLUMNS} FROM users WHERE id = ?", (user_id,))
        return None if row is None else _user(row)

    async def user_by_email(self, org_id: str, email: str) -> User | None:
        row = await self._one(
            f"SELECT {_USER_COLUMNS} FROM users WHERE organization_id = ? AND email = ?",
            (org_id, email),
        )
        return None if row is None else _user(row)

    async def list_users(self, org_id: str) -> list[User]:
        rows = await self._all(
            f"SELECT {_USER_COLUMNS} FROM users WHERE organization_id = ? ORDER BY email", (org_id,)
        )
        return [_user(row) for row in rows]

    async def update_user(self, user: User) -> User:
        async with self._tx() as db:
            await db.execute(
                "UPDATE users SET roles = ?, active = ?, token_epoch = ?, updated_at = ? "
                "WHERE id = ? AND organization_id = ?",
                (
                    json.dumps(list(user.roles)),
                    int(user.active),
                    user.token_epoch,
                    iso(_now()),
                    user.id,
                    user.org_id,
                ),
            )
        return user

    # --- tokens ---------------------------------------------------------------------------

    async def save_refresh(self, jti: str, user_id: str, expires_at: datetime) -> None:
        async with self._tx() as db:
            await db.execute(
                "INSERT INTO refresh_tokens (jti, user_id, expires_at) VALUES (?, ?, ?)",
                (jti, user_id, iso(expires_at)),
            )

    async def consume_refresh(self, jti: str) -> bool:
        async with self._tx() as db:
            cursor = await db.execute(
                "UPDATE refresh_tokens SET used = 1 WHERE jti = ? AND used = 0 "
                "AND jti NOT IN (SELECT jti FROM revoked_tokens)",
                (jti,),
            )
            return cursor.rowcount == 1

    async def revoke_token(self, jti: str, expires_at: datetime) -> None:
        async with self._tx() as db:
            await db.execute(
                "INSERT OR IGNORE INTO revoked_tokens VALUES (?, ?)", (jti, iso(expires_at))
            )

    async def is_revoked(self, jti: str) -> bool:
        return await self._one("SELECT 1 FROM revoked_tokens WHERE jti = ?", (jti,)) is not None

    # --- policy ---------------------------------------------------------------------------

    async def put_policy(
        self, org_id: str, yaml_text: str, document: JsonValue, sign: PolicySigner | None = None
    ) -> int:
        async with self._tx() as db:
            async with db.execute(
                "SELECT COALESCE(MAX(revision), 0) FROM policies WHERE organization_id = ?",
                (org_id,),
            ) as cursor:
                row = await cursor.fetchone()
            revision = int(row[0] if row else 0) + 1
            await db.execute(
                "INSERT INTO policies VALUES (?, ?, ?, ?, ?)",
                (org_id, revision, yaml_text, json.dumps(document), iso(_now())),
            )
            if sign is not None:
                await db.execute(
                    "INSERT INTO policy_signatures VALUES (?, ?, ?, ?)",
                    (org_id, revision, *sign(revision)),
                )
        return revision

    async def policy(self, org_id: str) -> StoredPolicy | None:
        row = await self._one(
            "SELECT p.revision, p.document, COALESCE(s.key_id, ''), COALESCE(s.signature, '') "
            "FROM policies p LEFT JOIN policy_signatures s "
            "ON s.organization_id = p.organization_id AND s.revision = p.revision "
            "WHERE p.organization_id = ? ORDER BY p.revision DESC LIMIT 1",
            (org_id,),
        )
        if row is None:
            return None
        revision, document, key_id, signature = row
        return StoredPolicy(
            int(str(revision)), json.loads(str(document)), str(key_id), str(signature)
        )

    # --- the organisation's keys and audit checkpoints -----------------------------------

    async def org_keys(self, org_id: str) -> list[OrgKey]:
        rows = await self._all(
            "SELECT generation, key_id, public_key, private_key, endorsement, created_at "
            "FROM org_keys WHERE organization_id = ? ORDER BY generation",
            (org_id,),
        )
        return [
            OrgKey(
                PublicKey(str(key_id), _blob(public), int(str(generation)), str(endorsement)),
                _blob(private),
                parse_time(str(created)),
            )
            for generation, key_id, public, private, endorsement, created in rows
        ]

    async def add_org_key(self, org_id: str, key: OrgKey) -> bool:
        public = key.public_key
        async with self._tx() as db:
            cursor = await db.execute(
                "INSERT OR IGNORE INTO org_keys VALUES (?, ?, ?, ?, ?, ?, ?)",
                (
                    org_id,
                    public.generation,
                    public.key_id,
                    public.public,
                    key.private,
                    public.endorsement,
                    iso(key.created_at),
                ),
            )
            return cursor.rowcount == 1

    async def save_checkpoint(self, org_id: str, checkpoint: Checkpoint) -> None:
        async with self._tx() as db:
            await db.execute(
                "INSERT OR IGNORE INTO audit_checkpoints VALUES (?, ?, ?, ?, ?, ?)",
                (
                    org_id,
                    checkpoint.seq,
                    checkpoint.hash,
                    checkpoint.ts.isoformat(),
                    checkpoint.key_id,
                    checkpoint.signature,
                ),
            )

    async def checkpoint(self, org_id: str) -> Checkpoint | None:
        row = await self._one(
            "SELECT seq, hash, ts, key_id, signature FROM audit_checkpoints "
            "WHERE organization_id = ? ORDER BY seq DESC LIMIT 1",
            (org_id,),
        )
        if row is None:
            return None
        seq, hash_, ts, key_id, signature = row
        return Checkpoint(
            int(str(seq)), str(hash_), datetime.fromisoformat(str(ts)), str(key_id), str(signature)
        )

    # --- approvals ------------------------------------------------------------------------

    async def insert_approval(self, record: ApprovalRecord, audit: list[EventDraft]) -> None:
        try:
            async with self._tx() as db:
                await db.execute(
                    "INSERT INTO approvals VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    (
                        record.id,
                        record.org_id,
                        record.project,
                        record.request.proposal_id,
                        record.proposal.content_hash,
                        record.request.state.value,
                        _deadline(record),
                        iso(record.request.created_at),
                        record.version,
                        approval_to_json(record),
                    ),
                )
                await _append_audit(db, record.org_id, audit, [None] * len(audit))
        except sqlite3.IntegrityError as error:
            raise Conflict("this proposal's content already has an approval request") from error

    async def save_approval(
        self, record: ApprovalRecord, expected_version: int, audit: list[EventDraft]
    ) -> None:
        async with self._tx() as db:
            cursor = await db.execute(
                "UPDATE approvals SET state = ?, deadline = ?, version = ?, body = ? "
                "WHERE id = ? AND organization_id = ? AND version = ?",
                (
                    record.request.state.value,
                    _deadline(record),
                    record.version,
                    approval_to_json(record),
                    record.id,
                    record.org_id,
                    expected_version,
                ),
            )
            if cursor.rowcount != 1:
                raise Conflict(f"approval {record.id} changed meanwhile; read it again")
            await _append_audit(db, record.org_id, audit, [None] * len(audit))

    async def get_approval(self, org_id: str, approval_id: str) -> ApprovalRecord | None:
        row = await self._one(
            "SELECT id, organization_id, project, version, body FROM approvals "
            "WHERE organization_id = ? AND id = ?",
            (org_id, approval_id),
        )
        return None if row is None else _approval(row)

    async def find_approval(
        self, org_id: str, proposal_id: str, content_hash: str
    ) -> ApprovalRecord | None:
        row = await self._one(
            "SELECT id, organization_id, project, version, body FROM approvals "
            "WHERE organization_id = ? AND proposal_id = ? AND content_hash = ?",
            (org_id, proposal_id, content_hash),
        )
        return None if row is None else _approval(row)

    async def list_approvals(
        self, org_id: str, state: str | None, project: str | None, limit: int
    ) -> list[ApprovalRecord]:
        sql, parameters = _filtered(
            "SELECT id, organization_id, project, version, body FROM approvals "
            "WHERE organization_id = ?",
            [org_id],
            (("state = ?", state), ("project = ?", project)),
        )
        rows = await self._all(f"{sql} ORDER BY created_at DESC LIMIT ?", [*parameters, limit])
        return [_approval(row) for row in rows]

    async def open_approvals(self, due_before: datetime | None = None) -> list[ApprovalRecord]:
        sql = (
            "SELECT id, organization_id, project, version, body FROM approvals "
            "WHERE state IN (?, ?)"
        )
        parameters: list[object] = list(_OPEN_STATES)
        if due_before is not None:
            sql += " AND deadline IS NOT NULL AND deadline <= ?"
            parameters.append(_key(due_before))
        return [_approval(row) for row in await self._all(sql, parameters)]

    # --- audit ----------------------------------------------------------------------------

    async def append_audit(
        self, org_id: str, drafts: list[EventDraft], origins: list[str | None] | None = None
    ) -> list[Event | None]:
        async with self._tx() as db:
            return await _append_audit(db, org_id, drafts, origins or [None] * len(drafts))

    async def audit_events(
        self, org_id: str, project: str | None, type_: str | None, after_seq: int, limit: int
    ) -> list[Event]:
        sql, parameters = _filtered(
            "SELECT body FROM audit_events WHERE organization_id = ? AND seq > ?",
            [org_id, after_seq],
            (("project = ?", project), ("type = ?", type_)),
        )
        rows = await self._all(f"{sql} ORDER BY seq LIMIT ?", [*parameters, limit])
        return [audit_event_from_json(str(body)) for (body,) in rows]

    async def audit_rows(self, org_id: str) -> list[StoredRow]:
        rows = await self._all(
            "SELECT seq, hash, prev_hash, body FROM audit_events WHERE organization_id = ? "
            "ORDER BY seq",
            (org_id,),
        )
        return [StoredRow(int(str(s)), str(h), str(p), str(b)) for s, h, p, b in rows]

    async def audit_head(self, org_id: str) -> Head | None:
        row = await self._one(
            "SELECT seq, hash FROM audit_heads WHERE organization_id = ?", (org_id,)
        )
        return None if row is None else Head(int(str(row[0])), str(row[1]))

    # --- rooms ----------------------------------------------------------------------------

    async def room_state(self, org_id: str, project: str) -> RoomState:
        async with self._tx() as db:
            return await _room(db, org_id, project)

    async def append_room_event(
        self,
        org_id: str,
        project: str,
        kind: str,
        actor: str,
        data: dict[str, JsonValue],
        keep: int,
        keep_bytes: int | None = None,
    ) -> RoomEvent:
        async with self._tx() as db:
            state = await _room(db, org_id, project)
            event = RoomEvent(
                project=project,
                epoch=state.epoch,
                offset=state.offset + 1,
                kind=kind,
                actor=actor,
                ts=_now(),
                data=data,
            )
            await db.execute(
                "INSERT INTO room_events VALUES (?, ?, ?, ?)",
                (org_id, project, event.offset, event.model_dump_json()),
            )
            await db.execute(
                "UPDATE rooms SET last_offset = ? WHERE organization_id = ? AND project = ?",
                (event.offset, org_id, project),
            )
            await db.execute(
                "DELETE FROM room_events WHERE organization_id = ? AND project = ? AND offset <= ?",
                (org_id, project, event.offset - keep),
            )
            if keep_bytes is not None:
                await db.execute(
                    _TRIM_BYTES, (org_id, project, event.offset, org_id, project, keep_bytes)
                )
            return event

    async def room_events(
        self, org_id: str, project: str, after: int, limit: int
    ) -> list[RoomEvent]:
        rows = await self._all(
            "SELECT body FROM room_events WHERE organization_id = ? AND project = ? "
            "AND offset > ? ORDER BY offset LIMIT ?",
            (org_id, project, after, limit),
        )
        return [room_event_from_json(str(body)) for (body,) in rows]

    # --- analytics ------------------------------------------------------------------------

    async def record_usage(
        self,
        org_id: str,
        user_id: str,
        project: str | None,
        event_type: str,
        data: dict[str, JsonValue],
    ) -> str:
        id_ = str(uuid4())
        async with self._tx() as db:
            await db.execute(
                "INSERT INTO usage_events VALUES (?, ?, ?, ?, ?, ?, ?)",
                (id_, org_id, user_id, project, event_type, json.dumps(data), iso(_now())),
            )
        return id_

    # --- projects -------------------------------------------------------------------------

    async def create_project(
        self,
        org_id: str,
        name: str,
        repositories: tuple[str, ...],
        settings: dict[str, JsonValue],
        created_by: str,
        description: str = "",
    ) -> Project:
        project = Project(str(uuid4()), org_id, name, _now(), description, repositories, settings)
        stamp = iso(project.created_at)
        try:
            async with self._tx() as db:
                await db.execute(
                    "INSERT INTO projects (id, organization_id, name, description, repositories, "
                    "settings, created_by, created_at, updated_at) "
                    "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    (
                        project.id,
                        org_id,
                        name,
                        description,
                        json.dumps(list(repositories)),
                        json.dumps(settings),
                        created_by,
                        stamp,
                        stamp,
                    ),
                )
        except sqlite3.IntegrityError as error:
            raise Conflict(f"a project named {name} exists already") from error
        return project

    async def get_project(self, org_id: str, name: str) -> Project | None:
        found = await self._projects("AND p.name = ?", (org_id, name))
        return found[0] if found else None

    async def list_projects(self, org_id: str) -> list[Project]:
        return await self._projects("", (org_id,))

    async def _projects(self, where: str, parameters: tuple[object, ...]) -> list[Project]:
        rows = await self._all(
            "SELECT p.id, p.organization_id, p.name, p.created_at, p.description, "
            "p.repositories, p.settings FROM projects p "
            f"WHERE p.organization_id = ? {where} ORDER BY p.name",
            parameters,
        )
        members = await self._all(
            "SELECT m.project_id, m.user_id, u.email, m.roles, m.owner FROM project_members m "
            "JOIN projects p ON p.id = m.project_id JOIN users u ON u.id = m.user_id "
            f"WHERE p.organization_id = ? {where} AND u.active = 1 ORDER BY u.email",
            parameters,
        )
        return [
            Project(
                str(id_),
                str(org),
                str(name),
                parse_time(str(created)),
                str(description),
                tuple(json.loads(str(repositories))),
                json.loads(str(settings)),
                tuple(
                    ProjectMember(str(u), str(e), tuple(json.loads(str(r))), bool(o))
                    for p, u, e, r, o in members
                    if p == id_
                ),
            )
            for id_, org, name, created, description, repositories, settings in rows
        ]

    async def set_project_member(
        self, project: Project, user_id: str, roles: tuple[str, ...], owner: bool
    ) -> None:
        async with self._tx() as db:
            await db.execute(
                "INSERT INTO project_members VALUES (?, ?, ?, ?, ?) ON CONFLICT "
                "(project_id, user_id) DO UPDATE SET roles = excluded.roles, owner = excluded.owner",
                (project.id, user_id, json.dumps(list(roles)), int(owner), iso(_now())),
            )

    async def remove_project_member(self, project: Project, user_id: str) -> bool:
        async with self._tx() as db:
            cursor = await db.execute(
                "DELETE FROM project_members WHERE project_id = ? AND user_id = ?",
                (project.id, user_id),
            )
            return cursor.rowcount == 1

    async def record_performance(
        self, service: str, metric: str, value: float, tags: dict[str, JsonValue]
    ) -> str:
        id_ = str(uuid4())
        async with self._tx() as db:
            await db.execute(
                "INSERT INTO performance_metrics VALUES (?, ?, ?, ?, ?, ?)",
                (id_, service, metric, value, json.dumps(tags), iso(_now())),
            )
        return id_

    # --- admin reads ----------------------------------------------------------------------

    async def policy_revisions(self, org_id: str) -> list[PolicyRevision]:
        rows = await self._all(
            "SELECT revision, yaml, created_at FROM policies WHERE organization_id = ? "
            "ORDER BY revision DESC",
            (org_id,),
        )
        return [PolicyRevision(int(str(r)), str(y), parse_time(str(c))) for r, y, c in rows]

    async def audit_search(
        self, org_id: str, where: AuditFilter, after_seq: int, limit: int
    ) -> list[Event]:
        sql, parameters = _filtered(
            "SELECT body FROM audit_events WHERE organization_id = ? AND seq > ?",
            [org_id, after_seq],
            (
                ("project = ?", where.project),
                ("type = ?", where.type),
                ("json_extract(body, '$.actor') = ?", where.actor),
                ("ts >= ?", _utc_text(where.since)),
                ("ts < ?", _utc_text(where.until)),
            ),
        )
        rows = await self._all(f"{sql} ORDER BY seq LIMIT ?", [*parameters, limit])
        return [audit_event_from_json(str(body)) for (body,) in rows]

    async def usage_events(self, org_id: str, since: datetime | None) -> list[UsageRow]:
        sql, parameters = _filtered(
            "SELECT user_id, project_id, event_type, event_data, timestamp FROM usage_events "
            "WHERE organization_id = ?",
            [org_id],
            (("timestamp >= ?", _utc_text(since)),),
        )
        rows = await self._all(f"{sql} ORDER BY timestamp", parameters)
        return [
            UsageRow(
                None if u is None else str(u),
                None if p is None else str(p),
                str(t),
                json.loads(str(d)),
                parse_time(str(at)),
            )
            for u, p, t, d, at in rows
        ]


def _filtered(
    sql: str, parameters: list[object], optional: tuple[tuple[str, object | None], ...]
) -> tuple[str, list[object]]:
    """``sql`` with ``AND clause`` for each optional filter whose value is set."""
    for clause, value in optional:
        if value is not None:
            sql += f" AND {clause}"
            parameters = [*parameters, value]
    return sql, parameters


def _utc_text(moment: datetime | None) -> str | None:
    """A bound as the stores' ISO text of UTC times (text order is time order)."""
    return None if moment is None else iso(moment.astimezone(UTC))


def _blob(value: object) -> bytes:
    if not isinstance(value, bytes):
        raise TypeError(f"expected a BLOB, found {type(value).__name__}")
    return value


def _key(moment: datetime) -> str:
    """Deadlines as fixed-width UTC text, so that text order is time order."""
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def _deadline(record: ApprovalRecord) -> str | None:
    deadline = record.request.deadline
    return None if deadline is None else _key(deadline)


def _approval(row: tuple[object, ...]) -> ApprovalRecord:
    id_, org, project, version, body = row
    return approval_from_json(str(id_), str(org), str(project), int(str(version)), str(body))


async def _room(db: aiosqlite.Connection, org_id: str, project: str) -> RoomState:
    async with db.execute(
        "SELECT epoch, last_offset FROM rooms WHERE organization_id = ? AND project = ?",
        (org_id, project),
    ) as cursor:
        row = await cursor.fetchone()
    if row is None:
        epoch = secrets.token_hex(6)
        await db.execute("INSERT INTO rooms VALUES (?, ?, ?, 0)", (org_id, project, epoch))
        return RoomState(epoch, 0, 1)
    async with db.execute(
        "SELECT MIN(offset) FROM room_events WHERE organization_id = ? AND project = ?",
        (org_id, project),
    ) as cursor:
        first = await cursor.fetchone()
    last = int(row[1])
    return RoomState(str(row[0]), last, int(first[0]) if first and first[0] else last + 1)


async def _append_audit(
    db: aiosqlite.Connection, org_id: str, drafts: list[EventDraft], origins: list[str | None]
) -> list[Event | None]:
    async with db.execute(
        "SELECT seq, hash FROM audit_events WHERE organization_id = ? ORDER BY seq DESC LIMIT 1",
        (org_id,),
    ) as cursor:
        tail = await cursor.fetchone()
    wanted = [o for o in origins if o is not None]
    marks = ", ".join("?" * len(wanted))
    async with db.execute(
        f"SELECT origin_id FROM audit_events WHERE organization_id = ? AND origin_id IN ({marks})",
        (org_id, *wanted),
    ) as cursor:
        recorded = {str(origin) for (origin,) in await cursor.fetchall()}
    head = Head(int(tail[0]), str(tail[1])) if tail else None
    sealed = seal_batch(drafts, origins, recorded, head)
    new = [s for s in sealed if s is not None]
    await db.executemany(
        "INSERT INTO audit_events VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [
            (
                org_id,
                s.event.seq,
                str(s.event.id),
                iso(s.event.ts),
                s.event.type.value,
                s.event.project,
                s.row.hash,
                s.row.prev_hash,
                s.row.body,
                s.origin,
            )
            for s in new
        ],
    )
    if new:
        await db.execute(
            "INSERT INTO audit_heads VALUES (?, ?, ?) ON CONFLICT (organization_id) "
            "DO UPDATE SET seq = excluded.seq, hash = excluded.hash",
            (org_id, new[-1].event.seq, new[-1].row.hash),
        )
    return [None if s is None else s.event for s in sealed]
