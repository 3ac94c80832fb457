"""Raw LSP framing, for tests that speak to the server without a client library."""

from __future__ import annotations

import asyncio
import json
import sys
from pathlib import Path
from typing import IO


async def _read_message(stream: asyncio.StreamReader) -> dict:
    length = 0
    while (line := await stream.readline()) not in (b"\r\n", b""):
        if line.lower().startswith(b"content-length:"):
            length = int(line.split(b":")[1])
    return json.loads(await stream.readexactly(length))


async def start_lsp(
    stdout: int | IO[bytes] = asyncio.subprocess.PIPE, cwd: Path | None = None
) -> asyncio.subprocess.Process:
    """``accord lsp`` over stdio in a subprocess: its stdin a pipe, its stdout ``stdout``."""
    return await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "accord",
        "lsp",
        stdin=asyncio.subprocess.PIPE,
        stdout=stdout,
        stderr=asyncio.subprocess.DEVNULL,
        cwd=cwd,
    )
