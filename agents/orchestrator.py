"""The orchestrator: a task → an agent → context → the provider gateway → a Proposal.

Each step is reported as an ``AgentActionEnvelope`` (seed spec §11.2): ``routed``,
``context``, ``provider_call``, ``checks`` (the proposal's evidence, see ``accord.agents.checks``;
a failed check withdraws it) and finally ``proposal`` (completed, failed or cancelled).
Provider calls are retried with backoff on transient failures; cancelling the task running
``run`` cancels the provider call in flight (its HTTP request with it) and the agent goes back
to the pool. A request over several targets (``run_many``) is split by the architect into one
sub-task per target, run by the specialists concurrently and merged; overlapping edits raise
``EditConflict`` rather than one silently winning. An action that takes tools (Ask) runs as a
tool conversation (``converse``) instead of one call, each tool call reported as ``tool_call``.

An action that verifies its proposals (``verify(task, proposal) -> Verdict``, see
``actions.verdict``) has each answer checked in a worker thread (a ``verify`` step carrying the
evidence); a model whose answer falls short gets the findings back, at most ``REPAIR_ROUNDS``
more times, and the last verified proposal is the one shown.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable, Sequence
from typing import Any, Protocol
from uuid import UUID, uuid4

from accord.config import AgentSettings
from accord.protocol import ActionStatus, AgentAction, AgentActionEnvelope, Proposal
from accord.protocol.proposal import Check

from .actions import Action, action_for
from .actions.verdict import Verdict
from .checks import assure
from .exceptions import ActionFailed, ProposalWithdrawn
from .lifecycle import Agent
from .merge import merge_proposals
from .pool import AgentPool
from .providers.tally import tallying
from .providers.types import ContextItem, Message, OnText, ProviderRequest, ProviderResponse
from .registry import AgentRegistry
from .retry import retrying
from .tasks import Task

__all__ = ["BuildContext", "Checkpoint", "Completes", "Converse", "Orchestrator", "Report"]

Report = Callable[[AgentActionEnvelope], None]
# How many times a model may answer again after its proposal was checked and found wanting.
REPAIR_ROUNDS = 2
# Asked before each step (``context``, ``provider_call``) in step-by-step control; False stops.
Checkpoint = Callable[[str], Awaitable[bool]]
BuildContext = Callable[[Task], Awaitable[tuple[ContextItem, ...]]]
# Runs a tool conversation for an action that takes tools (``TOOLS``), telling each tool call.
Converse = Callable[[ProviderRequest, Task, Callable[..., None]], Awaitable[ProviderResponse]]


class Completes(Protocol):
    """What the orchestrator needs of the gateway."""

    async def complete(
        self, request: ProviderRequest, on_text: OnText | None = None
    ) -> ProviderResponse: ...


class Orchestrator:
    def __init__(
        self,
        registry: AgentRegistry,
        pool: AgentPool,
        gateway: Completes,
        build_context: BuildContext,
        settings: AgentSettings,
        converse: Converse | None = None,
    ) -> None:
        self.registry = registry
        self.converse = converse
        self.pool = pool
        self.gateway = gateway
        self.build_context = build_context
        self.settings = settings
        # One session per orchestrator: every envelope it sends carries it.
        self.session_id = uuid4()

    async def run(
        self, task: Task, report: Report, checkpoint: Checkpoint | None = None
    ) -> Proposal:
        """Run one task to a Proposal, reporting each step (asking ``checkpoint`` before each).

        Raises:
            ActionFailed: ``checkpoint`` said no.
        """
        action = action_for(task.kind)
        agent_type = self.registry.types_for(action.EXPERTISE, task.target.language)[0]
        agent = await self.pool.acquire(agent_type)
        step = _Stepper(report, self.session_id, agent.id, task)
        try:
            step("routed", ActionStatus.COMPLETED, 10, agent=agent_type.name)
            with tallying() as spent:
                proposal = await self._run(task, action, agent, step, checkpoint)
            return proposal.model_copy(update=spent.fields())
        except asyncio.CancelledError:
            step("proposal", ActionStatus.CANCELLED, 100)
            raise
        except Exception as error:
            step("proposal", ActionStatus.FAILED, 100, error=str(error))
            raise
        finally:
            await self.pool.release(agent)

    async def run_many(self, tasks: Sequence[Task], report: Report, title: str) -> Proposal:
        """Split a multi-target request among specialists and merge their proposals.

        The architect splits the request and merges the parts; it gives its place in the pool
        back while the specialists work, so a pool of one cannot deadlock.
        """
        coordinator = await self.pool.acquire(self.registry.coordinator())
        step = _Stepper(report, self.session_id, coordinator.id, tasks[0] if tasks else None)
        parent = uuid4()
        parts = [task.model_copy(update={"parent": parent}) for task in tasks]
        step("split", ActionStatus.COMPLETED, 5, parts=len(parts))
        await self.pool.release(coordinator)
        proposals = await asyncio.gather(*(self.run(part, report) for part in parts))
        merged = merge_proposals(proposals, title, tasks[0].kind.value if tasks else "edit")
        step("merge", ActionStatus.COMPLETED, 100, files=len(merged.files))
        return merged.model_copy(update={"agent": coordinator.type.name})

    async def _run(
        self,
        task: Task,
        action: Action,
        agent: Agent,
        step: _Stepper,
        checkpoint: Checkpoint | None,
    ) -> Proposal:
        await _check(checkpoint, "context")
        step("context", ActionStatus.STARTED, 20)
        context = await self.build_context(task)
        step("context", ActionStatus.COMPLETED, 40, items=len(context))
        system, messages = action.prompt(task)
        carried = [task.target.path, *(t.path for t in task.scope)]
        paths = tuple(dict.fromkeys([*carried, *(i.path for i in context if i.path)]))
        request = ProviderRequest(
            capability=action.CAPABILITY,
            system=system,
            messages=messages,
            context=context,
            task=task,
            paths=paths,
        )
        best: Proposal | None = None
        verdict = None
        reasons: list[str] = []
        for round_ in range(1 + REPAIR_ROUNDS):
            response = await self._call(action, request, step, checkpoint)
            proposal, verdict = await self._checked(task, action, response, step)
            candidate = verdict.proposal if verdict is not None else proposal
            best = candidate or best
            if verdict is not None and verdict.reason:
                reasons.append(verdict.reason)
            if verdict is None or not verdict.feedback or response.model == "local":
                break
            if round_ < REPAIR_ROUNDS:
                step("repair", ActionStatus.IN_PROGRESS, 60, round=round_ + 1)
                request = _with_feedback(request, response.text, verdict.feedback)
        if best is None:
            raise ActionFailed(_refusal(reasons))
        proposal = best.model_copy(
            update={
                "agent": agent.type.name,
                "provider": response.provider,
                "model": response.model,
            }
        )
        proposal = await _assured(task, proposal, step)
        step(
            "proposal",
            ActionStatus.COMPLETED,
            100,
            proposal=str(proposal.id),
            files=[f.path for f in proposal.files],
            evidence=_evidence(proposal.evidence),
        )
        return proposal

    async def _call(
        self,
        action: Action,
        request: ProviderRequest,
        step: _Stepper,
        checkpoint: Checkpoint | None,
    ) -> ProviderResponse:
        await _check(checkpoint, "provider_call")
        step("provider_call", ActionStatus.STARTED, 50)
        started = time.perf_counter()
        response = await retrying(
            lambda: self._ask(action, request, step),
            self.settings.max_attempts,
            self.settings.backoff,
            on_retry=lambda n, error, delay: step(
                "provider_call",
                ActionStatus.IN_PROGRESS,
                50,
                retry=n,
                error=str(error),
                delay=delay,
            ),
        )
        step(
            "provider_call",
            ActionStatus.COMPLETED,
            80,
            provider=response.provider,
            model=response.model,
            usage=response.usage.model_dump(),
            cost=response.cost_usd,
            execution_time_ms=round((time.perf_counter() - started) * 1000),
        )
        return response

    def _ask(
        self, action: Action, request: ProviderRequest, step: _Stepper
    ) -> Awaitable[ProviderResponse]:
        """One provider call, or a tool conversation for an action that takes tools."""
        if self.converse is None or not getattr(action, "TOOLS", False) or request.task is None:
            return self.gateway.complete(request)

        def note(**data: Any) -> None:
            step("tool_call", ActionStatus.IN_PROGRESS, 60, **data)

        return self.converse(request, request.task, note)

    async def _checked(
        self, task: Task, action: Action, response: ProviderResponse, step: _Stepper
    ) -> tuple[Proposal | None, Verdict | None]:
        """The answer's proposal and, when the action verifies its proposals, the verdict.

        A model's answer that does not convert becomes feedback for the next round.
        """
        try:
            proposal = action.to_proposal(task, response.text)
        except ActionFailed as error:
            if response.model == "local":
                raise
            return None, Verdict(None, str(error), f"{error}. Reply as asked.")
        verify = getattr(action, "verify", None)
        if verify is None:
            return proposal, None
        step("verify", ActionStatus.STARTED, 85)
        verdict: Verdict = await asyncio.to_thread(verify, task, proposal)
        evidence = [] if verdict.proposal is None else verdict.proposal.evidence
        step(
            "verify",
            ActionStatus.COMPLETED,
            90,
            evidence=_evidence(tuple(evidence)),
            reason=verdict.reason,
        )
        return proposal, verdict


def _refusal(reasons: list[str]) -> str:
    """Why no proposal came of the rounds: the first answer's fault, and the last's if it differs."""
    if not reasons:
        return "no proposal"
    if len(reasons) == 1 or reasons[-1] == reasons[0]:
        return reasons[0]
    return f"{reasons[0]} (and after {len(reasons) - 1} more tries: {reasons[-1]})"


def _with_feedback(request: ProviderRequest, answer: str, feedback: str) -> ProviderRequest:
    """The request again, with the model's last answer and what checking it found."""
    said = (
        "I ran what you proposed. "
        f"{feedback}\nReply again in the same format, with the complete corrected file."
    )
    messages = (
        *request.messages,
        Message(role="assistant", content=answer),
        Message(role="user", content=said),
    )
    return request.model_copy(update={"messages": messages})


