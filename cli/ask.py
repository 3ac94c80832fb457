"""``accord ask "…" [--files …]``: an Ask task from the command line, through the same gate.

The task runs on the project's providers (the data guard and the policy's provider access as in
the editor), with the project's files in scope (``--files``, else every source file of the
project that may leave the machine at all: never-send files are changed only when named).
The proposed diff is printed with its risk score and what the policy requires. The files
change only with ``--apply``, and only when the gate allows it: a low-risk workflow
applies at once; one that needs approval applies when the user's own roles (``[approvals]
roles``) complete it and the policy allows local approval (recorded as their approval), never
when the project answers to an org server (its approvers decide, from the editor). Every
proposal, score, decision, approval and application goes to the project's audit log.

Exit status: 0 proposed (and applied when asked and allowed), 1 the task failed or the gate
refused, 2 a usage error, 3 it waits for approval.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # the agents load only when the command runs (fast CLI start)
    from accord.agents.tasks import Task
    from accord.config import Settings
    from accord.policy.model import Policy
    from accord.protocol import Proposal

__all__ = ["add_ask", "run_ask"]

WAITS = 3


def add_ask(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add ``accord ask``."""
    ask = commands.add_parser(
        "ask",
        help="ask an agent for a change in your own words; prints the diff and its risk",
        description=__doc__.split("\n\n")[1] if __doc__ else None,
    )
    ask.add_argument("instruction", help='what to do, e.g. "rename parse to parse_config"')
    ask.add_argument("--files", nargs="+", metavar="FILE", help="the files in scope")
    ask.add_argument("--lines", metavar="A-B", help="a selection: lines A to B of the first file")
    ask.add_argument("--root", metavar="DIR", help="the project folder (default: found from .)")
    ask.add_argument("--apply", action="store_true", help="apply it, if the policy gate allows")
    ask.set_defaults(run=run_ask)


def run_ask(options: argparse.Namespace) -> int:
    import asyncio

    from accord.agents.exceptions import AgentError
    from accord.config import find_root, load_settings
    from accord.policy.loading import PolicyError, load_policy

    root = Path(
        options.root or find_root(Path(options.files[0] if options.files else "."))
    ).resolve()
    settings = load_settings(root).settings
    try:
        policy = load_policy(root)
        task = _task(options, root, settings)
    except (PolicyError, ValueError, OSError) as error:
        print(f"accord ask: error: {error}", file=sys.stderr)
        return 2
    try:
        proposal = asyncio.run(_propose(task, root, settings, policy))
    except AgentError as error:
        print(f"accord ask: {error}", file=sys.stderr)
        return 1
    return _through_gate(proposal, root, settings, policy, options.apply)


def _task(options: argparse.Namespace, root: Path, settings: Settings) -> Task:
    from accord.agents.ask.scope import ask_task
    from accord.agents.guard import egress_allowed
    from accord.analyzers.languages import language_for
    from accord.check.discovery import discover
    from accord.protocol import Range

    if options.files:
        paths = [Path(f).resolve() for f in options.files]
    else:
        sources = discover([root], root, settings)[0]
        paths = [
            source.path.resolve()
            for source in sources
            # Discovery also lists text files (.env, accord.toml) for the secrets rule: an agent
            # works on code.
            if language_for(path=source.path.name) is not None
            and egress_allowed(source.path, root, settings.egress, "on_premise")
        ]
    selection = None
    if options.lines:
        first, _, last = options.lines.partition("-")
        selection = Range.of(int(first) - 1, 0, int(last or first), 0)
    files = [(str(path), path.read_text("utf-8")) for path in paths]
    return ask_task(options.instruction, str(root), files, selection)


