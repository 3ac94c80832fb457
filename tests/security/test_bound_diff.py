"""Approvals bind to what was reviewed: the server derives the content hash and the diff from the
changes; approvers see that diff; only an approved request, for the approved hash, is applied."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

from accord.org.client import OrgError
from accord.protocol.org import (
    ApprovalApplied,
    ApprovalDecide,
    ApprovalRequestParams,
    ApprovalUpdated,
    ApprovalView,
    ProposalSummary,
    RiskSummary,
)
from accord.protocol.rpc import ErrorCode

from ..org.editors import accord, log_in
from ..org.proposals import change, summary
from ..org.server import Inbox, OrgServer
from .trust_probe import audit

MIGRATION = "def upgrade(db):\n    db.execute('create table users (id int)')\n"


def ask(proposal: ProposalSummary, score: float = 8.5) -> ApprovalRequestParams:
    return ApprovalRequestParams(project="shop", proposal=proposal, risk=RiskSummary(score=score))


def approve(view: ApprovalView, content_hash: str | None = None) -> ApprovalDecide:
    return ApprovalDecide(
        approval_id=view.id,
        decision="approve",
        content_hash=content_hash or view.proposal.content_hash,
    )


async def test_a_content_hash_that_is_not_the_changes_is_refused(org: OrgServer) -> None:
    """Approvers would review one change while the approval bound to another."""
    dev = await org.client("dev@acme.test")
    try:
        honest = summary("drop the users table", path="db/migrations/0003_users.py")
        other = summary("add an index", path="db/migrations/0003_users.py")
        forged = honest.model_copy(update={"content_hash": other.content_hash})
        with pytest.raises(OrgError) as refused:
            await dev.request("approval.request", ask(forged), ApprovalView)
        assert refused.value.code == ErrorCode.INVALID_PARAMS
        assert "is not the hash of the changes sent" in refused.value.message
        assert honest.content_hash in refused.value.message
    finally:
        await dev.close()
    assert not await audit(org, "proposal.created")


async def test_approvers_see_the_servers_diff_not_the_requesters(
    org: OrgServer, tmp_path: Path
) -> None:
    """The requester sends a harmless-looking diff and file list with a migration's changes:
    the editor prompt (the push) and ``accord approvals show`` carry the real diff."""
    inbox = Inbox()
    dev = await org.client("dev@acme.test")
    lead = await org.client("lead@acme.test", inbox)
    home = tmp_path / "home"
    await log_in(org, "mgr@acme.test", home)
    try:
        real = summary("DROP TABLE users", path="db/migrations/0003_users.py", before=MIGRATION)
        disguised = real.model_copy(
            update={"files": ("README.md",), "diff": "+fix a typo in the README\n"}
        )
        view = await dev.request("approval.request", ask(disguised, score=0), ApprovalView)
        pushed = await inbox.next("approval.updated")
        assert isinstance(pushed, ApprovalUpdated) and pushed.actionable
        for shown in (view.proposal, pushed.approval.proposal):
            assert shown.files == ("db/migrations/0003_users.py",)
            assert "README" not in shown.diff and "+# DROP TABLE users" in shown.diff
            assert shown.diff.startswith("--- a/db/migrations/0003_users.py\n")
            assert shown.content_hash == real.content_hash
            assert all(c.before is None for c in shown.changes)  # the file's text is not kept
        printed = await accord("approvals", "show", view.id, "--server", org.url, home=home)
        assert "+# DROP TABLE users" in printed and "fix a typo" not in printed
    finally:
        await dev.close()
        await lead.close()


async def test_a_text_before_that_is_not_the_hashed_one_is_refused(org: OrgServer) -> None:
    dev = await org.client("dev@acme.test")
    try:
        proposal = summary(path="db/migrations/0003_users.py", before=MIGRATION)
        [honest] = proposal.changes
        lying = honest.model_copy(update={"before": "# nothing to see\n"})
        params = ask(proposal.model_copy(update={"changes": (lying,)}))
        with pytest.raises(OrgError) as refused:
            await dev.request("approval.request", params, ApprovalView)
        assert refused.value.code == ErrorCode.INVALID_PARAMS
        assert "does not hash to before_hash" in refused.value.message
    finally:
        await dev.close()


@pytest.mark.parametrize(
    "path",
    [
        "db/./migrations/0003_users.py",
        "/srv/shop/db/migrations/0003_users.py",
        "src/../db/migrations/0003_users.py",
        "db\\migrations\\0003_users.py",
        "db//migrations/0003_users.py",
    ],
)
async def test_paths_that_could_dodge_the_path_classes_are_refused(
    org: OrgServer, path: str
) -> None:
    dev = await org.client("dev@acme.test")
    try:
        with pytest.raises(OrgError) as refused:
            await dev.request("approval.request", ask(summary(path=path), 0), ApprovalView)
        assert refused.value.code == ErrorCode.INVALID_PARAMS
        assert "normalised path relative to the project root" in refused.value.message
    finally:
        await dev.close()


async def test_applied_is_accepted_only_for_an_approved_request_and_its_hash(
    org: OrgServer,
) -> None:
    dev = await org.client("dev@acme.test")
    dev2 = await org.client("dev2@acme.test")
    lead = await org.client("lead@acme.test")
    mgr = await org.client("mgr@acme.test")
    try:
        view = await dev.request("approval.request", ask(summary("v1")), ApprovalView)
        other = summary("v2")
        assert other.content_hash != view.proposal.content_hash

        async def applied(who: object, content_hash: str) -> OrgError:
            report = ApprovalApplied(approval_id=view.id, content_hash=content_hash)
            with pytest.raises(OrgError) as refused:
                await who.request("approval.applied", report, ApprovalView)  # type: ignore[attr-defined]
            return refused.value

        pending = await applied(dev, view.proposal.content_hash)
        assert pending.code == ErrorCode.CONFLICT and "pending, not approved" in pending.message

        with pytest.raises(OrgError) as wrong_decide:
            await lead.request("approval.decide", approve(view, other.content_hash), ApprovalView)
        assert wrong_decide.value.code == ErrorCode.CONFLICT

        await lead.request("approval.decide", approve(view), ApprovalView)
        approved = await mgr.request("approval.decide", approve(view), ApprovalView)
        assert approved.state == "approved"

        another_hash = await applied(dev, other.content_hash)
        assert another_hash.code == ErrorCode.CONFLICT and "not the one approved" in (
            another_hash.message
        )
        random_hash = await applied(dev, hashlib.sha256(b"anything").hexdigest())
        assert random_hash.code == ErrorCode.CONFLICT
        not_theirs = await applied(dev2, view.proposal.content_hash)
        assert not_theirs.code == ErrorCode.FORBIDDEN

        report = ApprovalApplied(approval_id=view.id, content_hash=view.proposal.content_hash)
        done = await dev.request("approval.applied", report, ApprovalView)
        assert done.state == "applied"
        twice = await applied(dev, view.proposal.content_hash)
        assert twice.code == ErrorCode.CONFLICT
    finally:
        for client in (dev, dev2, lead, mgr):
            await client.close()
    [applied_event] = await audit(org, "proposal.applied")
    assert applied_event["payload"]["content_hash"] == view.proposal.content_hash


async def test_an_empty_proposal_binds_to_nothing_and_is_refused(org: OrgServer) -> None:
    dev = await org.client("dev@acme.test")
    try:
        empty = summary().model_copy(update={"changes": ()})
        with pytest.raises(OrgError) as refused:
            await dev.request("approval.request", ask(empty), ApprovalView)
        assert refused.value.code == ErrorCode.INVALID_PARAMS
        assert "must change a file" in refused.value.message
    finally:
        await dev.close()


def test_a_change_hash_covers_the_text_before_but_not_the_text_itself() -> None:
    """Two requests for the same edits on different files are different approvals, and the
    pre-edit text (which the server never keeps) does not enter the hash: its hash does."""
    from accord.protocol.org import changes_hash

    one, two = change("x", before="a\n"), change("x", before="b\n")
    assert changes_hash((one,)) != changes_hash((two,))
    assert changes_hash((one,)) == changes_hash((one.model_copy(update={"before": None}),))
