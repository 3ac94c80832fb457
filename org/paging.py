"""Answers every client can read: pages of stored events cut by bytes as well as by count.

A page holds at least one event and, after the first, no event that would take it past
:data:`PAGE_BYTES`; an event is never larger than :data:`MAX_EVENT_BYTES` (``room.publish`` and
``audit.append`` refuse larger ones), so a page fits a client that takes 1 MiB messages (the
``websockets`` default). Rows are read in growing chunks, so an answer never reads more than a
chunk beyond what it sends.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Sequence
from typing import TypeVar

__all__ = ["HISTORY_BYTES", "MAX_EVENT_BYTES", "PAGE_BYTES", "Page", "read_page"]

PAGE_BYTES = 768 << 10
"""The events of one ``room.resume``, ``room.join`` or ``audit.query`` answer, in bytes."""
MAX_EVENT_BYTES = 256 << 10
"""The largest room event's data or audit event, in bytes of JSON."""
HISTORY_BYTES = 16 << 20
"""Bytes of events kept per room for resuming (as well as the count)."""

_FIRST_CHUNK, _LAST_CHUNK = 8, 256

T = TypeVar("T")
Page = tuple[list[T], bool]
"""The events, and whether more may follow."""


async def read_page(
    fetch: Callable[[int, int], Awaitable[Sequence[T]]],
    position: Callable[[T], int],
    size: Callable[[T], int],
    after: int,
    limit: int,
    budget: int = PAGE_BYTES,
) -> Page[T]:
    """Up to ``limit`` events after ``after`` and within ``budget`` bytes (``size`` of each).

    ``fetch(after, n)`` reads up to ``n`` events after a position, in order; ``position`` is an
    event's place in that order (its seq or offset)."""
    taken: list[T] = []
    used, chunk = 0, _FIRST_CHUNK
    while len(taken) < limit:
        asked = min(chunk, limit - len(taken))
        batch = await fetch(after, asked)
        for event in batch:
            cost = size(event)
            if taken and used + cost > budget:
                return taken, True
            taken.append(event)
            used += cost
        if len(batch) < asked:
            return taken, False
        after, chunk = position(batch[-1]), min(chunk * 2, _LAST_CHUNK)
    return taken, True
