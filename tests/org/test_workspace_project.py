"""A workspace whose settings name no project is linked to the project the org recognises by its
git ``origin`` remote, and joins that project's room."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from accord.protocol.org import RoomJoin, RoomJoined, RoomPublish, RoomPublished

from .editors import Editor, link_status, log_in, start_editor, until
from .projects import seed_projects
from .server import Inbox, OrgServer


async def test_the_workspace_joins_the_project_its_remote_belongs_to(
    org: OrgServer, tmp_path: Path
) -> None:
    if shutil.which("git") is None:
        pytest.skip("git is not installed")
    await seed_projects(org)
    root = tmp_path / "checkouts" / "payments"  # the folder's name says nothing
    root.mkdir(parents=True)
    subprocess.run(["git", "init", "-q", str(root)], check=True)
    remote = "https://github.com/Acme/billing.git"
    subprocess.run(["git", "-C", str(root), "remote", "add", "origin", remote], check=True)
    home = tmp_path / "home"
    await log_in(org, "dev2@acme.test", home)
    inbox = Inbox()
    lead = await org.client("lead@acme.test", inbox)  # billing's tech lead
    await lead.request("room.join", RoomJoin(project="billing"), RoomJoined)
    editor = await start_editor(org, "dev2@acme.test", home, root, project=None)
    try:
        await until(lambda: _project_is(editor, "billing"), what="the remote's project")
        await inbox.next("presence", 15, lambda p: p.email == "dev2@acme.test")
        await lead.request(
            "room.publish",
            RoomPublish(project="billing", kind="note", data={"n": 1}),
            RoomPublished,
        )
        await until(
            lambda: any(e.project == "billing" and e.kind == "note" for e in editor.room),
            what="billing's room event in the editor",
        )
    finally:
        await lead.close()
        await editor.client.shutdown_session()


async def _project_is(editor: Editor, name: str) -> bool:
    status = await link_status(editor)
    return bool(status.get("project") == name and status["online"])


async def test_a_non_members_workspace_is_told_and_keeps_the_rest_of_the_link(
    org: OrgServer, tmp_path: Path
) -> None:
    if shutil.which("git") is None:
        pytest.skip("git is not installed")
    await seed_projects(org)
    root = tmp_path / "checkouts" / "billing"
    root.mkdir(parents=True)
    subprocess.run(["git", "init", "-q", str(root)], check=True)
    remote = "git@github.com:acme/billing.git"
    subprocess.run(["git", "-C", str(root), "remote", "add", "origin", remote], check=True)
    home = tmp_path / "home"
    await log_in(org, "dev@acme.test", home)  # a member of shop, not of billing
    editor = await start_editor(org, "dev@acme.test", home, root, project=None)
    try:
        await until(lambda: _project_is(editor, "billing"), what="the remote's project")
        await until(
            lambda: any(
                "not a member of project billing" in m.message for m in editor.client.messages
            ),
            what="the editor to be told",
        )
        status = await link_status(editor)
        assert status["online"] and status["room"]["joined"] is False
        assert status["policy_revision"] == 0  # the policy still came
    finally:
        await editor.client.shutdown_session()
