"""The audit events: what happened, who did it, where, and (for agent steps) the seed §7 fields.

An :class:`EventDraft` is what a caller records; the store numbers it, stamps it and links it into
the chain, which yields an :class:`Event`. Both are immutable.
"""

from __future__ import annotations

from datetime import UTC, datetime
from enum import StrEnum
from typing import Self
from uuid import UUID

from pydantic import (
    AwareDatetime,
    BaseModel,
    ConfigDict,
    Field,
    JsonValue,
    field_validator,
    model_validator,
)

__all__ = ["AgentAction", "Event", "EventDraft", "EventType"]


class EventType(StrEnum):
    """Every kind of event the audit trail records."""

    PROPOSAL_CREATED = "proposal.created"
    RISK_SCORED = "risk.scored"
    DECISION_MADE = "decision.made"
    APPROVAL_RECORDED = "approval.recorded"
    APPROVAL_REJECTED = "approval.rejected"
    PROPOSAL_APPLIED = "proposal.applied"
    PROPOSAL_EXPIRED = "proposal.expired"
    PROPOSAL_STALE = "proposal.stale"
    MODE_CHANGED = "mode.changed"
    POLICY_CHANGED = "policy.changed"
    AGENT_ACTION = "agent.action"
    # The org server refused a client's write (a governance event it may not write, say).
    SECURITY_REFUSED = "security.refused"
    # A project was created, or its members or their roles changed (by an operator).
    PROJECT_CHANGED = "project.changed"
    # An admin changed a user's roles or membership, rolled the policy back or exported the log.
    ADMIN_ACTION = "admin.action"


class AgentAction(BaseModel):
    """The seed §7 ``agent_actions`` columns; the row's timestamp is the event's ``ts``."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    action_type: str = Field(min_length=1, max_length=100)
    input_data: JsonValue = None
    output_data: JsonValue = None
    execution_time_ms: int | None = Field(default=None, ge=0)
    success: bool = True
    error_message: str | None = None


class EventDraft(BaseModel):
    """An event as recorded, before the store gives it a place in the chain.

    ``agent_action`` is required for ``agent.action`` events and refused for every other type.
    """

    model_config = ConfigDict(frozen=True, extra="forbid")

    type: EventType
    actor: str = Field(min_length=1)
    project: str = Field(min_length=1)
    session_id: str | None = None
    proposal_id: str | None = None
    payload: dict[str, JsonValue] = Field(default_factory=dict)
    agent_action: AgentAction | None = None

    @model_validator(mode="after")
    def _agent_fields_match_type(self) -> Self:
        is_agent = self.type is EventType.AGENT_ACTION
        if is_agent and self.agent_action is None:
            raise ValueError("an agent.action event needs agent_action (the seed §7 fields)")
        if not is_agent and self.agent_action is not None:
            raise ValueError(f"a {self.type.value} event takes no agent_action")
        return self


class Event(EventDraft):
    """A sealed event: ``seq`` counts from 1 with no gap; ``prev_hash`` is the previous event's hash
    (64 zeros for the first). The hash itself is not a field: it is computed over this event."""

    seq: int = Field(ge=1)
    id: UUID
    ts: AwareDatetime
    prev_hash: str = Field(pattern=r"^[0-9a-f]{64}$")

    @field_validator("ts")
    @classmethod
    def _in_utc(cls, ts: datetime) -> datetime:
        return ts.astimezone(UTC)

    @classmethod
    def place(cls, draft: EventDraft, seq: int, id: UUID, ts: datetime, prev_hash: str) -> Event:
        """The draft given its place in the chain."""
        return cls(**dict(draft), seq=seq, id=id, ts=ts, prev_hash=prev_hash)
