"""The agent pool: at most ``pool-size`` live agents, reused while idle, reaped when idle too long.

``acquire`` hands out an Idle agent of the wanted type (or creates one while under the limit,
or terminates the longest-idle agent of another type to make room); when every agent is busy it
waits for a release, up to ``wait`` seconds, then raises ``PoolExhausted``. The clock is
injected, so reaping is testable without sleeping.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable
from contextlib import suppress

from pydantic import BaseModel

from accord.config import AgentSettings

from .exceptions import PoolExhausted
from .lifecycle import Agent, AgentState
from .registry import AgentType

__all__ = ["AgentPool", "AgentView", "PoolStatus"]


class AgentView(BaseModel):
    id: str
    type: str
    state: str
    tasks_done: int
    idle_seconds: float


class PoolStatus(BaseModel):
    """What ``accord.agents.status`` shows of the pool."""

    limit: int
    size: int
    by_state: dict[str, int]
    by_type: dict[str, int]
    agents: list[AgentView]


class AgentPool:
    def __init__(
        self, settings: AgentSettings, clock: Callable[[], float] = time.monotonic
    ) -> None:
        self.limit = settings.pool_size
        self.idle_timeout = settings.idle_timeout
        self.clock = clock
        # Live agents (not Terminated), oldest first.
        self.agents: list[Agent] = []
        self._released = asyncio.Condition()
        self._reaper: asyncio.Task[None] | None = None

    async def acquire(self, agent_type: AgentType, wait: float = 30.0) -> Agent:
        """An Active agent of ``agent_type``.

        Raises:
            PoolExhausted: every agent stayed busy for ``wait`` seconds.
        """
        async with self._released:
            try:
                await asyncio.wait_for(
                    self._released.wait_for(lambda: self._has_room(agent_type)), wait
                )
            except TimeoutError as error:
                raise PoolExhausted(
                    f"all {self.limit} agents stayed busy for {wait:g} s"
                ) from error
            return self._take(agent_type)

    async def release(self, agent: Agent) -> None:
        """Return ``agent`` to the pool as Idle and wake a waiting ``acquire``."""
        if agent.state is AgentState.ACTIVE:
            agent.move(AgentState.IDLE, self.clock())
        async with self._released:
            self._released.notify_all()

    def reap(self) -> list[Agent]:
        """Terminate agents idle longer than the idle timeout; returns them."""
        now = self.clock()
        stale = [
            a
            for a in self.agents
            if a.state is AgentState.IDLE and now - a.last_active > self.idle_timeout
        ]
        for agent in stale:
            self._terminate(agent, now)
        return stale

    def start_reaper(self, every: float = 30.0) -> None:
        """Reap in the background every ``every`` seconds until ``stop_reaper``."""
        if self._reaper is None:
            self._reaper = asyncio.get_running_loop().create_task(self._reap_forever(every))

    async def stop_reaper(self) -> None:
        if self._reaper is not None:
            self._reaper.cancel()
            with suppress(asyncio.CancelledError):
                await self._reaper
            self._reaper = None

    def status(self) -> PoolStatus:
        now = self.clock()
        by_state: dict[str, int] = {}
        by_type: dict[str, int] = {}
        for agent in self.agents:
            by_state[agent.state.value] = by_state.get(agent.state.value, 0) + 1
            by_type[agent.type.name] = by_type.get(agent.type.name, 0) + 1
        views = [
            AgentView(
                id=str(a.id),
                type=a.type.name,
                state=a.state.value,
                tasks_done=a.tasks_done,
                idle_seconds=round(now - a.last_active, 3) if a.state is AgentState.IDLE else 0.0,
            )
            for a in self.agents
        ]
        return PoolStatus(
            limit=self.limit,
            size=len(self.agents),
            by_state=by_state,
            by_type=by_type,
            agents=views,
        )

    async def _reap_forever(self, every: float) -> None:
        while True:
            await asyncio.sleep(every)
            self.reap()

    def _has_room(self, agent_type: AgentType) -> bool:
        return len(self.agents) < self.limit or any(a.state is AgentState.IDLE for a in self.agents)

    def _take(self, agent_type: AgentType) -> Agent:
        now = self.clock()
        idle = [a for a in self.agents if a.state is AgentState.IDLE]
        agent = next((a for a in idle if a.type == agent_type), None)
        if agent is None:
            if len(self.agents) >= self.limit:
                self._terminate(min(idle, key=lambda a: a.last_active), now)
            agent = Agent(agent_type, created_at=now)
            self.agents.append(agent)
        agent.move(AgentState.ACTIVE, now)
        return agent

    def _terminate(self, agent: Agent, now: float) -> None:
        agent.move(AgentState.TERMINATED, now)
        self.agents.remove(agent)
