"""Who is in the project room, as the language server knows it (pure).

The org link joins with ``presence: "delta"``: the join's (or a resume's) answer is the snapshot,
``presence.delta`` pushes change it. A delta whose ``count`` disagrees with the set it leaves
means something was missed: the caller re-reads the snapshot. The editor is told the whole
list each time (``accord/presence``, the shape of the org's full ``presence`` push): that hop is
local.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from accord.protocol.org import Presence, PresenceChange, PresenceDelta

__all__ = ["RoomPresence"]


@dataclass(slots=True)
class RoomPresence:
    """The emails online in one room, and what the editor was last told of them."""

    project: str
    emails: set[str] = field(default_factory=set)
    told: set[str] = field(default_factory=set)
    ready: bool = False
    """Whether a snapshot was taken on this connection (before it, deltas cannot be checked)."""

    def reset(self, online: tuple[str, ...]) -> None:
        """Take a snapshot (a join's or resume's ``presence``)."""
        self.emails, self.ready = set(online), True

    def apply(self, delta: PresenceDelta) -> bool:
        """Apply a delta; False when the result disagrees with the server's count (re-sync)."""
        self.emails.update(delta.joined)
        self.emails.difference_update(delta.left)
        return bool(len(self.emails) == delta.count)

    @property
    def online(self) -> tuple[str, ...]:
        return tuple(sorted(self.emails))

    def shown(self) -> Presence | None:
        """What the editor is to be told: the whole list with what changed since it was last
        told, as the org's full ``presence`` push has it; None when nothing changed."""
        changes = [PresenceChange(email=e, state="joined") for e in sorted(self.emails - self.told)]
        changes += [PresenceChange(email=e, state="left") for e in sorted(self.told - self.emails)]
        if not changes:
            return None
        self.told = set(self.emails)
        last = changes[-1]
        return Presence(
            project=self.project,
            email=last.email,
            state=last.state,
            online=self.online,
            changes=tuple(changes) if len(changes) > 1 else (),
        )
