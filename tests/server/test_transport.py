"""``accord lsp --tcp HOST:PORT``: the same server on a socket."""

from __future__ import annotations

import asyncio
import fcntl
import json
import os
import socket
import sys

import pytest

from .wire import _read_message, start_lsp


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


async def _connect(port: int) -> tuple[asyncio.StreamReader, asyncio.StreamWriter]:
    for _ in range(100):
        try:
            return await asyncio.open_connection("127.0.0.1", port)
        except OSError:
            await asyncio.sleep(0.1)
    raise AssertionError(f"nothing listens on 127.0.0.1:{port}")


async def test_the_server_answers_over_tcp() -> None:
    port = _free_port()
    server = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "accord",
        "lsp",
        "--tcp",
        f"127.0.0.1:{port}",
        stderr=asyncio.subprocess.DEVNULL,
    )
    try:
        reader, writer = await _connect(port)
        initialize = {
            "jsonrpc": "2.0",
            "id": 1,
            "method": "initialize",
            "params": {"processId": None, "rootUri": None, "capabilities": {}},
        }
        body = json.dumps(initialize).encode()
        writer.write(b"Content-Length: %d\r\n\r\n%s" % (len(body), body))
        await writer.drain()
        reply = await asyncio.wait_for(_read_message(reader), 15)
        assert reply["id"] == 1
        assert reply["result"]["capabilities"]["diagnosticProvider"]["identifier"] == "accord"
        writer.close()
    finally:
        server.kill()
        await server.wait()


@pytest.mark.skipif(sys.platform != "linux", reason="pipe sizes are set on Linux only")
async def test_over_stdio_the_pipe_to_the_editor_holds_a_whole_publish() -> None:
    """The diagnostics of a long file run past a pipe's default 64 KB; the server widens its
    stdout pipe so that a publish is one write, not a round trip with the editor."""
    read_end, write_end = os.pipe()
    assert fcntl.fcntl(read_end, fcntl.F_GETPIPE_SZ) < 1 << 20
    server = await start_lsp(stdout=write_end)
    os.close(write_end)
    assert server.stdin is not None
    try:
        body = json.dumps({"jsonrpc": "2.0", "id": 1, "method": "shutdown"}).encode()
        server.stdin.write(b"Content-Length: %d\r\n\r\n%s" % (len(body), body))
        reader = asyncio.StreamReader()
        loop = asyncio.get_running_loop()
        with os.fdopen(read_end, "rb", buffering=0) as pipe:
            transport, _ = await loop.connect_read_pipe(
                lambda: asyncio.StreamReaderProtocol(reader), pipe
            )
            reply = await asyncio.wait_for(_read_message(reader), 30)
            assert reply["id"] == 1
            assert fcntl.fcntl(pipe.fileno(), fcntl.F_GETPIPE_SZ) >= 1 << 20
            transport.close()
    finally:
        server.kill()
        await server.wait()
