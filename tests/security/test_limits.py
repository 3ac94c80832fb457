"""Limits that hold on a real org server, tried as an attacker with (or without) an account would:
JSON nested past any sane depth and strings that are not Unicode, big frames before
authentication, crowds of connections that never authenticate, floods of audit events and room
events, rooms grown huge, and rows stored poisoned by an older server."""

from __future__ import annotations

import asyncio
import json
import sqlite3
import struct
import time
from collections.abc import AsyncIterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from uuid import uuid4

import pytest
from websockets.asyncio.client import connect
from websockets.exceptions import InvalidStatus

from accord.audit.events import Event, EventDraft, EventType
from accord.org.paging import MAX_EVENT_BYTES, PAGE_BYTES
from accord.org.socket_close import close_socket
from accord.protocol.jsonlimits import TOO_DEEP
from accord.protocol.rpc import ErrorCode
from tests.org.http import scraped

from ..org.server import OrgServer
from ..org.wire import Raw

MiB = 1 << 20
DEV, DEV2, LEAD = "dev@acme.test", "dev2@acme.test", "lead@acme.test"


def _nested(depth: int, leaf: str = "0") -> str:
    """JSON text of arrays ``depth`` deep."""
    return "[" * depth + leaf + "]" * depth


def _frame(request_id: int | str, method: str, params: str) -> str:
    return f'{{"jsonrpc": "2.0", "id": {json.dumps(request_id)}, "method": "{method}", "params": {params}}}'


# frame → (error code, the id the answer must carry, words its message must contain)
HOSTILE: dict[str, tuple[ErrorCode, int | str | None, str]] = {
    _frame(
        1, "usage.report", f'{{"event_type": "x", "event_data": {{"a": {_nested(100_000)}}}}}'
    ): (
        ErrorCode.INVALID_REQUEST,
        1,
        "nested deeper than 64 levels",
    ),
    _frame(
        2, "room.publish", f'{{"project": "shop", "kind": "k", "data": {{"a": {_nested(70)}}}}}'
    ): (
        ErrorCode.INVALID_REQUEST,
        2,
        "nested deeper than 64 levels",
    ),
    _frame(3, "audit.append", f'{{"events": {_nested(250, "{}")}}}'): (
        ErrorCode.INVALID_REQUEST,
        3,
        "nested deeper than 64 levels",
    ),
    '{"jsonrpc": "2.0", "id": "\\ud800", "method": "policy.get"}': (
        ErrorCode.INVALID_REQUEST,
        None,
        "valid Unicode",
    ),
    '{"jsonrpc": "2.0", "id": "\\udfff\\ud800", "method": "policy.get"}': (
        ErrorCode.INVALID_REQUEST,
        None,
        "valid Unicode",
    ),
    _frame(4, "usage.report", '{"event_type": "\\ud83d", "event_data": {}}'): (
        ErrorCode.INVALID_REQUEST,
        4,
        "valid Unicode",
    ),
    _frame(5, "usage.report", '{"event_type": "x", "event_data": {"\\udc00": 1}}'): (
        ErrorCode.INVALID_REQUEST,
        5,
        "valid Unicode",
    ),
    "[" * 1_000_000: (ErrorCode.INVALID_REQUEST, None, "nested deeper than 64 levels"),
    '{"a": ' * 100_000 + "1" + "}" * 100_000: (
        ErrorCode.INVALID_REQUEST,
        None,
        "nested deeper than 64 levels",
    ),
}


@pytest.fixture
async def org(tmp_path: Path) -> AsyncIterator[OrgServer]:
    server = OrgServer(
        tmp_path / "org.db",
        extra_args=(
            "--auth-timeout",
            "3",
            "--max-unauthenticated-per-address",
            "6",
            "--max-unauthenticated",
            "10",
            "--quota",
            "room.publish=20/1000000",
            "--quota",
            "audit.append=1000/20000",
            "--history-bytes",
            "300000",
        ),
        log_path=tmp_path / "org.log",
    )
    await server.seed()
    await server.start()
    try:
        yield server
    finally:
        await server.stop()
        _no_traceback(server)


