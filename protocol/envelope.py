"""The message envelope of an agent's step (seed spec §11.2), sent as ``accord/agentAction``.

The same envelope goes to the editor (an LSP notification) and, later, to the org server's
project room, so teammates see exactly what the requester sees.
"""

from __future__ import annotations

from datetime import UTC, datetime
from enum import StrEnum
from typing import Any, Literal
from uuid import UUID

from pydantic import BaseModel, ConfigDict, Field

__all__ = ["PROTOCOL_VERSION", "ActionStatus", "AgentAction", "AgentActionEnvelope"]

# Bumped when a field changes meaning or goes away; new optional fields keep the version.
PROTOCOL_VERSION = 1


class ActionStatus(StrEnum):
    """Where a step stands."""

    STARTED = "started"
    IN_PROGRESS = "in_progress"
    COMPLETED = "completed"
    FAILED = "failed"
    CANCELLED = "cancelled"


class AgentAction(BaseModel):
    """One step of an agent: what it does (``type``), how far it is, and its details."""

    model_config = ConfigDict(frozen=True)

    type: str
    status: ActionStatus
    # Step details, e.g. {"file_path": "src/Button.tsx", "progress": 45, "provider": "local"}.
    data: dict[str, Any] = Field(default_factory=dict)


class AgentActionEnvelope(BaseModel):
    """``{"type": "agent_action", "timestamp", "session_id", "agent_id", "action": {...}}``."""

    model_config = ConfigDict(frozen=True)

    version: int = PROTOCOL_VERSION
    type: Literal["agent_action"] = "agent_action"
    timestamp: datetime = Field(default_factory=lambda: datetime.now(UTC))
    session_id: UUID
    agent_id: UUID
    action: AgentAction
