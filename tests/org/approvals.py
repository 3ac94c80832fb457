"""Approval requests and decisions as a client sends them."""

from __future__ import annotations

from accord.protocol.org import (
    ApprovalDecide,
    ApprovalRequestParams,
    ApprovalView,
    ProposalSummary,
    RiskSummary,
)

from .proposals import summary


def proposal(title: str = "Move the password check", content: str = "v1") -> ProposalSummary:
    return summary(content, title=title)


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