def _no_traceback(org: OrgServer) -> None:
    assert org.log_path is not None
    log = org.log_path.read_text("utf-8", "replace")
    assert "Traceback" not in log, log[-4000:]


async def _still_answers(raw: Raw) -> None:
    response = await raw.call("policy.get", {"known_revision": 0})
    assert response["result"]["revision"] == 0, response


async def test_deep_nesting_and_lone_surrogates_are_refused_before_and_after_login(
    org: OrgServer,
) -> None:
    async with Raw(org.url) as raw:
        for frame, (code, request_id, words) in HOSTILE.items():
            if len(frame) > 60_000:
                continue  # over the small frame limit before authentication
            answer = await raw.answer(frame)
            assert answer["error"]["code"] == code and answer["id"] == request_id, answer
            assert words in answer["error"]["message"], answer
        await raw.authenticate(org.access_token(DEV))  # the same connection, still alive
        await raw.call("room.join", {"project": "shop"})
        for frame, (code, request_id, words) in HOSTILE.items():
            answer = await raw.answer(frame)
            assert answer["error"]["code"] == code and answer["id"] == request_id, answer
            assert words in answer["error"]["message"], answer
            await _still_answers(raw)
        # 64 levels is the limit, not one less: params and event_data are two of them
        fits = _frame(
            9, "usage.report", f'{{"event_type": "x", "event_data": {{"a": {_nested(61)}}}}}'
        )
        assert "result" in await raw.answer(fits)
        over = _frame(
            10, "usage.report", f'{{"event_type": "x", "event_data": {{"a": {_nested(62)}}}}}'
        )
        assert (await raw.answer(over))["error"]["code"] == ErrorCode.INVALID_REQUEST


async def test_a_big_frame_before_authentication_closes_with_1009(org: OrgServer) -> None:
    async with Raw(org.url) as raw:
        await raw.send("x" * (64 * 1024 + 1))
        code, reason = await raw.closed()
        assert code == 1009 and "exceeds limit of 65536 bytes" in reason
    async with Raw(org.url) as raw:
        await raw.authenticate(org.access_token(DEV))
        body = json.dumps({"event_type": "big", "event_data": {"x": "y" * 200_000}})
        assert "result" in await raw.answer(_frame(1, "usage.report", body))


async def test_a_partial_frame_announcing_a_megabyte_is_cut_off_at_its_header(
    org: OrgServer,
) -> None:
    """The attacker announces a 1 MiB frame and trickles it: the server closes on the header,
    before holding any of it."""
    async with Raw(org.url) as raw:
        transport = raw.socket.transport
        transport.write(struct.pack("!BBQ", 0x81, 0x80 | 127, MiB) + b"mask" + b"x" * 1000)
        code, _ = await raw.closed()
        assert code == 1009


async def test_unauthenticated_connections_are_capped_per_address_and_in_all(
    org: OrgServer,
) -> None:
    held: list[Any] = []
    try:
        for _ in range(6):
            held.append(await connect(org.url, local_addr=("127.0.0.1", 0), open_timeout=5))
        with pytest.raises(InvalidStatus) as refused:
            await connect(org.url, local_addr=("127.0.0.1", 0), open_timeout=5)
        assert refused.value.response.status_code == 503
        for _ in range(4):  # another address still gets in, up to the total of 10
            held.append(await connect(org.url, local_addr=("127.0.0.2", 0), open_timeout=5))
        with pytest.raises(InvalidStatus):
            await connect(org.url, local_addr=("127.0.0.3", 0), open_timeout=5)
        # one that authenticates makes room for another
        request = {"jsonrpc": "2.0", "id": 1, "method": "authenticate"}
        await held[0].send(json.dumps({**request, "params": {"token": org.access_token(DEV)}}))
        assert "result" in json.loads(await held[0].recv())
        held.append(await connect(org.url, local_addr=("127.0.0.3", 0), open_timeout=5))
        samples = await scraped(org.port)
        assert samples['accord_refused_connections_total{reason="per_address"}'] >= 1
        assert samples['accord_refused_connections_total{reason="total"}'] >= 1
    finally:
        for socket in held:
            await close_socket(socket)
    # once they have timed out, the address is welcome again
    await asyncio.sleep(3.5)
    async with Raw(org.url) as raw:
        await raw.authenticate(org.access_token(DEV))


