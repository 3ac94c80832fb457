"""Where a language server is in its project room's event stream (pure, but for load/save).

A room is a sequence of events numbered by ``offset`` within an ``epoch``. The cursor accepts an
event only if it is the room's current epoch and beyond the last offset delivered, so each event
reaches the editor once and in order. A join or resume that the server could not recover from
(the epoch changed, the history was trimmed) moves the cursor to the room's present position and
says so, so that the editor can re-sync.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from accord.protocol.org import RoomEvent, RoomJoined

from .durable import read_json, write_json

__all__ = ["Joined", "RoomCursor", "load_cursor", "save_cursor"]


@dataclass(frozen=True, slots=True)
class Joined:
    """What a join or resume answer means for the cursor."""

    # The events it carried could be delivered (False: a gap nobody can fill).
    recovered: bool
    # The editor should be told to re-sync (a known position was lost).
    resync: bool


@dataclass(slots=True)
class RoomCursor:
    """The epoch and the offset of the last event delivered (None before the first join)."""

    epoch: str | None = None
    offset: int | None = None

    def fresh(self, event: RoomEvent) -> bool:
        """Whether ``event`` is the next to deliver: this epoch, and not delivered yet."""
        return event.epoch == self.epoch and (self.offset is None or event.offset > self.offset)

    def gap_before(self, event: RoomEvent) -> bool:
        """Whether events were missed before ``event`` (it skips past the next offset)."""
        return (
            self.offset is not None and event.epoch == self.epoch and event.offset > self.offset + 1
        )

    def moved_to(self, epoch: str, offset: int) -> None:
        self.epoch, self.offset = epoch, offset

    def absorb(self, joined: RoomJoined) -> Joined:
        """Take in a join or resume answer; its events are then delivered one by one (each
        checked with :meth:`fresh`) when it ``recovered``."""
        if not joined.recovered:
            resync = self.epoch is not None
            self.moved_to(joined.epoch, joined.offset)
            return Joined(recovered=False, resync=resync)
        if self.epoch is None:
            self.moved_to(joined.epoch, joined.offset)
        return Joined(recovered=True, resync=False)


def load_cursor(path: Path) -> RoomCursor:
    """The cursor saved at ``path``, or a new one when there is none (or it is unreadable)."""
    try:
        saved = read_json(path)
        return RoomCursor(str(saved["epoch"]), int(saved["offset"]))
    except (OSError, ValueError, KeyError, TypeError):
        return RoomCursor()


def save_cursor(path: Path, cursor: RoomCursor) -> None:
    write_json(path, {"epoch": cursor.epoch, "offset": cursor.offset})
