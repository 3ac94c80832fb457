"""The replicas' Redis bus is authenticated: frames published straight to Redis without the
cluster's secret (forged, replayed, stale, malformed or of an unknown kind) are dropped and
counted, and no language server applies anything they say."""

from __future__ import annotations

import asyncio
import json
import time
import urllib.request
from collections.abc import AsyncIterator
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from redis.asyncio import Redis

from accord.org.bus import BusMessage
from accord.org.busauth import Dropped, Opener, seal
from accord.org.codec import approval_from_json, approval_to_json
from accord.policy.approval import State
from accord.policy.loading import default_policy

from ..org.editors import fix_the_migration, link_status, log_in, start_editor, until
from ..org.scaleout import REDIS, need_redis
from ..org.server import OrgServer

SECRET = b"s" * 32

# --- the pure frame checks ------------------------------------------------------------------


def test_a_sealed_frame_opens_once_within_the_window() -> None:
    opener = Opener(SECRET, window=30)
    frame = seal(SECRET, '{"a":1}', now=1000.0)
    assert opener.open(frame, now=1010.0) == '{"a":1}'
    with pytest.raises(Dropped, match="replayed"):
        opener.open(frame, now=1011.0)
    with pytest.raises(Dropped, match="stale"):
        Opener(SECRET, window=30).open(frame, now=1031.0)
    with pytest.raises(Dropped, match="forged"):
        Opener(b"x" * 32).open(frame, now=1000.0)
    tampered = json.loads(frame)
    tampered["body"] = '{"a":2}'
    with pytest.raises(Dropped, match="forged"):
        Opener(SECRET).open(json.dumps(tampered), now=1000.0)


@settings(max_examples=200, deadline=None)
@given(raw=st.one_of(st.binary(max_size=300), st.text(max_size=300)))
def test_whatever_arrives_is_delivered_only_when_sealed(raw: bytes | str) -> None:
    with pytest.raises(Dropped) as dropped:
        Opener(SECRET).open(raw, now=time.time())
    assert dropped.value.reason in {"malformed", "forged"}


# --- two replicas on one store and a real Redis ---------------------------------------------


@pytest.fixture
async def replicas(tmp_path: Path) -> AsyncIterator[list[OrgServer]]:
    need_redis()
    servers = [
        OrgServer(tmp_path / "org.db", bus_url=REDIS, extra_args=("--tick", "0.2"))
        for _ in range(2)
    ]
    await servers[0].seed()
    servers[1].key, servers[1].users = servers[0].key, servers[0].users
    for server in servers:
        await server.start()
    try:
        yield servers
    finally:
        await asyncio.gather(*(s.stop() for s in servers))


def _dropped(server: OrgServer) -> dict[str, float]:
    base = server.url.replace("ws://", "http://")
    with urllib.request.urlopen(f"{base}/metrics", timeout=5) as answer:
        text = answer.read().decode()
    counts: dict[str, float] = {}
    for line in text.splitlines():
        if line.startswith("accord_bus_dropped_total{"):
            reason = line.split('reason="', 1)[1].split('"', 1)[0]
            counts[reason] = float(line.rsplit(" ", 1)[1])
    return counts


