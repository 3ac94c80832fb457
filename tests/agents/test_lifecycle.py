"""Agent lifecycle: every pair of states, legal or not."""

from __future__ import annotations

import itertools

import pytest

from accord.agents.exceptions import IllegalTransition
from accord.agents.lifecycle import Agent, AgentState
from accord.agents.registry import AgentRegistry

LEGAL = {
    (AgentState.CREATED, AgentState.ACTIVE),
    (AgentState.CREATED, AgentState.TERMINATED),
    (AgentState.ACTIVE, AgentState.IDLE),
    (AgentState.ACTIVE, AgentState.TERMINATED),
    (AgentState.IDLE, AgentState.ACTIVE),
    (AgentState.IDLE, AgentState.TERMINATED),
}
QA = AgentRegistry.load().named("qa")


def agent_in(state: AgentState) -> Agent:
    agent = Agent(QA, created_at=0.0)
    path = {
        AgentState.CREATED: [],
        AgentState.ACTIVE: [AgentState.ACTIVE],
        AgentState.IDLE: [AgentState.ACTIVE, AgentState.IDLE],
        AgentState.TERMINATED: [AgentState.TERMINATED],
    }[state]
    for step in path:
        agent.move(step, 1.0)
    return agent


@pytest.mark.parametrize(("start", "end"), list(itertools.product(AgentState, repeat=2)))
def test_only_legal_transitions(start: AgentState, end: AgentState) -> None:
    agent = agent_in(start)
    if (start, end) in LEGAL:
        agent.move(end, 2.0)
        assert agent.state is end and agent.last_active == 2.0
    else:
        with pytest.raises(IllegalTransition, match=f"got {end.value}") as raised:
            agent.move(end, 2.0)
        assert start.value in str(raised.value) and agent.state is start


def test_finishing_a_task_counts_it() -> None:
    agent = agent_in(AgentState.IDLE)
    agent.move(AgentState.ACTIVE, 3.0)
    agent.move(AgentState.IDLE, 4.0)
    assert agent.tasks_done == 2
