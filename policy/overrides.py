"""Per-project policy: a project's overrides of path classes, workflows and provider access
(pure).

An override may always make the policy stricter. It may make a section less strict only when the
organisation's policy lists that section in ``loosening``. What counts as looser:

- a path class: lower impact or business criticality, lower confidentiality, or a glob removed;
- a workflow: an approver removed, auto-approval turned on, or its score triggers changed; a new
  workflow that auto-approves (a new one that asks is never looser: the strictest matching
  workflow wins);
- provider access: a higher confidentiality than the organisation allows that provider (a
  provider it does not name sees public files only).

A new path class is never looser: a file's levels are the highest of its classes.
"""

from __future__ import annotations

from dataclasses import dataclass

from .model import Confidentiality, PathClass, Policy, ProjectOverride, ProviderAccess, Workflow

__all__ = ["Rule", "check_overrides", "for_project", "looser", "rule_of"]


def _class_looser(base: PathClass, new: PathClass) -> str | None:
    if new.impact < base.impact or new.business_criticality < base.business_criticality:
        return "lowers its impact or business criticality"
    if new.confidentiality.rank < base.confidentiality.rank:
        return f"lowers its confidentiality to {new.confidentiality}"
    if removed := set(base.globs) - set(new.globs):
        return f"drops the globs {', '.join(sorted(removed))}"
    return None


def _workflow_looser(base: Workflow | None, new: Workflow) -> str | None:
    if base is None:
        return "adds an auto-approving workflow" if new.auto_approve else None
    if removed := set(base.approvers) - set(new.approvers):
        return f"drops the approvers {', '.join(sorted(removed))}"
    if new.auto_approve and not base.auto_approve:
        return "turns auto-approval on"
    if new.triggers != base.triggers:
        return "changes its score triggers"
    return None


def _access_looser(base: ProviderAccess | None, new: ProviderAccess) -> str | None:
    limit = base.max_confidentiality if base else Confidentiality.PUBLIC
    if new.max_confidentiality.rank > limit.rank:
        return f"lets it see {new.max_confidentiality} files (the organisation allows {limit})"
    return None


def looser(policy: Policy, override: ProjectOverride) -> list[tuple[str, str]]:
    """Each ``(section.name, why)`` where ``override`` is less strict than ``policy``."""
    found: list[tuple[str, str]] = []
    for name, cls in override.path_classes.items():
        base = policy.path_classes.get(name)
        if base is not None and (why := _class_looser(base, cls)):
            found.append((f"path_classes.{name}", why))
    for name, workflow in override.workflows.items():
        if why := _workflow_looser(policy.workflows.get(name), workflow):
            found.append((f"workflows.{name}", why))
    for name, access in override.provider_access.items():
        if why := _access_looser(policy.provider_access.get(name), access):
            found.append((f"provider_access.{name}", why))
    return found


def check_overrides(policy: Policy) -> None:
    """Raise ValueError naming the first override that names an unknown role or workflow, or
    loosens a section the policy does not let projects loosen."""
    for project, override in policy.projects.items():
        workflows = {**policy.workflows, **override.workflows}
        for name, workflow in override.workflows.items():
            for role in workflow.approvers:
                if role not in policy.roles:
                    raise ValueError(
                        f"projects.{project}.workflows.{name}: approver {role!r} is not a role"
                    )
            if workflow.escalate_to and workflow.escalate_to not in workflows:
                raise ValueError(
                    f"projects.{project}.workflows.{name}: escalate_to "
                    f"{workflow.escalate_to!r} unknown"
                )
        for key, why in looser(policy, override):
            section = key.split(".", 1)[0]
            if section not in policy.loosening:
                allowed = ", ".join(policy.loosening) or "nothing"
                raise ValueError(
                    f"projects.{project}.{key}: {why}, and the policy lets projects loosen "
                    f"only {allowed} (list the section in `loosening` to allow it)"
                )


def for_project(policy: Policy, project: str | None) -> Policy:
    """The policy a project's editors and approvals follow: the organisation's with the
    project's overrides (the organisation's when the project has none)."""
    override = policy.projects.get(project) if project else None
    if override is None:
        return policy
    return policy.model_copy(
        update={
            "path_classes": {**policy.path_classes, **override.path_classes},
            "workflows": {**policy.workflows, **override.workflows},
            "provider_access": {**policy.provider_access, **override.provider_access},
        }
    )


@dataclass(frozen=True, slots=True)
class Rule:
    """Where a rule of the effective policy comes from: ``org`` or ``project <name>``."""

    section: str
    name: str
    source: str

    def __str__(self) -> str:
        return f"{self.section}.{self.name} ({self.source})"


def rule_of(policy: Policy, project: str | None, section: str, name: str) -> Rule:
    """Which policy a rule of ``project``'s effective policy comes from."""
    override = policy.projects.get(project) if project else None
    if override is not None and name in getattr(override, section):
        return Rule(section, name, f"project {project} override")
    return Rule(section, name, "org policy")