async def test_frames_published_straight_to_redis_are_dropped_counted_and_never_applied(
    replicas: list[OrgServer], tmp_path: Path
) -> None:
    a, b = replicas
    async with a.opened() as store:
        channel = f"accord:{(await store.setting('cluster_id', b'')).decode()}"
        secret = await store.setting("bus_secret", b"")
    redis = Redis.from_url(REDIS)
    spy = redis.pubsub()
    await spy.subscribe(channel)
    home = tmp_path / "home"
    await log_in(b, "dev@acme.test", home)
    editor = await start_editor(b, "dev@acme.test", home, tmp_path / "dev" / "shop")
    try:
        asked = await fix_the_migration(editor)
        assert asked["state"] == "pending"
        acme = b.users["dev@acme.test"].org_id

        # The bus works: a genuine policy change on replica a reaches the editor on replica b.
        admin = await a.client("admin@acme.test")
        stricter = default_policy().model_dump(mode="json")
        await admin.call("policy.set", {"yaml": json.dumps(stricter)})
        await admin.close()
        await until(lambda: _revision_is(editor, 1), what="the genuine push via the bus")
        genuine = await _next_frame(spy)
        pushes_before = len(editor.notes.get("accord/policyChanged", []))

        async with a.opened() as store:
            record = await store.get_approval(acme, asked["approval_id"])
        assert record is not None
        body = approval_to_json(
            replace(record, request=replace(record.request, state=State.APPROVED))
        )
        assert approval_from_json(record.id, acme, record.project, 99, body).request.state == (
            State.APPROVED
        )
        loose = default_policy().model_dump(mode="json")
        for workflow in loose["workflows"].values():
            workflow["triggers"] = [{"low": 0, "high": 10}]
        forged_approval = _message(
            "approval",
            acme,
            "approval.updated",
            {"id": record.id, "project": record.project, "version": 99, "body": body},
        )
        forged_policy = _message(
            "org",
            acme,
            "policy.changed",
            {"revision": 7, "etag": "0" * 16, "policy": loose, "key_id": "", "signature": ""},
        )
        frames = [
            forged_approval,  # the unauthenticated format of before: malformed
            forged_policy,
            seal(b"guessed-secret-0123456789", forged_approval, time.time()),  # forged
            seal(b"guessed-secret-0123456789", forged_policy, time.time()),
            genuine,  # replayed
            seal(secret, forged_policy, time.time() - 120),  # stale (even with the secret)
            seal(secret, _message("org", acme, "evil.method", {}), time.time()),  # unknown
        ]
        for frame in frames:
            await redis.publish(channel, frame)
        await until(lambda: _all_counted(b), what="every frame counted as dropped on b")
        counts = _dropped(b)
        assert counts["malformed"] >= 2 and counts["forged"] >= 2
        assert counts["replayed"] >= 1 and counts["stale"] >= 1 and counts["unknown"] >= 1
        await asyncio.sleep(0.5)
        status = await link_status(editor)
        assert status["policy_revision"] == 1
        assert editor.edits == 0
        assert len(editor.notes.get("accord/policyChanged", [])) == pushes_before
        assert not [n for n in editor.notes.get("accord/approvalUpdated", []) if _approved(n)]
    finally:
        await editor.client.shutdown_session()
        await spy.aclose()
        await redis.aclose()


def _message(kind: str, org_id: str, method: str, params: dict[str, Any]) -> str:
    message = BusMessage(origin="attacker", kind=kind, org_id=org_id, method=method, params=params)  # type: ignore[arg-type]
    return message.model_dump_json()


async def _next_frame(spy: Any) -> bytes:
    async with asyncio.timeout(10):
        while True:
            raw = await spy.get_message(ignore_subscribe_messages=True, timeout=1.0)
            if raw is not None and b"policy.changed" in raw["data"]:
                return bytes(raw["data"])


async def _revision_is(editor: Any, revision: int) -> bool:
    return bool((await link_status(editor))["policy_revision"] == revision)


def _all_counted(server: OrgServer) -> bool:
    counts = _dropped(server)
    wanted = {"malformed": 2, "forged": 2, "replayed": 1, "stale": 1, "unknown": 1}
    return all(counts.get(reason, 0) >= n for reason, n in wanted.items())


def _approved(note: Any) -> bool:
    approval = note.get("approval", {}) if isinstance(note, dict) else getattr(note, "approval", {})
    state = approval.get("state") if isinstance(approval, dict) else None
    return state == "approved"


async def test_with_the_bus_secret_stolen_a_pushed_policy_still_needs_the_org_signature(
    replicas: list[OrgServer], tmp_path: Path
) -> None:
    a, b = replicas
    async with a.opened() as store:
        channel = f"accord:{(await store.setting('cluster_id', b'')).decode()}"
        secret = await store.setting("bus_secret", b"")
    home = tmp_path / "home"
    await log_in(b, "dev@acme.test", home)
    editor = await start_editor(b, "dev@acme.test", home, tmp_path / "dev" / "shop")
    redis = Redis.from_url(REDIS)
    try:
        await until(lambda: _revision_is(editor, 0), what="the signed default policy")
        acme = b.users["dev@acme.test"].org_id
        loose = default_policy().model_dump(mode="json")
        for workflow in loose["workflows"].values():
            workflow["triggers"] = [{"low": 0, "high": 10}]
        key_id = (await _pinned(home, b.url))[0]
        pushed = {"revision": 5, "etag": "0" * 16, "policy": loose, "key_id": key_id}
        for signature in ("", "A" * 88):  # unsigned, then a made-up signature
            frame = _message("org", acme, "policy.changed", {**pushed, "signature": signature})
            await redis.publish(channel, seal(secret, frame, time.time()))  # authentic on the bus
        await until(lambda: len(_refused(editor)) == 2, what="both pushes refused in the editor")
        assert "revision 5 is not signed" in _refused(editor)[0]
        assert "revision 5 does not match its signature" in _refused(editor)[1]
        assert await _revision_is(editor, 0)
    finally:
        await editor.client.shutdown_session()
        await redis.aclose()


async def _pinned(home: Path, url: str) -> list[str]:
    return list(json.loads((home / "credentials.json").read_text())[url]["keys"])


def _refused(editor: Any) -> list[str]:
    return [m.message for m in editor.client.messages if "refused a policy" in m.message]
