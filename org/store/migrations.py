"""The PostgreSQL store's schema as a numbered list of migrations, applied at start.

Replicas starting together take a session-level advisory lock first, so exactly one of them
applies what is missing and the others find it done. A migration is never edited once released:
a change is a new entry at the end.
"""

from __future__ import annotations

from dataclasses import dataclass

import asyncpg

__all__ = ["MIGRATIONS", "Migration", "migrate"]

_LOCK_KEY = 0x4143_4F52_4447  # "ACORDG": one key for every Accord schema migration


@dataclass(frozen=True, slots=True)
class Migration:
    number: int
    name: str
    sql: str


MIGRATIONS: tuple[Migration, ...] = (
    Migration(
        1,
        "initial",
        """
CREATE TABLE settings (name TEXT PRIMARY KEY, value BYTEA NOT NULL);
CREATE TABLE organizations (
    id TEXT PRIMARY KEY, name TEXT NOT NULL, subscription_plan TEXT NOT NULL DEFAULT 'starter',
    settings JSONB NOT NULL DEFAULT '{}', created_at TIMESTAMPTZ NOT NULL,
    updated_at TIMESTAMPTZ NOT NULL);
CREATE TABLE users (
    id TEXT PRIMARY KEY, organization_id TEXT NOT NULL REFERENCES organizations(id),
    email TEXT NOT NULL, roles JSONB NOT NULL, active BOOLEAN NOT NULL DEFAULT TRUE,
    token_epoch INTEGER NOT NULL DEFAULT 0, preferences JSONB NOT NULL DEFAULT '{}',
    created_at TIMESTAMPTZ NOT NULL, updated_at TIMESTAMPTZ NOT NULL,
    UNIQUE (organization_id, email));
CREATE TABLE refresh_tokens (
    jti TEXT PRIMARY KEY, user_id TEXT NOT NULL, expires_at TIMESTAMPTZ NOT NULL,
    used BOOLEAN NOT NULL DEFAULT FALSE);
CREATE TABLE revoked_tokens (jti TEXT PRIMARY KEY, expires_at TIMESTAMPTZ NOT NULL);
CREATE TABLE policies (
    organization_id TEXT NOT NULL REFERENCES organizations(id), revision INTEGER NOT NULL,
    yaml TEXT NOT NULL, document JSONB NOT NULL, created_at TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (organization_id, revision));
CREATE TABLE approvals (
    id TEXT PRIMARY KEY, organization_id TEXT NOT NULL, project TEXT NOT NULL,
    proposal_id TEXT NOT NULL, content_hash TEXT NOT NULL, state TEXT NOT NULL,
    deadline TIMESTAMPTZ, created_at TIMESTAMPTZ NOT NULL, version INTEGER NOT NULL,
    body TEXT NOT NULL, UNIQUE (organization_id, proposal_id, content_hash));
CREATE INDEX approvals_open ON approvals (state, deadline);
CREATE INDEX approvals_listing ON approvals (organization_id, created_at DESC);
CREATE TABLE audit_events (
    organization_id TEXT NOT NULL, seq BIGINT NOT NULL, id TEXT NOT NULL,
    ts TIMESTAMPTZ NOT NULL, type TEXT NOT NULL, project TEXT NOT NULL, hash TEXT NOT NULL,
    prev_hash TEXT NOT NULL, body TEXT NOT NULL, origin_id TEXT,
    PRIMARY KEY (organization_id, seq), UNIQUE (organization_id, origin_id));
CREATE FUNCTION accord_audit_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN RAISE EXCEPTION 'audit events are append-only'; END $$;
CREATE TRIGGER audit_no_change BEFORE UPDATE OR DELETE ON audit_events
    FOR EACH ROW EXECUTE FUNCTION accord_audit_append_only();
CREATE TABLE audit_heads (
    organization_id TEXT PRIMARY KEY, seq BIGINT NOT NULL, hash TEXT NOT NULL);
CREATE TABLE rooms (
    organization_id TEXT NOT NULL, project TEXT NOT NULL, epoch TEXT NOT NULL,
    last_offset BIGINT NOT NULL, PRIMARY KEY (organization_id, project));
CREATE TABLE room_events (
    organization_id TEXT NOT NULL, project TEXT NOT NULL, "offset" BIGINT NOT NULL,
    epoch TEXT NOT NULL, kind TEXT NOT NULL, actor TEXT NOT NULL, ts TIMESTAMPTZ NOT NULL,
    data TEXT NOT NULL, PRIMARY KEY (organization_id, project, "offset"));
CREATE TABLE usage_events (
    id TEXT PRIMARY KEY, organization_id TEXT NOT NULL, user_id TEXT, project_id TEXT,
    event_type TEXT NOT NULL, event_data JSONB NOT NULL, "timestamp" TIMESTAMPTZ NOT NULL);
CREATE INDEX usage_events_org ON usage_events (organization_id, "timestamp");
CREATE TABLE performance_metrics (
    id TEXT PRIMARY KEY, service_name TEXT NOT NULL, metric_name TEXT NOT NULL,
    metric_value DOUBLE PRECISION NOT NULL, tags JSONB NOT NULL,
    "timestamp" TIMESTAMPTZ NOT NULL);
""",
    ),
    Migration(
        2,
        "signed policy, org keys and audit checkpoints",
        """
CREATE TABLE org_keys (
    organization_id TEXT NOT NULL REFERENCES organizations(id), generation INTEGER NOT NULL,
    key_id TEXT NOT NULL, public_key BYTEA NOT NULL, private_key BYTEA NOT NULL,
    endorsement TEXT NOT NULL, created_at TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (organization_id, generation));
CREATE TABLE policy_signatures (
    organization_id TEXT NOT NULL, revision INTEGER NOT NULL, key_id TEXT NOT NULL,
    signature TEXT NOT NULL, PRIMARY KEY (organization_id, revision));
CREATE TABLE audit_checkpoints (
    organization_id TEXT NOT NULL, seq BIGINT NOT NULL, hash TEXT NOT NULL,
    ts TIMESTAMPTZ NOT NULL, key_id TEXT NOT NULL, signature TEXT NOT NULL,
    PRIMARY KEY (organization_id, seq));
""",
    ),
    Migration(
        3,
        "notification outbox",
        """
CREATE TABLE notify_outbox (
    id TEXT PRIMARY KEY, organization_id TEXT NOT NULL, approval_id TEXT NOT NULL,
    kind TEXT NOT NULL, channel TEXT NOT NULL, recipient TEXT NOT NULL, dedupe TEXT NOT NULL,
    body TEXT NOT NULL, status TEXT NOT NULL, attempts INTEGER NOT NULL DEFAULT 0,
    next_at TIMESTAMPTZ NOT NULL, lease_until TIMESTAMPTZ, last_error TEXT NOT NULL DEFAULT '',
    created_at TIMESTAMPTZ NOT NULL, updated_at TIMESTAMPTZ NOT NULL,
    UNIQUE (organization_id, dedupe));
CREATE INDEX notify_outbox_due ON notify_outbox (status, next_at);
CREATE INDEX notify_outbox_approval ON notify_outbox (organization_id, approval_id);
""",
    ),
    Migration(
        4,
        "projects and their members, created from the project names already used",
        """
CREATE TABLE projects (
    id TEXT PRIMARY KEY, organization_id TEXT NOT NULL REFERENCES organizations(id),
    name TEXT NOT NULL, description TEXT NOT NULL DEFAULT '', repositories JSONB NOT NULL,
    settings JSONB NOT NULL DEFAULT '{}', status TEXT NOT NULL DEFAULT 'active',
    created_by TEXT NOT NULL, created_at TIMESTAMPTZ NOT NULL, updated_at TIMESTAMPTZ NOT NULL,
    UNIQUE (organization_id, name));
CREATE TABLE project_members (
    project_id TEXT NOT NULL REFERENCES projects(id), user_id TEXT NOT NULL REFERENCES users(id),
    roles JSONB NOT NULL, owner BOOLEAN NOT NULL DEFAULT FALSE, created_at TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (project_id, user_id));
INSERT INTO projects (id, organization_id, name, repositories, settings, created_by,
    created_at, updated_at)
SELECT gen_random_uuid()::text, organization_id, project, '[]', '{"migrated": true}',
    'accord-org', now(), now()
FROM (SELECT organization_id, project FROM approvals
      UNION SELECT organization_id, project FROM rooms
      UNION SELECT organization_id, project FROM audit_events) AS used
WHERE project NOT IN ('', '*') AND organization_id IN (SELECT id FROM organizations);
INSERT INTO project_members (project_id, user_id, roles, owner, created_at)
SELECT DISTINCT p.id, u.id, u.roles, u.roles ? 'admin', now()
FROM projects p
JOIN (SELECT organization_id, project, body::jsonb->>'actor' AS email FROM audit_events
      UNION SELECT organization_id, project, actor FROM room_events) AS seen
    ON seen.organization_id = p.organization_id AND seen.project = p.name
JOIN users u ON u.organization_id = p.organization_id AND u.email = seen.email;
INSERT INTO project_members (project_id, user_id, roles, owner, created_at)
SELECT p.id, u.id, '[]', TRUE, now() FROM projects p
JOIN users u ON u.organization_id = p.organization_id AND u.active AND u.roles ? 'admin'
ON CONFLICT (project_id, user_id) DO NOTHING;
""",
    ),
    Migration(
        5,
        "audit search by actor, type and project (the admin console, accord org audit query)",
        """
CREATE INDEX audit_events_actor ON audit_events (organization_id, ((body::jsonb)->>'actor'), seq);
CREATE INDEX audit_events_project ON audit_events (organization_id, project, seq);
CREATE INDEX audit_events_type ON audit_events (organization_id, type, seq);
""",
    ),
)


async def migrate(connection: asyncpg.Connection) -> list[int]:
    """Apply the migrations this database lacks, in order; returns the numbers applied."""
    await connection.execute("SELECT pg_advisory_lock($1)", _LOCK_KEY)
    try:
        await connection.execute(
            "CREATE TABLE IF NOT EXISTS schema_migrations (number INTEGER PRIMARY KEY, "
            "name TEXT NOT NULL, applied_at TIMESTAMPTZ NOT NULL DEFAULT now())"
        )
        done = {row[0] for row in await connection.fetch("SELECT number FROM schema_migrations")}
        applied: list[int] = []
        for migration in MIGRATIONS:
            if migration.number in done:
                continue
            async with connection.transaction():
                await connection.execute(migration.sql)
                await connection.execute(
                    "INSERT INTO schema_migrations (number, name) VALUES ($1, $2)",
                    migration.number,
                    migration.name,
                )
            applied.append(migration.number)
        return applied
    finally:
        await connection.execute("SELECT pg_advisory_unlock($1)", _LOCK_KEY)
