"""Room events through 1, 2 and 3 org-server replicas on PostgreSQL + Redis.

For each replica count R, R ``accord org serve --store postgresql://… --bus redis://…``
subprocesses share a fresh schema of the local test database. ``--observers`` WebSocket clients
join one project room, spread round-robin over the replicas; one publisher per replica keeps
``--window`` ``room.publish`` calls in flight for ``--seconds``. Printed per R: events/s
acknowledged (stored in PostgreSQL, numbered gap-free), deliveries/s, the p50/p99 latency from
publish to each observer, CPU seconds used by the replicas and by PostgreSQL, and the ratio of
events/s against one replica. The SQLite single process (the embedded default) runs the same
load as the baseline a user starts from.

    python benchmarks/org_replicas.py [--observers 300] [--seconds 8] [--window 8]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from org_wire import THROUGHPUT_LIMITS
from websockets.asyncio.client import ClientConnection, connect

from accord.org.socket_close import close_socket
from tests.org.scaleout import REDIS, postgres_schema
from tests.org.server import OrgServer

ROOM = "shop"


async def _session(url: str, token: str) -> ClientConnection:
    socket = await connect(url, compression=None, max_size=None)
    await _call(socket, "authenticate", {"token": token, "protocol": 1})
    await _call(socket, "room.join", {"project": ROOM})
    return socket


async def _call(socket: ClientConnection, method: str, params: dict[str, object]) -> object:
    await socket.send(json.dumps({"jsonrpc": "2.0", "id": 1, "method": method, "params": params}))
    while True:
        frame = json.loads(await socket.recv())
        if frame.get("id") == 1:
            if "error" in frame:
                raise RuntimeError(frame["error"])
            return frame["result"]


async def _observe(socket: ClientConnection, latencies: list[float], stop: asyncio.Event) -> None:
    async for raw in socket:
        if stop.is_set():
            return
        frame = json.loads(raw)
        if frame.get("method") == "room.event":
            latencies.append(time.time() - frame["params"]["data"]["t"])


async def _publish(socket: ClientConnection, window: int, until: float, acked: list[int]) -> None:
    """Keep ``window`` publishes in flight until ``until``; replies matched by id."""
    pending: dict[int, asyncio.Future[None]] = {}
    loop = asyncio.get_running_loop()

    async def reader() -> None:
        async for raw in socket:
            frame = json.loads(raw)
            future = pending.pop(frame.get("id", -1), None)
            if future is not None:
                acked.append(frame["result"]["offset"])
                future.set_result(None)

    reading = asyncio.create_task(reader())
    next_id = 10
    in_flight: set[asyncio.Future[None]] = set()
    while time.time() < until:
        while len(in_flight) < window:
            next_id += 1
            future: asyncio.Future[None] = loop.create_future()
            pending[next_id] = future
            in_flight.add(future)
            await socket.send(
                json.dumps(
                    {
                        "jsonrpc": "2.0",
                        "id": next_id,
                        "method": "room.publish",
                        "params": {"project": ROOM, "kind": "note", "data": {"t": time.time()}},
                    }
                )
            )
        done, in_flight = await asyncio.wait(in_flight, return_when=asyncio.FIRST_COMPLETED)
    if in_flight:
        await asyncio.wait(in_flight, timeout=10)
    reading.cancel()


def _cpu_seconds(pids: list[int]) -> float:
    ticks = os.sysconf("SC_CLK_TCK")
    total = 0.0
    for pid in pids:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
            total += (int(fields[11]) + int(fields[12])) / ticks
        except (OSError, IndexError):
            pass
    return total


def _postgres_pids() -> list[int]:
    found = subprocess.run(["pgrep", "-f", "postgres"], capture_output=True, text=True)
    return [int(p) for p in found.stdout.split()]


async def _run(
    servers: list[OrgServer], observers: int, seconds: float, window: int
) -> dict[str, float]:
    seeded = servers[0]
    for server in servers[1:]:
        server.key, server.users = seeded.key, seeded.users
    await asyncio.gather(*(s.start() for s in servers))
    try:
        token = seeded.access_token("lead@acme.test")
        watchers = [await _session(servers[i % len(servers)].url, token) for i in range(observers)]
        writers = [await _session(s.url, seeded.access_token("dev@acme.test")) for s in servers]
        await asyncio.sleep(1.0)  # presence pushes of the joins settle
        latencies: list[float] = []
        stop = asyncio.Event()
        watching = [asyncio.create_task(_observe(w, latencies, stop)) for w in watchers]
        pids = [s.process.pid for s in servers if s.process is not None]
        cpu0, pg0, start = _cpu_seconds(pids), _cpu_seconds(_postgres_pids()), time.time()
        acked: list[int] = []
        await asyncio.gather(*(_publish(w, window, start + seconds, acked) for w in writers))
        elapsed = time.time() - start
        await asyncio.sleep(1.0)  # the last deliveries arrive
        cpu, pg = _cpu_seconds(pids) - cpu0, _cpu_seconds(_postgres_pids()) - pg0
        stop.set()
        for task in watching:
            task.cancel()
        for socket in (*watchers, *writers):
            await close_socket(socket)
        assert sorted(acked) == list(
            range(acked and min(acked) or 1, (acked and max(acked) or 0) + 1)
        )
        ordered = sorted(latencies)
        return {
            "events": len(acked) / elapsed,
            "deliveries": len(latencies) / elapsed,
            "p50": ordered[len(ordered) // 2] * 1000 if ordered else float("nan"),
            "p99": ordered[int(len(ordered) * 0.99)] * 1000 if ordered else float("nan"),
            "cpu": cpu,
            "pg": pg,
        }
    finally:
        await asyncio.gather(*(s.stop() for s in servers))


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--observers", type=int, default=300)
    parser.add_argument("--seconds", type=float, default=8.0)
    parser.add_argument("--window", type=int, default=8)
    parser.add_argument("--replicas", default="1,2,3", help="replica counts to run, e.g. 1,3")
    options = parser.parse_args()
    rows: list[tuple[str, dict[str, float]]] = []
    with tempfile.TemporaryDirectory() as folder:
        sqlite = OrgServer(Path(folder) / "org.db", extra_args=THROUGHPUT_LIMITS)
        await sqlite.seed()
        rows.append(
            (
                "SQLite, 1 process",
                await _run([sqlite], options.observers, options.seconds, options.window),
            )
        )
    for count in (int(n) for n in options.replicas.split(",")):
        async with postgres_schema() as url:
            servers = [
                OrgServer(
                    Path("unused.db"), store_url=url, bus_url=REDIS, extra_args=THROUGHPUT_LIMITS
                )
                for _ in range(count)
            ]
            await servers[0].seed()
            rows.append(
                (
                    f"PostgreSQL+Redis, {count} replica{'s' if count > 1 else ''}",
                    await _run(servers, options.observers, options.seconds, options.window),
                )
            )
    one = rows[1][1]["events"]
    print(
        f"{options.observers} observers in one room, {options.window} publishes in flight per "
        f"replica, {options.seconds:.0f} s each, on {os.cpu_count()} cores"
    )
    print(
        f"{'':32} {'events/s':>9} {'deliv/s':>9} {'p50 ms':>8} {'p99 ms':>8} "
        f"{'replica CPU s':>13} {'PG CPU s':>9} {'vs 1 replica':>12}"
    )
    for name, row in rows:
        print(
            f"{name:32} {row['events']:9.0f} {row['deliveries']:9.0f} {row['p50']:8.1f} "
            f"{row['p99']:8.1f} {row['cpu']:13.1f} {row['pg']:9.1f} {row['events'] / one:11.2f}x"
        )
    print(
        f"median deliveries per event: {statistics.median([r['deliveries'] / max(r['events'], 1) for _, r in rows]):.0f}"
    )


if __name__ == "__main__":
    asyncio.run(main())
