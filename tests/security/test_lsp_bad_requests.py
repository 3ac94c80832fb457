"""The language server answers every request, however broken, as an attacker or a buggy editor
would send it over stdio: a request pygls cannot read gets InvalidParams or InvalidRequest with
its own id (an editor waits for that id), never silence, and the server carries on."""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from ..server.wire import start_lsp

INVALID_REQUEST, INVALID_PARAMS, METHOD_NOT_FOUND = -32600, -32602, -32601

# request (without jsonrpc and id) → the error code it must get
BROKEN: list[tuple[dict[str, Any], int]] = [
    (
        {
            "method": "textDocument/codeAction",
            "params": {"textDocument": {"uri": "file:///x.py"}, "context": {"diagnostics": []}},
        },
        INVALID_PARAMS,
    ),
    ({"method": "textDocument/hover", "params": {"position": {"line": 0}}}, INVALID_PARAMS),
    ({"method": "textDocument/codeAction", "params": "range"}, INVALID_PARAMS),
    ({"method": "textDocument/codeAction", "params": [1, 2]}, INVALID_PARAMS),
    ({"method": "textDocument/diagnostic", "params": {"textDocument": 5}}, INVALID_PARAMS),
    (
        {
            "method": "workspace/executeCommand",
            "params": {"command": ["accord.fix"], "arguments": "x"},
        },
        INVALID_PARAMS,
    ),
    ({"method": "accord/noSuchThing", "params": {}}, METHOD_NOT_FOUND),
]


@dataclass
class Stdio:
    """``accord lsp`` over its stdin and stdout, spoken to byte by byte."""

    process: asyncio.subprocess.Process

    async def send(self, body: bytes | dict[str, Any]) -> None:
        raw = body if isinstance(body, bytes) else json.dumps(body).encode()
        assert self.process.stdin is not None
        self.process.stdin.write(b"Content-Length: %d\r\n\r\n%s" % (len(raw), raw))
        await self.process.stdin.drain()

    async def receive(self) -> dict[str, Any]:
        stream = self.process.stdout
        assert stream is not None
        length = 0
        while (line := await asyncio.wait_for(stream.readline(), 15)) not in (b"\r\n", b""):
            if line.lower().startswith(b"content-length:"):
                length = int(line.split(b":")[1])
        assert length, "the server closed its output"
        answer: dict[str, Any] = json.loads(await stream.readexactly(length))
        return answer

    async def answer_to(self, request_id: int | str) -> dict[str, Any]:
        """The response with ``request_id`` (notifications and requests to the editor skipped)."""
        while True:
            message = await self.receive()
            if "method" not in message and message.get("id") == request_id:
                return message

    async def call(self, request_id: int, method: str, params: Any) -> dict[str, Any]:
        await self.send({"jsonrpc": "2.0", "id": request_id, "method": method, "params": params})
        return await self.answer_to(request_id)


@pytest.fixture
async def lsp(tmp_path: Path) -> AsyncIterator[Stdio]:
    (tmp_path / ".git").mkdir()
    process = await start_lsp(cwd=tmp_path)
    server = Stdio(process)
    hello = await server.call(
        1, "initialize", {"processId": None, "rootUri": tmp_path.as_uri(), "capabilities": {}}
    )
    assert hello["result"]["serverInfo"]["name"] == "accord"
    await server.send({"jsonrpc": "2.0", "method": "initialized", "params": {}})
    try:
        yield server
    finally:
        process.kill()
        await process.wait()


async def _still_answers(lsp: Stdio, request_id: int) -> None:
    reply = await lsp.call(request_id, "workspace/executeCommand", {"command": "accord.nothing"})
    assert reply["id"] == request_id and ("result" in reply or "error" in reply), reply


async def test_each_broken_request_gets_its_error_with_its_id(lsp: Stdio) -> None:
    for number, (request, code) in enumerate(BROKEN, start=100):
        reply = await lsp.call(number, request["method"], request["params"])
        assert "result" not in reply, (request, reply)
        assert reply["error"]["code"] == code, (request, reply)
        assert reply["error"]["message"], reply
        await _still_answers(lsp, number + 1000)


async def test_a_string_id_and_a_wrong_jsonrpc_version_are_answered(lsp: Stdio) -> None:
    request = {"jsonrpc": "2.0", "id": "a-b", "method": "textDocument/codeAction", "params": {}}
    await lsp.send(request)
    reply = await lsp.answer_to("a-b")
    assert reply["error"]["code"] == INVALID_PARAMS
    await lsp.send({**request, "id": 7, "jsonrpc": "1.0"})
    reply = await lsp.answer_to(7)
    assert reply["error"]["code"] == INVALID_REQUEST
    await lsp.send({"id": 8, "method": "textDocument/hover", "params": {}})
    reply = await lsp.answer_to(8)
    assert reply["error"]["code"] == INVALID_REQUEST
    await _still_answers(lsp, 9)


async def test_hostile_bodies_do_not_silence_the_server(lsp: Stdio) -> None:
    """Nesting no parser should follow, a lone surrogate as the id, a body that is no object:
    each is answered (with a null id where its own cannot be read) and the server goes on."""
    deep = b'{"jsonrpc": "2.0", "id": 9, "method": "textDocument/hover", "params": ' + (
        b"[" * 100_000 + b"]" * 100_000 + b"}"
    )
    surrogate = b'{"jsonrpc": "2.0", "id": "\\ud800", "method": "textDocument/hover"}'
    for number, body in enumerate((deep, surrogate, b"[1, 2]", b'"text"', b"{}"), start=20):
        await lsp.send(body)
        reply = await lsp.receive()
        while "method" in reply:
            reply = await lsp.receive()
        assert reply["error"]["code"] in (INVALID_REQUEST, INVALID_PARAMS, -32700), (body, reply)
        await _still_answers(lsp, number)
