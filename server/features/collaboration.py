"""Collaboration modes (seed spec §6.2), one per session, switched by ``accord.mode.set``.

- observation: read-only — agents work and their proposals are shown as a diff, never applied;
  only milestones (routing, the proposal) are sent as ``accord/agentAction``;
- guidance (the policy's usual default): every step is sent, and the approval gate asks at
  decision points;
- control: step by step — the user (or the controller named with ``{"controller": email}``, a
  teammate in the project room on the org server) approves each agent step before it runs, and
  the user every proposal, however low its risk, before it is applied;
- autonomous: notifications at completion only, and the gate asks only where the policy requires
  approval (a mode never lowers what the policy requires).

The modes a project may use and its default come from its policy; a change is audited.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from lsprotocol import types
from pygls.exceptions import JsonRpcInvalidParams

from accord.agents.orchestrator import Checkpoint
from accord.audit import AuditStore, EventDraft, EventType
from accord.policy.loading import PolicyError, load_policy
from accord.policy.model import CollaborationMode
from accord.protocol import AgentActionEnvelope

from . import RAISE, guarded, state_of

if TYPE_CHECKING:
    from ..app import AccordServer


@dataclass
class CollaborationState:
    """What this feature keeps per server."""

    # The session's collaboration mode; the policy's default until set.
    mode: CollaborationMode | None = None
    # In control mode, the teammate (email) who approves each agent step, if not the user.
    controller: str | None = None


__all__ = ["MILESTONES", "SET", "checkpoint_for", "mode_of", "notifies", "setup"]

SET = "accord.mode.set"
GET = "accord.mode.get"
MILESTONES = frozenset({"routed", "proposal", "merge"})
CONTINUE, STOP = "Continue", "Stop"


def setup(server: AccordServer) -> None:
    server.link_hooks.mode = lambda: mode_of(server)

    @server.command(SET)
    @guarded("collaboration", fallback=RAISE)
    async def set_mode(request: dict[str, Any]) -> dict[str, Any]:
        root = Path(server.session.root_of(None))
        allowed = _policy_modes(root)
        try:
            mode = CollaborationMode(str(request["mode"]))
        except (KeyError, TypeError, ValueError) as error:
            raise JsonRpcInvalidParams(
                message=f"{SET} takes {{'mode': one of {[m.value for m in allowed]}}}"
            ) from error
        if mode not in allowed:
            raise JsonRpcInvalidParams(message=f"the policy does not allow the {mode} mode")
        controller = request.get("controller") if mode is CollaborationMode.CONTROL else None
        if controller is not None and not isinstance(controller, str):
            raise JsonRpcInvalidParams(message=f"{SET}: controller is a teammate's email")
        before = mode_of(server)
        state = state_of(server, CollaborationState)
        state.mode, state.controller = mode, controller
        AuditStore(root).append(
            EventDraft(
                type=EventType.MODE_CHANGED,
                actor=server.agents.user,
                project=root.name,
                payload={"from": before.value, "to": mode.value, "controller": controller},
            )
        )
        for link in server.org_links.values():
            await link.publish(
                "mode", {"mode": mode.value, "previous": before.value, "controller": controller}
            )
        answer = {"mode": mode.value, "previous": before.value}
        return answer | ({"controller": controller} if controller else {})

    @server.command(GET)
    def get_mode() -> dict[str, Any]:
        return {"mode": mode_of(server).value}


def mode_of(server: AccordServer) -> CollaborationMode:
    """The session's mode; the workspace policy's default until one is set."""
    state = state_of(server, CollaborationState)
    if state.mode is None:
        try:
            state.mode = load_policy(server.session.root_of(None)).default_mode
        except PolicyError:
            state.mode = CollaborationMode.GUIDANCE
    return state.mode


def notifies(mode: CollaborationMode, envelope: AgentActionEnvelope) -> bool:
    """Whether ``envelope`` is sent to the editor in ``mode``."""
    kind = envelope.action.type
    if mode is CollaborationMode.AUTONOMOUS:
        return kind == "proposal"
    if mode is CollaborationMode.OBSERVATION:
        return kind in MILESTONES
    return True


def checkpoint_for(server: AccordServer) -> Checkpoint | None:
    """In control mode, a prompt before each agent step (to the controller, a teammate in the
    project room, when one is named and the org is reachable); None otherwise."""
    if mode_of(server) is not CollaborationMode.CONTROL:
        return None
    links = [link for link in server.org_links.values() if link.online]
    controller = state_of(server, CollaborationState).controller
    if controller is not None and links:
        link = links[0]

        async def ask_controller(step: str) -> bool:
            return await link.ask_controller(controller, step)

        return ask_controller

    async def ask(step: str) -> bool:
        params = types.ShowMessageRequestParams(
            type=types.MessageType.Info,
            message=f"Accord (control mode): run the {step.replace('_', ' ')} step?",
            actions=[types.MessageActionItem(title=CONTINUE), types.MessageActionItem(title=STOP)],
        )
        picked = await server.window_show_message_request_async(params)
        return picked is not None and picked.title == CONTINUE

    return ask


def _policy_modes(root: Path) -> tuple[CollaborationMode, ...]:
    try:
        return load_policy(root).collaboration_modes
    except PolicyError:
        return tuple(CollaborationMode)
