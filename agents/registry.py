"""The agent types and what they are expert in, loaded from ``agent_types.toml``."""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from importlib import resources

from .exceptions import NoAgentFor

__all__ = ["AgentRegistry", "AgentType"]


@dataclass(frozen=True, slots=True)
class AgentType:
    """One kind of agent (seed spec §4.1)."""

    name: str
    role: str
    expertise: frozenset[str]
    tools: tuple[str, ...]
    # Languages a specialist takes; empty means any.
    languages: frozenset[str]
    coordination_role: bool = False
    research_capabilities: bool = False

    def takes(self, language: str) -> bool:
        return not self.languages or language in self.languages


@dataclass(frozen=True, slots=True)
class AgentRegistry:
    """Every agent type, and routing from (expertise, language) to the types that fit."""

    types: tuple[AgentType, ...]

    @classmethod
    def load(cls) -> AgentRegistry:
        """The registry shipped with Accord."""
        text = resources.files(__package__).joinpath("agent_types.toml").read_text("utf-8")
        return cls(tuple(_agent_type(name, table) for name, table in tomllib.loads(text).items()))

    def types_for(self, expertise: str, language: str) -> list[AgentType]:
        """Types with ``expertise`` that take ``language``: language specialists first.

        Raises:
            NoAgentFor: no type has the expertise for the language.
        """
        fit = [t for t in self.types if expertise in t.expertise and t.takes(language)]
        if not fit:
            raise NoAgentFor(f"no agent type is expert in {expertise!r} for {language}")
        return sorted(fit, key=lambda t: (language not in t.languages, t.role != "specialist"))

    def coordinator(self) -> AgentType:
        """The type that splits multi-part requests (the architect)."""
        return next(t for t in self.types if t.coordination_role)

    def named(self, name: str) -> AgentType:
        return next(t for t in self.types if t.name == name)


def _agent_type(name: str, table: dict[str, object]) -> AgentType:
    def strings(key: str) -> tuple[str, ...]:
        value = table.get(key, [])
        assert isinstance(value, list), f"agent_types.toml: [{name}].{key} must be a list"
        return tuple(str(item) for item in value)

    return AgentType(
        name=name,
        role=str(table.get("role", "specialist")),
        expertise=frozenset(strings("expertise")),
        tools=strings("tools"),
        languages=frozenset(strings("languages")),
        coordination_role=bool(table.get("coordination_role", False)),
        research_capabilities=bool(table.get("research_capabilities", False)),
    )
