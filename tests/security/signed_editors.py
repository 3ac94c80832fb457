"""A language server started without waiting for its org link (for tests where it must not
come online), and the ``accord`` command run as a user, failures included."""

from __future__ import annotations

import asyncio
import os
import sys
from pathlib import Path

from lsprotocol import types
from pytest_lsp import ClientServerConfig, client_capabilities

from ..org.editors import Editor


async def launch(home: Path, root: Path, url: str | None = None) -> Editor:
    """A language server for the checkout ``root`` (linked to ``url`` when given, else to what
    its ``accord.toml`` says), logged in with the credentials in ``home``."""
    if url is not None:
        (root / ".git").mkdir(parents=True, exist_ok=True)
        (root / "accord.toml").write_text(f'[org]\nurl = "{url}"\nproject = "shop"\n', "utf-8")
    config = ClientServerConfig(
        server_command=[sys.executable, "-m", "accord", "lsp"],
        server_env={**os.environ, "ACCORD_CONFIG_HOME": str(home)},
    )
    client = await config.start()
    await client.initialize_session(
        types.InitializeParams(
            capabilities=client_capabilities("neovim@v0.11.0"),
            root_uri=root.as_uri(),
            workspace_folders=[types.WorkspaceFolder(uri=root.as_uri(), name=root.name)],
            initialization_options={"diagnosticMode": "push"},
        )
    )
    return Editor("", root, client)  # type: ignore[arg-type]


async def run_accord(*args: str, home: Path) -> tuple[int, str]:
    """Run ``accord`` as a user whose credentials are in ``home``: its exit status and output."""
    process = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "accord",
        *args,
        env={**os.environ, "ACCORD_CONFIG_HOME": str(home)},
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.STDOUT,
    )
    output, _ = await process.communicate()
    assert process.returncode is not None
    return process.returncode, output.decode()
