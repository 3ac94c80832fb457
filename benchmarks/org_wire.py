"""Shared by the org benchmarks: the servers under test, a light WebSocket client, client swarms.

- :func:`org_server` runs ``accord org serve`` on a fresh SQLite store seeded with one
  organisation of distinct users; :func:`bare_server` runs the baseline, a plain ``websockets``
  server (compression off, as the org server has it) that echoes each frame to its sender, and
  broadcasts (``websockets.broadcast``) a frame starting with ``B`` to every other connection.
- :class:`RawClient` speaks just enough RFC 6455 to authenticate, join and then count the frames
  pushed to it, timestamping each chunk as it arrives: thousands of them fit in one process and
  they cost the clients far less CPU than full ``websockets`` clients would, so that on a small
  machine the server, not the clients, is what is measured.
- ``python org_wire.py swarm`` (see :func:`swarm`) holds many such clients in a subprocess.

Times are ``time.monotonic()`` (CLOCK_MONOTONIC: one clock for every process on the machine).
"""

from __future__ import annotations

import argparse
import asyncio
import base64
import json
import os
import re
import resource
import signal
import statistics
import struct
import sys
import tempfile
import time
from collections.abc import AsyncIterator, Callable, Sequence
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

HERE = Path(__file__).resolve().parent
SENT = re.compile(rb'"sent":([0-9]+\.[0-9]+)')
_ID = re.compile(rb'"id":([0-9]+)[,}]')
PAGE = os.sysconf("SC_PAGE_SIZE")
TICKS = os.sysconf("SC_CLK_TCK")


def raise_fd_limit() -> int:
    """Raise this process's (and its children's) open-file limit to the hard limit."""
    _, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))
    return hard


def rss_bytes(pid: int) -> int:
    return int(Path(f"/proc/{pid}/statm").read_text().split()[1]) * PAGE


def cpu_seconds(pid: int) -> float:
    """User + system CPU time of ``pid``."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / TICKS


def quantiles_ms(samples: Sequence[float]) -> tuple[float, float, float]:
    """p50, p99 and max of ``samples`` (seconds), in milliseconds."""
    ordered = sorted(samples)
    p99 = ordered[min(len(ordered) - 1, int(len(ordered) * 0.99))]
    return statistics.median(ordered) * 1000, p99 * 1000, ordered[-1] * 1000


# --- servers ------------------------------------------------------------------------------------

THROUGHPUT_LIMITS = (
    "--max-unauthenticated",
    "1000000",
    "--max-unauthenticated-per-address",
    "1000000",
    "--quota",
    "room.publish=1e9/1e12",
    "--quota",
    "audit.append=1e9/1e12",
)
"""The org server's options in the throughput benchmarks: every client is on 127.0.0.1 and one
user may publish as fast as the server goes, so the caps and quotas that hold hostile clients
(measured by ``org_halfopen.py`` and ``tests/security``) are lifted."""


@dataclass
class Server:
    """A server under test, running as a subprocess."""

    process: asyncio.subprocess.Process
    url: str
    tokens: dict[str, str] = field(default_factory=dict)
    """Access tokens by email (the org server only)."""

    @property
    def pid(self) -> int:
        return self.process.pid

    @property
    def address(self) -> tuple[str, int]:
        parts = urlsplit(self.url)
        assert parts.hostname is not None and parts.port is not None
        return parts.hostname, parts.port


async def _start(*command: str) -> Server:
    process = await asyncio.create_subprocess_exec(
        *command, stdout=asyncio.subprocess.PIPE, env={**os.environ, "PYTHONUNBUFFERED": "1"}
    )
    assert process.stdout is not None
    line = (await asyncio.wait_for(process.stdout.readline(), 60)).decode()
    assert "listening on" in line, line
    return Server(process, line.rsplit(" ", 1)[1].strip())


async def _stop(server: Server) -> None:
    if server.process.returncode is None:
        server.process.send_signal(signal.SIGTERM)
        await server.process.wait()


Teams = dict[str, dict[str, tuple[str, ...]]]
"""Projects to register: name → member's email → their roles in it."""


