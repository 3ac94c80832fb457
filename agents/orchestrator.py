"""The orchestrator: a task → an agent → context → the provider gateway → a Proposal.

Each step is reported as an ``AgentActionEnvelope`` (seed spec §11.2): ``routed``,
``context``, ``provider_call``, ``checks`` (the proposal's evidence, see ``accord.agents.checks``;
a failed check withdraws it) and finally ``proposal`` (completed, failed or cancelled).
Provider calls are retried with backoff on transient failures; cancelling the task running
``run`` cancels the provider call in flight (its HTTP request with it) and the agent goes back
to the pool. A request over several targets (``run_many``) is split by the architect into one
sub-task per target, run by the specialists concurrently and merged; overlapping edits raise
``EditConflict`` rather than one silently winning.
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
from .checks import assure
from .exceptions import ActionFailed, ProposalWithdrawn
from .lifecycle import Agent
from .merge import merge_proposals
from .pool import AgentPool
from .providers.types import ContextItem, OnText, ProviderRequest, ProviderResponse
from .registry import AgentRegistry
from .retry import retrying
from .tasks import Task

__all__ = ["BuildContext", "Checkpoint", "Completes", "Orchestrator", "Report"]

Report = Callable[[AgentActionEnvelope], None]
# Asked before each step (``context``, ``provider_call``) in step-by-step control; False stops.
Checkpoint = Callable[[str], Awaitable[bool]]
BuildContext = Callable[[Task], Awaitable[tuple[ContextItem, ...]]]


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
    ) -> None:
        self.registry = registry
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
            return await self._run(task, action, agent, step, checkpoint)
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
        paths = tuple(dict.fromkeys([task.target.path, *(i.path for i in context if i.path)]))
        request = ProviderRequest(
            capability=action.CAPABILITY,
            system=system,
            messages=messages,
            context=context,
            task=task,
            paths=paths,
        )
        await _check(checkpoint, "provider_call")
        step("provider_call", ActionStatus.STARTED, 50)
        started = time.perf_counter()
        response = await retrying(
            lambda: self.gateway.complete(request),
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
        proposal = action.to_proposal(task, response.text).model_copy(
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
