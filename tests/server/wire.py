"""Raw LSP framing, for tests that speak to the server without a client library."""

from __future__ import annotations

import asyncio
import json


async def _read_message(stream: asyncio.StreamReader) -> dict:
    length = 0
    while (line := await stream.readline()) not in (b"\r\n", b""):
        if line.lower().startswith(b"content-length:"):
            length = int(line.split(b":")[1])
    return json.loads(await stream.readexactly(length))
