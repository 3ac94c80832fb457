"""What a linked editor sees of the org: policy pushes, the project room (resumed without gap or
duplicate across a server restart) and teammates' suggestions reaching the agents' context."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from lsprotocol import types

from accord.protocol.org import PolicySet, RoomJoin, RoomJoined, RoomPublish, RoomPublished

from .editors import PRICING, Editor, document_pricing, link_status, until
from .server import OrgServer


async def test_a_policy_change_reaches_every_connected_editor(
    org: OrgServer, pair: tuple[Editor, Editor]
) -> None:
    admin = await org.client("admin@acme.test")
    text = (Path(__file__).parents[2] / "policy" / "default-policy.yaml").read_text("utf-8")
    try:
        pushed = await admin.call(
            "policy.set", PolicySet(yaml=text.replace("timeout_hours: 4", "timeout_hours: 2"))
        )
    finally:
        await admin.close()
    for editor in pair:
        await until(
            lambda e=editor: any(
                n.revision == pushed.revision  # type: ignore[attr-defined]
                for n in e.notes.get("accord/policyChanged", [])
            ),
            what="the policy push",
        )  # (the first note may be revision 0's, adopted at start)
        assert editor.notes["accord/policyChanged"][-1].revision == pushed.revision  # type: ignore[attr-defined]
        assert (await link_status(editor))["policy_revision"] == pushed.revision
        cached = editor.root / ".accord" / "org" / "policy.json"
        assert f'"revision": {pushed.revision}' in cached.read_text("utf-8")  # type: ignore[attr-defined]


async def test_the_room_resumes_after_a_server_restart_with_no_gap_and_no_duplicate(
    org: OrgServer, pair: tuple[Editor, Editor]
) -> None:
    _, lead = pair

    async def publish(count: int) -> None:
        client = await org.client("dev2@acme.test")
        try:
            await client.request("room.join", RoomJoin(project="shop"), RoomJoined)
            for n in range(count):
                await client.request(
                    "room.publish",
                    RoomPublish(project="shop", kind="note", data={"n": n}),
                    RoomPublished,
                )
        finally:
            await client.close()

    await publish(5)
    await until(lambda: len(_notes(lead)) == 5, what="the first five events")
    port = int(org.url.rsplit(":", 1)[1])
    await org.stop()
    await until(lambda: _offline(lead), what="the editor's link to drop")
    await org.start(port=port)
    await publish(7)  # published while the editor's link is still reconnecting
    await until(lambda: len(_notes(lead)) >= 12, timeout=30, what="the missed events")
    offsets = [event.offset for event in _notes(lead)]
    assert offsets == list(range(1, 13))
    assert not lead.notes.get("accord/roomResync")


async def test_a_teammates_suggestion_reaches_the_agents_context(
    pair: tuple[Editor, Editor],
) -> None:
    dev, lead = pair
    answer = await lead.client.workspace_execute_command_async(
        types.ExecuteCommandParams(
            command="accord.room.suggest", arguments=[{"text": "Use the Money type for prices"}]
        )
    )
    assert answer["sent"] is True
    await until(lambda: any(e.kind == "suggestion" for e in dev.room), what="the suggestion")
    history = dev.root / ".accord" / "accord.db"
    await until(lambda: history.exists() and _said(history), what="the suggestion in dev's history")


def _notes(editor: Editor) -> list[object]:
    return [e for e in editor.room if e.kind == "note"]


async def _offline(editor: Editor) -> bool:
    return not (await link_status(editor))["online"]


def _said(history: Path) -> bool:
    with sqlite3.connect(history) as db:
        try:
            rows = db.execute("SELECT content FROM messages").fetchall()
        except sqlite3.OperationalError:  # the schema is still being created
            return False
    return any(
        "from teammate lead@acme.test, quoted as data" in r[0]
        and "\n> Use the Money type for prices" in r[0]
        for r in rows
    )


async def test_in_control_mode_the_controller_approves_each_step_from_their_editor(
    pair: tuple[Editor, Editor],
) -> None:
    dev, lead = pair
    answer = await dev.client.workspace_execute_command_async(
        types.ExecuteCommandParams(
            command="accord.mode.set",
            arguments=[{"mode": "control", "controller": "lead@acme.test"}],
        )
    )
    assert answer["controller"] == "lead@acme.test"
    lead.answers = ["Continue"] * 10
    dev.answers = ["Apply"]

    result = await document_pricing(dev)

    steps = [p.message for p in lead.asked if "control mode" in p.message]
    assert steps and all("dev@acme.test's agent wants to run" in m for m in steps)
    assert result["applied"] is True


async def test_a_controller_who_stops_a_step_stops_the_agent(pair: tuple[Editor, Editor]) -> None:
    dev, lead = pair
    await dev.client.workspace_execute_command_async(
        types.ExecuteCommandParams(
            command="accord.mode.set",
            arguments=[{"mode": "control", "controller": "lead@acme.test"}],
        )
    )
    lead.answers = ["Stop"]
    with pytest.raises(Exception, match="(?i)stop|cancel"):
        await document_pricing(dev)
    assert (dev.root / "shop" / "pricing.py").read_text("utf-8") == PRICING
    assert len([p for p in lead.asked if "control mode" in p.message]) == 1
    assert dev.edits == 0
