"""``accord policy check FILE`` and ``accord policy explain``: validate and explain a policy."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # the policy core loads only when a policy command runs (fast CLI start)
    from collections.abc import Callable

    from accord.policy.model import Policy
    from accord.policy.scoring import RiskScore

    Sources = Callable[[str, str], str]
    """Says whose rule a (section, name) of the effective policy is."""

__all__ = ["add_policy", "explain_change", "project_sources", "summarise"]


def add_policy(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add ``accord policy`` with its ``check`` and ``explain`` subcommands."""
    policy = commands.add_parser("policy", help="validate or explain the approval policy")
    sub = policy.add_subparsers(dest="policy_command", metavar="SUBCOMMAND")
    sub.required = True
    check = sub.add_parser("check", help="validate a policy file (exit 1 with file:line: key: ...)")
    check.add_argument("file", metavar="FILE", help="accord-policy.yaml or pyproject.toml")
    check.set_defaults(run=_run_check)
    explain = sub.add_parser("explain", help="show the effective policy or score a change")
    explain.add_argument("--root", default=".", help="project folder (default: .)")
    explain.add_argument("--action", metavar="KIND", help="action type, e.g. document or fix")
    explain.add_argument("--path", action="append", default=[], metavar="P", help="touched path")
    explain.add_argument(
        "--project",
        metavar="NAME",
        help="apply the policy's overrides for this project and say which rule applied",
    )
    explain.set_defaults(run=_run_explain)


def _parse(file: Path) -> Policy | None:
    from accord.policy.loading import parse_toml_policy, parse_yaml_policy

    text = file.read_text("utf-8")
    if file.suffix == ".toml":
        return parse_toml_policy(text, str(file))
    return parse_yaml_policy(text, str(file))


def _run_check(options: argparse.Namespace) -> int:
    from accord.policy.loading import PolicyError

    file = Path(options.file)
    try:
        found = _parse(file)
    except FileNotFoundError:
        print(
            f"accord policy check: error: {file}: no such file (the shipped default, "
            "policy/default-policy.yaml, is a starting point: copy it to accord-policy.yaml)",
            file=sys.stderr,
        )
        return 2
    except OSError as error:
        print(f"accord policy check: error: {file}: {error.strerror}", file=sys.stderr)
        return 2
    except PolicyError as error:
        print(error)
        return 1
    print(f"{file}: ok" if found else f"{file}: no [tool.accord.policy] table")
    return 0 if found else 1


def summarise(policy: Policy, sources: Sources | None = None) -> list[str]:
    """The effective policy in a few lines: workflows, path classes, modes; with ``sources``,
    each workflow and path class says whose rule it is (the org's or the project's)."""
    said = sources or (lambda section, name: "")
    lines = ["workflows:"]
    for name, w in policy.workflows.items():
        ranges = ", ".join(f"{t.low:g}-{t.high:g}" for t in w.triggers)
        what = "auto-approve" if w.auto_approve else f"approvers {', '.join(w.approvers)}"
        timeout = f", timeout {w.timeout_hours:g}h then {w.on_timeout}" if w.timeout_hours else ""
        lines.append(f"  {name}: score {ranges}: {what}{timeout}{said('workflows', name)}")
    lines.append("path classes:")
    for name, c in policy.path_classes.items():
        lines.append(
            f"  {name}: {' '.join(c.globs)} (impact {c.impact:g}, business "
            f"{c.business_criticality:g}, {c.confidentiality}){said('path_classes', name)}"
        )
    if sources is not None and policy.provider_access:
        lines.append("provider access:")
        for name, access in policy.provider_access.items():
            lines.append(
                f"  {name}: up to {access.max_confidentiality}{said('provider_access', name)}"
            )
    lines.append(f"local approval: {'allowed' if policy.allow_local_approval else 'forbidden'}")
    lines.append(
        f"collaboration mode: {policy.default_mode} (of {', '.join(policy.collaboration_modes)})"
    )
    return lines


def explain_change(
    policy: Policy, risk: RiskScore, paths: list[str], sources: Sources | None = None
) -> list[str]:
    """The score of a hypothetical change, each factor's reason, the workflow and approvers;
    with ``sources``, whose rule chose the workflow and each path's classes."""
    from accord.policy.paths import classes_of, confidentiality_of

    said = sources or (lambda section, name: "")
    lines = [f"risk score {risk.score:g}/10 → {risk.workflow_name}"]
    for f in risk.factors:
        lines.append(f"  {f.name}: {f.value:g} ({f.band}): {f.reason}")
    w = risk.workflow
    lines.append("  auto-approved" if w.auto_approve else f"  approvers: {', '.join(w.approvers)}")
    if sources is not None:
        lines.append(
            f"  workflow rule: {risk.workflow_name}{said('workflows', risk.workflow_name)}"
        )
    for p in paths:
        classes = (
            "; ".join(f"{n}{said('path_classes', n)}" for n in classes_of(policy, p))
            if sources is not None
            else ""
        )
        lines.append(
            f"  {p}: {confidentiality_of(policy, p)}" + (f" [{classes}]" if classes else "")
        )
    return lines


def project_sources(policy: Policy, project: str) -> Sources:
    """Says, for a rule of ``project``'s effective policy, whose rule it is."""
    from accord.policy.overrides import rule_of

    return lambda section, name: f"  ← {rule_of(policy, project, section, name).source}"


def _run_explain(options: argparse.Namespace) -> int:
    from accord.analyzers.change import ChangeFacts
    from accord.policy.loading import PolicyError, load_policy
    from accord.policy.scoring import score_change

    try:
        policy = load_policy(Path(options.root))
    except PolicyError as error:
        print(error)
        return 1
    if options.action is not None and options.action not in policy.action_impact:
        known = ", ".join(sorted(policy.action_impact))
        print(
            f"accord policy explain: error: unknown action {options.action!r} (the policy knows: "
            f"{known})",
            file=sys.stderr,
        )
        return 2
    sources = None
    if options.project is not None:
        from accord.policy.overrides import for_project

        sources = project_sources(policy, options.project)
        if options.project not in policy.projects:
            print(f"project {options.project}: no overrides; the organisation's policy applies")
        policy = for_project(policy, options.project)
    if options.action is None and not options.path:
        lines = summarise(policy, sources)
    else:
        facts = [ChangeFacts(p, None, 1, 0, False) for p in options.path]
        risk = score_change(policy, options.action or "edit", facts)
        lines = explain_change(policy, risk, options.path, sources)
    print("\n".join(lines))
    return 0
