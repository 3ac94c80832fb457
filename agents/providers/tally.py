"""What one agent task spent at the providers: tokens in and out, and USD.

The gateway adds every answered call to the tally of the task it runs in (a context variable,
so concurrent tasks keep theirs apart and a tool conversation's calls count for its task); a
tally opened inside another adds to that one too.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass

from .types import ProviderResponse

__all__ = ["Tally", "count", "tallying"]


@dataclass(slots=True)
class Tally:
    input_tokens: int = 0
    output_tokens: int = 0
    cost_usd: float = 0.0
    provider: str = ""
    model: str = ""
    """Who answered last."""
    parent: Tally | None = None

    def add(self, response: ProviderResponse) -> None:
        tally: Tally | None = self
        while tally is not None:
            tally.input_tokens += response.usage.input_tokens
            tally.output_tokens += response.usage.output_tokens
            tally.cost_usd += response.cost_usd
            tally.provider, tally.model = response.provider, response.model
            tally = tally.parent

    def fields(self) -> dict[str, int | float]:
        """As a Proposal's ``input_tokens``, ``output_tokens`` and ``cost_usd``."""
        return {
            "input_tokens": self.input_tokens,
            "output_tokens": self.output_tokens,
            "cost_usd": round(self.cost_usd, 6),
        }

    @property
    def spent(self) -> bool:
        """Whether any provider answered (and may have charged)."""
        return bool(self.provider)


_CURRENT: ContextVar[Tally | None] = ContextVar("accord_provider_tally", default=None)


@contextmanager
def tallying() -> Iterator[Tally]:
    """A tally of the provider calls made inside the ``with`` (and the tasks it starts)."""
    tally = Tally(parent=_CURRENT.get())
    token = _CURRENT.set(tally)
    try:
        yield tally
    finally:
        _CURRENT.reset(token)


def count(response: ProviderResponse) -> None:
    """Add an answered call to the current task's tally (none: nobody is counting)."""
    tally = _CURRENT.get()
    if tally is not None:
        tally.add(response)
