"""Only the org server writes governance events: a member may append the events of their own
activity (attributed to them), never an approval, decision, policy or security event; a refused
write is counted and audited by the server."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from uuid import uuid4

import pytest

from accord.audit.events import AgentAction, Event, EventDraft, EventType
from accord.org.client import OrgError
from accord.protocol.org import CLIENT_EVENT_TYPES, AuditAppend, AuditAppended
from accord.protocol.rpc import ErrorCode

from ..org.editors import document_pricing, fix_the_migration, log_in, start_editor, until
from ..org.server import OrgServer
from .trust_probe import audit, metric

GOVERNANCE = sorted(t.value for t in EventType if t.value not in CLIENT_EVENT_TYPES)


def local_event(kind: str, actor: str = "cto@acme.test", **payload: Any) -> dict[str, Any]:
    """An event as a language server's local audit log holds it (sealed there)."""
    draft = EventDraft(
        type=EventType(kind),
        actor=actor,
        project="shop",
        proposal_id="p-1",
        payload=payload,
        agent_action=AgentAction(action_type="fix") if kind == "agent.action" else None,
    )
    placed = Event.place(draft, 1, uuid4(), datetime.now(UTC), "0" * 64)
    return placed.model_dump(mode="json")


def test_the_governance_types_are_everything_but_a_clients_own_activity() -> None:
    assert set(GOVERNANCE) == {
        "proposal.created",
        "risk.scored",
        "decision.made",
        "approval.recorded",
        "approval.rejected",
        "proposal.expired",
        "policy.changed",
        "security.refused",
        "project.changed",
        "admin.action",
    }


@pytest.mark.parametrize("kind", GOVERNANCE)
async def test_a_member_cannot_write_a_governance_event(org: OrgServer, kind: str) -> None:
    dev = await org.client("dev@acme.test")
    try:
        forged = local_event(kind, state="approved", roles=["tech_lead", "manager"])
        with pytest.raises(OrgError) as refused:
            await dev.request("audit.append", AuditAppend(events=(forged,)), AuditAppended)
        assert refused.value.code == ErrorCode.FORBIDDEN
        assert f"{kind} events are written by the org server only" in refused.value.message
    finally:
        await dev.close()
    assert await metric(org, "accord_refused_writes_total", method="audit.append", type=kind) == 1
    events = await audit(org)
    [security] = [e for e in events if e["type"] == "security.refused"]
    assert security["actor"] == "accord-org"
    assert security["payload"]["user"] == "dev@acme.test"
    assert security["payload"]["types"] == [kind]
    assert len(events) == 1  # nothing of the forged event was written


async def test_an_admin_cannot_either_and_a_mixed_batch_is_refused_whole(org: OrgServer) -> None:
    admin = await org.client("admin@acme.test")
    try:
        batch = (local_event("agent.action"), local_event("approval.recorded"))
        with pytest.raises(OrgError) as refused:
            await admin.request("audit.append", AuditAppend(events=batch), AuditAppended)
        assert refused.value.code == ErrorCode.FORBIDDEN
    finally:
        await admin.close()
    assert [e["type"] for e in await audit(org)] == ["security.refused"]


async def test_a_members_own_activity_is_recorded_as_theirs_whatever_actor_it_names(
    org: OrgServer,
) -> None:
    dev = await org.client("dev@acme.test")
    try:
        own = tuple(local_event(kind) for kind in sorted(CLIENT_EVENT_TYPES))
        done = await dev.request("audit.append", AuditAppend(events=own), AuditAppended)
        assert done.accepted == len(CLIENT_EVENT_TYPES)
    finally:
        await dev.close()
    events = await audit(org)
    assert sorted(e["type"] for e in events) == sorted(CLIENT_EVENT_TYPES)
    assert {e["actor"] for e in events} == {"dev@acme.test"}
    assert {e["payload"]["origin"]["actor"] for e in events} == {"cto@acme.test"}
    assert await metric(org, "accord_refused_writes_total", method="audit.append", type="*") == 0


async def test_a_real_language_servers_sync_is_never_refused(
    org: OrgServer, tmp_path: Path
) -> None:
    """The editor's local chain holds its own proposal, risk and decision events: it syncs up
    only its own activity (here after routing a migration fix, which syncs), and the org's
    audit is the server's account plus that activity."""
    home = tmp_path / "home"
    await log_in(org, "dev@acme.test", home)
    editor = await start_editor(org, "dev@acme.test", home, tmp_path / "shop")
    try:
        documented = await document_pricing(editor)
        assert documented["applied"] is True
        routed = await fix_the_migration(editor)
        assert routed["state"] == "pending"
        await until(lambda: _synced(org), what="the applied edit in the org's audit")
    finally:
        await editor.client.shutdown_session()
    events = await audit(org)
    synced = [e for e in events if "origin" in e["payload"]]
    assert {"agent.action", "proposal.applied"} <= {e["type"] for e in synced}
    assert {e["type"] for e in synced} <= CLIENT_EVENT_TYPES
    assert "security.refused" not in {e["type"] for e in events}
    for kind in GOVERNANCE:
        assert await metric(org, "accord_refused_writes_total", type=kind) == 0


async def _synced(org: OrgServer) -> bool:
    return bool(await audit(org, "proposal.applied"))
