"""The org link's admin methods (``admin.*``): policy history and rollback, the audit search,
usage and cost, users and roles, and the whole organisation's approvals.

Every one of them is refused (FORBIDDEN) to a caller without an admin or reviewer role; see
:mod:`accord.org.admin`. Registered into :data:`accord.protocol.org.METHODS`.
"""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from pydantic import Field

from .org import (
    METHODS,
    ApprovalListed,
    ApprovalRef,
    ApprovalView,
    AuditEvents,
    Empty,
    Message,
    PolicyDocument,
)

__all__ = [
    "ADMIN_METHODS",
    "AuditSearch",
    "PolicyEntry",
    "PolicyHistory",
    "PolicyRollback",
    "PolicyRevisionRef",
    "PolicyText",
    "UsageBucket",
    "UsageQuery",
    "UsageSummary",
    "UserChange",
    "UserRef",
    "UserView",
    "Users",
    "AdminApprovals",
]

UsageKey = Literal["user", "project", "provider", "action", "day"]


class PolicyRevisionRef(Message):
    """A stored revision (0: the current one)."""

    revision: int = Field(default=0, ge=0)


class PolicyText(Message):
    """A revision's YAML as written (the built-in default's when nothing is stored)."""

    revision: int
    yaml: str


class PolicyEntry(Message):
    revision: int
    created_at: datetime
    actor: str
    """Who stored it (from the audit chain; "" when the chain does not say)."""


class PolicyHistory(Message):
    """Every stored revision, newest first."""

    revisions: tuple[PolicyEntry, ...]


class PolicyRollback(Message):
    """Store revision ``revision``'s text again as a new revision (pushed like a set)."""

    revision: int = Field(ge=1)


class AuditSearch(Message):
    project: str | None = Field(default=None, max_length=255)
    type: str | None = Field(default=None, max_length=100)
    actor: str | None = Field(default=None, max_length=255)
    since: datetime | None = None
    until: datetime | None = None
    after_seq: int = Field(default=0, ge=0)
    limit: int = Field(default=100, ge=1, le=1000)


class UsageQuery(Message):
    by: UsageKey = "user"
    since: datetime | None = None


class UsageBucket(Message):
    key: str
    events: int
    input_tokens: int
    output_tokens: int
    cost_usd: float


class UsageSummary(Message):
    by: str
    buckets: tuple[UsageBucket, ...]
    """Largest cost first."""


class UserRef(Message):
    email: str = Field(min_length=1, max_length=320)


class UserChange(Message):
    email: str = Field(min_length=1, max_length=320)
    roles: tuple[str, ...] = Field(min_length=1, max_length=10)


class UserView(Message):
    email: str
    roles: tuple[str, ...]
    active: bool
    created_at: datetime


class Users(Message):
    users: tuple[UserView, ...]


class AdminApprovals(Message):
    state: str | None = Field(default=None, max_length=20)
    project: str | None = Field(default=None, max_length=255)
    limit: int = Field(default=100, ge=1, le=1000)


ADMIN_METHODS: dict[str, tuple[type[Message], type[Message]]] = {
    "admin.policy.get": (PolicyRevisionRef, PolicyText),
    "admin.policy.history": (Empty, PolicyHistory),
    "admin.policy.rollback": (PolicyRollback, PolicyDocument),
    "admin.audit.search": (AuditSearch, AuditEvents),
    "admin.audit.export": (AuditSearch, AuditEvents),
    "admin.usage": (UsageQuery, UsageSummary),
    "admin.users.list": (Empty, Users),
    "admin.users.roles": (UserChange, UserView),
    "admin.users.remove": (UserRef, UserView),
    "admin.approvals.list": (AdminApprovals, ApprovalListed),
    "admin.approvals.get": (ApprovalRef, ApprovalView),
}

METHODS.update(ADMIN_METHODS)
