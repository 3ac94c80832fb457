"""The org link when the org server goes away: cached policy, low risk proceeds, the rest is
queued (fail closed) and goes out — and is applied once approved — when the server is back."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest

from accord.protocol.org import ApprovalDecide, ApprovalRef, ApprovalView

from .editors import (
    Editor,
    document_pricing,
    fix_the_migration,
    link_status,
    log_in,
    start_editor,
    until,
)
from .server import OrgServer


@pytest.fixture
async def dev(org: OrgServer, tmp_path: Path) -> AsyncIterator[Editor]:
    home = tmp_path / "home" / "dev"
    await log_in(org, "dev@acme.test", home)
    editor = await start_editor(org, "dev@acme.test", home, tmp_path / "dev" / "shop")
    try:
        yield editor
    finally:
        await editor.client.shutdown_session()


async def test_offline_low_risk_applies_risky_is_queued_then_sent_and_applied_on_reconnect(
    org: OrgServer, dev: Editor
) -> None:
    admin = await org.client("admin@acme.test")
    policy = await admin.call("policy.get", {})
    await admin.close()
    await until(lambda: _revision(dev, policy.revision), what="the org policy in the editor")  # type: ignore[attr-defined]
    port = int(org.url.rsplit(":", 1)[1])
    await org.stop()
    await until(lambda: _offline(dev), what="the link to notice the server is gone")

    documented = await document_pricing(dev)
    assert documented["applied"] is True and documented["workflow"] == "standard_development"

    queued = await fix_the_migration(dev)
    assert queued["applied"] is False and queued["state"] == "queued"
    assert len(list((dev.root / ".accord" / "org" / "pending").glob("*.json"))) == 1
    edits_before = dev.edits

    await org.start(port=port)
    await until(lambda: link_status(dev), what="reconnection")
    await until(lambda: _online(dev), timeout=30, what="the link to come back")
    lead = await org.client("lead@acme.test")
    mgr = await org.client("mgr@acme.test")
    try:
        # The link is online before its queued proposals are sent (and reviewed): wait for it.
        await until(lambda: _actionable(lead), what="the queued proposal at the org server")
        listed = await lead.call("approval.list", {"actionable": True})
        [view] = listed.approvals  # type: ignore[attr-defined]
        assert view.requester_email == "dev@acme.test"
        for approver in (lead, mgr):
            await approver.request(
                "approval.decide",
                ApprovalDecide(
                    approval_id=view.id, decision="approve", content_hash=view.proposal.content_hash
                ),
                ApprovalView,
            )
        await until(lambda: dev.edits == edits_before + 1, what="the queued change to be applied")
        assert "ghp_" not in (dev.root / "db" / "migrations" / "0002_seed.py").read_text("utf-8")
        done = await lead.request("approval.get", ApprovalRef(approval_id=view.id), ApprovalView)
        await until(lambda: _state(lead, view.id, "applied"), what="the applied report")
        assert done.id == view.id
        assert not list((dev.root / ".accord" / "org" / "pending").glob("*.json"))
    finally:
        await lead.close()
        await mgr.close()


async def _revision(editor: Editor, revision: int) -> bool:
    return (await link_status(editor))["policy_revision"] == revision


async def _offline(editor: Editor) -> bool:
    return not (await link_status(editor))["online"]


async def _online(editor: Editor) -> bool:
    return bool((await link_status(editor))["online"])


async def _state(client: object, approval_id: str, state: str) -> bool:
    view = await client.request("approval.get", ApprovalRef(approval_id=approval_id), ApprovalView)  # type: ignore[attr-defined]
    return bool(view.state == state)


async def _actionable(client: Any) -> bool:
    listed = await client.call("approval.list", {"actionable": True})
    return bool(listed.approvals)
