"""The web console's page latency on a big organisation, and the audit export rate.

A store (SQLite file, then a fresh PostgreSQL schema) is seeded with one organisation holding
``--events`` audit events (default 100,000), ``--approvals`` approval requests (default 1,000,
opened through the real approval desk, so each adds three events too) and 2,000 usage events.
``accord org serve --console-port 0`` then serves it; an admin logs in with a token and each page
is fetched ``--rounds`` times over HTTP (keep-alive), reporting p50 and p95. The export is the
console's JSON Lines download; its rate is set against reading the same bodies straight from
the database with the same driver (what a DBA would otherwise script).

    python benchmarks/console_pages.py [--events 100000] [--approvals 1000] [--rounds 40]
"""

from __future__ import annotations

import argparse
import asyncio
import os
import re
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import httpx

from accord.audit.events import AgentAction, EventDraft, EventType
from accord.org.approvals import ApprovalDesk
from accord.org.fanout import Fanout
from accord.org.hub import Hub
from accord.org.metrics import Metrics
from accord.org.policies import PolicyBook
from accord.org.store import OrgStore
from accord.org.store.opening import opened_store
from accord.org.tokens import TokenIssuer
from accord.protocol.org import ApprovalRequestParams, Identity, RiskSummary
from tests.org.proposals import summary
from tests.org.scaleout import postgres_schema

USAGE_EVENTS = 2000


async def seed(url: str, events: int, approvals: int) -> tuple[str, str]:
    """Fill the store; returns (organisation id, a login token of its admin)."""
    store = await opened_store(url)
    try:
        org = await store.create_org("Bench")
        admin = await store.add_user(org.id, "admin@bench.test", ("admin",))
        dev = await store.add_user(org.id, "dev@bench.test", ("developer",))
        await _approvals(store, org.id, org.name, dev.id, approvals)
        await _events(store, org.id, events - 3 * approvals)
        for i in range(USAGE_EVENTS):
            data: dict[str, Any] = {
                "provider": ("anthropic", "openai")[i % 2],
                "action": "fix",
                "input_tokens": 1000,
                "output_tokens": 200,
                "cost_usd": 0.01,
            }
            await store.record_usage(org.id, dev.id, "shop", "agent.proposal", data)
        issued = TokenIssuer(await store.signing_key()).issue(admin.id, org.id, "refresh", 0)
        await store.save_refresh(issued.claims.jti, admin.id, issued.claims.expires_at)
        return org.id, issued.token
    finally:
        await store.close()


async def _approvals(store: OrgStore, org_id: str, name: str, dev_id: str, count: int) -> None:
    policies = PolicyBook(store)
    desk = ApprovalDesk(store, policies, Hub(), Metrics(), Fanout())
    dev = Identity(
        user_id=dev_id, email="dev@bench.test", org_id=org_id, org_name=name, roles=("developer",)
    )
    for i in range(count):
        params = ApprovalRequestParams(
            project="shop",
            proposal=summary(f"v{i}", proposal_id=f"p-{i}", title=f"Change {i}"),
            risk=RiskSummary(score=7.5, reasons="touches authentication"),
        )
        await desk.request(dev, params)


async def _events(store: OrgStore, org_id: str, count: int) -> None:
    batch = 1000
    for start in range(0, max(count, 0), batch):
        drafts = [
            EventDraft(
                type=EventType.AGENT_ACTION,
                actor=f"dev{n % 20}@bench.test",
                project=f"project-{n % 7}",
                payload={"n": n, "note": "an agent step"},
                agent_action=AgentAction(action_type="fix", execution_time_ms=n % 900),
            )
            for n in range(start, min(start + batch, count))
        ]
        await store.append_audit(org_id, drafts)


async def serve(url: str) -> tuple[asyncio.subprocess.Process, str]:
    process = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "accord", "org", "serve", "--store", url, "--port", "0",
        "--console-port", "0",
        stdout=asyncio.subprocess.PIPE,
        env={**os.environ, "PYTHONUNBUFFERED": "1"},
    )  # fmt: skip
    assert process.stdout is not None
    for _ in range(2):
        line = (await asyncio.wait_for(process.stdout.readline(), 60)).decode()
    return process, line.rsplit(" ", 1)[1].strip()


