"""A minimal LSP client speaking raw JSON-RPC over a subprocess's stdio, for benchmarks.

Benchmarks drive servers written against different LSP versions; typed clients reject fields they
do not know, so this one keeps messages as plain dictionaries. It answers the server's requests
with null (or an empty list for workspace/configuration) and hands notifications to a callback.
"""

from __future__ import annotations

import asyncio
import itertools
import json
from collections.abc import Callable
from typing import Any

Notification = Callable[[str, Any], None]


class WireClient:
    """Start with ``await WireClient.start(cmd, cwd, on_notification)``."""

    def __init__(self, process: asyncio.subprocess.Process, on_notification: Notification):
        self.process = process
        self.on_notification = on_notification
        self._ids = itertools.count(1)
        self._pending: dict[int, asyncio.Future[Any]] = {}
        self._reader = asyncio.create_task(self._read_forever())

    @classmethod
    async def start(cls, command: list[str], cwd: str, on_notification: Notification) -> WireClient:
        process = await asyncio.create_subprocess_exec(
            *command,
            cwd=cwd,
            stdin=asyncio.subprocess.PIPE,
            stdout=asyncio.subprocess.PIPE,
            stderr=asyncio.subprocess.DEVNULL,
            limit=2**26,
        )
        return cls(process, on_notification)

    async def request(self, method: str, params: Any, timeout: float = 60.0) -> Any:
        ident = next(self._ids)
        future: asyncio.Future[Any] = asyncio.get_running_loop().create_future()
        self._pending[ident] = future
        self._send({"jsonrpc": "2.0", "id": ident, "method": method, "params": params})
        return await asyncio.wait_for(future, timeout)

    def notify(self, method: str, params: Any) -> None:
        self._send({"jsonrpc": "2.0", "method": method, "params": params})

    async def close(self) -> None:
        try:
            await self.request("shutdown", None, timeout=10)
            self.notify("exit", None)
            await asyncio.wait_for(self.process.wait(), 10)
        except (TimeoutError, ConnectionError):
            self.process.kill()
        self._reader.cancel()

    def _send(self, message: dict[str, Any]) -> None:
        assert self.process.stdin is not None
        body = json.dumps(message).encode()
        self.process.stdin.write(b"Content-Length: %d\r\n\r\n" % len(body) + body)

    async def _read_forever(self) -> None:
        assert self.process.stdout is not None
        stream = self.process.stdout
        while True:
            length = 0
            while (line := await stream.readline()) not in (b"\r\n", b""):
                if line.lower().startswith(b"content-length:"):
                    length = int(line.split(b":")[1])
            if not length:
                return
            self._dispatch(json.loads(await stream.readexactly(length)))

    def _dispatch(self, message: dict[str, Any]) -> None:
        if "method" not in message:
            future = self._pending.pop(message.get("id"), None)
            if future and not future.done():
                future.set_result(message.get("result"))
            return
        if "id" in message:
            items = (message.get("params") or {}).get("items", [])
            result = [None] * len(items) if message["method"] == "workspace/configuration" else None
            self._send({"jsonrpc": "2.0", "id": message["id"], "result": result})
            return
        self.on_notification(message["method"], message.get("params"))
