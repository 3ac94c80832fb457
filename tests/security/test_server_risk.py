"""The org server decides the risk: a developer with a valid account understates a change's risk
and the server scores it itself, under the organisation's current policy."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from accord.org.client import OrgError
from accord.protocol.org import (
    ApprovalApplied,
    ApprovalRequestParams,
    ApprovalView,
    PolicyDocument,
    PolicySet,
    RiskSummary,
)
from accord.protocol.rpc import ErrorCode

from ..org.editors import fix_the_migration, log_in, start_editor, until
from ..org.proposals import summary
from ..org.server import OrgServer
from .trust_probe import audit, metric

MIGRATION = "def upgrade(db):\n    db.execute('create table users (id int)')\n"


def claim(score: float, **proposal: str) -> ApprovalRequestParams:
    return ApprovalRequestParams(
        project="shop",
        proposal=summary(**proposal),
        risk=RiskSummary(score=score, reasons="trust me"),
    )


async def test_a_migration_declared_risk_0_is_scored_by_the_server_and_waits(
    org: OrgServer,
) -> None:
    dev = await org.client("dev@acme.test")
    try:
        forged = claim(0, path="db/migrations/0003_users.py", before=MIGRATION, action="explain")
        view = await dev.request("approval.request", forged, ApprovalView)
        assert view.state == "pending" and view.workflow == "managed_development"
        assert view.risk.score >= 8 and "data migration" in view.risk.reasons
        with pytest.raises(OrgError) as refused:
            await dev.request(
                "approval.applied",
                ApprovalApplied(approval_id=view.id, content_hash=view.proposal.content_hash),
                ApprovalView,
            )
        assert refused.value.code == ErrorCode.CONFLICT and "not approved" in refused.value.message
    finally:
        await dev.close()
    [scored] = await audit(org, "risk.scored")
    assert scored["actor"] == "dev@acme.test"
    assert scored["payload"]["claimed"] == 0
    assert scored["payload"]["computed"] == scored["payload"]["score"] == view.risk.score
    assert scored["payload"]["outcome"] == "understated"
    assert await metric(org, "accord_risk_claims_total", outcome="understated") == 1
    assert await metric(org, "accord_risk_claims_total", outcome="agreed") == 0
    assert not await audit(org, "proposal.applied")


async def test_a_requester_may_ask_for_more_scrutiny_never_for_less(org: OrgServer) -> None:
    dev = await org.client("dev@acme.test")
    try:
        careful = claim(9.5, path="docs/guide.md", before="# Guide\n", action="document")
        view = await dev.request("approval.request", careful, ApprovalView)
        assert view.risk.score == 9.5 and view.workflow == "executive_approval"
        assert "requester's score 9.5" in view.risk.reasons
    finally:
        await dev.close()
    [scored] = await audit(org, "risk.scored")
    assert scored["payload"]["outcome"] == "overstated"
    assert scored["payload"]["computed"] < 5
    assert await metric(org, "accord_risk_claims_total", outcome="overstated") == 1


async def test_the_server_scores_with_the_organisations_policy_of_the_moment(
    org: OrgServer,
) -> None:
    """The admin classes payments code as critical; a developer's editor still holding the old
    policy (or lying) claims the change is low risk: the server's policy decides."""
    admin = await org.client("admin@acme.test")
    dev = await org.client("dev@acme.test")
    try:
        before = claim(1, path="src/payments/refund.py", proposal_id="p-before")
        low = await dev.request("approval.request", before, ApprovalView)
        assert low.workflow == "standard_development" and low.state == "approved"

        policy = yaml.safe_load(_default_policy())
        policy["path_classes"]["payments"] = {
            "globs": ["src/payments/**"],
            "impact": 9,
            "business_criticality": 10,
            "reason": "moves money",
        }
        await admin.request("policy.set", PolicySet(yaml=yaml.safe_dump(policy)), PolicyDocument)
        after = claim(1, path="src/payments/refund.py", proposal_id="p-after", content="v2")
        high = await dev.request("approval.request", after, ApprovalView)
        assert high.state == "pending" and high.risk.score >= 8
        assert "moves money" in high.risk.reasons
    finally:
        await admin.close()
        await dev.close()


async def test_a_request_without_the_text_before_its_edits_cannot_be_scored(
    org: OrgServer,
) -> None:
    dev = await org.client("dev@acme.test")
    try:
        proposal = summary(path="db/migrations/0003_users.py", before=MIGRATION)
        blind = proposal.changes[0].model_copy(update={"before": None})
        params = ApprovalRequestParams(
            project="shop",
            proposal=proposal.model_copy(update={"changes": (blind,)}),
            risk=RiskSummary(score=0),
        )
        with pytest.raises(OrgError) as refused:
            await dev.request("approval.request", params, ApprovalView)
        assert refused.value.code == ErrorCode.INVALID_PARAMS
        assert "text before the edits is needed" in refused.value.message
    finally:
        await dev.close()
    assert not await audit(org, "proposal.created")


async def test_a_real_language_server_and_the_org_server_agree_on_the_score(
    org: OrgServer, tmp_path: Path
) -> None:
    """An honest editor's score (the same pure code, the same policy) is the server's."""
    home = tmp_path / "home"
    await log_in(org, "dev@acme.test", home)
    editor = await start_editor(org, "dev@acme.test", home, tmp_path / "shop")
    try:
        outcome = await fix_the_migration(editor)
        assert outcome["applied"] is False and outcome["state"] == "pending"
        await until(lambda: _scored(org), what="the server's risk.scored event")
    finally:
        await editor.client.shutdown_session()
    [scored] = await audit(org, "risk.scored")
    assert scored["payload"]["outcome"] == "agreed"
    assert scored["payload"]["claimed"] == outcome["risk"] == scored["payload"]["score"]
    [created] = await audit(org, "proposal.created")
    assert created["payload"]["files"] == ["db/migrations/0002_seed.py"]


async def _scored(org: OrgServer) -> bool:
    return bool(await audit(org, "risk.scored"))


def _default_policy() -> str:
    from importlib.resources import files

    return files("accord.policy").joinpath("default-policy.yaml").read_text("utf-8")
