"""The agents as the language server runs them: one pool, and per project a gateway and context.

Built lazily on the first agent action, so starting the server costs nothing (and imports no
provider SDK). Each project root gets its own provider gateway (its ``accord.toml`` providers,
its ``.accord/`` cost ledger, the data guard with its egress settings), its own context builder
(symbol map and conversation history), the tool conversation of Ask tasks (its tools refuse
what the data guard or the policy keeps from the providers) and an orchestrator over the shared
agent pool.
Context building (a first symbol map of the workspace, SQLite reads) runs in a worker thread.
"""

from __future__ import annotations

import asyncio
import getpass
from collections.abc import Callable
from pathlib import Path
from typing import Any

from accord.agents.ask.runner import audit_recorder, conversation
from accord.agents.context.builder import ContextBuilder
from accord.agents.context.history import History
from accord.agents.context.teammates import quote
from accord.agents.guard import prepare_egress
from accord.agents.orchestrator import Checkpoint, Orchestrator
from accord.agents.pool import AgentPool
from accord.agents.providers.gateway import Gateway, build_gateway
from accord.agents.providers.types import ContextItem, ProviderRequest
from accord.agents.registry import AgentRegistry
from accord.agents.tasks import Task
from accord.config import ProviderSettings, Settings
from accord.policy.loading import PolicyError, default_policy, load_policy
from accord.policy.model import Policy
from accord.protocol import AgentActionEnvelope, Proposal

from .policy_egress import policy_egress, policy_refusal
from .session import Session

__all__ = ["AgentRuntime"]

Report = Callable[[AgentActionEnvelope], None]


class _Project:
    """What one project root's agent actions run on."""

    def __init__(
        self,
        root: Path,
        settings: Settings,
        pool: AgentPool,
        user: str,
        session: Session,
        org_policy: Callable[[Path], Policy | None] = lambda root: None,
    ) -> None:
        self.root, self.session = root, session
        policy = _policy(root)

        def guard(request: ProviderRequest, provider: ProviderSettings) -> ProviderRequest:
            # The org's policy for this project, as it is now, when the workspace is linked.
            current = org_policy(root) or policy
            return _guard(request, provider, root=root, settings=settings, policy=current)

        self.gateway: Gateway = build_gateway(settings, root, user, guard=guard)
        self.history = History(root)
        self.context = ContextBuilder(root, settings, history=self.history)
        kinds = (s.kind for s in self.gateway.settings.values())
        converse = conversation(
            self.gateway,
            root,
            settings,
            audit_recorder(root, user),
            also=policy_refusal(policy, kinds, root),
        )
        self.orchestrator = Orchestrator(
            AgentRegistry.load(), pool, self.gateway, self._build_context, settings.agents, converse
        )

    async def _build_context(self, task: Task) -> tuple[ContextItem, ...]:
        return await asyncio.to_thread(self.context.build, task, self._open_texts())

    def _open_texts(self) -> dict[Path, str]:
        """The editor's text of this project's open documents."""
        return {
            Path(document.path): document.source.text
            for document in self.session.documents.values()
            if document.path is not None
            and document.source is not None
            and Path(document.path).is_relative_to(self.root)
        }


def _guard(
    request: ProviderRequest,
    provider: ProviderSettings,
    *,
    root: Path,
    settings: Settings,
    policy: Policy,
) -> ProviderRequest:
    """The policy's provider access (by path class), then the data guard's egress rules."""
    return prepare_egress(
        policy_egress(request, provider, root, policy), provider, root, settings.egress
    )


def _policy(root: Path) -> Policy:
    """The project's policy; the shipped default when the project's cannot be read (the gate
    itself refuses to apply anything then)."""
    try:
        return load_policy(root)
    except PolicyError:
        return default_policy()


class AgentRuntime:
    """Runs tasks for the server: picks the project, runs the orchestrator, keeps the history."""

    def __init__(self, session: Session, user: str | None = None) -> None:
        self.session = session
        self.user = user or _user()
        # The org policy (with the project's overrides) of a linked root; None: its own file.
        self.org_policy: Callable[[Path], Policy | None] = lambda root: None
        # Projects by root, each built from the settings the root had when first used.
        self._projects: dict[Path, tuple[Settings, _Project]] = {}
        self._pool: AgentPool | None = None

    async def run(
        self, task: Task, report: Report, checkpoint: Checkpoint | None = None
    ) -> Proposal:
        """Run ``task`` to a Proposal, reporting each step; records the exchange in history."""
        project = self._project(Path(task.root) if task.root else self.session.root_of(None))
        proposal = await project.orchestrator.run(task, report, checkpoint)
        await asyncio.to_thread(_remember, project.history, task, proposal)
        return proposal

    async def run_many(self, tasks: list[Task], report: Report, title: str) -> Proposal:
        """Run several tasks of one project as one request (split, run, merged)."""
        first = tasks[0]
        project = self._project(Path(first.root) if first.root else self.session.root_of(None))
        proposal = await project.orchestrator.run_many(tasks, report, title)
        await asyncio.to_thread(_remember, project.history, first, proposal)
        return proposal

    def suggest(self, root: Path, author: str, text: str) -> None:
        """A teammate's suggestion (guidance mode): it joins the project's history, quoted as
        data with its author (never as the user's words), so the next agent run sees it."""
        history = self._project(root).history
        history.append("teammate", quote(author, text))

    def status(self) -> dict[str, Any]:
        """The pool and every project's providers, for ``accord.agents.status``."""
        pool = self.pool.status().model_dump(mode="json")
        providers = [
            {**provider, "project": str(root)}
            for root, (_, project) in self._projects.items()
            for provider in project.gateway.status()
        ]
        if not providers:
            providers = [
                {"name": name, "kind": p.kind, "state": "unused", "project": None}
                for name, p in self.session.settings_for(None).settings.providers.items()
            ]
        return {"pool": pool, "providers": providers}

    @property
    def pool(self) -> AgentPool:
        if self._pool is None:
            self._pool = AgentPool(self.session.settings_for(None).settings.agents)
            # Built inside a request handler, so the server's loop is running: reap idle agents.
            self._pool.start_reaper()
        return self._pool

    def _project(self, root: Path) -> _Project:
        settings = self.session.settings_for(str(root / "accord.toml")).settings
        known = self._projects.get(root)
        if known is None or known[0] != settings:
            known = (
                settings,
                _Project(
                    root,
                    settings,
                    self.pool,
                    self.user,
                    self.session,
                    lambda at: self.org_policy(at),
                ),
            )
            self._projects[root] = known
        return known[1]


def _remember(history: History, task: Task, proposal: Proposal) -> None:
    target = task.target
    history.append("user", f"{task.kind.value} {target.symbol or ''} in {target.path}".strip())
    history.append("assistant", f"{proposal.title}: {proposal.rationale}")


def _user() -> str:
    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return "unknown"