async def _seed(
    path: Path, users: dict[str, tuple[str, ...]], projects: Teams | None = None
) -> dict[str, str]:
    from accord.org.store.sqlite import SqliteStore
    from accord.org.tokens import TokenIssuer

    store = SqliteStore(path)
    await store.open()
    try:
        issuer = TokenIssuer(await store.signing_key())
        org = await store.create_org("Bench")
        tokens = {}
        for email, roles in users.items():
            user = await store.add_user(org.id, email, roles)
            tokens[email] = issuer.issue(user.id, org.id, "access", 0).token
        ids = {u.email: u.id for u in await store.list_users(org.id)}
        for name, members in (projects or {}).items():
            project = await store.create_project(org.id, name, (), {}, "bench")
            for email, held in members.items():
                await store.set_project_member(project, ids[email], held, False)
        return tokens
    finally:
        await store.close()


def developers(count: int) -> dict[str, tuple[str, ...]]:
    return {f"dev{i}@bench.test": ("developer",) for i in range(count)}


@asynccontextmanager
async def org_server(
    users: dict[str, tuple[str, ...]],
    limits: Sequence[str] = THROUGHPUT_LIMITS,
    projects: Teams | None = None,
) -> AsyncIterator[Server]:
    """``accord org serve`` on a fresh store holding ``users`` (email → roles) and ``projects``,
    with the limit options ``limits`` (by default lifted, see :data:`THROUGHPUT_LIMITS`)."""
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "org.db"
        tokens = await _seed(path, users, projects)
        server = await _start(
            sys.executable,
            "-m",
            "accord",
            "org",
            "serve",
            "--store",
            f"sqlite:///{path}",
            "--port",
            "0",
            "--auth-timeout",
            "120",
            *limits,
        )
        server.tokens = tokens
        try:
            yield server
        finally:
            await _stop(server)


@asynccontextmanager
async def bare_server() -> AsyncIterator[Server]:
    """The baseline: a plain ``websockets`` echo-and-broadcast server."""
    server = await _start(sys.executable, str(HERE / "org_wire.py"), "bare")
    try:
        yield server
    finally:
        await _stop(server)


async def serve_bare() -> None:
    from websockets.asyncio.server import ServerConnection, broadcast, serve
    from websockets.exceptions import ConnectionClosed

    everyone: set[ServerConnection] = set()

    async def handler(socket: ServerConnection) -> None:
        everyone.add(socket)
        try:
            async for frame in socket:
                if isinstance(frame, str) and frame.startswith("B"):
                    broadcast([s for s in everyone if s is not socket], frame[1:])
                await socket.send(frame)
        except ConnectionClosed:
            pass
        finally:
            everyone.discard(socket)

    stop = asyncio.Event()
    asyncio.get_running_loop().add_signal_handler(signal.SIGTERM, stop.set)
    async with serve(
        handler,
        "127.0.0.1",
        0,
        compression=None,
        max_size=1 << 22,
        ping_interval=20,
        ping_timeout=20,
    ) as server:
        port = next(iter(server.sockets)).getsockname()[1]
        print(f"bare websockets: listening on ws://127.0.0.1:{port}", flush=True)
        await stop.wait()


# --- the light client ---------------------------------------------------------------------------


