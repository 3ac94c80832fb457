"""The Team view's state, fed the org protocol's own messages."""

from __future__ import annotations

from datetime import UTC, datetime

from accord.protocol.org import (
    ApprovalView,
    Presence,
    ProposalSummary,
    RiskSummary,
    RoomEvent,
)
from accord.server.team_state import TeamState

NOW = datetime(2026, 12, 7, 5, 0, tzinfo=UTC)


def event(offset: int, kind: str, actor: str, **data: object) -> RoomEvent:
    return RoomEvent(
        project="shop", epoch="e", offset=offset, kind=kind, actor=actor, ts=NOW, data=data
    )


def approval(state: str, project: str = "shop") -> ApprovalView:
    return ApprovalView(
        id="a1",
        project=project,
        proposal=ProposalSummary(
            proposal_id="p", title="Fix ACC003", action="fix", content_hash="0" * 64
        ),
        risk=RiskSummary(score=8),
        requester_email="dev@acme.test",
        workflow="managed_development",
        state=state,
        missing_roles=("tech_lead",),
        approvals=(),
        deadline=None,
        created_at=NOW,
        updated_at=NOW,
        version=1,
    )


def test_presence_agents_and_suggestions_make_the_view() -> None:
    team = TeamState(project="shop", me="ann@acme.test")
    team.joined(("ann@acme.test",))
    assert team.presence(
        Presence(
            project="shop",
            email="bob@acme.test",
            state="joined",
            online=("ann@acme.test", "bob@acme.test"),
        )
    )
    step = {
        "type": "proposal",
        "status": "completed",
        "data": {"file_path": "/b/shop/p.py", "action": "document"},
    }
    assert team.event(event(1, "agent_action", "bob@acme.test", action=step))
    assert team.event(event(2, "suggestion", "bob@acme.test", text=" Round ", file="shop/p.py"))
    assert not team.event(event(3, "suggestion", "ann@acme.test", text="mine"))
    assert not team.event(event(4, "suggestion", "bob@acme.test", text="  "))
    assert not team.event(event(5, "agent_action", "bob@acme.test", action="not a step"))

    view = team.view(online=True)

    assert view["online"] == ["ann@acme.test", "bob@acme.test"]
    [activity] = view["activity"]
    assert (activity["actor"], activity["action"], activity["file"]) == (
        "bob@acme.test",
        "document",
        "p.py",
    )
    [suggestion] = view["suggestions"]
    assert (suggestion["id"], suggestion["text"], suggestion["file"]) == (
        "e:2",
        "Round",
        "shop/p.py",
    )


def test_an_approval_is_listed_while_it_waits_and_only_for_its_project() -> None:
    team = TeamState(project="shop")
    assert team.approval(approval("pending"))
    assert team.view(online=True)["approvals"][0]["missing_roles"] == ["tech_lead"]
    assert not team.approval(approval("pending", project="other"))
    assert team.approval(approval("approved"))
    assert team.view(online=True)["approvals"] == []


def test_only_the_latest_suggestions_are_kept() -> None:
    team = TeamState(project="shop")
    for offset in range(1, 61):
        team.event(event(offset, "suggestion", "bob@acme.test", text=f"s{offset}"))
    texts = [s["text"] for s in team.view(online=False)["suggestions"]]
    assert len(texts) == 50 and texts[0] == "s60" and texts[-1] == "s11"
