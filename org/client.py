"""A client of the org server: one WebSocket, typed calls, pushes handed to a callback.

Used by the language server's org link, the ``accord approvals`` and ``accord login`` commands,
the demo, the tests and the benchmarks. Calls may run concurrently; answers are matched by id.
"""

from __future__ import annotations

import asyncio
import itertools
import json
import logging
import os
import ssl
from collections.abc import Awaitable, Callable
from typing import Any, TypeVar

from pydantic import ValidationError
from websockets.asyncio.client import ClientConnection, connect
from websockets.exceptions import ConnectionClosed, InvalidMessage, InvalidStatus

from accord.protocol.org import METHODS, PUSHES, Message
from accord.protocol.rpc import ErrorCode

from .socket_close import close_socket

__all__ = ["OrgClient", "OrgError", "OrgUnreachable", "PushHandler", "UntrustedServer"]

log = logging.getLogger(__name__)

PushHandler = Callable[[str, Message], Awaitable[None] | None]
M = TypeVar("M", bound=Message)


class OrgError(Exception):
    """A call the org server answered with an error (or could not answer: code UNAVAILABLE)."""

    def __init__(self, code: int, message: str, method: str = "", data: Any = None) -> None:
        super().__init__(f"{method}: {message}" if method else message)
        self.code, self.message, self.method, self.data = code, message, method, data

    @property
    def retry_after(self) -> float | None:
        """Seconds to wait before trying again, when the server said (rate limited)."""
        if self.code != ErrorCode.RATE_LIMITED or not isinstance(self.data, dict):
            return None
        wait = self.data.get("retry_after")
        return float(wait) if isinstance(wait, int | float) else None


class OrgUnreachable(OrgError):
    """The org server could not be reached at all (nothing listening, no answer in time)."""


class UntrustedServer(OrgError):
    """A ``wss://`` server whose certificate does not verify (code UNAVAILABLE)."""


