"""Projects scope rooms, approvals and policy: against the real org server, over a SQLite file
and over PostgreSQL, with real WebSocket clients."""

from __future__ import annotations

import asyncio

import pytest

from accord.org.client import OrgError
from accord.protocol.org import (
    ApprovalList,
    ApprovalListed,
    ApprovalRef,
    ApprovalRequestParams,
    ApprovalUpdated,
    ApprovalView,
    AuditEvents,
    AuditQuery,
    PolicyDocument,
    PolicySet,
    RiskSummary,
    RoomJoin,
    RoomJoined,
    RoomPublish,
    RoomPublished,
)
from accord.protocol.projects import ProjectResolve, ProjectResolved
from accord.protocol.rpc import ErrorCode

from .approvals import _default_policy_text, decide
from .projects import remove_member
from .proposals import summary
from .server import Inbox, OrgServer

MIGRATION = "db/migrations/0002_seed.py"


def _ask(project: str, score: float, path: str = "src/auth.py") -> ApprovalRequestParams:
    return ApprovalRequestParams(
        project=project,
        proposal=summary(f"{project}-{score}", proposal_id=f"{project}-{score}", path=path),
        risk=RiskSummary(score=score, reasons="r"),
    )


async def _refused(call: object) -> OrgError:
    with pytest.raises(OrgError) as refused:
        await call  # type: ignore[misc]
    return refused.value


async def test_a_non_member_can_neither_join_nor_publish_into_a_projects_room(
    teams: OrgServer,
) -> None:
    outsider = await teams.client("dev2@acme.test")
    dev = await teams.client("dev@acme.test")
    try:
        joined = await outsider.request("room.join", RoomJoin(project="billing"), RoomJoined)
        assert joined.project == "billing"
        refused = await _refused(
            outsider.request("room.join", RoomJoin(project="shop"), RoomJoined)
        )
        assert refused.code == ErrorCode.FORBIDDEN
        assert "dev2@acme.test is not a member of project shop" in refused.message
        refused = await _refused(
            outsider.request(
                "room.publish",
                RoomPublish(project="shop", kind="suggestion", data={"text": "hi"}),
                RoomPublished,
            )
        )
        assert refused.code == ErrorCode.FORBIDDEN and "room.publish" in refused.message
        await dev.request("room.join", RoomJoin(project="shop"), RoomJoined)
        await dev.request(
            "room.publish", RoomPublish(project="shop", kind="note", data={}), RoomPublished
        )
        # A name no project is registered under stays open to the whole organisation.
        await outsider.request("room.join", RoomJoin(project="scratch"), RoomJoined)
    finally:
        await outsider.close()
        await dev.close()


async def test_a_member_removed_from_the_project_hears_and_says_no_more_in_its_room(
    teams: OrgServer,
) -> None:
    inbox = Inbox()
    dev = await teams.client("dev@acme.test", inbox)
    lead = await teams.client("lead@acme.test")
    try:
        await dev.request("room.join", RoomJoin(project="shop"), RoomJoined)
        await lead.request("room.join", RoomJoin(project="shop"), RoomJoined)
        async with teams.opened() as store:
            await remove_member(store, teams, "shop", "dev@acme.test")
        await asyncio.sleep(2.5)  # membership is read at most a second old, rooms swept each
        refused = await _refused(
            dev.request(
                "room.publish", RoomPublish(project="shop", kind="note", data={}), RoomPublished
            )
        )
        assert refused.code == ErrorCode.FORBIDDEN
        inbox.items.clear()
        await lead.request(
            "room.publish", RoomPublish(project="shop", kind="note", data={"n": 1}), RoomPublished
        )
        await asyncio.sleep(0.5)
        assert inbox.of("room.event") == []
    finally:
        await dev.close()
        await lead.close()


async def test_a_lead_of_another_project_cannot_approve_this_projects_migration(
    teams: OrgServer,
) -> None:
    inboxes = {e: Inbox() for e in ("lead@acme.test", "shoplead@acme.test", "dev2@acme.test")}
    clients = {e: await teams.client(e, inbox) for e, inbox in inboxes.items()}
    dev = await teams.client("dev@acme.test")
    mgr = await teams.client("mgr@acme.test")
    try:
        view = await dev.request("approval.request", _ask("shop", 8.5, MIGRATION), ApprovalView)
        assert "tech_lead" in view.missing_roles
        # billing's tech lead (tech_lead org-wide) is a mere developer in shop …
        lead = clients["lead@acme.test"]
        refused = await _refused(lead.request("approval.decide", decide(view), ApprovalView))
        assert refused.code == ErrorCode.FORBIDDEN and "lead@acme.test holds developer" in (
            refused.message
        )
        # … a non-member may not decide at all, not even reject …
        outsider = clients["dev2@acme.test"]
        for decision in ("approve", "reject"):
            refused = await _refused(
                outsider.request("approval.decide", decide(view, decision), ApprovalView)
            )
            assert refused.code == ErrorCode.FORBIDDEN
            assert "not a member of project shop" in refused.message
        # … nor read it.
        hidden = await _refused(
            outsider.request("approval.get", ApprovalRef(approval_id=view.id), ApprovalView)
        )
        assert hidden.code == ErrorCode.NOT_FOUND
        seen = await outsider.request("approval.list", ApprovalList(), ApprovalListed)
        assert seen.approvals == ()
        # … and only shop's tech lead was told they can act on it.
        pushed = await inboxes["shoplead@acme.test"].next("approval.updated")
        assert isinstance(pushed, ApprovalUpdated) and pushed.actionable
        assert not [m for m in inboxes["lead@acme.test"].of("approval.updated") if m.actionable]  # type: ignore[attr-defined]
        listed = await lead.request("approval.list", ApprovalList(actionable=True), ApprovalListed)
        assert listed.approvals == ()

        shoplead = clients["shoplead@acme.test"]
        after = await shoplead.request("approval.decide", decide(view), ApprovalView)
        assert "tech_lead" not in after.missing_roles
        if "manager" in after.missing_roles:
            after = await mgr.request("approval.decide", decide(view), ApprovalView)
        assert after.approvals[0].email == "shoplead@acme.test"
        assert after.approvals[0].roles == ("tech_lead",)
    finally:
        for client in (*clients.values(), dev, mgr):
            await client.close()


