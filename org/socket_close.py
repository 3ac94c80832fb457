"""Closing a WebSocket that the other end may have closed already."""

from __future__ import annotations

from websockets.asyncio.connection import Connection
from websockets.protocol import State

__all__ = ["close_socket"]


async def close_socket(socket: Connection) -> None:
    """Close ``socket`` with a normal closing handshake, unless it is closed already.

    Once the peer has closed and the TCP connection is gone, websockets' ``close`` aborts the
    transport a second time; on CPython 3.11 that raises ``AttributeError`` from asyncio when the
    transport had flushed its write buffer before it closed (its loop is already detached).
    """
    if socket.state is not State.CLOSED:
        await socket.close()
