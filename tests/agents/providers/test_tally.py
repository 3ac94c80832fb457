"""The tally of one task's provider calls: concurrent tasks keep theirs apart, an inner tally
adds to the outer one, and nobody counting is fine."""

from __future__ import annotations

import asyncio

from accord.agents.providers.tally import count, tallying
from accord.agents.providers.types import ProviderResponse, Usage


def _answer(tokens_in: int, tokens_out: int, cost: float) -> ProviderResponse:
    usage = Usage(input_tokens=tokens_in, output_tokens=tokens_out)
    return ProviderResponse(text="ok", provider="claude", model="m", usage=usage, cost_usd=cost)


async def test_concurrent_tasks_keep_their_own_tallies() -> None:
    async def task(calls: int) -> dict[str, int | float]:
        with tallying() as spent:
            for _ in range(calls):
                await asyncio.sleep(0)
                count(_answer(100, 10, 0.25))
            return spent.fields()

    one, three = await asyncio.gather(task(1), task(3))
    assert one == {"input_tokens": 100, "output_tokens": 10, "cost_usd": 0.25}
    assert three == {"input_tokens": 300, "output_tokens": 30, "cost_usd": 0.75}


def test_an_inner_tally_adds_to_the_outer_and_nothing_counts_outside() -> None:
    count(_answer(5, 5, 1.0))  # nobody is counting: no error, nothing kept
    with tallying() as outer:
        count(_answer(1, 2, 0.5))
        with tallying() as inner:
            count(_answer(10, 20, 0.125))
    assert inner.fields() == {"input_tokens": 10, "output_tokens": 20, "cost_usd": 0.125}
    assert outer.fields() == {"input_tokens": 11, "output_tokens": 22, "cost_usd": 0.625}
    assert outer.spent and (outer.provider, outer.model) == ("claude", "m")
    with tallying() as later:
        pass
    assert later.fields() == {"input_tokens": 0, "output_tokens": 0, "cost_usd": 0.0}
    assert not later.spent