async def _flood_room(raw: Raw, count: int, size: int = 10) -> list[dict[str, Any]]:
    frames = [
        json.dumps(
            {
                "jsonrpc": "2.0",
                "id": n,
                "method": "room.publish",
                "params": {"project": "shop", "kind": "note", "data": {"n": n, "pad": "p" * size}},
            }
        )
        for n in range(count)
    ]
    for frame in frames:
        await raw.send(frame)
    answers: list[dict[str, Any]] = []
    while len(answers) < count:
        if "method" not in (got := await raw.receive()):
            answers.append(got)
    return answers


async def test_a_room_flood_is_held_to_the_users_quota_on_every_connection(
    org: OrgServer,
) -> None:
    async with Raw(org.url) as one, Raw(org.url) as two, Raw(org.url) as other:
        for raw, email in ((one, DEV), (two, DEV), (other, LEAD)):
            await raw.authenticate(org.access_token(email))
            await raw.call("room.join", {"project": "shop"})
        started = time.monotonic()
        # Enough that even a slow, loaded machine outruns the refill (20/s) during the flood.
        floods = await asyncio.gather(_flood_room(one, 400), _flood_room(two, 400))
        took = time.monotonic() - started
        answers = [a for flood in floods for a in flood]
        refused = [a for a in answers if "error" in a]
        taken = len(answers) - len(refused)
        # one user's two connections share one quota: a burst of 200, then 20 a second
        assert refused and taken <= 200 + 20 * took + 1, (taken, took)
        error = refused[0]["error"]
        assert error["code"] == ErrorCode.RATE_LIMITED
        assert "over your quota of 20 events/s" in error["message"]
        assert error["data"]["quota"] == "events" and error["data"]["retry_after"] > 0
        fine = await other.call("room.publish", {"project": "shop", "kind": "note", "data": {}})
        assert "result" in fine
        await _still_answers(one)
        await asyncio.sleep(error["data"]["retry_after"] + 0.1)
        later = await one.call("room.publish", {"project": "shop", "kind": "note", "data": {}})
        assert "result" in later, later
    samples = await scraped(org.port)
    assert samples['accord_quota_refusals_total{method="room.publish",quota="events"}'] >= len(
        refused
    )


def _local_events(count: int, pad: int) -> list[dict[str, Any]]:
    events = []
    for seq in range(1, count + 1):
        draft = EventDraft(
            type=EventType.MODE_CHANGED, actor=DEV, project="shop", payload={"pad": "z" * pad}
        )
        placed = Event.place(draft, seq, uuid4(), datetime.now(UTC), "0" * 64)
        events.append(placed.model_dump(mode="json"))
    return events


async def test_an_audit_flood_is_held_to_the_bytes_quota(org: OrgServer) -> None:
    """Before: one developer grew the undeletable audit by 372 MiB in 20 s. Now a burst of
    4 MiB, then 20 KB/s (this server's setting)."""
    async with Raw(org.url) as raw:
        await raw.authenticate(org.access_token(DEV))
        accepted = 0
        for _ in range(12):
            answer = await raw.call("audit.append", {"events": _local_events(4, 200_000)})
            if "error" in answer:
                assert answer["error"]["code"] == ErrorCode.RATE_LIMITED
                assert answer["error"]["data"]["quota"] == "bytes"
                break
            accepted += answer["result"]["accepted"]
        else:
            raise AssertionError("twelve 800 KB batches in a row were all taken")
        assert 4 <= accepted <= 24, accepted  # about 4 MiB worth of 200 KB events
        too_big = await raw.call("audit.append", {"events": _local_events(1, MAX_EVENT_BYTES)})
        assert too_big["error"]["code"] in (ErrorCode.INVALID_PARAMS, ErrorCode.RATE_LIMITED)
    samples = await scraped(org.port)
    assert samples['accord_quota_refusals_total{method="audit.append",quota="bytes"}'] >= 1


