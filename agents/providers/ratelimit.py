"""A token bucket: ``requests-per-minute`` on average, bursts of up to ``burst``."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

__all__ = ["TokenBucket"]


@dataclass(slots=True)
class TokenBucket:
    rate_per_second: float
    capacity: float
    clock: Callable[[], float]
    tokens: float = -1.0
    updated: float = 0.0

    def __post_init__(self) -> None:
        if self.tokens < 0:
            self.tokens, self.updated = self.capacity, self.clock()

    def take(self) -> float:
        """Take a token; returns 0 when one was free, else the seconds until one will be."""
        now = self.clock()
        self.tokens = min(self.capacity, self.tokens + (now - self.updated) * self.rate_per_second)
        self.updated = now
        if self.tokens >= 1:
            self.tokens -= 1
            return 0.0
        return (1 - self.tokens) / self.rate_per_second
