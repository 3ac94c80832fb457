"""An access token that expires ends its session unless the client renews it; the language
server renews its own transparently. Against a real org server whose access tokens last seconds."""

from __future__ import annotations

import asyncio
import json
import time
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from accord.protocol.rpc import ErrorCode
from tests.org.http import scraped

from ..org.editors import log_in, start_editor, until
from ..org.server import OrgServer
from ..org.wire import Raw

DEV, LEAD = "dev@acme.test", "lead@acme.test"
TTL = 2.0
EXPIRED_CLOSE = 4002


@pytest.fixture
async def org(tmp_path: Path) -> AsyncIterator[OrgServer]:
    server = OrgServer(
        tmp_path / "org.db",
        extra_args=("--access-ttl", str(TTL), "--auth-timeout", "2"),
        log_path=tmp_path / "org.log",
    )
    await server.seed()
    await server.start()
    try:
        yield server
    finally:
        await server.stop()
        assert server.log_path is not None
        assert "Traceback" not in server.log_path.read_text("utf-8", "replace")


async def test_a_session_ends_when_its_token_expires(org: OrgServer) -> None:
    async with Raw(org.url) as raw, Raw(org.url) as teammate:
        await raw.authenticate(org.access_token(DEV, ttl=TTL))
        await raw.call("room.join", {"project": "shop"})
        await teammate.authenticate(org.access_token(LEAD, ttl=60))
        await teammate.call("room.join", {"project": "shop"})
        started = time.monotonic()
        code, reason = await raw.closed(timeout=TTL + 3)
        assert code == EXPIRED_CLOSE and "expired" in reason
        assert time.monotonic() - started <= TTL + 1
        # what it would have been pushed goes no further; the teammate is still served
        published = await teammate.call("room.publish", {"project": "shop", "kind": "note"})
        assert "result" in published
    samples = await scraped(org.port)
    assert samples['accord_auth_failures_total{reason="expired"}'] >= 1


async def test_an_expired_token_cannot_authenticate(org: OrgServer) -> None:
    token = org.access_token(DEV, ttl=1)
    await asyncio.sleep(1.1)
    async with Raw(org.url) as raw:
        answer = await raw.call("authenticate", {"token": token})
        assert answer["error"]["code"] == ErrorCode.UNAUTHENTICATED
        assert "expired" in answer["error"]["message"]


async def test_a_new_token_renews_the_session_on_the_same_connection(org: OrgServer) -> None:
    async with Raw(org.url) as raw:
        # tokens hold whole seconds: one of 3 s lasts between 2 and 3
        first = await raw.authenticate(org.access_token(DEV, ttl=3))
        for _ in range(4):
            await asyncio.sleep(1.0)
            renewed = await raw.authenticate(org.access_token(DEV, ttl=3))
            assert renewed["session_id"] == first["session_id"]
            assert renewed["access_expires_at"] > first["access_expires_at"]
        answer = await raw.call("policy.get", {})
        assert "result" in answer  # 4 s in, past the first token's life
        # another user's token cannot take the connection over
        hijack = await raw.call("authenticate", {"token": org.access_token(LEAD, ttl=60)})
        assert hijack["error"]["code"] == ErrorCode.UNAUTHENTICATED
        assert "another user" in hijack["error"]["message"]
    samples = await scraped(org.port)
    assert samples["accord_session_renewals_total"] == 4


async def test_the_language_server_renews_its_session_transparently(
    org: OrgServer, tmp_path: Path
) -> None:
    home = tmp_path / "home"
    await log_in(org, DEV, home)
    editor = await start_editor(org, DEV, home, tmp_path / "dev")
    try:
        async with Raw(org.url) as lead:
            await lead.authenticate(org.access_token(LEAD, ttl=60))
            await lead.call("room.join", {"project": "shop"})
            await asyncio.sleep(TTL * 3)  # three tokens' lives
            sent = await lead.call(
                "room.publish", {"project": "shop", "kind": "suggestion", "data": {"text": "hi"}}
            )
            assert "result" in sent
            await until(lambda: any(e.kind == "suggestion" for e in editor.room), 10)
        samples = await scraped(org.port)
        assert samples["accord_session_renewals_total"] >= 2
        assert samples.get('accord_auth_failures_total{reason="expired"}', 0) == 0
        # its stored login was refreshed as it went (each refresh token is good once)
        stored = json.loads((home / "credentials.json").read_text("utf-8"))
        assert stored[org.url]["pair"]["access_token"] != ""
    finally:
        await editor.client.shutdown_session()
