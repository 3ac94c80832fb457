"""The approval story end to end: two language servers (pytest-lsp, over stdio) linked to a real
org server, a third approver on the command line.

Dev (developer) fixes a hard-coded token in a migration — managed development: a tech lead and a
manager must approve. Lead's editor is asked and approves; the manager approves with
``accord approvals approve``; Dev's language server applies the edit; the org's audit chain
verifies and holds Dev's local events too.
"""

from __future__ import annotations

import sqlite3
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest

from accord.protocol.org import (
    CLIENT_EVENT_TYPES,
    AuditEvents,
    AuditQuery,
    AuditVerified,
    AuditVerify,
)

from .editors import Editor, accord, fix_the_migration, log_in, start_editor, until
from .server import OrgServer


@pytest.fixture
async def editors(org: OrgServer, tmp_path: Path) -> AsyncIterator[tuple[Editor, Editor, Path]]:
    homes = {name: tmp_path / "home" / name for name in ("dev", "lead", "mgr")}
    for name, home in homes.items():
        await log_in(org, f"{name}@acme.test", home)
    dev = await start_editor(org, "dev@acme.test", homes["dev"], tmp_path / "dev" / "shop")
    lead = await start_editor(org, "lead@acme.test", homes["lead"], tmp_path / "lead" / "shop")
    try:
        yield dev, lead, homes["mgr"]
    finally:
        for editor in (dev, lead):
            await editor.client.shutdown_session()


async def test_a_risky_change_is_approved_by_two_people_and_applied_in_the_requesters_editor(
    org: OrgServer, editors: tuple[Editor, Editor, Path]
) -> None:
    dev, lead, manager_home = editors
    lead.answers = ["Approve"]

    result = await fix_the_migration(dev)

    assert result["applied"] is False and result["state"] == "pending"
    assert result["workflow"] == "managed_development"
    approval_id = result["approval_id"]
    await until(lambda: lead.asked, what="the lead's approval prompt")
    [prompt] = lead.asked
    assert "dev@acme.test asks approval" in prompt.message and "migrations" in prompt.message
    assert [a.title for a in prompt.actions] == ["Approve", "Reject", "Show diff"]
    assert dev.edits == 0

    listed = await accord("approvals", "list", "--server", org.url, home=manager_home)
    assert approval_id in listed and "needs manager" in listed
    decided = await accord(
        "approvals", "approve", approval_id, "--server", org.url, home=manager_home
    )
    assert "approved" in decided

    await until(lambda: dev.edits == 1, what="the approved edit in the requester's editor")
    fixed = (dev.root / "db" / "migrations" / "0002_seed.py").read_text("utf-8")
    assert "ghp_" not in fixed and "environ" in fixed
    assert any(e.kind == "agent_action" and e.actor == "dev@acme.test" for e in lead.room)

    auditor = await org.client("admin@acme.test")
    try:
        await until(lambda: _applied_in_org(auditor, approval_id), what="the applied event")
        verified = await auditor.request("audit.verify", AuditVerify(), AuditVerified)
        assert verified.ok, verified.findings
        synced = await auditor.request("audit.query", AuditQuery(limit=1000), AuditEvents)
        local = [
            e for e in synced.events if isinstance(e["payload"], dict) and "origin" in e["payload"]
        ]
        # Dev's own activity is synced up; the governance events are the server's own.
        assert {"agent.action", "proposal.applied"} <= {e["type"] for e in local}
        assert {e["type"] for e in local} <= CLIENT_EVENT_TYPES
        own = {e["type"] for e in synced.events if e not in local}
        assert {"proposal.created", "risk.scored", "approval.recorded"} <= own
    finally:
        await auditor.close()
    with sqlite3.connect(org.store_path) as db:
        usage = db.execute("SELECT user_id, event_type, event_data FROM usage_events").fetchall()
    assert (org.users["dev@acme.test"].id, "agent.proposal") in [(u, t) for u, t, _ in usage]


async def _applied_in_org(auditor: Any, approval_id: str) -> bool:
    found = await auditor.request(
        "audit.query", AuditQuery(type="proposal.applied", limit=100), AuditEvents
    )
    return any(
        isinstance(e["payload"], dict) and e["payload"].get("approval_id") == approval_id
        for e in found.events
    )