async def _propose(task: Task, root: Path, settings: Settings, policy: Policy) -> Proposal:
    import asyncio
    from functools import partial

    from accord.agents.ask.runner import audit_recorder, conversation
    from accord.agents.context.builder import ContextBuilder
    from accord.agents.guard import prepare_egress
    from accord.agents.orchestrator import Orchestrator
    from accord.agents.pool import AgentPool
    from accord.agents.providers.gateway import build_gateway
    from accord.agents.providers.types import ContextItem, ProviderRequest
    from accord.agents.registry import AgentRegistry
    from accord.config import ProviderSettings
    from accord.server.policy_egress import policy_egress, policy_refusal

    def guard(request: ProviderRequest, provider: ProviderSettings) -> ProviderRequest:
        allowed = policy_egress(request, provider, root, policy)
        return prepare_egress(allowed, provider, root, settings.egress)

    user = _user()
    gateway = build_gateway(settings, root, user, guard=guard)
    builder = ContextBuilder(root, settings)

    async def context(task: Task) -> tuple[ContextItem, ...]:
        return await asyncio.to_thread(builder.build, task)

    kinds = (provider.kind for provider in gateway.settings.values())
    also = policy_refusal(policy, kinds, root)
    converse = conversation(gateway, root, settings, audit_recorder(root, user), also=also)
    orchestrator = Orchestrator(
        AgentRegistry.load(),
        AgentPool(settings.agents),
        gateway,
        context,
        settings.agents,
        converse,
    )
    try:
        return await orchestrator.run(task, partial(_progress, sys.stderr))
    finally:
        await gateway.aclose()


def _progress(stream: Any, envelope: Any) -> None:
    action = envelope.action
    if action.type == "tool_call":
        print(f"  {action.data.get('tool')}: {action.data.get('detail', '')[:80]!r}", file=stream)


def _through_gate(
    proposal: Proposal, root: Path, settings: Settings, policy: Policy, apply: bool
) -> int:
    from datetime import UTC, datetime

    from accord.audit import AuditStore, EventDraft, EventType
    from accord.policy.approval import NextStep, State, approve
    from accord.policy.approval import apply as settle
    from accord.server.gate import assess, explain, hashes_of

    print(f"{proposal.title}\n{proposal.rationale}")
    if not proposal.files:
        return 0
    user, now = _user(), datetime.now(UTC)
    store = AuditStore(root)

    def record(kind: EventType, **payload: Any) -> None:
        draft = EventDraft(
            type=kind, actor=user, project=root.name, proposal_id=str(proposal.id), payload=payload
        )
        store.append(draft)

    assessment = assess(proposal, policy, _read, root, user, now)
    print(_diff(proposal, root), end="")
    print(explain(assessment))
    files = [f.path for f in proposal.files]
    record(EventType.PROPOSAL_CREATED, title=proposal.title, action=proposal.action, files=files)
    record(EventType.RISK_SCORED, score=assessment.risk.score)
    step = assessment.decision.step
    record(EventType.DECISION_MADE, workflow=assessment.risk.workflow_name, step=step.value)
    if not apply:
        print("Not applied: run again with --apply to apply it through the policy gate.")
        return 0
    request = assessment.request
    if step is NextStep.ASK_APPROVERS:
        roles = frozenset(settings.approvals.roles)
        local = request.local and roles and not settings.org.url
        request = approve(policy, request, user, roles, now) if local else request
        if request.state is not State.APPROVED:
            needs = ", ".join(assessment.decision.missing_roles)
            where = "the org's approvers (from the editor)" if settings.org.url else needs
            print(f"Not applied: it waits for approval by {where}.")
            return WAITS
        record(EventType.APPROVAL_RECORDED, roles=sorted(roles), state=request.state.value)
    settled = settle(request, hashes_of(request.hashes, _read))
    if settled.state is State.STALE:
        record(EventType.PROPOSAL_STALE, files=sorted(request.hashes))
        print("Not applied: the files changed since the proposal; run it again.")
        return 1
    _write(proposal)
    record(EventType.PROPOSAL_APPLIED, files=files)
    print(f"Applied to {len(files)} file{'s' if len(files) != 1 else ''}.")
    return 0


def _read(path: str) -> str | None:
    try:
        return Path(path).read_text("utf-8")
    except OSError:
        return None


def _diff(proposal: Proposal, root: Path) -> str:
    import difflib

    from accord.agents.actions.apply import apply_edits

    chunks: list[str] = []
    for file in proposal.files:
        before = _read(file.path) or ""
        after = apply_edits(before, file.edits)
        name = (
            Path(file.path).relative_to(root).as_posix()
            if Path(file.path).is_relative_to(root)
            else file.path
        )
        chunks += difflib.unified_diff(
            before.splitlines(True), after.splitlines(True), f"a/{name}", f"b/{name}"
        )
    return "".join(chunks)


def _write(proposal: Proposal) -> None:
    from accord.agents.actions.apply import apply_edits

    for file in proposal.files:
        path = Path(file.path)
        path.write_text(apply_edits(_read(file.path) or "", file.edits), "utf-8")


def _user() -> str:
    import getpass

    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return "unknown"
