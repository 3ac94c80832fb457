"""Room fan-out: one project room, ``--observers`` developers in it, publishers at a fixed rate.

``accord org serve`` runs on a fresh SQLite store. Client subprocesses open one connection per
observer (a distinct developer each), authenticate and join the room ``bench``: that is the join
phase, timed, with the bytes the observers received meanwhile (presence). Then publishers in this
process send ``room.publish`` at ``--rate`` events a second in total for ``--seconds`` (split
over enough connections to stay under the per-connection rate limit), each event carrying its
send time; every observer timestamps every ``room.event`` as it arrives. Printed: per-delivery
latency p50/p99/max, and the server process's CPU time per delivery.

The baseline is a plain ``websockets`` server holding the same observers, which broadcasts
(``websockets.broadcast``) each frame a publisher sends to every other connection: the publishers
send it byte for byte the ``room.event`` frame the org server would push.

    python benchmarks/org_fanout.py [--observers 500] [--rate 20] [--seconds 5] [--clients 2]

Goal (spec): p99 < 100 ms. The default load (500 × 20 = 10,000 deliveries a second) is what
the observers' processes absorb on a 2-core machine with the server beside them; the server's
CPU time per delivery gives its own ceiling (deliveries a second per core = 1 / that time).
"""

from __future__ import annotations

import argparse
import asyncio
import itertools
import json
import math
import time
from datetime import UTC, datetime
from typing import Any

from org_wire import (
    RawClient,
    Server,
    Swarm,
    authenticate,
    bare_server,
    cpu_seconds,
    developers,
    join,
    org_server,
    quantiles_ms,
    raise_fd_limit,
    rpc,
    start_swarms,
)

GOAL_MS = 100.0
PROJECT = "bench"
PER_PUBLISHER = 150.0
"""Events a second per publisher connection (the server's rate limit is 200)."""
PAD = "x" * 200
"""An agent-action envelope's worth of payload."""


class Publisher:
    """A connection that sends events (its answers are not waited for)."""

    def __init__(self, client: RawClient, org: bool, actor: str) -> None:
        self.client, self.org, self.actor = client, org, actor
        self.ids = itertools.count(10)

    def publish(self, offset: int) -> None:
        data = {"sent": time.monotonic(), "pad": PAD}
        request_id = next(self.ids)
        if self.org:
            self.client.send(
                rpc(
                    request_id,
                    "room.publish",
                    {"project": PROJECT, "kind": "agent_action", "data": data},
                )
            )
            return
        params = {
            "project": PROJECT,
            "epoch": "0123456789ab",
            "offset": offset,
            "kind": "agent_action",
            "actor": self.actor,
            "ts": datetime.now(UTC).isoformat().replace("+00:00", "Z"),
            "data": data,
        }
        body = {"jsonrpc": "2.0", "method": "room.event", "params": params}
        self.client.send("B" + json.dumps(body, separators=(",", ":")))


async def publishers(server: Server, count: int, org: bool) -> list[Publisher]:
    made = []
    for index in range(count):
        actor = f"pub{index}@bench.test"
        publisher = Publisher(await RawClient.open(server.address), org, actor)
        if org:
            await publisher.client.call(1, authenticate(server.tokens[actor]))
            await publisher.client.call(2, join(PROJECT))
        made.append(publisher)
    return made


async def emit(senders: list[Publisher], rate: float, seconds: float) -> int:
    """Send ``rate`` events a second, round robin, on a fixed schedule; returns how many."""
    total = int(rate * seconds)
    start = time.monotonic()
    for index in range(total):
        delay = start + index / rate - time.monotonic()
        if delay > 0:
            await asyncio.sleep(delay)
        senders[index % len(senders)].publish(index + 1)
    return total


