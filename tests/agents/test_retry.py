"""Backoff schedule and which failures are retried."""

from __future__ import annotations

import pytest

from accord.agents.exceptions import ActionFailed, NoProvider, ProviderUnavailable
from accord.agents.retry import backoff_delays, retrying, transient


def test_delays_double() -> None:
    assert backoff_delays(4, 0.5) == [0.5, 1.0, 2.0]
    assert backoff_delays(1, 0.5) == []


@pytest.mark.parametrize(
    ("error", "retried"),
    [
        (ProviderUnavailable("x", "500"), True),
        (NoProvider("all failed", (ProviderUnavailable("x", "500"),)), True),
        (NoProvider("none fits"), False),
        (ActionFailed("bad answer"), False),
    ],
)
def test_transient(error: Exception, retried: bool) -> None:
    assert transient(error) is retried


async def test_retries_until_success() -> None:
    calls, waits = [], []

    async def call() -> str:
        calls.append(1)
        if len(calls) < 3:
            raise ProviderUnavailable("x", "500")
        return "ok"

    async def sleep(seconds: float) -> None:
        waits.append(seconds)

    assert await retrying(call, 3, 0.1, sleep=sleep) == "ok"
    assert waits == [0.1, 0.2]


async def test_permanent_errors_are_not_retried() -> None:
    calls = []

    async def call() -> str:
        calls.append(1)
        raise ActionFailed("no")

    with pytest.raises(ActionFailed):
        await retrying(call, 3, 0.0)
    assert calls == [1]
