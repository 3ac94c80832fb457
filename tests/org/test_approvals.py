"""Multi-party approvals through a real org server: routing, quorum, roles, content binding."""

from __future__ import annotations

import asyncio

import pytest

from accord.org.client import OrgError
from accord.protocol.org import (
    ApprovalApplied,
    ApprovalDecide,
    ApprovalList,
    ApprovalListed,
    ApprovalRef,
    ApprovalUpdated,
    ApprovalView,
)
from accord.protocol.rpc import ErrorCode

from .approvals import _default_policy_text, ask, decide
from .server import Inbox, OrgServer


async def test_a_managed_change_reaches_the_approvers_online_and_quorum_lets_the_requester_apply(
    org: OrgServer,
) -> None:
    dev_inbox, lead_inbox, mgr_inbox, dev2_inbox = Inbox(), Inbox(), Inbox(), Inbox()
    dev = await org.client("dev@acme.test", dev_inbox)
    lead = await org.client("lead@acme.test", lead_inbox)
    mgr = await org.client("mgr@acme.test", mgr_inbox)
    dev2 = await org.client("dev2@acme.test", dev2_inbox)
    try:
        # 8.5 → managed_development: tech_lead and manager.
        view = await dev.request("approval.request", ask(8.5), ApprovalView)
        assert view.state == "pending" and view.workflow == "managed_development"
        assert set(view.missing_roles) == {"tech_lead", "manager"}
        for inbox in (lead_inbox, mgr_inbox):
            pushed = await inbox.next("approval.updated")
            assert isinstance(pushed, ApprovalUpdated) and pushed.actionable
            assert pushed.approval.id == view.id
        assert not dev2_inbox.of("approval.updated")  # a developer cannot act on it

        listed = await lead.request("approval.list", ApprovalList(actionable=True), ApprovalListed)
        assert [a.id for a in listed.approvals] == [view.id]

        after_lead = await lead.request("approval.decide", decide(view), ApprovalView)
        assert after_lead.state == "pending" and after_lead.missing_roles == ("manager",)
        after_mgr = await mgr.request("approval.decide", decide(view), ApprovalView)
        assert after_mgr.state == "approved" and after_mgr.decided_by == "mgr@acme.test"

        told = await dev_inbox.next(
            "approval.updated", where=lambda m: m.approval.state == "approved"
        )
        assert isinstance(told, ApprovalUpdated) and not told.actionable
        applied = await dev.request(
            "approval.applied",
            ApprovalApplied(approval_id=view.id, content_hash=view.proposal.content_hash),
            ApprovalView,
        )
        assert applied.state == "applied"
    finally:
        for client in (dev, lead, mgr, dev2):
            await client.close()


async def test_self_approval_a_developer_on_a_manager_gate_and_double_votes_are_refused(
    org: OrgServer,
) -> None:
    lead = await org.client("lead@acme.test")
    dev = await org.client("dev@acme.test")
    mgr = await org.client("mgr@acme.test")
    try:
        view = await lead.request("approval.request", ask(8.5), ApprovalView)
        with pytest.raises(OrgError) as own:
            await lead.request("approval.decide", decide(view), ApprovalView)
        assert own.value.code == ErrorCode.FORBIDDEN and "cannot approve" in own.value.message
        with pytest.raises(OrgError) as developer:
            await dev.request("approval.decide", decide(view), ApprovalView)
        assert developer.value.code == ErrorCode.FORBIDDEN
        assert "needs approval by tech_lead, manager" in developer.value.message
        await mgr.request("approval.decide", decide(view), ApprovalView)
        with pytest.raises(OrgError) as twice:
            await mgr.request("approval.decide", decide(view), ApprovalView)
        assert twice.value.code == ErrorCode.CONFLICT
    finally:
        for client in (lead, dev, mgr):
            await client.close()


