"""A teammate beside a real editor: another user's language server (pytest-lsp) in the same
project room of the editors' org server (see ``conftest.org``)."""

from __future__ import annotations

import asyncio
from pathlib import Path

from ..org.editors import Editor, start_editor
from ..org.server import OrgServer
from .harness import VENV_BIN, Org


async def accord(*args: str, env: dict[str, str]) -> str:
    """Run ``accord ARGS`` (this virtualenv's) in ``env``; its output (it must succeed)."""
    process = await asyncio.create_subprocess_exec(
        str(VENV_BIN / "accord"),
        *args,
        env=env,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.STDOUT,
    )
    output = (await process.communicate())[0].decode()
    assert process.returncode == 0, output
    return output


async def teammate(org: Org, tmp_path: Path, email: str) -> Editor:
    """Add ``email`` to the org, log them in, and start their language server on "shop"."""
    home = tmp_path / email.split("@")[0]
    env = {"ACCORD_CONFIG_HOME": str(home), "PATH": "/usr/bin:/bin", "HOME": str(home)}
    store = f"sqlite:///{tmp_path / 'org.db'}"
    added = await accord(
        "org", "user", "add", email, "--role", "developer", "--store", store, env=env
    )
    token = next(line for line in added.splitlines() if line.startswith("eyJ")).strip()
    await accord("login", org.url, "--token", token, env=env)
    return await start_editor(
        OrgServer(store_path=tmp_path / "org.db", url=org.url), email, home, home / "shop"
    )


async def ann_online(editor: Editor) -> bool:
    """Whether the org's admin (the editor's user, Ann) is online in ``editor``'s Team view."""
    view = await editor.client.protocol.send_request_async("accord/team", {})
    return "ann@acme.test" in view.online
