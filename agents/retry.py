"""Retries with exponential backoff, for transient provider failures."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from typing import TypeVar

from .exceptions import NoProvider, ProviderError

__all__ = ["backoff_delays", "retrying", "transient"]

T = TypeVar("T")


def backoff_delays(attempts: int, first: float) -> list[float]:
    """The waits between ``attempts`` tries: ``first``, then doubling (none after the last)."""
    return [first * 2**n for n in range(max(attempts - 1, 0))]


def transient(error: BaseException) -> bool:
    """Whether trying again may help: a provider failure, unless no provider fits at all."""
    if isinstance(error, NoProvider):
        return bool(error.failures)
    return isinstance(error, ProviderError)


async def retrying(
    call: Callable[[], Awaitable[T]],
    attempts: int,
    first_delay: float,
    on_retry: Callable[[int, BaseException, float], None] = lambda *_: None,
    sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
) -> T:
    """``await call()``, retrying transient errors after each backoff delay.

    Cancellation is never retried: it propagates from the call or from the wait.
    """
    for attempt, delay in enumerate(backoff_delays(attempts, first_delay), 1):
        try:
            return await call()
        except Exception as error:
            if not transient(error):
                raise
            on_retry(attempt, error, delay)
            await sleep(delay)
    return await call()