async def test_an_approval_binds_to_the_content_it_was_given_for(org: OrgServer) -> None:
    dev = await org.client("dev@acme.test")
    lead = await org.client("lead@acme.test")
    try:
        first = await dev.request("approval.request", ask(6), ApprovalView)
        changed = await dev.request("approval.request", ask(6, content="v2"), ApprovalView)
        assert changed.id != first.id
        stale = ApprovalDecide(
            approval_id=changed.id, decision="approve", content_hash=first.proposal.content_hash
        )
        with pytest.raises(OrgError) as refused:
            await lead.request("approval.decide", stale, ApprovalView)
        assert refused.value.code == ErrorCode.CONFLICT and "changed" in refused.value.message
        again = await dev.request("approval.request", ask(6), ApprovalView)
        assert again.id == first.id  # asking again for the same content finds the same request
    finally:
        await dev.close()
        await lead.close()


async def test_roles_are_checked_when_deciding_not_when_requested(org: OrgServer) -> None:
    from accord.org.store.sqlite import SqliteStore

    dev = await org.client("dev@acme.test")
    lead = await org.client("lead@acme.test")
    try:
        view = await dev.request("approval.request", ask(8.5), ApprovalView)
        store = SqliteStore(org.store_path)
        await store.open()
        user = org.users["lead@acme.test"]
        from accord.org.records import User

        await store.update_user(
            User(user.id, user.org_id, user.email, ("developer",), True, 0, user.created_at)
        )
        await store.close()
        with pytest.raises(OrgError) as demoted:
            await lead.request("approval.decide", decide(view), ApprovalView)
        assert demoted.value.code == ErrorCode.FORBIDDEN
    finally:
        await dev.close()
        await lead.close()


async def test_a_deadline_expires_the_request_with_nobody_online(org: OrgServer) -> None:
    admin = await org.client("admin@acme.test")
    yaml_text = (await _default_policy_text()).replace("timeout_hours: 24", "timeout_hours: 0.0003")
    await admin.call("policy.set", {"yaml": yaml_text})
    await admin.close()
    dev = await org.client("dev@acme.test")
    view = await dev.request("approval.request", ask(8.5), ApprovalView)
    await dev.close()
    await asyncio.sleep(2.5)
    lead = await org.client("lead@acme.test")
    try:
        got = await lead.request("approval.get", ApprovalRef(approval_id=view.id), ApprovalView)
        assert got.state == "expired"
    finally:
        await lead.close()


async def test_a_lead_who_could_fill_either_role_leaves_the_developer_slot_open(
    org: OrgServer,
) -> None:
    """Supervised development needs a developer and a tech lead; the lead (who stands in for a
    developer) approving first leaves the developer's slot open, and a developer can fill it."""
    dev = await org.client("dev@acme.test")
    lead = await org.client("lead@acme.test")
    dev2 = await org.client("dev2@acme.test")
    try:
        view = await dev.request("approval.request", ask(6), ApprovalView)
        assert view.workflow == "supervised_development"
        after_lead = await lead.request("approval.decide", decide(view), ApprovalView)
        assert after_lead.missing_roles == ("developer",)
        listed = await dev2.request("approval.list", ApprovalList(actionable=True), ApprovalListed)
        assert [a.id for a in listed.approvals] == [view.id]
        done = await dev2.request("approval.decide", decide(view), ApprovalView)
        assert done.state == "approved"
    finally:
        for client in (dev, lead, dev2):
            await client.close()


async def test_a_deadline_escalates_to_the_next_workflow_and_tells_its_approvers(
    org: OrgServer,
) -> None:
    admin = await org.client("admin@acme.test")
    yaml_text = (await _default_policy_text()).replace("timeout_hours: 4", "timeout_hours: 0.0003")
    await admin.call("policy.set", {"yaml": yaml_text})
    await admin.close()
    mgr_inbox = Inbox()
    dev = await org.client("dev@acme.test")
    mgr = await org.client("mgr@acme.test", mgr_inbox)
    try:
        view = await dev.request("approval.request", ask(6), ApprovalView)
        assert view.workflow == "supervised_development"
        pushed = await mgr_inbox.next(
            "approval.updated", timeout=10, where=lambda m: m.approval.state == "escalated"
        )
        assert isinstance(pushed, ApprovalUpdated) and pushed.actionable
        assert pushed.approval.workflow == "managed_development"
        assert set(pushed.approval.missing_roles) == {"tech_lead", "manager"}
    finally:
        await dev.close()
        await mgr.close()
