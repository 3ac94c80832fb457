"""Routing a task's expertise and language to agent types."""

from __future__ import annotations

import pytest

from accord.agents.exceptions import NoAgentFor
from accord.agents.registry import AgentRegistry

REGISTRY = AgentRegistry.load()


def test_the_seed_agent_types_are_there() -> None:
    names = {t.name for t in REGISTRY.types}
    assert names == {"frontend", "backend", "qa", "devops", "architect", "analyst"}
    assert REGISTRY.coordinator().name == "architect"
    assert REGISTRY.named("analyst").research_capabilities
    assert "kubernetes" in REGISTRY.named("devops").tools


@pytest.mark.parametrize(
    ("expertise", "language", "first"),
    [
        ("documentation", "python", "backend"),
        ("documentation", "kotlin", "frontend"),
        ("documentation", "tsx", "frontend"),
        ("test_automation", "go", "qa"),
        ("security", "java", "qa"),
        ("refactoring", "python", "architect"),
        ("problem_solving", "rust", "analyst"),
    ],
)
def test_routing(expertise: str, language: str, first: str) -> None:
    assert REGISTRY.types_for(expertise, language)[0].name == first


def test_no_agent_for_an_unknown_expertise() -> None:
    with pytest.raises(NoAgentFor, match="knitting"):
        REGISTRY.types_for("knitting", "python")
