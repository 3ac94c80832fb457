"""A circuit breaker per provider: closed → open after N failures → half-open after a cool-down."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from enum import StrEnum

__all__ = ["Breaker", "BreakerState"]


class BreakerState(StrEnum):
    CLOSED = "closed"
    OPEN = "open"
    HALF_OPEN = "half_open"


@dataclass(slots=True)
class Breaker:
    """Counts consecutive failures; while open, calls are refused until ``cool_down`` passes.

    After the cool-down one trial call is let through (half-open): its success closes the
    breaker, its failure opens it again for another cool-down.
    """

    failure_threshold: int
    cool_down: float
    clock: Callable[[], float]
    failures: int = 0
    # When the breaker last opened (clock seconds); None while closed.
    opened_at: float | None = None
    # A half-open trial call is in flight.
    _trial: bool = field(default=False, repr=False)

    @property
    def state(self) -> BreakerState:
        if self.opened_at is None:
            return BreakerState.CLOSED
        if self.clock() - self.opened_at >= self.cool_down:
            return BreakerState.HALF_OPEN
        return BreakerState.OPEN

    def allow(self) -> bool:
        """Whether a call may go ahead now (claims the half-open trial when it is one)."""
        state = self.state
        if state is BreakerState.CLOSED:
            return True
        if state is BreakerState.HALF_OPEN and not self._trial:
            self._trial = True
            return True
        return False

    def succeeded(self) -> None:
        self.failures, self.opened_at, self._trial = 0, None, False

    def failed(self) -> None:
        self.failures += 1
        self._trial = False
        if self.opened_at is not None or self.failures >= self.failure_threshold:
            self.opened_at = self.clock()
