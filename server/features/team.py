"""The team in the editor: who is online in the project, what their agents are doing now, the
project's pending approvals, and the suggestions teammates post (see ``accord.server.team_state``).

- ``accord/team`` (request, ``{"root"?}``): the Team view of the workspace's project;
- ``accord/teamChanged`` (notification): the same view, whenever it changes (a teammate's
  approval request is re-read from the org server when the room says it moved: ``approval``);
- ``accord.team.suggestion {"id", "decision": "accept" | "dismiss"}``: what the user makes of a
  teammate's suggestion. Accepted, it joins the agents' context (if the mode did not already put
  it there); either way the room hears of the decision (``suggestion.decision``), so its author
  does too.
"""

from __future__ import annotations

import asyncio
from collections.abc import Coroutine
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from pygls.exceptions import JsonRpcInvalidParams

from accord.org.client import OrgError
from accord.policy.model import CollaborationMode
from accord.protocol.org import (
    ApprovalUpdated,
    Message,
    Presence,
    RoomEvent,
    RoomJoined,
)

from ..org_link import OrgLink
from ..session import path_of
from ..team_state import TeamState, suggestion_id
from . import RAISE, guarded, state_of

if TYPE_CHECKING:
    from ..app import AccordServer

__all__ = ["CHANGED", "DECIDE", "TEAM", "setup"]

TEAM = "accord/team"
CHANGED = "accord/teamChanged"
DECIDE = "accord.team.suggestion"
# Modes in which a suggestion joins the agents' context as it arrives (see OrgLink).
_TAKEN_AT_ONCE = frozenset({CollaborationMode.GUIDANCE, CollaborationMode.CONTROL})


@dataclass
class Teams:
    """The Team view of each linked workspace root."""

    by_root: dict[Path, TeamState] = field(default_factory=dict)
    # Suggestions already in the agents' context (taken as they arrived), by id.
    in_context: set[str] = field(default_factory=set)
    # Approval lists being read again.
    tasks: set[asyncio.Future[None]] = field(default_factory=set)


def setup(server: AccordServer) -> None:
    server.link_hooks.observe = lambda link, message: _observe(server, link, message)

    @server.feature(TEAM)
    @guarded("team", fallback=RAISE)
    async def team(params: Any) -> dict[str, Any]:
        link = _link_for(server, _field(params, "root"))
        if link is None:
            return _unlinked()
        state = _team_of(server, link)
        if link.online:
            try:
                state.approvals_listed(await link.project_approvals())
            except OrgError:
                pass  # the approvals pushed since connecting stand
        return state.view(link.online)

    @server.command(DECIDE)
    @guarded("team", fallback=RAISE)
    async def decide(request: dict[str, Any]) -> dict[str, Any]:
        found, decision = _field(request, "id"), _field(request, "decision")
        if not isinstance(found, str) or decision not in {"accept", "dismiss"}:
            raise JsonRpcInvalidParams(
                message=f"{DECIDE} takes {{'id': a suggestion's id, 'decision': accept|dismiss}}"
            )
        for root, state in state_of(server, Teams).by_root.items():
            suggestion = state.suggestions.get(found)
            if suggestion is None:
                continue
            link = server.org_links[root]
            suggestion.state = "accepted" if decision == "accept" else "dismissed"
            teams = state_of(server, Teams)
            if decision == "accept" and found not in teams.in_context:
                server.agents.suggest(root, suggestion.author, suggestion.text)
                teams.in_context.add(found)
            await link.publish(
                "suggestion.decision",
                {"id": found, "decision": suggestion.state, "author": suggestion.author},
            )
            _changed(server, link, state)
            return {"id": found, "state": suggestion.state, "project": state.project}
        raise JsonRpcInvalidParams(message=f"{DECIDE}: no suggestion {found!r} in the Team view")


def _observe(server: AccordServer, link: OrgLink, message: Message) -> None:
    state = _team_of(server, link)
    if isinstance(message, RoomJoined):
        state.joined(message.presence)
        changed = True
    elif isinstance(message, RoomEvent):
        if message.kind == "approval":  # a teammate's request moved: read the list again
            _in_background(server, _relist(server, link, state))
        changed = state.event(message)
        if changed and message.kind == "suggestion" and message.actor != state.me:
            if server.link_hooks.current_mode() in _TAKEN_AT_ONCE:
                state_of(server, Teams).in_context.add(suggestion_id(message))
    elif isinstance(message, Presence):
        changed = state.presence(message)
    elif isinstance(message, ApprovalUpdated):
        changed = state.approval(message.approval)
    else:
        changed = False
    if changed:
        _changed(server, link, state)


async def _relist(server: AccordServer, link: OrgLink, state: TeamState) -> None:
    try:
        listed = await link.project_approvals()
    except OrgError:
        return
    before = dict(state.approvals)
    state.approvals_listed(listed)
    if state.approvals != before:
        _changed(server, link, state)


def _in_background(server: AccordServer, job: Coroutine[Any, Any, None]) -> None:
    tasks = state_of(server, Teams).tasks
    task = asyncio.ensure_future(job)
    tasks.add(task)
    task.add_done_callback(tasks.discard)


def _changed(server: AccordServer, link: OrgLink, state: TeamState) -> None:
    server.protocol.notify(CHANGED, {"root": str(link.root), **state.view(link.online)})


def _team_of(server: AccordServer, link: OrgLink) -> TeamState:
    teams = state_of(server, Teams).by_root
    state = teams.get(link.root)
    if state is None or state.project != link.project:
        state = teams[link.root] = TeamState(project=link.project)
    state.me = link.identity.email if link.identity else state.me
    return state


def _link_for(server: AccordServer, root: object) -> OrgLink | None:
    if isinstance(root, str) and root:
        return server.org_links.get(Path(path_of(root) or root))
    return next(iter(server.org_links.values()), None)


def _field(params: Any, name: str) -> Any:
    """A field of a request's params (a dict, or pygls's object for an unknown method)."""
    if isinstance(params, dict):
        return params.get(name)
    return getattr(params, name, None)


def _unlinked() -> dict[str, Any]:
    return {
        "project": None,
        "connected": False,
        "me": None,
        "online": [],
        "activity": [],
        "approvals": [],
        "suggestions": [],
        "problem": "this workspace is not linked to an org server ([org] url in accord.toml)",
    }
