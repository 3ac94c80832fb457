"""Upgrading a store made before projects existed (a SQLite file, a PostgreSQL database): projects
are created from the names its approvals, rooms and audit used, the people seen in each become
members, and history and the audit chain are left as they were, still verifiable."""

from __future__ import annotations

import sqlite3
from collections.abc import AsyncIterator
from pathlib import Path

import asyncpg
import pytest

from accord.audit.chain import verify
from accord.audit.events import EventDraft, EventType
from accord.protocol.org import AuditVerified, Empty, RoomJoin, RoomJoined

from .scaleout import postgres_schema
from .server import OrgServer


@pytest.fixture(params=["sqlite", "postgresql"])
async def old_store(request: pytest.FixtureRequest, tmp_path: Path) -> AsyncIterator[OrgServer]:
    """A seeded store with a used history, then taken back to its schema before projects."""
    if request.param == "sqlite":
        server = OrgServer(tmp_path / "org.db", extra_args=("--tick", "0.2"))
        await _used(server)
        with sqlite3.connect(server.store_path) as db:
            db.executescript(
                "DROP TABLE project_members; DROP TABLE projects; "
                "DELETE FROM settings WHERE name = 'migration:projects';"
            )
        yield server
        return
    async with postgres_schema() as url:
        server = OrgServer(tmp_path / "unused.db", extra_args=("--tick", "0.2"), store_url=url)
        await _used(server)
        connection = await asyncpg.connect(url.split("?")[0])
        try:
            schema = url.split("search_path=")[1]
            await connection.execute(
                f"SET search_path = {schema}; DROP TABLE project_members; DROP TABLE projects; "
                "DELETE FROM schema_migrations WHERE name LIKE 'projects and their members%';"
            )
        finally:
            await connection.close()
        yield server


async def _used(server: OrgServer) -> None:
    """Seed the store and use two project names, as a store did before projects."""
    await server.seed()
    async with server.opened() as store:
        acme = server.users["dev@acme.test"].org_id
        for project, actor in (("shop", "dev@acme.test"), ("shop", "lead@acme.test")):
            await store.append_audit(
                acme, [EventDraft(type=EventType.DECISION_MADE, actor=actor, project=project)]
            )
        await store.append_room_event(acme, "billing", "note", "dev2@acme.test", {}, 100)
        await store.append_audit(
            acme, [EventDraft(type=EventType.POLICY_CHANGED, actor="admin@acme.test", project="*")]
        )


async def test_the_upgrade_makes_projects_of_the_names_used_and_keeps_the_audit_chain(
    old_store: OrgServer,
) -> None:
    server = old_store
    acme = server.users["dev@acme.test"].org_id
    async with server.opened() as store:  # opening upgrades
        projects = {p.name: p for p in await store.list_projects(acme)}
        rows = await store.audit_rows(acme)
        head = await store.audit_head(acme)
        events = await store.room_events(acme, "billing", 0, 10)
    assert sorted(projects) == ["billing", "shop"]
    assert {m.email: m.roles for m in projects["shop"].members} == {
        "admin@acme.test": (),
        "dev@acme.test": ("developer",),
        "lead@acme.test": ("tech_lead",),
    }
    assert projects["shop"].owners == ("admin@acme.test",)
    assert {m.email for m in projects["billing"].members} == {"admin@acme.test", "dev2@acme.test"}
    assert projects["shop"].settings == {"migrated": True}
    assert [r.seq for r in rows] == [1, 2, 3] and verify(rows, head) == []
    assert [e.actor for e in events] == ["dev2@acme.test"]

    await server.start()
    try:
        admin = await server.client("admin@acme.test")
        dev2 = await server.client("dev2@acme.test")
        try:
            verified = await admin.request("audit.verify", Empty(), AuditVerified)
            assert verified.ok and verified.count == 3
            joined = await dev2.request("room.join", RoomJoin(project="billing"), RoomJoined)
            assert joined.offset == 1
            with pytest.raises(Exception, match="not a member of project shop"):
                await dev2.request("room.join", RoomJoin(project="shop"), RoomJoined)
        finally:
            await admin.close()
            await dev2.close()
    finally:
        await server.stop()

    async with server.opened() as store:  # a second opening changes nothing
        assert len(await store.list_projects(acme)) == 2
        assert await store.audit_rows(acme) == rows
