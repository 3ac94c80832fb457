"""Memory per authenticated idle connection held by the org server.

``accord org serve`` runs on a fresh SQLite store with ``--connections`` developers; client
subprocesses open one connection each (bounded concurrency), authenticate, and go idle. The
server's RSS growth divided by the count is the figure. The baseline is a plain ``websockets``
server (compression off, the same as the org server's) holding the same number of connections,
each of which has sent and been answered one frame. Both servers are warmed first with a few
connections so that imports and first-use caches are not counted.

    python benchmarks/org_connections.py [--connections 2000] [--clients 2] [--console]

``--console`` serves the web console (``--console-port 0``) from the same process meanwhile.

Goal (spec): ≤ 20 KB per connection. ``--connections`` goes up to the open-file limit
(20,000 here); the clients open their sockets from 127.0.0.1's ephemeral ports.
"""

from __future__ import annotations

import argparse
import asyncio
import time

from org_wire import (
    THROUGHPUT_LIMITS,
    Server,
    authenticate,
    bare_server,
    developers,
    org_server,
    raise_fd_limit,
    rpc,
    rss_bytes,
    start_swarms,
)

GOAL_KB = 20.0
WARM = 20
SETTLE = 2.0


async def held(server: Server, plans: list[list[str]], clients: int) -> tuple[float, float, int]:
    """Per-connection RSS growth (bytes), seconds to open them all, and how many were open."""
    warm = await start_swarms(server, plans[:WARM], 1)
    await asyncio.sleep(SETTLE)
    before = rss_bytes(server.pid)
    swarms = await start_swarms(server, plans[WARM:], clients, concurrency=100)
    await asyncio.sleep(SETTLE)
    after = rss_bytes(server.pid)
    opened = sum(s.clients for s in swarms)
    took = max(s.seconds for s in swarms)
    lost = sum([(await s.finish())["lost"] for s in [*swarms, *warm]])
    if lost:
        raise RuntimeError(f"{lost} connections were closed by the server while idle")
    return (after - before) / opened, took, opened


async def main(connections: int, clients: int, console: bool = False) -> None:
    limit = raise_fd_limit()
    total = connections + WARM
    extra = ("--console-port", "0") if console else ()
    async with org_server(developers(total), (*THROUGHPUT_LIMITS, *extra)) as org:
        plans = [[authenticate(token)] for token in org.tokens.values()]
        org_bytes, org_seconds, opened = await held(org, plans, clients)
        org_rss = rss_bytes(org.pid)
    async with bare_server() as bare:
        plans = [[rpc(1, "hello", {"n": i})] for i in range(total)]
        bare_bytes, bare_seconds, _ = await held(bare, plans, clients)
    print(
        f"{opened:,} idle connections per server, {clients} client processes, fd limit {limit:,}\n"
    )
    print(f"{'server':<36}{'KB / connection':>16}{'open s':>9}")
    name = "accord org serve (+ console)" if console else "accord org serve (authenticated)"
    print(f"{name:<36}{org_bytes / 1024:>16.1f}{org_seconds:>9.1f}")
    print(f"{'bare websockets (one echo each)':<36}{bare_bytes / 1024:>16.1f}{bare_seconds:>9.1f}")
    verdict = "met" if org_bytes / 1024 <= GOAL_KB else "MISSED"
    print(
        f"\nthe org server holds {org_bytes / bare_bytes:.2f}x the memory per connection of a "
        f"bare websockets server; goal ≤ {GOAL_KB:g} KB: {verdict}"
    )
    print(
        f"org server RSS with {opened:,} connections: {org_rss / 2**20:.0f} MiB; at this rate "
        f"one process holds {limit:,} connections (the fd limit) in "
        f"{(org_rss + (limit - opened) * org_bytes) / 2**20:.0f} MiB"
    )


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--connections", type=int, default=2000)
    parser.add_argument("--clients", type=int, default=2, help="client processes")
    parser.add_argument("--console", action="store_true", help="serve the web console too")
    args = parser.parse_args()
    started = time.monotonic()
    asyncio.run(main(args.connections, args.clients, args.console))
    print(f"({time.monotonic() - started:.0f} s)")
