"""What the provider gateway adds to a model call, and what failover costs.

A fake Anthropic Messages API server runs on loopback in this process tree (the tests' fake,
real HTTP). The same request is sent ``--calls`` times (a) straight through the official SDK
(``AsyncAnthropic.messages.create``) and (b) through ``Gateway.complete`` with an ``anthropic``
provider pointed at the same server, with the data guard on; printed are the medians and the
difference per call. Then failover: the first provider answers 500 and the second answers,
against the second provider called alone.

    python benchmarks/gateway_overhead.py [--calls 500]

Goal (issue 3): under 2 ms added per call.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import statistics
import sys
import tempfile
import time
from collections.abc import Awaitable, Callable
from functools import partial
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import anthropic

from accord.agents.guard import prepare_egress
from accord.agents.providers.gateway import build_gateway
from accord.agents.providers.types import Message, ProviderRequest
from accord.config import resolve
from tests.agents.providers.fakes import KEY, Behaviour, fake_provider

GOAL_MS = 2.0
REQUEST = ProviderRequest(
    capability="code_generation",
    system="Be brief.",
    messages=(Message(role="user", content="Document `total(a, b)`: it adds two numbers."),),
)


async def median_ms(call: Callable[[], Awaitable[Any]], calls: int) -> float:
    for _ in range(20):  # warm-up: connections, imports, caches
        await call()
    times = []
    for _ in range(calls):
        start = time.perf_counter()
        await call()
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


def provider(url: str, priority: int) -> dict[str, Any]:
    return {
        "kind": "anthropic",
        "model": "claude-fake",
        "base-url": url,
        "api-key-env": "BENCH_KEY",
        "priority": priority,
        "timeout": 10,
        "breaker": {"failure-threshold": 10**9},
    }


async def overhead(url: str, root: Path, calls: int) -> tuple[float, float]:
    settings = resolve([("bench", {"providers": {"claude": provider(url, 1)}})]).settings
    guard = partial(_guard, root=root, egress=settings.egress)
    gateway = build_gateway(settings, root, "bench", guard=guard)
    direct = anthropic.AsyncAnthropic(api_key=KEY, base_url=url, max_retries=0)
    messages = [{"role": "user", "content": REQUEST.messages[0].content}]
    sdk = await median_ms(
        lambda: direct.messages.create(
            model="claude-fake", max_tokens=2048, system=REQUEST.system, messages=messages
        ),
        calls,
    )
    through = await median_ms(lambda: gateway.complete(REQUEST), calls)
    await direct.close()
    await gateway.aclose()
    return sdk, through


def _guard(request: ProviderRequest, settings: Any, *, root: Path, egress: Any) -> Any:
    return prepare_egress(request, settings, root, egress)


async def failover(failing: Any, answering: Any, root: Path, calls: int) -> tuple[float, float]:
    both = {"first": provider(failing.url, 1), "second": provider(answering.url, 2)}
    settings = resolve([("bench", {"providers": both})]).settings
    gateway = build_gateway(settings, root, "bench")
    alone = build_gateway(
        resolve([("bench", {"providers": {"second": provider(answering.url, 1)}})]).settings,
        root,
        "bench",
    )
    failing.then(*[Behaviour("status", status=500)] * (calls + 20))
    over = await median_ms(lambda: gateway.complete(REQUEST), calls)
    direct = await median_ms(lambda: alone.complete(REQUEST), calls)
    await gateway.aclose()
    await alone.aclose()
    return over, direct


async def main(calls: int) -> None:
    os.environ["BENCH_KEY"] = KEY
    with (
        tempfile.TemporaryDirectory() as folder,
        fake_provider() as fake,
        fake_provider() as second,
    ):
        root = Path(folder)
        sdk, through = await overhead(fake.url, root, calls)
        added = through - sdk
        verdict = "met" if added < GOAL_MS else "MISSED"
        print(f"{calls} calls each, medians, fake Anthropic server on 127.0.0.1\n")
        print(f"{'path':<34}{'median ms':>10}")
        print(f"{'SDK messages.create':<34}{sdk:>10.3f}")
        print(f"{'Gateway.complete (guard, ledger)':<34}{through:>10.3f}")
        print(f"\nadded by the gateway: {added:.3f} ms per call (goal < {GOAL_MS} ms: {verdict})")
        over, direct = await failover(fake, second, root, max(calls // 5, 20))
        print(f"\nfailover (first answers 500, second answers): {over:.3f} ms")
        print(f"second provider alone:                        {direct:.3f} ms")
        print(f"failover costs {over - direct:.3f} ms ({over / direct:.2f}x the provider's own)")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--calls", type=int, default=500)
    asyncio.run(main(parser.parse_args().calls))
