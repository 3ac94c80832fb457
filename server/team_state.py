"""What a user sees of their team in one project (the editors' Team view), kept from the org
link's pushes: who is online, what each teammate's agents are doing now (their last
``agent_action`` room event), the project's pending approvals, and the suggestions teammates
posted into the room with what became of them. Pure: messages in, a JSON-able view out.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import PurePath
from typing import Any

from accord.protocol.org import ApprovalView, Presence, RoomEvent

__all__ = ["Suggestion", "TeamState", "online_after", "suggestion_id"]

PENDING = frozenset({"pending", "escalated"})
"""Approval states still waiting for a decision."""
_SUGGESTIONS_KEPT = 50


def online_after(online: frozenset[str], presence: Presence) -> frozenset[str]:
    """Who is in the room after a presence push (the one place presence pushes are read)."""
    return frozenset(presence.online)


def suggestion_id(event: RoomEvent) -> str:
    """A suggestion's id: where it sits in the room's stream."""
    return f"{event.epoch}:{event.offset}"


@dataclass
class Suggestion:
    """A teammate's suggestion and what this user made of it."""

    id: str
    author: str
    text: str
    at: str
    # Where it points, when posted on a selection: a project-relative path and a range.
    file: str | None = None
    range: dict[str, Any] | None = None
    # "open", "accepted" or "dismissed".
    state: str = "open"

    def view(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "author": self.author,
            "text": self.text,
            "at": self.at,
            "file": self.file,
            "range": self.range,
            "state": self.state,
        }


@dataclass
class TeamState:
    """One project's team, as one user's language server sees it."""

    project: str
    me: str | None = None
    online: frozenset[str] = frozenset()
    # Each teammate's latest agent step, by email.
    activity: dict[str, dict[str, Any]] = field(default_factory=dict)
    # Pending approval requests of the project, by id.
    approvals: dict[str, dict[str, Any]] = field(default_factory=dict)
    suggestions: dict[str, Suggestion] = field(default_factory=dict)

    def joined(self, presence: tuple[str, ...]) -> None:
        self.online = frozenset(presence)

    def presence(self, message: Presence) -> bool:
        before, self.online = self.online, online_after(self.online, message)
        return before != self.online

    def event(self, event: RoomEvent) -> bool:
        """Take a room event in; whether the view changed."""
        if event.kind == "agent_action":
            return self._agent_step(event)
        if event.kind == "suggestion" and event.actor != self.me:
            return self._suggested(event)
        return False

    def _agent_step(self, event: RoomEvent) -> bool:
        action = event.data.get("action")
        if not isinstance(action, dict):
            return False
        details = action.get("data")
        details = details if isinstance(details, dict) else {}
        path = details.get("file_path")
        self.activity[event.actor] = {
            "actor": event.actor,
            "step": str(action.get("type", "")),
            "status": str(action.get("status", "")),
            "action": str(details.get("action", "")),
            "file": PurePath(path).name if isinstance(path, str) and path else None,
            "at": event.ts.isoformat(),
        }
        return True

    def _suggested(self, event: RoomEvent) -> bool:
        text = str(event.data.get("text", "")).strip()
        if not text:
            return False
        file, where = event.data.get("file"), event.data.get("range")
        found = Suggestion(
            id=suggestion_id(event),
            author=event.actor,
            text=text,
            at=event.ts.isoformat(),
            file=file if isinstance(file, str) else None,
            range=where if isinstance(where, dict) else None,
        )
        self.suggestions[found.id] = found
        for old in list(self.suggestions)[:-_SUGGESTIONS_KEPT]:
            del self.suggestions[old]
        return True

    def approval(self, view: ApprovalView) -> bool:
        """Take an approval's new state in; whether the view changed."""
        if view.project != self.project:
            return False
        if view.state not in PENDING:
            return self.approvals.pop(view.id, None) is not None
        self.approvals[view.id] = {
            "id": view.id,
            "title": view.proposal.title,
            "requester": view.requester_email,
            "risk": view.risk.score,
            "state": view.state,
            "missing_roles": list(view.missing_roles),
            "files": list(view.proposal.files),
        }
        return True

    def approvals_listed(self, views: tuple[ApprovalView, ...]) -> None:
        self.approvals.clear()
        for view in views:
            self.approval(view)

    def view(self, online: bool) -> dict[str, Any]:
        """The Team view: what ``accord/team`` answers."""
        return {
            "project": self.project,
            "connected": online,
            "me": self.me,
            "online": sorted(self.online),
            "activity": sorted(self.activity.values(), key=lambda a: str(a["at"]), reverse=True),
            "approvals": list(self.approvals.values()),
            "suggestions": [s.view() for s in reversed(self.suggestions.values())],
        }
