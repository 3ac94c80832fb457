"""The scale-out store: PostgreSQL through an asyncpg connection pool.

Any number of org-server replicas share it. What must be one sequence is serialised by the
database, not by a process: an organisation's audit chain by a row lock on its head, a room's
offsets by a row lock on the room, a policy's revisions by a lock on the organisation's row;
an approval changes only at the version it was read at (optimistic, so a deadline that several
replicas see pass is enforced exactly once). Every write returns after its commit.
"""

from __future__ import annotations

import json
import secrets
from datetime import UTC, datetime
from uuid import uuid4

import asyncpg
from pydantic import JsonValue

from accord.audit.chain import GENESIS, Head, StoredRow
from accord.audit.events import Event, EventDraft
from accord.policy.approval import State
from accord.protocol.jsonlimits import salvage
from accord.protocol.org import RoomEvent

from ..codec import approval_from_json, approval_to_json, audit_event_from_json
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
from .migrations import migrate
from .outbox_postgres import PostgresOutbox
from .sealing import seal_batch

__all__ = ["PostgresStore"]

_OPEN_STATES = [State.PENDING.value, State.ESCALATED.value]
_USER_COLUMNS = "id, organization_id, email, roles, active, token_epoch, created_at"
_APPROVAL_COLUMNS = "id, organization_id, project, version, body"


def _now() -> datetime:
    return datetime.now(UTC)


_APPEND_ROOM_EVENT = """
WITH next AS (
    UPDATE rooms SET last_offset = last_offset + 1
    WHERE organization_id = $1 AND project = $2
    RETURNING epoch, last_offset
), trimmed AS (
    DELETE FROM room_events
    WHERE organization_id = $1 AND project = $2 AND "offset" <= (SELECT last_offset FROM next) - $7
)
INSERT INTO room_events (organization_id, project, "offset", epoch, kind, actor, ts, data)
SELECT $1, $2, last_offset, epoch, $3, $4, $5, $6 FROM next
RETURNING "offset", epoch
"""
"""A room's next event in one statement: numbered under the room row's lock, stored, and the
history trimmed, so the lock is held for one round trip and the commit, not several."""


_TRIM_BYTES = """
DELETE FROM room_events WHERE organization_id = $1 AND project = $2 AND "offset" < $3
AND "offset" <= (
    SELECT "offset" FROM (
        SELECT "offset", SUM(octet_length(data)) OVER (ORDER BY "offset" DESC) AS kept
        FROM room_events WHERE organization_id = $1 AND project = $2) AS newest_first
    WHERE kept > $4 ORDER BY "offset" DESC LIMIT 1)
"""
"""Drop a room's oldest events until the rest fit its byte budget (the newest always stays)."""


def _user(row: asyncpg.Record) -> User:
    return User(
        row["id"],
        row["organization_id"],
        row["email"],
        tuple(json.loads(row["roles"])),
        row["active"],
        row["token_epoch"],
        row["created_at"],
    )


def _approval(row: asyncpg.Record) -> ApprovalRecord:
    return approval_from_json(
        row["id"], row["organization_id"], row["project"], row["version"], row["body"]
    )


def _filtered(
    sql: str, parameters: list[object], optional: tuple[tuple[str, object | None], ...]
) -> tuple[str, list[object]]:
    """``sql`` with ``AND column = $n`` for each optional filter whose value is set."""
    for column, value in optional:
        if value is not None:
            parameters = [*parameters, value]
            sql += f" AND {column} = ${len(parameters)}"
    return sql, parameters


