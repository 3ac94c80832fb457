"""Sealing a batch of drafts onto an organisation's audit chain, apart from the store that keeps
it: both stores read the head and the origins already recorded, call :func:`seal_batch`, and
write what it returns."""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from uuid import uuid4

from accord.audit.chain import GENESIS, Head, StoredRow, seal
from accord.audit.events import Event, EventDraft

__all__ = ["Sealed", "seal_batch"]


@dataclass(frozen=True, slots=True)
class Sealed:
    """A draft given its place in the chain: the event, its stored row and its origin id."""

    event: Event
    row: StoredRow
    origin: str | None


def seal_batch(
    drafts: Sequence[EventDraft],
    origins: Sequence[str | None],
    recorded: Collection[str],
    head: Head | None,
) -> list[Sealed | None]:
    """Each draft sealed after ``head`` (None: the chain is empty), in order; None for a draft
    whose origin id is ``recorded`` already or came earlier in the batch."""
    seq, prev = (head.seq, head.hash) if head else (0, GENESIS)
    seen = set(recorded)
    sealed: list[Sealed | None] = []
    for draft, origin in zip(drafts, origins, strict=True):
        if origin is not None:
            if origin in seen:
                sealed.append(None)
                continue
            seen.add(origin)
        seq += 1
        event = Event.place(draft, seq, uuid4(), datetime.now(UTC), prev)
        row = seal(event)
        prev = row.hash
        sealed.append(Sealed(event, row, origin))
    return sealed
