"""The org server's stored records: organisations, users, approvals (pure values)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from accord.policy.approval import ApprovalRequest
from accord.protocol.org import ProposalSummary, RiskSummary

__all__ = ["ApprovalRecord", "Organisation", "User"]


@dataclass(frozen=True, slots=True)
class Organisation:
    id: str
    name: str
    created_at: datetime


@dataclass(frozen=True, slots=True)
class User:
    """A member of one organisation; ``token_epoch`` grows when all their tokens are revoked."""

    id: str
    org_id: str
    email: str
    roles: tuple[str, ...]
    active: bool
    token_epoch: int
    created_at: datetime


@dataclass(frozen=True, slots=True)
class ApprovalRecord:
    """An approval request with what the org server keeps beside the state machine's value
    (whose ``requester`` and approvers are users' emails).

    ``version`` grows with every change (optimistic concurrency between replicas).
    """

    id: str
    org_id: str
    project: str
    request: ApprovalRequest
    proposal: ProposalSummary
    risk: RiskSummary
    updated_at: datetime
    version: int = 1
    applied: bool = False
