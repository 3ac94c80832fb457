"""A raw WebSocket to the org server, for sending what a well-behaved client never would."""

from __future__ import annotations

import asyncio
import itertools
import json
from types import TracebackType
from typing import Any, Self

from websockets.asyncio.client import ClientConnection, connect
from websockets.exceptions import ConnectionClosed

from accord.org.socket_close import close_socket

__all__ = ["Raw"]


class Raw:
    """One WebSocket; frames go out as given and answers come back as parsed JSON."""

    def __init__(self, url: str) -> None:
        self.url = url
        self._socket: ClientConnection | None = None
        self._ids = itertools.count(1000)

    async def __aenter__(self) -> Self:
        self._socket = await connect(self.url, compression=None, max_size=None, open_timeout=10)
        return self

    async def __aexit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        trace: TracebackType | None,
    ) -> None:
        await close_socket(self.socket)

    @property
    def socket(self) -> ClientConnection:
        assert self._socket is not None, "not connected"
        return self._socket

    async def send(self, frame: str | bytes, text: bool | None = None) -> None:
        await self.socket.send(frame, text=text)

    async def receive(self, timeout: float = 5.0) -> dict[str, Any]:
        """The next frame from the server, parsed (pushes included)."""
        raw = await asyncio.wait_for(self.socket.recv(), timeout)
        answer = json.loads(raw)
        assert isinstance(answer, dict), answer
        return answer

    async def answer(self, frame: str | bytes, text: bool | None = None) -> dict[str, Any]:
        """Send ``frame`` and return the next answer (not a push)."""
        await self.send(frame, text)
        while True:
            got = await self.receive()
            if "method" not in got:
                return got

    async def call(self, method: str, params: dict[str, Any] | None = None) -> dict[str, Any]:
        """A well-formed request; returns the whole response object."""
        request_id = next(self._ids)
        frame = {"jsonrpc": "2.0", "id": request_id, "method": method, "params": params or {}}
        response = await self.answer(json.dumps(frame))
        assert response["id"] == request_id, response
        return response

    async def authenticate(self, token: str) -> dict[str, Any]:
        response = await self.call("authenticate", {"token": token})
        assert "result" in response, response
        result: dict[str, Any] = response["result"]
        return result

    async def closed(self, timeout: float = 5.0) -> tuple[int | None, str]:
        """Wait for the server to close; returns its close code and reason."""
        try:
            async with asyncio.timeout(timeout):
                while True:
                    await self.socket.recv()
        except ConnectionClosed:
            pass
        return self.socket.close_code, self.socket.close_reason or ""
