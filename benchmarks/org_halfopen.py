"""Half-open connections against the org server: memory held, and an authenticated user's latency.

An attacker without an account opens ``--connections`` WebSockets (from 127.0.0.2, 127.0.0.3, …,
``--per-address`` each, under the server's per-address cap), completes the handshake and sends
each a frame header announcing ``--frame`` bytes, then all of the payload but its last byte, and
holds it there. Before authentication the server takes frames of at most 64 KiB, so the attacker
announces just under that; before the limit it took 4 MiB (500 such connections held 1.7 GB).
Meanwhile an authenticated developer calls ``policy.get`` in a loop; its latency is measured
before and while the connections are held. The server's RSS growth is the memory figure.

    python benchmarks/org_halfopen.py [--connections 2000] [--per-address 50] [--calls 400]

Goals (issue 14): < 200 MiB RSS added for 2,000 connections, p99 of the call < 100 ms. Loopback
only; it stops by itself (each phase has a timeout) and closes everything it opened.
"""

from __future__ import annotations

import argparse
import asyncio
import base64
import os
import struct
import time

from org_wire import (
    RawClient,
    authenticate,
    developers,
    org_server,
    quantiles_ms,
    raise_fd_limit,
    rpc,
    rss_bytes,
)

GOAL_MIB, GOAL_P99_MS = 200.0, 100.0
SETTLE = 2.0


async def half_open(
    address: tuple[str, int], source: str, frame: int
) -> tuple[asyncio.StreamReader, asyncio.StreamWriter]:
    """A WebSocket past its handshake, holding all but the last byte of a ``frame``-byte frame."""
    reader, writer = await asyncio.open_connection(*address, local_addr=(source, 0))
    key = base64.b64encode(os.urandom(16)).decode()
    writer.write(
        f"GET / HTTP/1.1\r\nHost: {address[0]}:{address[1]}\r\nUpgrade: websocket\r\n"
        f"Connection: Upgrade\r\nSec-WebSocket-Key: {key}\r\n"
        "Sec-WebSocket-Version: 13\r\n\r\n".encode()
    )
    head = await reader.readuntil(b"\r\n\r\n")
    if b" 101 " not in head.split(b"\r\n", 1)[0]:
        writer.close()
        raise ConnectionError(head.split(b"\r\n", 1)[0].decode())
    writer.write(struct.pack("!BBH", 0x81, 0x80 | 126, frame) + os.urandom(4))
    writer.write(os.urandom(frame - 1))
    await writer.drain()
    return reader, writer


async def open_all(
    address: tuple[str, int], count: int, per_address: int, frame: int
) -> tuple[list[asyncio.StreamWriter], int]:
    """The half-open connections, and how many the server refused."""
    gate = asyncio.Semaphore(100)

    async def one(index: int) -> asyncio.StreamWriter | None:
        source = f"127.0.0.{2 + index // per_address}"
        async with gate:
            try:
                return (await half_open(address, source, frame))[1]
            except (ConnectionError, OSError, asyncio.IncompleteReadError):
                return None

    opened = await asyncio.wait_for(asyncio.gather(*(one(i) for i in range(count))), 120)
    held = [w for w in opened if w is not None]
    return held, count - len(held)


async def latencies(client: RawClient, calls: int) -> list[float]:
    taken = []
    for n in range(calls):
        started = time.perf_counter()
        await asyncio.wait_for(client.call(1000 + n, rpc(1000 + n, "policy.get", {})), 10)
        taken.append(time.perf_counter() - started)
    return taken


async def main(connections: int, per_address: int, frame: int, calls: int) -> None:
    limit = raise_fd_limit()
    if connections // per_address + 2 > 254:
        raise SystemExit("too few addresses: raise --per-address")
    async with org_server(developers(1), limits=()) as org:  # the default limits
        client = await RawClient.open(org.address)
        [token] = org.tokens.values()
        await client.call(1, authenticate(token))
        await latencies(client, 50)  # warm
        before_ms = quantiles_ms(await latencies(client, calls))
        await asyncio.sleep(SETTLE)
        before = rss_bytes(org.pid)
        held, refused = await open_all(org.address, connections, per_address, frame)
        await asyncio.sleep(SETTLE)
        during_ms = quantiles_ms(await latencies(client, calls))
        after = rss_bytes(org.pid)
        alive = sum(not w.is_closing() for w in held)
        for writer in held:
            writer.close()
        client.close()
    added = (after - before) / 2**20
    print(
        f"{len(held):,} half-open connections held ({refused} refused, {alive:,} still open), "
        f"each with {frame - 1:,} of a {frame:,}-byte frame; {connections // per_address + 1} "
        f"source addresses; fd limit {limit:,}\n"
    )
    print(f"server RSS added: {added:.1f} MiB ({added * 1024 / max(1, len(held)):.1f} KiB each)")
    print(f"{'policy.get (authenticated)':<30}{'p50 ms':>9}{'p99 ms':>9}{'max ms':>9}")
    for label, (p50, p99, top) in (("alone", before_ms), ("beside the half-open", during_ms)):
        print(f"{label:<30}{p50:>9.2f}{p99:>9.2f}{top:>9.2f}")
    memory = "met" if added < GOAL_MIB else "MISSED"
    latency = "met" if during_ms[1] < GOAL_P99_MS else "MISSED"
    print(f"\ngoal < {GOAL_MIB:g} MiB: {memory}; goal p99 < {GOAL_P99_MS:g} ms: {latency}")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--connections", type=int, default=2000)
    parser.add_argument("--per-address", type=int, default=50)
    parser.add_argument("--frame", type=int, default=64 * 1024 - 16, help="bytes announced")
    parser.add_argument("--calls", type=int, default=400)
    arguments = parser.parse_args()
    asyncio.run(
        main(arguments.connections, arguments.per_address, arguments.frame, arguments.calls)
    )