async def _pages(raw: Raw, epoch: str, since: int) -> list[list[dict[str, Any]]]:
    """Resume from ``since`` page by page, as the org link does; each page's raw size checked."""
    pages = []
    while True:
        request = {"project": "shop", "epoch": epoch, "since": since}
        await raw.send(
            json.dumps({"jsonrpc": "2.0", "id": 99, "method": "room.resume", "params": request})
        )
        text = await raw.socket.recv()
        while '"method"' in text[:40]:  # a push
            text = await raw.socket.recv()
        assert len(text) < MiB, len(text)  # what a client with the default 1 MiB limit takes
        result = json.loads(text)["result"]
        pages.append(result["events"])
        if not result["more"]:
            return pages
        since = result["events"][-1]["offset"]


async def test_room_history_is_bounded_in_bytes_and_resumed_in_pages(org: OrgServer) -> None:
    async with Raw(org.url) as raw:
        await raw.authenticate(org.access_token(LEAD))
        joined = (await raw.call("room.join", {"project": "shop"}))["result"]
        answers = await _flood_room(raw, 12, size=100_000)
        assert all("result" in a for a in answers if "method" not in a)
        request = {"project": "shop", "epoch": joined["epoch"], "since": 0}
        lost = (await raw.call("room.resume", request))["result"]
        assert not lost["recovered"] and lost["offset"] == 12  # history no longer reaches back
        pages = await _pages(raw, joined["epoch"], 10)
        # 300,000 bytes of history (this server's setting): the newest two of twelve
        assert [e["data"]["n"] for page in pages for e in page] == [10, 11]
        too_big = await raw.call(
            "room.publish",
            {"project": "shop", "kind": "note", "data": {"x": "y" * (MAX_EVENT_BYTES + 1)}},
        )
        assert too_big["error"]["code"] == ErrorCode.INVALID_PARAMS
        assert "over the limit" in too_big["error"]["message"]
    with sqlite3.connect(org.store_path) as db:
        [(stored,)] = db.execute("SELECT SUM(length(body)) FROM room_events").fetchall()
    assert stored <= 300_000 + 1000


async def test_a_large_room_is_resumed_in_pages_every_client_can_read(tmp_path: Path) -> None:
    org = OrgServer(
        tmp_path / "org.db",
        extra_args=("--quota", "room.publish=1000/10000000"),
        log_path=tmp_path / "org.log",
    )
    await org.seed()
    await org.start()
    try:
        async with Raw(org.url) as raw:
            await raw.authenticate(org.access_token(LEAD))
            joined = (await raw.call("room.join", {"project": "shop"}))["result"]
            await _flood_room(raw, 30, size=200_000)  # 6 MB: the 92 MB answer, in small
            pages = await _pages(raw, joined["epoch"], 0)
            assert len(pages) >= 8
            offsets = [e["offset"] for page in pages for e in page]
            assert offsets == list(range(1, 31))
            assert all(sum(len(json.dumps(e)) for e in page) <= PAGE_BYTES for page in pages)
        # a client with websockets' default 1 MiB limit joins and resumes
        async with connect(org.url) as plain:
            await plain.send(
                json.dumps(
                    {
                        "jsonrpc": "2.0",
                        "id": 1,
                        "method": "authenticate",
                        "params": {"token": org.access_token(DEV)},
                    }
                )
            )
            assert "result" in json.loads(await plain.recv())
            request = {"project": "shop", "epoch": joined["epoch"], "offset": 0}
            await plain.send(
                json.dumps({"jsonrpc": "2.0", "id": 2, "method": "room.join", "params": request})
            )
            replies = [json.loads(await plain.recv()) for _ in range(2)]
            [first] = [r["result"] for r in replies if "method" not in r]
            assert first["recovered"] and first["more"] and first["events"][0]["offset"] == 1
    finally:
        await org.stop()
        _no_traceback(org)