class OrgClient:
    """One connection to the org server at ``url``."""

    def __init__(
        self,
        url: str,
        on_push: PushHandler | None = None,
        timeout: float = 30.0,
        ca: str | None = None,
    ) -> None:
        self.url, self.timeout = url, timeout
        self.ca = ca
        """A CA file (PEM) that a ``wss://`` server's certificate must chain to (default: the
        system's CAs). Certificates and host names are always verified."""
        self._on_push = on_push
        self._socket: ClientConnection | None = None
        self._reader: asyncio.Task[None] | None = None
        self._pending: dict[int, asyncio.Future[Any]] = {}
        self._ids = itertools.count(1)
        self.closed = asyncio.Event()

    async def connect(self, **options: Any) -> OrgClient:
        """Open the socket (compression off, as the server has it; ``wss://`` verified)."""
        if self.url.startswith("wss://") and "ssl" not in options:
            try:
                options["ssl"] = ssl.create_default_context(cafile=self.ca)
            except (OSError, ssl.SSLError) as error:
                raise OrgError(
                    ErrorCode.UNAVAILABLE, f"cannot read the CA {self.ca}: {error}"
                ) from None
        try:
            self._socket = await connect(
                self.url, compression=None, open_timeout=self.timeout, max_size=1 << 24, **options
            )
        except ssl.SSLCertVerificationError as error:
            raise UntrustedServer(
                ErrorCode.UNAVAILABLE,
                f"{self.url}: the server's certificate is not trusted ({error.verify_message}); "
                "pass the CA that signed it with --ca FILE",
            ) from None
        except (TimeoutError, OSError) as error:
            why = (
                "no answer in time"
                if isinstance(error, TimeoutError)
                else os.strerror(error.errno)
                if error.errno
                else str(error)
            )
            raise OrgUnreachable(ErrorCode.UNAVAILABLE, f"cannot reach {self.url}: {why}") from None
        except (InvalidMessage, InvalidStatus) as error:
            raise OrgError(ErrorCode.UNAVAILABLE, f"cannot reach {self.url}: {error}") from None
        self.closed.clear()
        self._reader = asyncio.create_task(self._read(self._socket))
        return self

    async def __aenter__(self) -> OrgClient:
        return await self.connect() if self._socket is None else self

    async def __aexit__(self, *_: object) -> None:
        await self.close()

    async def close(self) -> None:
        if self._socket is not None:
            await close_socket(self._socket)
        if self._reader is not None:
            await asyncio.gather(self._reader, return_exceptions=True)
        self._socket = None

    @property
    def connected(self) -> bool:
        return self._socket is not None and not self.closed.is_set()

    async def call(self, method: str, params: Message | dict[str, Any] | None = None) -> Message:
        """Call ``method`` and return its validated result model; raises :class:`OrgError`."""
        raw = await self.call_raw(method, params)
        result_model = METHODS[method][1]
        try:
            return result_model.model_validate(raw)
        except ValidationError as error:
            raise OrgError(
                ErrorCode.INTERNAL_ERROR, f"unexpected answer: {error}", method
            ) from None

    async def request(self, method: str, params: Message, result: type[M]) -> M:
        """:meth:`call` typed by the expected result model."""
        answer = await self.call(method, params)
        if not isinstance(answer, result):
            raise OrgError(ErrorCode.INTERNAL_ERROR, f"expected {result.__name__}", method)
        return answer

    async def call_raw(self, method: str, params: Message | dict[str, Any] | None = None) -> Any:
        """Call ``method`` and return the raw JSON result."""
        body = params.model_dump(mode="json") if isinstance(params, Message) else params or {}
        request_id = next(self._ids)
        frame = {"jsonrpc": "2.0", "id": request_id, "method": method, "params": body}
        return await self.send_text(json.dumps(frame, separators=(",", ":")), request_id, method)

    async def send_text(self, text: str, request_id: int, method: str = "") -> Any:
        """Send a frame as is and wait for the answer with ``request_id`` (tests use it to send
        what a well-behaved client never would)."""
        if self._socket is None or self.closed.is_set():
            raise OrgError(ErrorCode.UNAVAILABLE, "not connected", method)
        answer: asyncio.Future[Any] = asyncio.get_running_loop().create_future()
        self._pending[request_id] = answer
        try:
            await self._socket.send(text)
            async with asyncio.timeout(self.timeout):
                reply = await answer
        except ConnectionClosed as error:
            raise OrgError(ErrorCode.UNAVAILABLE, f"connection closed: {error}", method) from None
        except TimeoutError:
            raise OrgError(
                ErrorCode.UNAVAILABLE, f"no answer in {self.timeout:g} s", method
            ) from None
        finally:
            self._pending.pop(request_id, None)
        if "error" in reply and reply["error"] is not None:
            failed = reply["error"]
            raise OrgError(
                int(failed.get("code", 0)),
                str(failed.get("message", "")),
                method,
                failed.get("data"),
            )
        return reply.get("result")

    async def _read(self, socket: ClientConnection) -> None:
        try:
            async for text in socket:
                self._dispatch(text)
        except ConnectionClosed:
            pass
        finally:
            self.closed.set()
            for waiting in self._pending.values():
                if not waiting.done():
                    waiting.set_exception(socket.protocol.close_exc)

    def _dispatch(self, text: str | bytes) -> None:
        try:
            frame = json.loads(text)
        except ValueError:
            log.warning("the org server sent a frame that is not JSON")
            return
        if "method" not in frame:
            waiting = self._pending.get(frame.get("id"))
            if waiting is not None and not waiting.done():
                waiting.set_result(frame)
            return
        model = PUSHES.get(frame["method"])
        if model is None or self._on_push is None:
            return
        try:
            message = model.model_validate(frame.get("params", {}))
        except ValidationError as error:
            log.warning("a %s push did not validate: %s", frame["method"], error)
            return
        outcome = self._on_push(frame["method"], message)
        if asyncio.iscoroutine(outcome):
            asyncio.ensure_future(outcome)
