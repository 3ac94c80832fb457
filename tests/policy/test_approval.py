"""The approval state machine under any interleaving of approvals, rejections and time."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, precondition, rule

from accord.policy import approval as a
from accord.policy.loading import default_policy
from accord.policy.model import Policy, Workflow

POLICY = default_policy()
T0 = datetime(2026, 1, 1, 9, 0)
ROLES = sorted(POLICY.roles)
PEOPLE = ["alice", "bob", "carol", "dave", "erin"]
HASHES = {"a.py": "h1"}


def _request(
    workflow: str = "supervised_development", policy: Policy = POLICY
) -> a.ApprovalRequest:
    return a.open_request(policy, "p1", "alice", workflow, HASHES, T0)


def test_quorum_needs_distinct_people() -> None:
    request = _request()
    request = a.approve(POLICY, request, "bob", frozenset({"developer", "tech_lead"}), T0)
    assert request.state is a.State.PENDING
    assert a.missing_roles(POLICY, request) == ("tech_lead",) or a.missing_roles(
        POLICY, request
    ) == ("developer",)
    request = a.approve(POLICY, request, "carol", frozenset({"developer"}), T0)
    assert request.state is a.State.APPROVED


def test_stand_in_only_where_the_policy_says() -> None:
    request = _request("managed_development")
    request = a.approve(POLICY, request, "bob", frozenset({"manager"}), T0)
    assert a.missing_roles(POLICY, request) == ("tech_lead",)  # a manager does not stand in
    request = a.approve(POLICY, request, "carol", frozenset({"cto"}), T0)
    assert a.missing_roles(POLICY, request) == ("tech_lead",)  # cto stands in for manager only
    # carol (cto, for manager) and bob (manager) cannot cover tech_lead; dave can.
    request = a.approve(POLICY, request, "dave", frozenset({"tech_lead"}), T0)
    assert request.state is a.State.APPROVED


def test_deadline_escalates_then_expires() -> None:
    request = a.tick(POLICY, _request(), T0 + timedelta(hours=4))
    assert (request.state, request.workflow_name) == (a.State.ESCALATED, "managed_development")
    assert a.decide(POLICY, request, HASHES, T0 + timedelta(hours=5)).missing_roles == (
        "tech_lead",
        "manager",
    )
    expired = a.tick(POLICY, request, T0 + timedelta(hours=28))
    assert expired.state is a.State.EXPIRED
    with pytest.raises(a.IllegalTransition, match="from expired to approved"):
        a.approve(POLICY, request, "bob", frozenset({"tech_lead"}), T0 + timedelta(hours=28))


def test_stale_and_illegal_transitions() -> None:
    request = _request("standard_development")
    assert a.decide(POLICY, request, HASHES, T0).step is a.NextStep.AUTO_APPLY
    assert a.decide(POLICY, request, {"a.py": "changed"}, T0).step is a.NextStep.STALE
    assert a.apply(request, {"a.py": "changed"}).state is a.State.STALE
    applied = a.apply(request, HASHES)
    assert applied.state is a.State.APPLIED
    with pytest.raises(a.IllegalTransition, match="from applied to applied"):
        a.apply(applied, HASHES)
    with pytest.raises(a.IllegalTransition, match="from approved to approved"):
        a.approve(POLICY, request, "bob", frozenset({"developer"}), T0)


def test_local_approval_follows_the_policy() -> None:
    local = a.open_request(POLICY, "p", "alice", "supervised_development", HASHES, T0, local=True)
    local = a.approve(POLICY, local, "alice", frozenset({"developer"}), T0)
    assert a.missing_roles(POLICY, local) == ("tech_lead",)
    local = a.approve(POLICY, local, "alice", frozenset({"tech_lead"}), T0)
    assert local.state is a.State.APPROVED
    strict = POLICY.model_copy(update={"allow_local_approval": False})
    with pytest.raises(a.ApprovalRefused, match="forbids local"):
        a.open_request(strict, "p", "alice", "supervised_development", HASHES, T0, local=True)


approvals = st.lists(
    st.tuples(st.sampled_from(PEOPLE), st.frozensets(st.sampled_from(ROLES), min_size=1)),
    max_size=8,
)


def _stricter(policy: Policy, extra: str) -> Policy:
    workflows = {
        n: Workflow(**{**w.model_dump(), "approvers": (*w.approvers, extra), "auto_approve": False})
        for n, w in policy.workflows.items()
    }
    return policy.model_copy(update={"workflows": workflows})


def _run(policy: Policy, workflow: str, steps: list[tuple[str, frozenset[str]]]) -> a.State:
    request = _request(workflow, policy)
    for person, roles in steps:
        if request.state is not a.State.PENDING:
            break
        try:
            request = a.approve(policy, request, person, roles, T0)
        except a.ApprovalRefused:
            continue
    return request.state


@given(st.sampled_from(sorted(POLICY.workflows)), st.sampled_from(ROLES), approvals)
def test_stricter_policy_never_approves_what_a_looser_rejects(
    workflow: str, extra: str, steps: list[tuple[str, frozenset[str]]]
) -> None:
    if _run(_stricter(POLICY, extra), workflow, steps) is a.State.APPROVED:
        assert _run(POLICY, workflow, steps) is a.State.APPROVED


class ApprovalMachine(RuleBasedStateMachine):
    """Random approvals, rejections and clock advances on one supervised request."""

    def __init__(self) -> None:
        super().__init__()
        self.now = T0
        self.request = _request()

    @rule(person=st.sampled_from(PEOPLE), roles=st.frozensets(st.sampled_from(ROLES), min_size=1))
    def approve(self, person: str, roles: frozenset[str]) -> None:
        before = a.tick(POLICY, self.request, self.now)
        try:
            self.request = a.approve(POLICY, self.request, person, roles, self.now)
        except a.IllegalTransition:
            assert before.state not in {a.State.PENDING, a.State.ESCALATED}
        except a.ApprovalRefused:
            assert person == "alice"

    @precondition(lambda self: self.request.state in {a.State.PENDING, a.State.ESCALATED})
    @rule(person=st.sampled_from(PEOPLE[1:]), roles=st.frozensets(st.sampled_from(ROLES)))
    def reject(self, person: str, roles: frozenset[str]) -> None:
        ticked = a.tick(POLICY, self.request, self.now)
        required = POLICY.workflows[ticked.workflow_name].approvers
        allowed = any(roles & POLICY.roles_covering(r) for r in required)
        try:
            self.request = a.reject(POLICY, self.request, person, roles, self.now)
        except a.IllegalTransition:
            assert ticked.state not in {a.State.PENDING, a.State.ESCALATED}
        except a.ApprovalRefused:
            assert not allowed
        else:
            assert allowed and self.request.state is a.State.REJECTED

    @rule(hours=st.integers(0, 30))
    def wait(self, hours: int) -> None:
        self.now += timedelta(hours=hours)
        self.request = a.tick(POLICY, self.request, self.now)

    @invariant()
    def requester_never_approves(self) -> None:
        assert all(approval.person != "alice" for approval in self.request.approvals)

    @invariant()
    def approved_means_quorum(self) -> None:
        if self.request.state is a.State.APPROVED:
            assert a.missing_roles(POLICY, self.request) == ()

    @invariant()
    def open_means_before_deadline_or_not_ticked(self) -> None:
        ticked = a.tick(POLICY, self.request, self.now)
        if ticked.state in {a.State.PENDING, a.State.ESCALATED} and ticked.deadline is not None:
            assert self.now < ticked.deadline


ApprovalMachine.TestCase.settings = settings(max_examples=150, stateful_step_count=25)
TestApprovalMachine = ApprovalMachine.TestCase