async def measure(
    server: Server, plans: list[list[str]], org: bool, args: argparse.Namespace
) -> dict[str, Any]:
    started = time.monotonic()
    swarms: list[Swarm] = await start_swarms(server, plans, args.clients, "room.event")
    joined = time.monotonic() - started
    senders = await publishers(server, math.ceil(args.rate / PER_PUBLISHER), org)
    await asyncio.sleep(0.5)
    cpu = cpu_seconds(server.pid)
    events = await emit(senders, args.rate, args.seconds)
    deadline, expected = time.monotonic() + 30, events * len(plans)
    while time.monotonic() < deadline:
        if sum([await one.count() for one in swarms]) >= expected:
            break
        await asyncio.sleep(0.2)
    cpu = cpu_seconds(server.pid) - cpu
    latencies: list[float] = []
    lost = 0
    for one in swarms:
        heard = await one.finish()
        lost += heard["lost"]
        latencies += [a - s for a, s in zip(heard["arrivals"], heard["sent"], strict=True)]
    for sender in senders:
        sender.client.close()
    return {
        "join": joined,
        "join_mb": sum(s.join_bytes for s in swarms) / 2**20,
        "events": events,
        "deliveries": len(latencies),
        "expected": events * len(plans),
        "latency": quantiles_ms(latencies),
        "cpu_us": cpu / max(len(latencies), 1) * 1e6,
        "lost": lost,
    }


def row(name: str, figures: dict[str, Any]) -> str:
    p50, p99, top = figures["latency"]
    return (
        f"{name:<18}{p50:>8.1f}{p99:>8.1f}{top:>8.1f}{figures['cpu_us']:>10.2f}"
        f"{figures['deliveries']:>11,}/{figures['expected']:<10,}"
        f"{figures['join']:>8.1f}{figures['join_mb']:>9.1f}"
    )


async def main(args: argparse.Namespace) -> None:
    raise_fd_limit()
    users = developers(args.observers)
    users |= {f"pub{i}@bench.test": ("developer",) for i in range(8)}
    async with org_server(users) as org:
        plans = [
            [authenticate(org.tokens[email]), join(PROJECT)]
            for email in list(users)[: args.observers]
        ]
        accord = await measure(org, plans, True, args)
    async with bare_server() as bare:
        plans = [[rpc(1, "hello", {}), rpc(2, "join", {})] for _ in range(args.observers)]
        baseline = await measure(bare, plans, False, args)
    print(
        f"{args.observers} observers in one room, {args.rate:g} events/s for {args.seconds:g} s "
        f"({args.rate * args.observers:,.0f} deliveries/s), {args.clients} client processes\n"
    )
    print(
        f"{'server':<18}{'p50 ms':>8}{'p99 ms':>8}{'max ms':>8}{'CPU µs':>10}"
        f"{'delivered':>22}{'join s':>8}{'join MB':>9}"
    )
    print(row("accord org serve", accord))
    print(row("bare broadcast", baseline))
    p99 = accord["latency"][1]
    verdict = "met" if p99 < GOAL_MS else "MISSED"
    print(
        f"\np99 {p99 / baseline['latency'][1]:.2f}x the bare server's, "
        f"p50 {accord['latency'][0] / baseline['latency'][0]:.2f}x; goal p99 < {GOAL_MS:g} ms: "
        f"{verdict}"
    )
    print(
        f"server CPU per delivery {accord['cpu_us'] / baseline['cpu_us']:.2f}x the bare "
        f"server's; joining took {accord['join'] / baseline['join']:.1f}x as long "
        f"(observers received {accord['join_mb']:.1f} MB of presence while joining)"
    )
    if accord["lost"] or baseline["lost"]:
        print(f"connections closed under load: org {accord['lost']}, bare {baseline['lost']}")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--observers", type=int, default=500)
    parser.add_argument("--rate", type=float, default=20.0, help="events per second in all")
    parser.add_argument("--seconds", type=float, default=5.0)
    parser.add_argument("--clients", type=int, default=2, help="observer processes")
    asyncio.run(main(parser.parse_args()))