async def test_an_org_wide_role_decides_in_every_project(teams: OrgServer) -> None:
    dev = await teams.client("dev@acme.test")
    sec = await teams.client("sec@acme.test")  # security_team: scope org in the default policy
    try:
        view = await dev.request("approval.request", _ask("shop", 9.5), ApprovalView)
        assert "security_team" in view.missing_roles
        after = await sec.request("approval.decide", decide(view), ApprovalView)
        assert "security_team" not in after.missing_roles
    finally:
        await dev.close()
        await sec.close()


async def test_a_non_member_cannot_ask_for_approval_in_a_project(teams: OrgServer) -> None:
    outsider = await teams.client("dev2@acme.test")
    try:
        refused = await _refused(
            outsider.request("approval.request", _ask("shop", 2), ApprovalView)
        )
        assert refused.code == ErrorCode.FORBIDDEN and "approval.request" in refused.message
    finally:
        await outsider.close()


STRICTER_BILLING = """
projects:
  billing:
    workflows:
      standard_development:
        triggers: [{low: 0, high: 4.9}]
        approvers: [developer, tech_lead]
"""

LOOSER_SHOP = """
projects:
  shop:
    workflows:
      supervised_development:
        triggers: [{low: 5, high: 7.9}]
        approvers: [developer]
        timeout_hours: 4
"""


async def test_a_projects_stricter_workflow_reaches_that_project_only(teams: OrgServer) -> None:
    admin = await teams.client("admin@acme.test")
    dev = await teams.client("dev@acme.test")
    dev2 = await teams.client("dev2@acme.test")
    try:
        text = await _default_policy_text()
        await admin.request("policy.set", PolicySet(yaml=text + STRICTER_BILLING), PolicyDocument)
        in_shop = await dev.request("approval.request", _ask("shop", 2), ApprovalView)
        in_billing = await dev2.request("approval.request", _ask("billing", 2), ApprovalView)
        assert in_shop.state == "approved"  # the organisation's auto-approval
        assert in_billing.state == "pending" and set(in_billing.missing_roles) == {
            "developer",
            "tech_lead",
        }
        events = await admin.request(
            "audit.query", AuditQuery(project="billing", type="decision.made"), AuditEvents
        )
        assert [e["project"] for e in events.events] == ["billing"]
    finally:
        for client in (admin, dev, dev2):
            await client.close()


async def test_a_looser_project_workflow_needs_the_org_policys_leave(teams: OrgServer) -> None:
    admin = await teams.client("admin@acme.test")
    try:
        text = await _default_policy_text()
        refused = await _refused(
            admin.request("policy.set", PolicySet(yaml=text + LOOSER_SHOP), PolicyDocument)
        )
        assert refused.code == ErrorCode.INVALID_PARAMS
        assert "projects.shop.workflows.supervised_development" in refused.message
        assert "drops the approvers tech_lead" in refused.message
        allowed = text.replace("loosening: []", "loosening: [workflows]") + LOOSER_SHOP
        stored = await admin.request("policy.set", PolicySet(yaml=allowed), PolicyDocument)
        assert stored.revision == 1
    finally:
        await admin.close()


async def test_a_workspace_is_recognised_by_its_git_remote(teams: OrgServer) -> None:
    dev = await teams.client("dev@acme.test")
    try:
        for remote in ("https://github.com/Acme/shop", "ssh://git@github.com/acme/shop.git/"):
            found = await dev.request(
                "project.resolve", ProjectResolve(remote=remote), ProjectResolved
            )
            assert found == ProjectResolved(project="shop", member=True, roles=("developer",))
        billing = await dev.request(
            "project.resolve",
            ProjectResolve(remote="git@github.com:acme/billing.git"),
            ProjectResolved,
        )
        assert billing.project == "billing" and not billing.member
        none = await dev.request(
            "project.resolve", ProjectResolve(remote="https://example.org/x"), ProjectResolved
        )
        assert none.project is None
    finally:
        await dev.close()
