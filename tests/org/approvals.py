"""Approval requests and decisions as a client sends them."""

from __future__ import annotations

import hashlib

from accord.protocol.org import (
    ApprovalDecide,
    ApprovalRequestParams,
    ApprovalView,
    ProposalSummary,
    RiskSummary,
)


def proposal(title: str = "Move the password check", content: str = "v1") -> ProposalSummary:
    return ProposalSummary(
        proposal_id="p-1",
        title=title,
        action="fix",
        rationale="the check belongs in the service",
        files=("src/auth.py",),
        diff="--- a/src/auth.py\n+++ b/src/auth.py\n",
        content_hash=hashlib.sha256(content.encode()).hexdigest(),
    )


def ask(score: float, content: str = "v1") -> ApprovalRequestParams:
    return ApprovalRequestParams(
        project="shop",
        proposal=proposal(content=content),
        risk=RiskSummary(score=score, reasons="r"),
    )


def decide(view: ApprovalView, decision: str = "approve") -> ApprovalDecide:
    return ApprovalDecide(
        approval_id=view.id,
        decision=decision,
        content_hash=view.proposal.content_hash,  # type: ignore[arg-type]
    )


async def _default_policy_text() -> str:
    from importlib.resources import files

    return files("accord.policy").joinpath("default-policy.yaml").read_text("utf-8")