async def logged_in(base: str, token: str) -> httpx.AsyncClient:
    client = httpx.AsyncClient(timeout=120)
    form = await client.get(f"{base}/login")
    found = re.search(r'name="csrf" value="([^"]+)"', form.text)
    assert found is not None
    answer = await client.post(f"{base}/login", data={"csrf": found[1], "token": token})
    assert answer.status_code == 303, answer.text
    return client


def p95(samples: list[float]) -> float:
    return statistics.quantiles(samples, n=20)[-1] if len(samples) > 1 else samples[0]


async def pages(client: httpx.AsyncClient, base: str, rounds: int) -> dict[str, list[float]]:
    listing = await client.get(f"{base}/approvals")
    approval = re.search(r'href="/console/approvals/([0-9a-f-]{36})"', listing.text)
    assert approval is not None
    urls = {
        "approvals (100 newest)": f"{base}/approvals",
        "approval with its diff": f"{base}/approvals/{approval[1]}",
        "audit, first page": f"{base}/audit",
        "audit, by actor + type": f"{base}/audit?actor=dev7@bench.test&type=agent.action",
        "audit, last day by project": f"{base}/audit?project=project-3&since=2000-01-01",
        "usage by provider": f"{base}/usage?by=provider",
        "policy": f"{base}/policy",
        "users": f"{base}/users",
    }
    timings: dict[str, list[float]] = {name: [] for name in urls}
    for _ in range(rounds):
        for name, url in urls.items():
            started = time.perf_counter()
            answer = await client.get(url)
            timings[name].append(time.perf_counter() - started)
            assert answer.status_code == 200, (url, answer.status_code)
    return timings


async def export_rate(client: httpx.AsyncClient, base: str) -> tuple[int, float]:
    started = time.perf_counter()
    lines = 0
    async with client.stream("GET", f"{base}/audit/export?format=jsonl") as answer:
        async for _ in answer.aiter_lines():
            lines += 1
    return lines - 1, time.perf_counter() - started


async def baseline_rate(url: str, org_id: str) -> tuple[int, float]:
    """Reading the bodies straight from the database (the store's own driver)."""
    store = await opened_store(url)
    try:
        started = time.perf_counter()
        rows = await store.audit_rows(org_id)
        return len(rows), time.perf_counter() - started
    finally:
        await store.close()


async def measure(label: str, url: str, events: int, approvals: int, rounds: int) -> None:
    started = time.perf_counter()
    org_id, token = await seed(url, events, approvals)
    print(f"\n{label}: seeded in {time.perf_counter() - started:.0f} s")
    process, base = await serve(url)
    try:
        client = await logged_in(base, token)
        timings = await pages(client, base, rounds)
        print(f"{'page':<30}{'p50 ms':>9}{'p95 ms':>9}")
        for name, samples in timings.items():
            print(f"{name:<30}{statistics.median(samples) * 1000:>9.1f}{p95(samples) * 1000:>9.1f}")
        count, seconds = await export_rate(client, base)
        raw, raw_seconds = await baseline_rate(url, org_id)
        print(
            f"export (JSON Lines over HTTP): {count:,} events in {seconds:.2f} s = "
            f"{count / seconds:,.0f} events/s; reading the rows from the database alone: "
            f"{raw / raw_seconds:,.0f} rows/s ({seconds / raw_seconds:.1f}x the time)"
        )
        await client.aclose()
    finally:
        process.terminate()
        await process.wait()


async def main(events: int, approvals: int, rounds: int, postgres: bool) -> None:
    print(f"{events:,} audit events, {approvals:,} approvals, {USAGE_EVENTS:,} usage events; "
          f"{rounds} rounds of each page")  # fmt: skip
    with tempfile.TemporaryDirectory() as folder:
        await measure("SQLite", f"sqlite:///{folder}/org.db", events, approvals, rounds)
    if postgres:
        async with postgres_schema() as url:
            await measure("PostgreSQL", url, events, approvals, rounds)


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--events", type=int, default=100_000)
    parser.add_argument("--approvals", type=int, default=1000)
    parser.add_argument("--rounds", type=int, default=40)
    parser.add_argument("--no-postgres", action="store_true")
    args = parser.parse_args()
    began = time.monotonic()
    asyncio.run(main(args.events, args.approvals, args.rounds, not args.no_postgres))
    print(f"({time.monotonic() - began:.0f} s)")