class RawClient(asyncio.Protocol):
    """One WebSocket connection. Frames from the server go to ``on_text(payload, arrived)``;
    pings are answered. :meth:`call` sends a frame carrying ``"id":N`` and waits for the frame
    that answers it (the org server's response, or the bare server's echo)."""

    def __init__(self, on_text: Callable[[bytes, float], None] | None = None) -> None:
        self.on_text = on_text
        self.received = 0
        """Bytes received after the handshake."""
        self._transport: asyncio.Transport | None = None
        self._buffer = b""
        self._upgraded = asyncio.get_running_loop().create_future()
        self._waiting: dict[int, asyncio.Future[bytes]] = {}
        self.closed = asyncio.Event()

    @classmethod
    async def open(
        cls, address: tuple[str, int], on_text: Callable[[bytes, float], None] | None = None
    ) -> RawClient:
        loop = asyncio.get_running_loop()
        _, client = await loop.create_connection(lambda: cls(on_text), *address)
        key = base64.b64encode(os.urandom(16)).decode()
        assert client._transport is not None
        client._transport.write(
            f"GET / HTTP/1.1\r\nHost: {address[0]}:{address[1]}\r\nUpgrade: websocket\r\n"
            f"Connection: Upgrade\r\nSec-WebSocket-Key: {key}\r\n"
            "Sec-WebSocket-Version: 13\r\n\r\n".encode()
        )
        await client._upgraded
        return client

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        assert isinstance(transport, asyncio.Transport)
        self._transport = transport

    def connection_lost(self, exc: Exception | None) -> None:
        self.closed.set()
        failure = ConnectionError("the server closed the connection")
        for waiting in [self._upgraded, *self._waiting.values()]:
            if not waiting.done():
                waiting.set_exception(failure)

    def send(self, text: str | bytes, opcode: int = 0x1) -> None:
        payload = text.encode() if isinstance(text, str) else text
        mask, size = os.urandom(4), len(payload)
        if size < 126:
            header = struct.pack("!BB", 0x80 | opcode, 0x80 | size)
        elif size < 1 << 16:
            header = struct.pack("!BBH", 0x80 | opcode, 0x80 | 126, size)
        else:
            header = struct.pack("!BBQ", 0x80 | opcode, 0x80 | 127, size)
        keys = (mask * (size // 4 + 1))[:size]
        body = (int.from_bytes(payload, "big") ^ int.from_bytes(keys, "big")).to_bytes(size, "big")
        assert self._transport is not None
        self._transport.write(header + mask + body)

    async def call(self, request_id: int, text: str) -> bytes:
        waiting = asyncio.get_running_loop().create_future()
        self._waiting[request_id] = waiting
        self.send(text)
        return await waiting

    def close(self) -> None:
        if self._transport is not None:
            self._transport.close()

    def data_received(self, data: bytes) -> None:
        arrived = time.monotonic()
        self._buffer += data
        if not self._upgraded.done():
            head, sep, rest = self._buffer.partition(b"\r\n\r\n")
            if not sep:
                return
            if b" 101 " not in head.split(b"\r\n", 1)[0]:
                self._upgraded.set_exception(ConnectionError(head.decode(errors="replace")))
                return
            self._upgraded.set_result(None)
            self._buffer = rest
        self.received += len(data)
        self._frames(arrived)

    def _frames(self, arrived: float) -> None:
        buffer, start, end = self._buffer, 0, len(self._buffer)
        while end - start >= 2:
            opcode, size = buffer[start] & 0x0F, buffer[start + 1] & 0x7F
            at = start + 2
            if size == 126:
                if end - at < 2:
                    break
                size, at = struct.unpack_from("!H", buffer, at)[0], at + 2
            elif size == 127:
                if end - at < 8:
                    break
                size, at = struct.unpack_from("!Q", buffer, at)[0], at + 8
            if end - at < size:
                break
            payload, start = buffer[at : at + size], at + size
            if opcode == 0x9:
                self.send(payload, 0xA)
            elif opcode in (0x1, 0x0):
                self._text(payload, arrived)
        self._buffer = buffer[start:]

    def _text(self, payload: bytes, arrived: float) -> None:
        if self._waiting:
            found = _ID.search(payload[:64]) or _ID.search(payload)
            if found is not None:
                waiting = self._waiting.pop(int(found[1]), None)
                if waiting is not None and not waiting.done():
                    waiting.set_result(payload)
                    return
        if self.on_text is not None:
            self.on_text(payload, arrived)


def rpc(request_id: int, method: str, params: dict[str, Any]) -> str:
    return json.dumps(
        {"jsonrpc": "2.0", "id": request_id, "method": method, "params": params},
        separators=(",", ":"),
    )


def authenticate(token: str) -> str:
    from accord.protocol.org import ORG_PROTOCOL_VERSION

    return rpc(1, "authenticate", {"token": token, "protocol": ORG_PROTOCOL_VERSION})


def join(project: str, presence: str = "full") -> str:
    params = (
        {"project": project} if presence == "full" else {"project": project, "presence": presence}
    )
    return rpc(2, "room.join", params)


# --- swarms: many clients in subprocesses -------------------------------------------------------


@dataclass
class Recorder:
    """What a swarm's clients heard: pushes that contain ``marker``."""

    marker: bytes
    arrivals: list[float] = field(default_factory=list)
    sent: list[float] = field(default_factory=list)
    """The ``"sent":T`` a push carried (0 when it carried none)."""

    def __call__(self, payload: bytes, arrived: float) -> None:
        if self.marker in payload:
            found = SENT.search(payload)
            self.arrivals.append(arrived)
            self.sent.append(float(found[1]) if found else 0.0)


async def _open_one(
    address: tuple[str, int], frames: list[str], recorder: Recorder, gate: asyncio.Semaphore
) -> RawClient:
    async with gate:
        client = await RawClient.open(address, recorder)
        for index, frame in enumerate(frames, start=1):
            answer = await client.call(index, frame)
            if b'"error"' in answer[:200]:
                raise RuntimeError(answer.decode())
        return client


async def swarm(address: tuple[str, int], plan: Path, marker: bytes, concurrency: int) -> None:
    """Open one client per entry of ``plan`` (a JSON list of lists of frames, sent in turn, each
    waiting for its answer), say ``ready N SECONDS BYTES`` on stdout, then record: a line
    ``count`` on stdin is answered with how many pushes were recorded so far, ``bytes`` with how
    many bytes the clients received in all; any other line (or the end of stdin) prints the
    recording as JSON and ends."""
    raise_fd_limit()
    recorder = Recorder(marker)
    gate = asyncio.Semaphore(concurrency)
    started = time.monotonic()
    clients = await asyncio.gather(
        *(_open_one(address, frames, recorder, gate) for frames in json.loads(plan.read_text()))
    )
    took = time.monotonic() - started
    print(f"ready {len(clients)} {took:.3f} {sum(c.received for c in clients)}", flush=True)
    loop = asyncio.get_running_loop()
    while (asked := (await loop.run_in_executor(None, sys.stdin.readline)).strip()) in {
        "count",
        "bytes",
    }:
        told = len(recorder.arrivals) if asked == "count" else sum(c.received for c in clients)
        print(told, flush=True)
    lost = sum(c.closed.is_set() for c in clients)
    for client in clients:
        client.close()
    print(
        json.dumps({"arrivals": recorder.arrivals, "sent": recorder.sent, "lost": lost}), flush=True
    )


@dataclass
class Swarm:
    process: asyncio.subprocess.Process
    clients: int = 0
    seconds: float = 0.0
    join_bytes: int = 0

    async def count(self, what: str = "count") -> int:
        """How many pushes it has recorded so far (``bytes``: how many bytes its clients have
        received)."""
        assert self.process.stdin is not None and self.process.stdout is not None
        self.process.stdin.write(what.encode() + b"\n")
        await self.process.stdin.drain()
        return int(await self.process.stdout.readline())

    async def finish(self) -> dict[str, Any]:
        """Stop it; returns what it recorded."""
        assert self.process.stdin is not None and self.process.stdout is not None
        self.process.stdin.write(b"stop\n")
        await self.process.stdin.drain()
        line = await self.process.stdout.readline()
        await self.process.wait()
        return json.loads(line)


async def start_swarms(
    server: Server,
    plans: list[list[str]],
    processes: int,
    marker: str = "",
    concurrency: int = 50,
    folder: Path | None = None,
) -> list[Swarm]:
    """Spread ``plans`` (one per client) over ``processes`` swarms; returns once all are ready."""
    folder = folder or Path(tempfile.mkdtemp(prefix="orgbench-"))
    swarms = []
    for index in range(processes):
        share = plans[index::processes]
        if not share:
            continue
        path = folder / f"plan{index}.json"
        path.write_text(json.dumps(share))
        host, port = server.address
        process = await asyncio.create_subprocess_exec(
            sys.executable,
            str(HERE / "org_wire.py"),
            "swarm",
            host,
            str(port),
            str(path),
            marker,
            str(concurrency),
            stdin=asyncio.subprocess.PIPE,
            stdout=asyncio.subprocess.PIPE,
            limit=1 << 30,
        )
        swarms.append(Swarm(process))
    for one in swarms:
        assert one.process.stdout is not None
        line = (await one.process.stdout.readline()).decode().split()
        if not line or line[0] != "ready":
            raise RuntimeError(f"a swarm failed to open its clients: {line}")
        one.clients, one.seconds, one.join_bytes = int(line[1]), float(line[2]), int(line[3])
    return swarms


def main() -> None:
    parser = argparse.ArgumentParser(description="org benchmark helpers")
    sub = parser.add_subparsers(dest="command", required=True)
    sub.add_parser("bare")
    run = sub.add_parser("swarm")
    run.add_argument("host")
    run.add_argument("port", type=int)
    run.add_argument("plan", type=Path)
    run.add_argument("marker")
    run.add_argument("concurrency", type=int)
    args = parser.parse_args()
    if args.command == "bare":
        asyncio.run(serve_bare())
    else:
        address = (args.host, args.port)
        asyncio.run(swarm(address, args.plan, args.marker.encode(), args.concurrency))


if __name__ == "__main__":
    main()
