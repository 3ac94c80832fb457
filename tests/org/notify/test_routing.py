"""Who is told what about an approval: the approvers who can act (and want e-mail), the team's
webhooks, the requester of an outcome; reminders only near the deadline."""

from __future__ import annotations

import hashlib
from dataclasses import replace
from datetime import UTC, datetime, timedelta

from accord.org.notify.routing import change_items, reminder_items
from accord.org.notify.settings import OrgNotify
from accord.org.projects import Project, ProjectMember
from accord.org.records import ApprovalRecord, User
from accord.policy.approval import State, open_request
from accord.policy.loading import default_policy
from accord.protocol.org import NotifyPrefs, ProposalSummary, RiskSummary

NOW = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
SETTINGS = OrgNotify.model_validate(
    {
        "base_url": "https://accord.acme.test",
        "webhooks": [{"name": "eng", "url": "https://hooks.test/x", "secret": "s" * 16}],
        "email": {"host": "smtp.acme.test", "sender": "accord@acme.test"},
        "remind_before_minutes": 120,
    }
)
MEMBERS = {
    "dev@acme.test": ("developer",),
    "lead@acme.test": ("tech_lead",),
    "mgr@acme.test": ("manager",),
    "quiet@acme.test": ("manager",),
    "gone@acme.test": ("tech_lead",),
}


def _users() -> list[tuple[User, NotifyPrefs]]:
    users = []
    for n, (email, roles) in enumerate(MEMBERS.items()):
        user = User(f"u{n}", "o", email, roles, email != "gone@acme.test", 0, NOW)
        prefs = NotifyPrefs(channels=()) if email.startswith("quiet") else NotifyPrefs()
        users.append((user, prefs))
    return users


def _record(workflow: str = "managed_development") -> ApprovalRecord:
    policy = default_policy()
    request = open_request(policy, "p-1", "dev@acme.test", workflow, {"a.py": "0" * 64}, NOW)
    return ApprovalRecord(
        id="a-1",
        org_id="o",
        project="shop",
        request=request,
        proposal=ProposalSummary(
            proposal_id="p-1",
            title="Fix",
            action="fix",
            content_hash=hashlib.sha256(b"v1").hexdigest(),
        ),
        risk=RiskSummary(score=8, reasons="r"),
        updated_at=NOW,
    )


def _targets(items: list[object]) -> set[tuple[str, str]]:
    return {(i.channel, i.recipient) for i in items}  # type: ignore[attr-defined]


def test_a_request_asks_each_approver_who_can_act_and_wants_mail_and_each_webhook() -> None:
    items = change_items(default_policy(), _record(), SETTINGS, _users(), NOW)
    assert _targets(items) == {  # not the requester, nor one who turned mail off, nor one gone
        ("email", "lead@acme.test"),
        ("email", "mgr@acme.test"),
        ("webhook", "eng"),
    }
    assert {i.kind for i in items} == {"requested"}
    assert len({i.dedupe for i in items}) == 3


def test_an_outcome_goes_to_the_requester_but_not_for_a_request_approved_as_it_was_made() -> None:
    decided = _record()
    decided = replace(decided, request=replace(decided.request, state=State.REJECTED), version=2)
    items = change_items(default_policy(), decided, SETTINGS, _users(), NOW)
    assert _targets(items) == {("email", "dev@acme.test"), ("webhook", "eng")}
    assert {i.kind for i in items} == {"outcome"}
    automatic = _record("standard_development")
    assert automatic.request.state is State.APPROVED
    assert change_items(default_policy(), automatic, SETTINGS, _users(), NOW) == []


def test_reminders_come_only_within_the_lead_before_the_deadline() -> None:
    record = _record()
    deadline = record.request.deadline
    assert deadline is not None
    policy, users = default_policy(), _users()
    assert reminder_items(policy, record, SETTINGS, users, deadline - timedelta(hours=3)) == []
    near = reminder_items(policy, record, SETTINGS, users, deadline - timedelta(hours=1))
    assert {i.kind for i in near} == {"reminder"} and ("email", "mgr@acme.test") in _targets(near)
    assert reminder_items(policy, record, SETTINGS, users, deadline + timedelta(minutes=1)) == []
    never = SETTINGS.model_copy(update={"remind_before_minutes": 0})
    assert reminder_items(policy, record, never, users, deadline - timedelta(minutes=1)) == []


def test_in_a_registered_project_approvers_are_asked_by_their_roles_there() -> None:
    """lead@ is a tech lead of the organisation but only a developer in "shop": not asked;
    mgr@ manages "shop"."""
    members = (
        ProjectMember("u1", "lead@acme.test", ("developer",)),
        ProjectMember("u2", "mgr@acme.test", ("manager",)),
        ProjectMember("u5", "dev@acme.test", ("developer",)),
    )
    shop = Project("p", "o", "shop", NOW, members=members)
    items = change_items(default_policy(), _record(), SETTINGS, _users(), NOW, shop)
    assert _targets(items) == {("email", "mgr@acme.test"), ("webhook", "eng")}
    lead_there = replace(
        shop, members=(*members[1:], ProjectMember("u1", "lead@acme.test", ("tech_lead",)))
    )
    again = change_items(default_policy(), _record(), SETTINGS, _users(), NOW, lead_there)
    assert ("email", "lead@acme.test") in _targets(again)
