"""An agent's lifecycle: Created → Active → Idle → Terminated, with only the legal moves."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum
from uuid import UUID, uuid4

from .exceptions import IllegalTransition
from .registry import AgentType

__all__ = ["LEGAL", "Agent", "AgentState"]


class AgentState(StrEnum):
    CREATED = "created"
    ACTIVE = "active"
    IDLE = "idle"
    TERMINATED = "terminated"


LEGAL: dict[AgentState, frozenset[AgentState]] = {
    AgentState.CREATED: frozenset({AgentState.ACTIVE, AgentState.TERMINATED}),
    AgentState.ACTIVE: frozenset({AgentState.IDLE, AgentState.TERMINATED}),
    AgentState.IDLE: frozenset({AgentState.ACTIVE, AgentState.TERMINATED}),
    AgentState.TERMINATED: frozenset(),
}


@dataclass(slots=True)
class Agent:
    """One agent instance; ``move`` is the only way its state changes."""

    type: AgentType
    created_at: float
    id: UUID = field(default_factory=uuid4)
    state: AgentState = AgentState.CREATED
    # When it last became Active or Idle (monotonic seconds); idle reaping reads it.
    last_active: float = 0.0
    tasks_done: int = 0

    def move(self, to: AgentState, now: float) -> None:
        """Change state.

        Raises:
            IllegalTransition: ``to`` is not reachable from the current state.
        """
        if to not in LEGAL[self.state]:
            raise IllegalTransition(
                f"agent {self.id} ({self.type.name}): expected a state reachable from "
                f"{self.state.value} ({', '.join(sorted(LEGAL[self.state])) or 'none'}), "
                f"got {to.value}"
            )
        if self.state is AgentState.ACTIVE and to is AgentState.IDLE:
            self.tasks_done += 1
        self.state = to
        self.last_active = now