async def test_the_audit_is_queried_in_pages(org: OrgServer) -> None:
    async with Raw(org.url) as raw:
        await raw.authenticate(org.access_token(DEV))
        for _ in range(4):
            assert "result" in await raw.call("audit.append", {"events": _local_events(5, 150_000)})
    async with Raw(org.url) as raw:
        await raw.authenticate(org.access_token("sec@acme.test"))
        seen, after = [], 0
        while True:
            await raw.send(
                json.dumps(
                    {
                        "jsonrpc": "2.0",
                        "id": 5,
                        "method": "audit.query",
                        "params": {"after_seq": after, "limit": 1000},
                    }
                )
            )
            text = await raw.socket.recv()
            assert len(text) < MiB
            result = json.loads(text)["result"]
            seen.extend(e["seq"] for e in result["events"])
            after = result["last_seq"]
            if not result["more"]:
                break
        assert seen == list(range(1, 21))


def _poison(path: Path, org_id: str) -> None:
    """Rows as an older server stored them: a room event and an audit event 250 levels deep,
    and strings with lone surrogates (escaped in the stored JSON)."""
    deep: Any = "bottom"
    for _ in range(250):
        deep = {"k": deep}
    room_body = {
        "project": "shop",
        "epoch": "e0",
        "offset": 1,
        "kind": "mode",
        "actor": DEV,
        "ts": datetime.now(UTC).isoformat(),
        "data": {"mode": "control", "deep": deep, "odd": "\ud800"},
    }
    draft = EventDraft(type=EventType.MODE_CHANGED, actor=DEV, project="shop", payload={})
    event = Event.place(draft, 1, uuid4(), datetime.now(UTC), "0" * 64).model_dump(mode="json")
    event["payload"] = {"deep": deep, "odd": "\udc00"}
    with sqlite3.connect(path) as db:
        db.execute("INSERT INTO rooms VALUES (?, 'shop', 'e0', 1)", (org_id,))
        db.execute(
            "INSERT INTO room_events VALUES (?, 'shop', 1, ?)", (org_id, json.dumps(room_body))
        )
        db.execute(
            "INSERT INTO audit_events VALUES (?, 1, ?, ?, 'mode.changed', 'shop', ?, ?, ?, NULL)",
            (org_id, event["id"], event["ts"], "a" * 64, "0" * 64, json.dumps(event)),
        )


async def test_rows_poisoned_by_an_older_server_do_not_fail_reads(tmp_path: Path) -> None:
    org = OrgServer(tmp_path / "org.db", log_path=tmp_path / "org.log")
    await org.seed()
    _poison(org.store_path, org.users[DEV].org_id)
    await org.start()  # a restart: the room's mode is read back from its history
    try:
        async with Raw(org.url) as raw:
            await raw.authenticate(org.access_token("sec@acme.test"))
            joined = await raw.call("room.join", {"project": "shop", "epoch": "e0", "offset": 0})
            result = joined["result"]
            assert result["mode"] == "control" and result["recovered"]
            [event] = result["events"]
            assert 50 < json.dumps(event).count('"k"') < 64 and TOO_DEEP in json.dumps(event)
            assert event["data"]["odd"] == "\ufffd"
            resumed = await raw.call("room.resume", {"project": "shop", "epoch": "e0", "since": 0})
            assert len(resumed["result"]["events"]) == 1
            queried = await raw.call("audit.query", {})
            [stored] = queried["result"]["events"]
            assert TOO_DEEP in json.dumps(stored) and stored["payload"]["odd"] == "\ufffd"
            await _still_answers(raw)
    finally:
        await org.stop()
        _no_traceback(org)


async def test_a_hostile_connection_never_takes_down_a_neighbour(org: OrgServer) -> None:
    async with Raw(org.url) as hostile, Raw(org.url) as neighbour:
        await neighbour.authenticate(org.access_token(DEV2))
        await hostile.authenticate(org.access_token(DEV))
        for frame in HOSTILE:
            await hostile.send(frame)
        with pytest.raises(TimeoutError):
            await hostile.closed(timeout=1)  # answered, and still open
        await _still_answers(neighbour)