class PostgresStore(PostgresOutbox):
    """The org store in the PostgreSQL database that ``dsn`` names (``postgresql://…``).

    Extra query parameters in the URL are server settings, e.g. ``?search_path=accord``.
    """

    def __init__(self, dsn: str, min_size: int = 2, max_size: int = 10) -> None:
        self.dsn = dsn
        self._sizes = (min_size, max_size)
        self._pool: asyncpg.Pool | None = None

    async def open(self) -> None:
        pool = await asyncpg.create_pool(
            self.dsn, min_size=self._sizes[0], max_size=self._sizes[1], command_timeout=30
        )
        async with pool.acquire() as connection:
            await migrate(connection)
        self._pool = pool

    async def close(self) -> None:
        if self._pool is not None:
            await self._pool.close()
            self._pool = None

    @property
    def pool(self) -> asyncpg.Pool:
        if self._pool is None:
            raise RuntimeError("the store is not open")
        return self._pool

    # --- settings and tenants -------------------------------------------------------------

    async def signing_key(self) -> bytes:
        return await self.setting("signing_key", secrets.token_bytes(32))

    async def setting(self, name: str, first: bytes) -> bytes:
        await self.pool.execute(
            "INSERT INTO settings VALUES ($1, $2) ON CONFLICT (name) DO NOTHING", name, first
        )
        return bytes(await self.pool.fetchval("SELECT value FROM settings WHERE name = $1", name))

    async def create_org(self, name: str) -> Organisation:
        org = Organisation(str(uuid4()), name, _now())
        await self.pool.execute(
            "INSERT INTO organizations (id, name, created_at, updated_at) VALUES ($1, $2, $3, $3)",
            org.id,
            name,
            org.created_at,
        )
        return org

    async def get_org(self, org_id: str) -> Organisation | None:
        row = await self.pool.fetchrow(
            "SELECT id, name, created_at FROM organizations WHERE id = $1", org_id
        )
        return None if row is None else Organisation(row[0], row[1], row[2])

    async def list_orgs(self) -> list[Organisation]:
        rows = await self.pool.fetch(
            "SELECT id, name, created_at FROM organizations ORDER BY created_at"
        )
        return [Organisation(r[0], r[1], r[2]) for r in rows]

    async def org_setting(self, org_id: str, name: str) -> JsonValue:
        text = await self.pool.fetchval(
            "SELECT settings -> $2 FROM organizations WHERE id = $1", org_id, name
        )
        return None if text is None else json.loads(text)

    async def put_org_setting(self, org_id: str, name: str, value: JsonValue) -> bool:
        if value is None:
            status = await self.pool.execute(
                "UPDATE organizations SET settings = settings - $2, updated_at = now() "
                "WHERE id = $1",
                org_id,
                name,
            )
        else:
            status = await self.pool.execute(
                "UPDATE organizations SET settings = jsonb_set(settings, ARRAY[$2], $3::jsonb), "
                "updated_at = now() WHERE id = $1",
                org_id,
                name,
                json.dumps(value),
            )
        return str(status).split()[-1] != "0"

    async def add_user(self, org_id: str, email: str, roles: tuple[str, ...]) -> User:
        user = User(str(uuid4()), org_id, email, roles, True, 0, _now())
        try:
            await self.pool.execute(
                f"INSERT INTO users ({_USER_COLUMNS}, updated_at) "
                "VALUES ($1, $2, $3, $4, TRUE, 0, $5, $5)",
                user.id,
                org_id,
                email,
                json.dumps(list(roles)),
                user.created_at,
            )
        except (asyncpg.UniqueViolationError, asyncpg.ForeignKeyViolationError) as error:
            raise Conflict(
                f"{email} is already a member, or the organisation is unknown"
            ) from error
        return user

    async def get_user(self, user_id: str) -> User | None:
        row = await self.pool.fetchrow(f"SELECT {_USER_COLUMNS} FROM users WHERE id = $1", user_id)
        return None if row is None else _user(row)

    async def user_by_email(self, org_id: str, email: str) -> User | None:
        row = await self.pool.fetchrow(
            f"SELECT {_USER_COLUMNS} FROM users WHERE organization_id = $1 AND email = $2",
            org_id,
            email,
        )
        return None if row is None else _user(row)

    async def list_users(self, org_id: str) -> list[User]:
        rows = await self.pool.fetch(
            f"SELECT {_USER_COLUMNS} FROM users WHERE organization_id = $1 ORDER BY email", org_id
        )
        return [_user(row) for row in rows]

    async def update_user(self, user: User) -> User:
        await self.pool.execute(
            "UPDATE users SET roles = $1, active = $2, token_epoch = $3, updated_at = $4 "
            "WHERE id = $5 AND organization_id = $6",
            json.dumps(list(user.roles)),
            user.active,
            user.token_epoch,
            _now(),
            user.id,
            user.org_id,
        )
        return user

    # --- tokens ---------------------------------------------------------------------------

    async def save_refresh(self, jti: str, user_id: str, expires_at: datetime) -> None:
        await self.pool.execute(
            "INSERT INTO refresh_tokens (jti, user_id, expires_at) VALUES ($1, $2, $3)",
            jti,
            user_id,
            expires_at,
        )

    async def consume_refresh(self, jti: str) -> bool:
        status = await self.pool.execute(
            "UPDATE refresh_tokens SET used = TRUE WHERE jti = $1 AND NOT used "
            "AND jti NOT IN (SELECT jti FROM revoked_tokens)",
            jti,
        )
        return bool(status == "UPDATE 1")

    async def revoke_token(self, jti: str, expires_at: datetime) -> None:
        await self.pool.execute(
            "INSERT INTO revoked_tokens VALUES ($1, $2) ON CONFLICT (jti) DO NOTHING",
            jti,
            expires_at,
        )

    async def is_revoked(self, jti: str) -> bool:
        return (
            await self.pool.fetchval("SELECT 1 FROM revoked_tokens WHERE jti = $1", jti) is not None
        )

    # --- policy ---------------------------------------------------------------------------

    async def put_policy(
        self, org_id: str, yaml_text: str, document: JsonValue, sign: PolicySigner | None = None
    ) -> int:
        async with self.pool.acquire() as db, db.transaction():
            await db.execute("SELECT 1 FROM organizations WHERE id = $1 FOR UPDATE", org_id)
            revision = int(
                await db.fetchval(
                    "SELECT COALESCE(MAX(revision), 0) + 1 FROM policies WHERE organization_id = $1",
                    org_id,
                )
            )
            await db.execute(
                "INSERT INTO policies VALUES ($1, $2, $3, $4::jsonb, $5)",
                org_id,
                revision,
                yaml_text,
                json.dumps(document),
                _now(),
            )
            if sign is not None:
                await db.execute(
                    "INSERT INTO policy_signatures VALUES ($1, $2, $3, $4)",
                    org_id,
                    revision,
                    *sign(revision),
                )
        return revision

    async def policy(self, org_id: str) -> StoredPolicy | None:
        row = await self.pool.fetchrow(
            "SELECT p.revision, p.document, COALESCE(s.key_id, ''), COALESCE(s.signature, '') "
            "FROM policies p LEFT JOIN policy_signatures s "
            "ON s.organization_id = p.organization_id AND s.revision = p.revision "
            "WHERE p.organization_id = $1 ORDER BY p.revision DESC LIMIT 1",
            org_id,
        )
        if row is None:
            return None
        return StoredPolicy(row[0], json.loads(row[1]), row[2], row[3])

    # --- the organisation's keys and audit checkpoints -----------------------------------

    async def org_keys(self, org_id: str) -> list[OrgKey]:
        rows = await self.pool.fetch(
            "SELECT generation, key_id, public_key, private_key, endorsement, created_at "
            "FROM org_keys WHERE organization_id = $1 ORDER BY generation",
            org_id,
        )
        return [OrgKey(PublicKey(r[1], bytes(r[2]), r[0], r[4]), bytes(r[3]), r[5]) for r in rows]

    async def add_org_key(self, org_id: str, key: OrgKey) -> bool:
        public = key.public_key
        status = await self.pool.execute(
            "INSERT INTO org_keys VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT DO NOTHING",
            org_id,
            public.generation,
            public.key_id,
            public.public,
            key.private,
            public.endorsement,
            key.created_at,
        )
        return str(status).endswith(" 1")

    async def save_checkpoint(self, org_id: str, checkpoint: Checkpoint) -> None:
        await self.pool.execute(
            "INSERT INTO audit_checkpoints VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT DO NOTHING",
            org_id,
            checkpoint.seq,
            checkpoint.hash,
            checkpoint.ts,
            checkpoint.key_id,
            checkpoint.signature,
        )

    async def checkpoint(self, org_id: str) -> Checkpoint | None:
        row = await self.pool.fetchrow(
            "SELECT seq, hash, ts, key_id, signature FROM audit_checkpoints "
            "WHERE organization_id = $1 ORDER BY seq DESC LIMIT 1",
            org_id,
        )
        return None if row is None else Checkpoint(row[0], row[1], row[2], row[3], row[4])

    # --- approvals ------------------------------------------------------------------------

    async def insert_approval(self, record: ApprovalRecord, audit: list[EventDraft]) -> None:
        try:
            async with self.pool.acquire() as db, db.transaction():
                await db.execute(
                    "INSERT INTO approvals VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)",
                    record.id,
                    record.org_id,
                    record.project,
                    record.request.proposal_id,
                    record.proposal.content_hash,
                    record.request.state.value,
                    record.request.deadline,
                    record.request.created_at,
                    record.version,
                    approval_to_json(record),
                )
                await _append_audit(db, record.org_id, audit, [None] * len(audit))
        except asyncpg.UniqueViolationError as error:
            raise Conflict("this proposal's content already has an approval request") from error

    async def save_approval(
        self, record: ApprovalRecord, expected_version: int, audit: list[EventDraft]
    ) -> None:
        async with self.pool.acquire() as db, db.transaction():
            status = await db.execute(
                "UPDATE approvals SET state = $1, deadline = $2, version = $3, body = $4 "
                "WHERE id = $5 AND organization_id = $6 AND version = $7",
                record.request.state.value,
                record.request.deadline,
                record.version,
                approval_to_json(record),
                record.id,
                record.org_id,
                expected_version,
            )
            if status != "UPDATE 1":
                raise Conflict(f"approval {record.id} changed meanwhile; read it again")
            await _append_audit(db, record.org_id, audit, [None] * len(audit))

    async def get_approval(self, org_id: str, approval_id: str) -> ApprovalRecord | None:
        row = await self.pool.fetchrow(
            f"SELECT {_APPROVAL_COLUMNS} FROM approvals WHERE organization_id = $1 AND id = $2",
            org_id,
            approval_id,
        )
        return None if row is None else _approval(row)

    async def find_approval(
        self, org_id: str, proposal_id: str, content_hash: str
    ) -> ApprovalRecord | None:
        row = await self.pool.fetchrow(
            f"SELECT {_APPROVAL_COLUMNS} FROM approvals WHERE organization_id = $1 "
            "AND proposal_id = $2 AND content_hash = $3",
            org_id,
            proposal_id,
            content_hash,
        )
        return None if row is None else _approval(row)

    async def list_approvals(
        self, org_id: str, state: str | None, project: str | None, limit: int
    ) -> list[ApprovalRecord]:
        sql, parameters = _filtered(
            f"SELECT {_APPROVAL_COLUMNS} FROM approvals WHERE organization_id = $1",
            [org_id],
            (("state", state), ("project", project)),
        )
        parameters.append(limit)
        rows = await self.pool.fetch(
            f"{sql} ORDER BY created_at DESC LIMIT ${len(parameters)}", *parameters
        )
        return [_approval(row) for row in rows]

    async def open_approvals(self, due_before: datetime | None = None) -> list[ApprovalRecord]:
        if due_before is None:
            rows = await self.pool.fetch(
                f"SELECT {_APPROVAL_COLUMNS} FROM approvals WHERE state = ANY($1::text[])",
                _OPEN_STATES,
            )
        else:
            rows = await self.pool.fetch(
                f"SELECT {_APPROVAL_COLUMNS} FROM approvals WHERE state = ANY($1::text[]) "
                "AND deadline IS NOT NULL AND deadline <= $2",
                _OPEN_STATES,
                due_before,
            )
        return [_approval(row) for row in rows]

    # --- audit ----------------------------------------------------------------------------

    async def append_audit(
        self, org_id: str, drafts: list[EventDraft], origins: list[str | None] | None = None
    ) -> list[Event | None]:
        async with self.pool.acquire() as db, db.transaction():
            return await _append_audit(db, org_id, drafts, origins or [None] * len(drafts))

    async def audit_events(
        self, org_id: str, project: str | None, type_: str | None, after_seq: int, limit: int
    ) -> list[Event]:
        sql, parameters = _filtered(
            "SELECT body FROM audit_events WHERE organization_id = $1 AND seq > $2",
            [org_id, after_seq],
            (("project", project), ("type", type_)),
        )
        parameters.append(limit)
        rows = await self.pool.fetch(f"{sql} ORDER BY seq LIMIT ${len(parameters)}", *parameters)
        return [audit_event_from_json(row[0]) for row in rows]

    async def audit_rows(self, org_id: str) -> list[StoredRow]:
        rows = await self.pool.fetch(
            "SELECT seq, hash, prev_hash, body FROM audit_events WHERE organization_id = $1 "
            "ORDER BY seq",
            org_id,
        )
        return [StoredRow(r[0], r[1], r[2], r[3]) for r in rows]

    async def audit_head(self, org_id: str) -> Head | None:
        row = await self.pool.fetchrow(
            "SELECT seq, hash FROM audit_heads WHERE organization_id = $1 AND seq > 0", org_id
        )
        return None if row is None else Head(row[0], row[1])

    # --- rooms ----------------------------------------------------------------------------

    async def room_state(self, org_id: str, project: str) -> RoomState:
        await _ensure_room(self.pool, org_id, project)
        row = await self.pool.fetchrow(
            'SELECT r.epoch, r.last_offset, (SELECT MIN("offset") FROM room_events e '
            "WHERE e.organization_id = r.organization_id AND e.project = r.project) AS first "
            "FROM rooms r WHERE r.organization_id = $1 AND r.project = $2",
            org_id,
            project,
        )
        last = int(row["last_offset"])
        first = row["first"]
        return RoomState(row["epoch"], last, int(first) if first is not None else last + 1)

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
        ts, text = _now(), json.dumps(data, separators=(",", ":"), ensure_ascii=False)
        for _ in range(2):
            row = await self.pool.fetchrow(
                _APPEND_ROOM_EVENT, org_id, project, kind, actor, ts, text, keep
            )
            if row is not None:
                if keep_bytes is not None:
                    await self.pool.execute(_TRIM_BYTES, org_id, project, row["offset"], keep_bytes)
                return RoomEvent(
                    project=project,
                    epoch=row["epoch"],
                    offset=row["offset"],
                    kind=kind,
                    actor=actor,
                    ts=ts,
                    data=data,
                )
            await _ensure_room(self.pool, org_id, project)  # the room's first event
        raise RuntimeError(f"the room {project} could not be created")

    async def room_events(
        self, org_id: str, project: str, after: int, limit: int
    ) -> list[RoomEvent]:
        rows = await self.pool.fetch(
            'SELECT "offset", epoch, kind, actor, ts, data FROM room_events '
            'WHERE organization_id = $1 AND project = $2 AND "offset" > $3 '
            'ORDER BY "offset" LIMIT $4',
            org_id,
            project,
            after,
            limit,
        )
        return [
            RoomEvent(
                project=project,
                epoch=r["epoch"],
                offset=r["offset"],
                kind=r["kind"],
                actor=r["actor"],
                ts=r["ts"],
                data=salvage(r["data"]),
            )
            for r in rows
        ]

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
        await self.pool.execute(
            "INSERT INTO usage_events VALUES ($1, $2, $3, $4, $5, $6::jsonb, $7)",
            id_,
            org_id,
            user_id,
            project,
            event_type,
            json.dumps(data),
            _now(),
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
        try:
            await self.pool.execute(
                "INSERT INTO projects (id, organization_id, name, description, repositories, "
                "settings, created_by, created_at, updated_at) "
                "VALUES ($1, $2, $3, $4, $5::jsonb, $6::jsonb, $7, $8, $8)",
                project.id,
                org_id,
                name,
                description,
                json.dumps(list(repositories)),
                json.dumps(settings),
                created_by,
                project.created_at,
            )
        except (asyncpg.UniqueViolationError, asyncpg.ForeignKeyViolationError) as error:
            raise Conflict(f"a project named {name} exists already") from error
        return project

    async def get_project(self, org_id: str, name: str) -> Project | None:
        found = await self._projects("AND p.name = $2", (org_id, name))
        return found[0] if found else None

    async def list_projects(self, org_id: str) -> list[Project]:
        return await self._projects("", (org_id,))

    async def _projects(self, where: str, parameters: tuple[str, ...]) -> list[Project]:
        async with self.pool.acquire() as connection, connection.transaction():
            rows = await connection.fetch(
                "SELECT p.id, p.organization_id, p.name, p.created_at, p.description, "
                "p.repositories, p.settings FROM projects p "
                f"WHERE p.organization_id = $1 {where} ORDER BY p.name",
                *parameters,
            )
            members = await connection.fetch(
                "SELECT m.project_id, m.user_id, u.email, m.roles, m.owner "
                "FROM project_members m JOIN projects p ON p.id = m.project_id "
                "JOIN users u ON u.id = m.user_id "
                f"WHERE p.organization_id = $1 {where} AND u.active ORDER BY u.email",
                *parameters,
            )
        return [
            Project(
                row["id"],
                row["organization_id"],
                row["name"],
                row["created_at"],
                row["description"],
                tuple(json.loads(row["repositories"])),
                json.loads(row["settings"]),
                tuple(
                    ProjectMember(
                        m["user_id"], m["email"], tuple(json.loads(m["roles"])), m["owner"]
                    )
                    for m in members
                    if m["project_id"] == row["id"]
                ),
            )
            for row in rows
        ]

    async def set_project_member(
        self, project: Project, user_id: str, roles: tuple[str, ...], owner: bool
    ) -> None:
        await self.pool.execute(
            "INSERT INTO project_members VALUES ($1, $2, $3::jsonb, $4, $5) ON CONFLICT "
            "(project_id, user_id) DO UPDATE SET roles = excluded.roles, owner = excluded.owner",
            project.id,
            user_id,
            json.dumps(list(roles)),
            owner,
            _now(),
        )

    async def remove_project_member(self, project: Project, user_id: str) -> bool:
        status = await self.pool.execute(
            "DELETE FROM project_members WHERE project_id = $1 AND user_id = $2",
            project.id,
            user_id,
        )
        return bool(status.endswith(" 1"))

    async def record_performance(
        self, service: str, metric: str, value: float, tags: dict[str, JsonValue]
    ) -> str:
        id_ = str(uuid4())
        await self.pool.execute(
            "INSERT INTO performance_metrics VALUES ($1, $2, $3, $4, $5::jsonb, $6)",
            id_,
            service,
            metric,
            value,
            json.dumps(tags),
            _now(),
        )
        return id_

    # --- admin reads ----------------------------------------------------------------------

    async def policy_revisions(self, org_id: str) -> list[PolicyRevision]:
        rows = await self.pool.fetch(
            "SELECT revision, yaml, created_at FROM policies WHERE organization_id = $1 "
            "ORDER BY revision DESC",
            org_id,
        )
        return [PolicyRevision(r[0], r[1], r[2]) for r in rows]

    async def audit_search(
        self, org_id: str, where: AuditFilter, after_seq: int, limit: int
    ) -> list[Event]:
        parameters: list[object] = [org_id, after_seq]
        sql = "SELECT body FROM audit_events WHERE organization_id = $1 AND seq > $2"
        for clause, value in (
            ("project = ${}", where.project),
            ("type = ${}", where.type),
            ("((body::jsonb)->>'actor') = ${}", where.actor),
            ("ts >= ${}", where.since),
            ("ts < ${}", where.until),
        ):
            if value is not None:
                parameters.append(value)
                sql += " AND " + clause.format(len(parameters))
        parameters.append(limit)
        rows = await self.pool.fetch(f"{sql} ORDER BY seq LIMIT ${len(parameters)}", *parameters)
        return [audit_event_from_json(row[0]) for row in rows]

    async def usage_events(self, org_id: str, since: datetime | None) -> list[UsageRow]:
        rows = await self.pool.fetch(
            'SELECT user_id, project_id, event_type, event_data, "timestamp" FROM usage_events '
            'WHERE organization_id = $1 AND ($2::timestamptz IS NULL OR "timestamp" >= $2) '
            'ORDER BY "timestamp"',
            org_id,
            since,
        )
        return [UsageRow(r[0], r[1], r[2], json.loads(r[3]), r[4]) for r in rows]


async def _ensure_room(pool: asyncpg.Pool, org_id: str, project: str) -> None:
    await pool.execute(
        "INSERT INTO rooms VALUES ($1, $2, $3, 0) ON CONFLICT (organization_id, project) DO NOTHING",
        org_id,
        project,
        secrets.token_hex(6),
    )


async def _append_audit(
    db: asyncpg.Connection, org_id: str, drafts: list[EventDraft], origins: list[str | None]
) -> list[Event | None]:
    """Seal ``drafts`` onto the chain inside the caller's transaction; the head row's lock makes
    concurrent appenders from any replica take turns."""
    await db.execute(
        "INSERT INTO audit_heads VALUES ($1, 0, $2) ON CONFLICT (organization_id) DO NOTHING",
        org_id,
        GENESIS,
    )
    head = await db.fetchrow(
        "SELECT seq, hash FROM audit_heads WHERE organization_id = $1 FOR UPDATE", org_id
    )
    recorded = await db.fetch(
        "SELECT origin_id FROM audit_events WHERE organization_id = $1 "
        "AND origin_id = ANY($2::text[])",
        org_id,
        [o for o in origins if o is not None],
    )
    sealed = seal_batch(
        drafts, origins, {r[0] for r in recorded}, Head(head[0], head[1]) if head[0] else None
    )
    new = [s for s in sealed if s is not None]
    await db.executemany(
        "INSERT INTO audit_events VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)",
        [
            (
                org_id,
                s.event.seq,
                str(s.event.id),
                s.event.ts,
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
            "UPDATE audit_heads SET seq = $2, hash = $3 WHERE organization_id = $1",
            org_id,
            new[-1].event.seq,
            new[-1].row.hash,
        )
    return [None if s is None else s.event for s in sealed]
