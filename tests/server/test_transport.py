"""``accord lsp --tcp HOST:PORT``: the same server on a socket."""

from __future__ import annotations

import asyncio
import json
import socket
import sys

from .wire import _read_message


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
