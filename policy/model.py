"""The policy model: decision categories, risk matrix, workflows, roles, path classes, modes.

Every model is frozen; a ``Policy`` is a value that the pure core reads and never changes.
"""

from __future__ import annotations

import re
from enum import StrEnum
from typing import Literal, Self

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

__all__ = [
    "Band",
    "CollaborationMode",
    "Confidentiality",
    "DecisionCategory",
    "OnTimeout",
    "PathClass",
    "Policy",
    "ProjectOverride",
    "ProviderAccess",
    "RiskMatrix",
    "Role",
    "ScoreRange",
    "Workflow",
]


_DURATION = re.compile(r"(\d+(?:\.\d+)?)[_ ]?(minutes?|hours?|days?)")
_UNIT_HOURS = {"minute": 1 / 60, "hour": 1.0, "day": 24.0}


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class Confidentiality(StrEnum):
    """How widely a file's contents may travel."""

    PUBLIC = "public"
    INTERNAL = "internal"
    CONFIDENTIAL = "confidential"

    @property
    def rank(self) -> int:
        """0 for public, growing with secrecy."""
        return list(Confidentiality).index(self)


class OnTimeout(StrEnum):
    """What a workflow's deadline does to a pending proposal."""

    EXPIRE = "expire"
    ESCALATE = "escalate"


class CollaborationMode(StrEnum):
    """The seed's §6.2 collaboration modes."""

    OBSERVATION = "observation"
    GUIDANCE = "guidance"
    CONTROL = "control"
    AUTONOMOUS = "autonomous"


class ScoreRange(_Frozen):
    """A closed score range ``[low, high]`` on the 0-10 scale."""

    low: float = Field(ge=0, le=10)
    high: float = Field(ge=0, le=10)

    @model_validator(mode="after")
    def _ordered(self) -> Self:
        if self.low > self.high:
            raise ValueError(f"low {self.low} is above high {self.high}")
        return self

    def __contains__(self, score: object) -> bool:
        return isinstance(score, int | float) and self.low <= score <= self.high


class DecisionCategory(_Frozen):
    """A named decision category (low/medium/high/critical) with its score range and examples."""

    range: ScoreRange
    examples: tuple[str, ...] = ()


class Band(_Frozen):
    """One band of a risk factor, e.g. complexity ``moderate`` = 4-6, with what it means."""

    range: ScoreRange
    description: str = ""


class RiskMatrix(_Frozen):
    """The three risk factors, each a set of named bands."""

    impact_level: dict[str, Band]
    complexity_score: dict[str, Band]
    business_impact: dict[str, Band]


class Workflow(_Frozen):
    """An approval workflow chosen when the risk score lies in one of its triggers."""

    triggers: tuple[ScoreRange, ...]
    approvers: tuple[str, ...] = ()
    auto_approve: bool = False
    timeout_hours: float | None = Field(default=None, gt=0)
    """Hours, as a number or in the seed's spelling: ``4_hours``, ``30_minutes``, ``3_days``."""
    on_timeout: OnTimeout = OnTimeout.EXPIRE
    escalate_to: str | None = None

    @field_validator("timeout_hours", mode="before")
    @classmethod
    def _spelled_duration(cls, value: object) -> object:
        if isinstance(value, str) and (found := _DURATION.fullmatch(value.strip())):
            return float(found[1]) * _UNIT_HOURS[found[2].rstrip("s")]
        return value

    @model_validator(mode="after")
    def _escalation_named(self) -> Self:
        if self.on_timeout is OnTimeout.ESCALATE and self.escalate_to is None:
            raise ValueError("on_timeout is escalate but escalate_to is not set")
        return self


class Role(_Frozen):
    """A role; ``stands_in_for`` lists the roles its holders may approve for."""

    description: str = ""
    stands_in_for: tuple[str, ...] = ()
    scope: Literal["project", "org"] = "project"
    """``project``: held per project (a member's roles there); ``org``: counts in every project."""


class PathClass(_Frozen):
    """Files matching ``globs`` (gitignore-style) carry these levels (0-10) and confidentiality."""

    globs: tuple[str, ...]
    impact: float = Field(default=0, ge=0, le=10)
    business_criticality: float = Field(default=0, ge=0, le=10)
    confidentiality: Confidentiality = Confidentiality.INTERNAL
    reason: str = ""


class ProviderAccess(_Frozen):
    """The most confidential class a provider (or deployment) may see."""

    max_confidentiality: Confidentiality


Loosenable = Literal["path_classes", "workflows", "provider_access"]


class ProjectOverride(_Frozen):
    """A project's own path classes, workflows and provider access, over the organisation's
    (same names replace, new names add); see :mod:`accord.policy.overrides`."""

    path_classes: dict[str, PathClass] = Field(default_factory=dict)
    workflows: dict[str, Workflow] = Field(default_factory=dict)
    provider_access: dict[str, ProviderAccess] = Field(default_factory=dict)


class Policy(_Frozen):
    """A whole policy. References between sections are checked on construction."""

    decision_categories: dict[str, DecisionCategory]
    risk_matrix: RiskMatrix
    action_impact: dict[str, float] = Field(default_factory=dict)
    workflows: dict[str, Workflow]
    roles: dict[str, Role] = Field(default_factory=dict)
    path_classes: dict[str, PathClass] = Field(default_factory=dict)
    provider_access: dict[str, ProviderAccess] = Field(default_factory=dict)
    allow_local_approval: bool = True
    collaboration_modes: tuple[CollaborationMode, ...] = tuple(CollaborationMode)
    default_mode: CollaborationMode = CollaborationMode.GUIDANCE
    projects: dict[str, ProjectOverride] = Field(default_factory=dict)
    """Per-project overrides, by project name: stricter always, looser only in ``loosening``."""
    loosening: tuple[Loosenable, ...] = ()
    """The sections a project's override may make less strict than the organisation's."""

    @model_validator(mode="after")
    def _references(self) -> Self:
        for name, workflow in self.workflows.items():
            for role in workflow.approvers:
                if role not in self.roles:
                    raise ValueError(f"workflows.{name}: approver {role!r} is not a role")
            if workflow.escalate_to and workflow.escalate_to not in self.workflows:
                raise ValueError(f"workflows.{name}: escalate_to {workflow.escalate_to!r} unknown")
        for name, role_ in self.roles.items():
            for other in role_.stands_in_for:
                if other not in self.roles:
                    raise ValueError(f"roles.{name}: stands_in_for {other!r} is not a role")
        if self.default_mode not in self.collaboration_modes:
            raise ValueError(f"default_mode {self.default_mode} is not an allowed mode")
        from .overrides import check_overrides  # the override rules read this model

        check_overrides(self)
        return self

    def workflow_for(self, score: float) -> tuple[str, Workflow]:
        """The strictest workflow whose triggers contain ``score`` (most approvers wins)."""
        matching = [
            (n, w) for n, w in self.workflows.items() if any(score in t for t in w.triggers)
        ]
        if not matching:
            raise ValueError(f"no workflow is triggered by score {score}")
        return max(matching, key=lambda item: (len(item[1].approvers), not item[1].auto_approve))

    def roles_covering(self, role: str) -> frozenset[str]:
        """The roles whose holders may approve for ``role``: itself and its stand-ins."""
        return frozenset({role} | {n for n, r in self.roles.items() if role in r.stands_in_for})
