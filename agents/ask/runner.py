"""The tool conversation an orchestrator runs for an Ask task, built for one project.

``conversation`` ties the loop to a project: its gateway, its root and settings, the tools'
refusals (the data guard for the strictest provider that may answer, plus any policy rule the
caller adds), the audit recorder, the limits from ``[agents]`` and the interpreter that runs the
project's tests (the project's ``.venv`` when it has one).
"""

from __future__ import annotations

import sys
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

from accord.agents.guard import Deployment, refusal
from accord.agents.providers.gateway import Gateway
from accord.agents.providers.types import ProviderRequest, ProviderResponse
from accord.agents.tasks import Task
from accord.audit import AgentAction, AuditStore, EventDraft, EventType
from accord.config import Settings

from .loop import Limits, Note, tool_loop
from .offline import scope_of
from .tools import Record, Refuse, ToolBox

__all__ = ["Converse", "audit_recorder", "conversation", "strictest", "workspace_python"]

Converse = Callable[[ProviderRequest, Task, Note], Awaitable[ProviderResponse]]
_ORDER: tuple[Deployment, ...] = ("external", "on_premise", "local")


def conversation(
    gateway: Gateway, root: Path, settings: Settings, record: Record, also: Refuse | None = None
) -> Converse:
    """The ``Converse`` for tasks of the project at ``root``."""

    async def converse(request: ProviderRequest, task: Task, note: Note) -> ProviderResponse:
        deployment = strictest(gateway, request.capability)

        def refuse(path: Path) -> str | None:
            why = refusal(path, root, settings.egress, deployment)
            return why or (also(path) if also is not None else None)

        tools = ToolBox(root, settings, refuse, record, python=workspace_python(root))
        agents = settings.agents
        limits = Limits(agents.max_steps, agents.max_task_tokens, agents.max_task_cost)
        scope = {target.path: target.source for target in scope_of(task)}
        return await tool_loop(gateway.complete, request, tools, scope, limits, note)

    return converse


def strictest(gateway: Gateway, capability: str) -> Deployment:
    """The most exposed deployment among the providers that may answer ``capability``."""
    found = {gateway.settings[name].deployment for name in gateway.candidates(capability)}
    return next((d for d in _ORDER if d in found), "local")


def workspace_python(root: Path) -> str:
    """The project's own interpreter (``.venv`` or ``venv``), else this one."""
    for folder in (".venv", "venv"):
        candidate = (
            root / folder / ("Scripts/python.exe" if sys.platform == "win32" else "bin/python")
        )
        if candidate.exists():
            return str(candidate)
    return sys.executable


def audit_recorder(root: Path, user: str) -> Record:
    """Records each tool call as an ``agent.action`` event in the project's audit log."""
    store = AuditStore(root)

    def record(name: str, arguments: dict[str, Any], outcome: dict[str, Any]) -> None:
        problem = outcome.get("refused") or outcome.get("error")
        action = AgentAction(
            action_type=f"tool:{name}",
            input_data=arguments,
            output_data=outcome,
            success=bool(outcome.get("ok")),
            error_message=str(problem) if problem else None,
        )
        store.append(
            EventDraft(
                type=EventType.AGENT_ACTION,
                actor=user or "unknown",
                project=root.name or "project",
                agent_action=action,
            )
        )

    return record
