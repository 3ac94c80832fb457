"""Presence in the editor: the language server joins its room asking for deltas and tells the
editor the whole online list (``accord/presence``) as people come and go."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from .editors import Editor, log_in, start_editor, until
from .server import OrgServer


def _lists(editor: Editor) -> list[list[str]]:
    notes: list[Any] = editor.notes.get("accord/presence", [])
    return [list(note.online) for note in notes]


async def test_the_editor_sees_who_comes_and_goes_from_the_servers_deltas(
    org: OrgServer, tmp_path: Path
) -> None:
    homes = {name: tmp_path / "home" / name for name in ("dev", "lead")}
    for name, home in homes.items():
        await log_in(org, f"{name}@acme.test", home)
    dev = await start_editor(org, "dev@acme.test", homes["dev"], tmp_path / "dev" / "shop")
    try:
        await until(lambda: ["dev@acme.test"] in _lists(dev), what="dev's own arrival")
        lead = await start_editor(org, "lead@acme.test", homes["lead"], tmp_path / "lead" / "shop")
        both = ["dev@acme.test", "lead@acme.test"]
        await until(lambda: both in _lists(dev), what="the lead's arrival in dev's editor")
        await until(lambda: both in _lists(lead), what="the lead's own view")
        await lead.client.shutdown_session()
        await until(
            lambda: _lists(dev)[-1] == ["dev@acme.test"], what="the lead leaving dev's editor"
        )
    finally:
        await dev.client.shutdown_session()
