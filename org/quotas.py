"""Per-user quotas on what a user may add to the org's stores: events and bytes per second
(pure over the clock).

Each (user, method) has two token buckets, one of events and one of bytes, each refilled at its
rate and holding up to ``burst_seconds`` of it (never less than one largest call). A call takes
from both or from neither: a refused call costs nothing, and says when it would fit.
The buckets are per process: with N replicas, a user may reach N times the rate.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Literal

__all__ = ["DEFAULT_QUOTAS", "Quota", "QuotaExceeded", "Quotas", "parse_quota"]

Kind = Literal["events", "bytes"]


@dataclass(frozen=True, slots=True)
class Quota:
    """What one user may send to one method: events and bytes per second, and the burst."""

    events_per_second: float
    bytes_per_second: float
    burst_seconds: float = 10.0
    min_events: float = 500
    """The events bucket holds at least this many (one full ``audit.append`` batch)."""
    min_bytes: float = 4 << 20
    """The bytes bucket holds at least this many (one largest frame)."""

    def capacity(self, kind: Kind) -> float:
        if kind == "events":
            return max(self.events_per_second * self.burst_seconds, self.min_events)
        return max(self.bytes_per_second * self.burst_seconds, self.min_bytes)

    def rate(self, kind: Kind) -> float:
        return self.events_per_second if kind == "events" else self.bytes_per_second


DEFAULT_QUOTAS: dict[str, Quota] = {
    "audit.append": Quota(events_per_second=100, bytes_per_second=256 << 10),
    "room.publish": Quota(events_per_second=50, bytes_per_second=128 << 10, min_events=100),
}
"""The methods under quota, and their default quotas."""


class QuotaExceeded(Exception):
    """A call over its user's quota; ``retry_after`` says when the same call would fit."""

    def __init__(self, method: str, kind: Kind, quota: Quota, retry_after: float) -> None:
        unit = "events/s" if kind == "events" else "bytes/s"
        super().__init__(
            f"{method}: over your quota of {quota.rate(kind):g} {unit}; "
            f"retry in {retry_after:.1f} s"
        )
        self.method, self.kind, self.retry_after = method, kind, retry_after


@dataclass(slots=True)
class _Bucket:
    level: float
    updated: float


@dataclass(slots=True)
class Quotas:
    """The buckets of every (user, method) under quota."""

    rules: dict[str, Quota]
    clock: Callable[[], float]
    _buckets: dict[tuple[str, str, Kind], _Bucket] = field(default_factory=dict)

    def charge(self, user_id: str, method: str, events: int, size: int) -> None:
        """Take ``events`` and ``size`` bytes from the user's buckets for ``method``; raises
        :class:`QuotaExceeded` (taking nothing) when either is short."""
        quota = self.rules.get(method)
        if quota is None:
            return
        now = self.clock()
        wanted: tuple[tuple[Kind, float], ...] = (("events", events), ("bytes", size))
        buckets = [self._refilled(user_id, method, kind, quota, now) for kind, _ in wanted]
        for bucket, (kind, amount) in zip(buckets, wanted, strict=True):
            amount = min(amount, quota.capacity(kind))  # one oversized call waits for a full one
            if bucket.level < amount:
                wait = (amount - bucket.level) / quota.rate(kind)
                raise QuotaExceeded(method, kind, quota, wait)
        for bucket, (kind, amount) in zip(buckets, wanted, strict=True):
            bucket.level -= min(amount, quota.capacity(kind))

    def _refilled(self, user: str, method: str, kind: Kind, quota: Quota, now: float) -> _Bucket:
        key = (user, method, kind)
        bucket = self._buckets.get(key)
        if bucket is None:
            bucket = self._buckets[key] = _Bucket(quota.capacity(kind), now)
        gained = (now - bucket.updated) * quota.rate(kind)
        bucket.level = min(quota.capacity(kind), bucket.level + gained)
        bucket.updated = now
        return bucket


def parse_quota(text: str) -> tuple[str, Quota]:
    """``METHOD=EVENTS/BYTES`` (per second), as the ``--quota`` option takes it."""
    method, sep, rates = text.partition("=")
    events, slash, size = rates.partition("/")
    if not sep or not slash or method not in DEFAULT_QUOTAS:
        known = ", ".join(sorted(DEFAULT_QUOTAS))
        raise ValueError(f"expected METHOD=EVENTS/BYTES with METHOD one of {known}: {text!r}")
    default = DEFAULT_QUOTAS[method]
    quota = Quota(float(events), float(size), default.burst_seconds, default.min_events)
    if quota.events_per_second <= 0 or quota.bytes_per_second <= 0:
        raise ValueError(f"quota rates must be positive: {text!r}")
    return method, quota
