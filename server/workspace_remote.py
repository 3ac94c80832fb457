"""Which repository a workspace is: its git ``origin`` remote, as the org resolves projects by."""

from __future__ import annotations

import asyncio
from pathlib import Path

__all__ = ["origin_remote"]


async def origin_remote(root: Path, timeout: float = 5.0) -> str | None:
    """``git remote get-url origin`` in ``root``; None when git, the repository or the remote is
    missing (or git takes longer than ``timeout`` seconds)."""
    try:
        process = await asyncio.create_subprocess_exec(
            "git",
            "-C",
            str(root),
            "remote",
            "get-url",
            "origin",
            stdout=asyncio.subprocess.PIPE,
            stderr=asyncio.subprocess.DEVNULL,
        )
    except OSError:
        return None
    try:
        output, _ = await asyncio.wait_for(process.communicate(), timeout)
    except TimeoutError:
        process.kill()
        await process.wait()
        return None
    remote = output.decode("utf-8", "replace").strip()
    return remote if process.returncode == 0 and remote else None
