"""The hub's pushes over real sockets (an in-process ``websockets`` server, no org server)."""

from __future__ import annotations

import asyncio
import base64
import logging
import os
import socket
import struct
import time

import pytest
from websockets.asyncio.server import ServerConnection, serve

from accord.org.hub import Hub, Peer
from accord.protocol.org import Identity, Presence

ROOM = "shop"


def _identity(email: str) -> Identity:
    return Identity(user_id=email, email=email, org_id="o", org_name="Acme", roles=("developer",))


async def _handshaken(port: int) -> socket.socket:
    """A client socket past the WebSocket handshake, driven by hand so it can be reset at once."""
    loop = asyncio.get_running_loop()
    raw = socket.socket()
    raw.setblocking(False)
    await loop.sock_connect(raw, ("127.0.0.1", port))
    key = base64.b64encode(os.urandom(16)).decode()
    await loop.sock_sendall(
        raw,
        (
            f"GET / HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
            f"Sec-WebSocket-Key: {key}\r\nSec-WebSocket-Version: 13\r\n\r\n"
        ).encode(),
    )
    answer = b""
    while b"\r\n\r\n" not in answer:
        answer += await loop.sock_recv(raw, 4096)
    assert b" 101 " in answer.split(b"\r\n", 1)[0]
    return raw


async def test_pushes_pass_over_a_connection_its_client_reset_without_flooding_the_log(
    caplog: pytest.LogCaptureFixture,
) -> None:
    hub, joined = Hub(), asyncio.Event()
    peers: list[Peer] = []

    async def handler(connection: ServerConnection) -> None:
        peer = Peer(connection, identity=_identity(f"dev{len(peers)}@acme.test"))
        hub.add(peer)
        hub.join(peer, ROOM)
        peers.append(peer)
        joined.set()
        await connection.wait_closed()

    async with serve(handler, "127.0.0.1", 0, compression=None) as server:
        port = next(iter(server.sockets)).getsockname()[1]
        client = await _handshaken(port)
        await joined.wait()
        client.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        client.close()  # a reset, which the server's loop has not read yet
        time.sleep(0.1)  # noqa: ASYNC251 - blocking: the loop must not read the reset yet
        message = Presence(project=ROOM, email="x@acme.test", state="joined", online=())
        with caplog.at_level(logging.WARNING, logger="asyncio"):
            for _ in range(50):  # pushes in one turn of the loop, as a burst of presence is
                hub.push_room("o", ROOM, "presence", message)
        assert not [r for r in caplog.records if "socket.send() raised" in r.getMessage()]
        await peers[0].socket.wait_closed()