async def _assured(task: Task, proposal: Proposal, step: _Stepper) -> Proposal:
    """The proposal with its checks run (in a worker thread), reported as the ``checks`` step.

    Raises:
        ProposalWithdrawn: a check failed; the step says which, with every check's result.
    """
    step("checks", ActionStatus.STARTED, 85)
    try:
        checked = await asyncio.to_thread(assure, task, proposal)
    except ProposalWithdrawn as withdrawn:
        step("checks", ActionStatus.FAILED, 95, evidence=_evidence(withdrawn.evidence))
        raise
    step("checks", ActionStatus.COMPLETED, 95, evidence=_evidence(checked.evidence))
    return checked


def _evidence(checks: tuple[Check, ...]) -> list[dict[str, Any]]:
    return [check.model_dump(mode="json") for check in checks]


async def _check(checkpoint: Checkpoint | None, name: str) -> None:
    if checkpoint is not None and not await checkpoint(name):
        raise ActionFailed(f"stopped by the user before the {name.replace('_', ' ')} step")


class _Stepper:
    """Sends one envelope per step of one agent's work on one task."""

    def __init__(self, report: Report, session: UUID, agent: UUID, task: Task | None) -> None:
        self.report, self.session, self.agent, self.task = report, session, agent, task

    def __call__(self, kind: str, status: ActionStatus, progress: int, **data: Any) -> None:
        details: dict[str, Any] = {"progress": progress, **data}
        if self.task is not None:
            details |= {
                "file_path": self.task.target.path,
                "task": str(self.task.id),
                "action": self.task.kind.value,
            }
        action = AgentAction(type=kind, status=status, data=details)
        self.report(
            AgentActionEnvelope(session_id=self.session, agent_id=self.agent, action=action)
        )
