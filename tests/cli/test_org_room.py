"""``accord org room watch``, run as a user would, against a real org server: the room's events
(and who joins) as lines or JSON, with the saved login."""

from __future__ import annotations

import asyncio
import json
import os
import sys
from pathlib import Path

from accord.protocol.org import RoomJoin, RoomJoined, RoomPublish, RoomPublished
from tests.org.editors import log_in
from tests.org.server import OrgServer

STEP = {
    "type": "agent_action",
    "agent_id": "a",
    "action": {
        "type": "proposal",
        "status": "completed",
        "data": {"file_path": "/home/dev/shop/pricing.py", "action": "document"},
    },
}


async def publish(org: OrgServer, email: str, kind: str, data: dict[str, object]) -> None:
    client = await org.client(email)
    try:
        await client.request("room.join", RoomJoin(project="shop"), RoomJoined)
        await client.request(
            "room.publish", RoomPublish(project="shop", kind=kind, data=data), RoomPublished
        )
    finally:
        await client.close()


async def watch(home: Path, *args: str) -> asyncio.subprocess.Process:
    return await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "accord",
        "org",
        "room",
        "watch",
        "shop",
        *args,
        env={**os.environ, "ACCORD_CONFIG_HOME": str(home), "ACCORD_ORG_URL": ""},
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )


async def test_live_events_and_presence_as_json_lines(org: OrgServer, tmp_path: Path) -> None:
    home = tmp_path / "lead"
    await log_in(org, "lead@acme.test", home)
    await publish(org, "dev@acme.test", "suggestion", {"text": "Use Money for prices"})

    watcher = await watch(home, "--json", "--last", "1", "--count", "3")
    assert watcher.stderr is not None and watcher.stdout is not None
    header = (await asyncio.wait_for(watcher.stderr.readline(), 30)).decode()
    assert header.startswith("watching shop on ws://127.0.0.1:") and "as lead@acme.test" in header
    await publish(org, "dev@acme.test", "agent_action", STEP)
    await publish(org, "dev@acme.test", "mode", {"mode": "control", "previous": "guidance"})
    output, _ = await asyncio.wait_for(watcher.communicate(), 30)

    assert watcher.returncode == 0
    lines = [json.loads(line) for line in output.decode().splitlines()]
    events = [line for line in lines if line["type"] == "event"]
    assert [(e["kind"], e["actor"]) for e in events] == [
        ("suggestion", "dev@acme.test"),
        ("agent_action", "dev@acme.test"),
        ("mode", "dev@acme.test"),
    ]
    assert [e["offset"] for e in events] == [1, 2, 3]
    joins = [(p["email"], p["state"]) for p in lines if p["type"] == "presence"]
    assert ("dev@acme.test", "joined") in joins


async def test_the_room_as_lines_and_bad_input(org: OrgServer, tmp_path: Path) -> None:
    home = tmp_path / "lead"
    await log_in(org, "lead@acme.test", home)
    await publish(org, "dev@acme.test", "agent_action", STEP)
    await publish(org, "dev@acme.test", "suggestion", {"text": "Round", "file": "shop/a.py"})

    watcher = await watch(home, "--last", "2", "--count", "2")
    output, _ = await asyncio.wait_for(watcher.communicate(), 30)

    assert watcher.returncode == 0
    first, second = [line for line in output.decode().splitlines() if " #" in line]
    assert first.endswith("#1 dev@acme.test agent_action: document pricing.py: proposal completed")
    assert second.endswith("#2 dev@acme.test suggestion: Round (on shop/a.py)")

    wrong = await watch(home, "--count", "-1")
    _, said = await wrong.communicate()
    assert wrong.returncode == 2 and b"'-1' is not a number of events" in said
    nobody = await watch(tmp_path / "nobody")
    _, said = await nobody.communicate()
    assert nobody.returncode == 2 and b"accord login" in said
