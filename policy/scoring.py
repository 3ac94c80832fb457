"""Risk scoring: a 0-10 score from the change itself, never from a model's own rating.

Three factors, each 0-10 with a reason:

- impact: the largest of the action type's impact (``action_impact``, default 5) and the impact
  of each touched file's path classes;
- complexity: ``2·(files-1) + lines/100 (at most 3) + complexity growth/2 (at most 3)``, capped
  at 8.9; any breaking public-signature change puts it in the critical band (at least 9);
- business impact: the largest business criticality among the touched files' path classes.

The score is ``0.7·max + 0.3·mean`` of the three factors, rounded to one decimal: the worst
factor dominates, the others still count. Every step is monotone, so raising any factor never
lowers the score.

A change that deletes comments, docstrings or tests a person wrote gets a fourth factor,
``removes_documentation`` (its value the number of lines and tests removed, at most 10). It does
not move the score; it makes the change one that is never applied without a person saying so
(``RiskScore.review_required``), whatever the score and its workflow.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from ..analyzers.change import ChangeFacts
from ..analyzers.documentation import summary
from .model import Policy, Workflow
from .paths import classes_of

__all__ = ["Factor", "RiskScore", "combine", "complexity_factor", "score_change"]

DEFAULT_ACTION_IMPACT = 5.0
MAX_WEIGHT = 0.7
REMOVES_DOCUMENTATION = "removes_documentation"


@dataclass(frozen=True, slots=True)
class Factor:
    """One risk factor's value (0-10), its band in the risk matrix and why."""

    name: str
    value: float
    band: str
    reason: str


@dataclass(frozen=True, slots=True)
class RiskScore:
    """A change's score, its factors and the workflow the score selects; ``review_required``:
    never applied without a person's yes, even where the workflow approves by itself."""

    score: float
    factors: tuple[Factor, ...]
    workflow_name: str
    workflow: Workflow
    review_required: bool = False


def combine(values: Sequence[float]) -> float:
    """``0.7·max + 0.3·mean`` rounded to one decimal; monotone in each value."""
    top = max(values)
    mean = sum(values) / len(values)
    return round(min(10.0, MAX_WEIGHT * top + (1 - MAX_WEIGHT) * mean), 1)


def _band(policy: Policy, factor: str, value: float) -> str:
    bands = getattr(policy.risk_matrix, factor)
    fitting = [name for name, band in bands.items() if band.range.low <= value]
    return fitting[-1] if fitting else "?"


def _impact(policy: Policy, action: str, facts: Sequence[ChangeFacts]) -> tuple[float, str]:
    value = policy.action_impact.get(action, DEFAULT_ACTION_IMPACT)
    reason = f"action {action}"
    for fact in facts:
        for name, cls in classes_of(policy, fact.path).items():
            if cls.impact > value:
                value, reason = cls.impact, f"{fact.path} is {name} ({cls.reason or name})"
    return value, reason


def complexity_factor(files: int, lines: int, growth: int, breaking: int) -> tuple[float, str]:
    """The complexity factor from counts of files, lines, complexity growth and breaking changes."""
    value = min(8.9, 2.0 * max(files - 1, 0) + min(3.0, lines / 100) + min(3.0, growth / 2))
    reason = f"{files} file(s), {lines} line(s), complexity +{growth}"
    if breaking:
        value = max(value, min(10.0, 9.0 + (breaking - 1) / 4))
        reason += f", {breaking} breaking public signature change(s)"
    return round(value, 1), reason


def _complexity(facts: Sequence[ChangeFacts]) -> tuple[float, str]:
    growth = sum(g.after - max(g.before, 1) for f in facts for g in f.complexity_growth)
    breaking = sum(len(f.signature_changes) for f in facts)
    value, reason = complexity_factor(
        len(facts), sum(f.lines_touched for f in facts), growth, breaking
    )
    names = [c.name for f in facts for c in f.signature_changes][:3]
    return value, reason + (f" ({', '.join(names)})" if names else "")


def _business(policy: Policy, facts: Sequence[ChangeFacts]) -> tuple[float, str]:
    value, reason = 0.0, "no business-critical path touched"
    for fact in facts:
        for name, cls in classes_of(policy, fact.path).items():
            if cls.business_criticality > value:
                value, reason = cls.business_criticality, f"{fact.path} is {name}"
    return value, reason


def score_change(policy: Policy, action: str, facts: Sequence[ChangeFacts]) -> RiskScore:
    """The risk of ``action`` making the changes ``facts`` under ``policy``."""
    raw = {
        "impact_level": _impact(policy, action, facts),
        "complexity_score": _complexity(facts),
        "business_impact": _business(policy, facts),
    }
    factors = tuple(
        Factor(name, value, _band(policy, name, value), reason)
        for name, (value, reason) in raw.items()
    )
    score = combine([f.value for f in factors])
    name, workflow = policy.workflow_for(score)
    removal = _removal(facts)
    if removal is None:
        return RiskScore(score, factors, name, workflow)
    return RiskScore(score, (*factors, removal), name, workflow, review_required=True)


def _removal(facts: Sequence[ChangeFacts]) -> Factor | None:
    """The ``removes_documentation`` factor, when the change deletes documentation or tests."""
    parts = [(f.path, f.removed_documentation) for f in facts if f.removed_documentation]
    if not parts:
        return None
    count = sum(len(removed) for _, removed in parts)
    where = "; ".join(f"{path}: {summary(removed)}" for path, removed in parts)
    reason = f"removes documentation or tests ({where}); never applied automatically"
    return Factor(REMOVES_DOCUMENTATION, float(min(count, 10)), "review", reason)
