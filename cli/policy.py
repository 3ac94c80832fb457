"""``accord policy check FILE`` and ``accord policy explain``: validate and explain a policy."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # the policy core loads only when a policy command runs (fast CLI start)
    from accord.policy.model import Policy
    from accord.policy.scoring import RiskScore

__all__ = ["add_policy", "explain_change", "summarise"]


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


def summarise(policy: Policy) -> list[str]:
    """The effective policy in a few lines: workflows, path classes, modes."""
    lines = ["workflows:"]
    for name, w in policy.workflows.items():
        ranges = ", ".join(f"{t.low:g}-{t.high:g}" for t in w.triggers)
        what = "auto-approve" if w.auto_approve else f"approvers {', '.join(w.approvers)}"
        timeout = f", timeout {w.timeout_hours:g}h then {w.on_timeout}" if w.timeout_hours else ""
        lines.append(f"  {name}: score {ranges}: {what}{timeout}")
    lines.append("path classes:")
    for name, c in policy.path_classes.items():
        lines.append(
            f"  {name}: {' '.join(c.globs)} (impact {c.impact:g}, business "
            f"{c.business_criticality:g}, {c.confidentiality})"
        )
    lines.append(f"local approval: {'allowed' if policy.allow_local_approval else 'forbidden'}")
    lines.append(
        f"collaboration mode: {policy.default_mode} (of {', '.join(policy.collaboration_modes)})"
    )
    return lines


def explain_change(policy: Policy, risk: RiskScore, paths: list[str]) -> list[str]:
    """The score of a hypothetical change, each factor's reason, the workflow and approvers."""
    from accord.policy.paths import confidentiality_of

    lines = [f"risk score {risk.score:g}/10 → {risk.workflow_name}"]
    for f in risk.factors:
        lines.append(f"  {f.name}: {f.value:g} ({f.band}): {f.reason}")
    w = risk.workflow
    lines.append("  auto-approved" if w.auto_approve else f"  approvers: {', '.join(w.approvers)}")
    lines.extend(f"  {p}: {confidentiality_of(policy, p)}" for p in paths)
    return lines


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
    if options.action is None and not options.path:
        lines = summarise(policy)
    else:
        facts = [ChangeFacts(p, None, 1, 0, False) for p in options.path]
        risk = score_change(policy, options.action or "edit", facts)
        lines = explain_change(policy, risk, options.path)
    print("\n".join(lines))
    return 0
