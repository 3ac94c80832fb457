"""The agent pool: limit, reuse, eviction, waiting, reaping."""

from __future__ import annotations

import asyncio

import pytest

from accord.agents.exceptions import PoolExhausted
from accord.agents.lifecycle import AgentState
from accord.agents.pool import AgentPool
from accord.agents.registry import AgentRegistry
from accord.config import AgentSettings, validated

REGISTRY = AgentRegistry.load()
QA, BACKEND = REGISTRY.named("qa"), REGISTRY.named("backend")


def pool(size: int = 2, idle: float = 60.0) -> tuple[AgentPool, list[float]]:
    now = [0.0]
    settings = validated(AgentSettings, {"pool-size": size, "idle-timeout": idle})
    return AgentPool(settings, clock=lambda: now[0]), now


async def test_an_idle_agent_is_reused() -> None:
    agents, _ = pool()
    first = await agents.acquire(QA)
    await agents.release(first)
    assert await agents.acquire(QA) is first
    assert first.tasks_done == 1 and first.state is AgentState.ACTIVE


async def test_full_pool_evicts_an_idle_agent_of_another_type() -> None:
    agents, now = pool(size=1)
    qa = await agents.acquire(QA)
    await agents.release(qa)
    now[0] = 5.0
    backend = await agents.acquire(BACKEND)
    assert qa.state is AgentState.TERMINATED and agents.agents == [backend]


async def test_full_pool_waits_for_a_release() -> None:
    agents, _ = pool(size=1)
    busy = await agents.acquire(QA)
    waiting = asyncio.ensure_future(agents.acquire(QA, wait=5))
    await asyncio.sleep(0.01)
    assert not waiting.done()
    await agents.release(busy)
    assert await waiting is busy


async def test_full_pool_gives_up_after_the_wait() -> None:
    agents, _ = pool(size=1)
    await agents.acquire(QA)
    with pytest.raises(PoolExhausted, match="stayed busy"):
        await agents.acquire(BACKEND, wait=0.05)


async def test_reaping_terminates_long_idle_agents() -> None:
    agents, now = pool(idle=60)
    old, fresh = await agents.acquire(QA), await agents.acquire(BACKEND)
    await agents.release(old)
    now[0] = 50.0
    await agents.release(fresh)
    now[0] = 100.0
    assert agents.reap() == [old]
    status = agents.status()
    assert (status.size, status.limit, status.by_state) == (1, 2, {"idle": 1})
    assert status.agents[0].type == "backend" and status.agents[0].idle_seconds == 50.0
