"""Bad input against a real org server: every malformed frame gets its JSON-RPC error and the
connection goes on (or, past the WebSocket's own limits, closes cleanly); floods are rate limited;
and the HTTP endpoints answer."""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator

import pytest
from websockets.exceptions import ConnectionClosed

from accord.protocol.rpc import ErrorCode

from .http import http_get, metric_samples
from .proposals import summary
from .server import OrgServer
from .wire import Raw

MiB = 1 << 20

# frame → (error code, the id the error must carry, words its message must contain)
BAD_FRAMES: dict[str, tuple[ErrorCode, int | str | None, str]] = {
    '{"jsonrpc": "2.0", "id": 1, "method": ': (ErrorCode.PARSE_ERROR, None, "not JSON"),
    "": (ErrorCode.PARSE_ERROR, None, "not JSON"),
    '[{"jsonrpc": "2.0", "id": 2, "method": "policy.get"}]': (
        ErrorCode.INVALID_REQUEST,
        None,
        "a frame must be a JSON object (no batches)",
    ),
    "[]": (ErrorCode.INVALID_REQUEST, None, "must be a JSON object"),
    "42": (ErrorCode.INVALID_REQUEST, None, "must be a JSON object"),
    '"policy.get"': (ErrorCode.INVALID_REQUEST, None, "must be a JSON object"),
    "null": (ErrorCode.INVALID_REQUEST, None, "must be a JSON object"),
    '{"id": 3, "method": "policy.get"}': (ErrorCode.INVALID_REQUEST, 3, 'jsonrpc: must be "2.0"'),
    '{"jsonrpc": "1.0", "id": 4, "method": "policy.get"}': (
        ErrorCode.INVALID_REQUEST,
        4,
        'jsonrpc: must be "2.0"',
    ),
    "{}": (ErrorCode.INVALID_REQUEST, None, 'jsonrpc: must be "2.0"'),
    '{"jsonrpc": "2.0", "id": 5}': (ErrorCode.INVALID_REQUEST, 5, "needs a method"),
    '{"jsonrpc": "2.0", "id": "six", "method": "approval.vote"}': (
        ErrorCode.METHOD_NOT_FOUND,
        "six",
        "no method 'approval.vote'",
    ),
    '{"jsonrpc": "2.0", "id": 7, "method": 7}': (
        ErrorCode.INVALID_REQUEST,
        7,
        "method: Input should be a valid string",
    ),
    '{"jsonrpc": "2.0", "id": true, "method": "policy.get"}': (
        ErrorCode.INVALID_REQUEST,
        None,
        "id",
    ),
    '{"jsonrpc": "2.0", "id": 8.5, "method": "policy.get"}': (
        ErrorCode.INVALID_REQUEST,
        None,
        "id",
    ),
    '{"jsonrpc": "2.0", "id": 9, "method": "approval.get", "params": {"approval_id": 9}}': (
        ErrorCode.INVALID_PARAMS,
        9,
        "approval.get: approval_id: Input should be a valid string",
    ),
    '{"jsonrpc": "2.0", "id": 10, "method": "approval.get"}': (
        ErrorCode.INVALID_PARAMS,
        10,
        "approval.get: approval_id: Field required",
    ),
    '{"jsonrpc": "2.0", "id": 11, "method": "approval.list", "params": {"limit": "ten"}}': (
        ErrorCode.INVALID_PARAMS,
        11,
        "approval.list: limit:",
    ),
    '{"jsonrpc": "2.0", "id": 12, "method": "approval.list", "params": {"limit": 0}}': (
        ErrorCode.INVALID_PARAMS,
        12,
        "limit: Input should be greater than or equal to 1",
    ),
    '{"jsonrpc": "2.0", "id": 13, "method": "room.publish",'
    ' "params": {"project": "shop", "kind": "mode", "data": {"mode": "chaos"}}}': (
        ErrorCode.NOT_FOUND,
        13,
        "join the room shop",
    ),
    '{"jsonrpc": "2.0", "id": 14, "method": "approval.get", "params": "abc"}': (
        ErrorCode.INVALID_REQUEST,
        14,
        "params: Input should be a valid dictionary",
    ),
    '{"jsonrpc": "2.0", "id": 15, "method": "policy.get", "params": {"bogus": 1}}': (
        ErrorCode.INVALID_PARAMS,
        15,
        "policy.get: bogus: Extra inputs are not permitted",
    ),
    '{"jsonrpc": "2.0", "id": 16, "method": "policy.get", "params": {}, "extra": 1}': (
        ErrorCode.INVALID_REQUEST,
        16,
        "extra: Extra inputs are not permitted",
    ),
    '{"jsonrpc": "2.0", "method": "policy.get"}': (
        ErrorCode.INVALID_REQUEST,
        None,
        "only requests are accepted (with an id)",
    ),
    '{"jsonrpc": "2.0", "id": 17, "result": {}}': (
        ErrorCode.INVALID_REQUEST,
        None,
        "only requests are accepted",
    ),
    '{"jsonrpc": "2.0", "id": 18, "method": "audit.append", "params": {"events": [{"seq": 1}]}}': (
        ErrorCode.INVALID_PARAMS,
        18,
        "events[0] is not an audit event",
    ),
    '{"jsonrpc": "2.0", "id": 19, "method": "policy.set", "params": {"yaml": "a: [1"}}': (
        ErrorCode.FORBIDDEN,
        19,
        "policy.set needs one of the roles admin",
    ),
    '{"jsonrpc": "2.0", "id": 20, "method": "usage.report",'
    ' "params": {"event_type": "agent.proposal", "event_data": {"cost_usd": -5}}}': (
        ErrorCode.INVALID_PARAMS,
        20,
        "cost_usd must be a non-negative number, not -5",
    ),
    '{"jsonrpc": "2.0", "id": 21, "method": "usage.report",'
    ' "params": {"event_type": "agent.proposal", "event_data": {"input_tokens": "lots"}}}': (
        ErrorCode.INVALID_PARAMS,
        21,
        "input_tokens must be a non-negative number, not 'lots'",
    ),
}


@pytest.fixture
async def raw(org: OrgServer) -> AsyncIterator[Raw]:
    async with Raw(org.url) as connection:
        await connection.authenticate(org.access_token("dev@acme.test"))
        yield connection


async def _still_answers(raw: Raw) -> None:
    response = await raw.call("policy.get", {"known_revision": 0})
    assert response["result"]["revision"] == 0, response


async def test_each_bad_frame_gets_its_error_and_the_connection_goes_on(raw: Raw) -> None:
    for frame, (code, request_id, words) in BAD_FRAMES.items():
        answer = await raw.answer(frame)
        assert answer["jsonrpc"] == "2.0" and "result" not in answer, (frame, answer)
        assert answer["error"]["code"] == code, (frame, answer)
        assert answer["id"] == request_id, (frame, answer)
        assert words in answer["error"]["message"], (frame, answer)
        await _still_answers(raw)


async def test_an_admin_gets_a_policy_error_naming_the_problem(org: OrgServer) -> None:
    async with Raw(org.url) as raw:
        await raw.authenticate(org.access_token("admin@acme.test"))
        answer = await raw.call("policy.set", {"yaml": "workflows: [1"})
        assert answer["error"]["code"] == ErrorCode.INVALID_PARAMS
        assert "policy.yaml" in answer["error"]["message"]
        await _still_answers(raw)


async def test_binary_frames_are_refused_and_invalid_utf8_text_closes_with_1007(raw: Raw) -> None:
    request = b'{"jsonrpc": "2.0", "id": 21, "method": "policy.get"}'
    for frame, request_id in ((request, 21), (b"\xff\xfe\x00\x01", None), (b"", None)):
        answer = await raw.answer(frame)
        assert answer["error"]["code"] == ErrorCode.INVALID_REQUEST, answer
        assert answer["id"] == request_id
        assert answer["error"]["message"] == "send JSON-RPC in text frames, not binary ones"
        await _still_answers(raw)
    await raw.send(b'{"jsonrpc": "2.0", "id": 22, "method": "\xc3\x28"}', text=True)
    code, _ = await raw.closed()
    assert code == 1007  # the WebSocket layer's "invalid frame payload data"


async def test_a_message_over_the_limit_gets_too_large_with_its_id(raw: Raw) -> None:
    for size in (MiB + 1, 2 * MiB, 4 * MiB):
        head = '{"jsonrpc": "2.0", "id": 77, "method": "policy.set", "params": {"yaml": "'
        frame = head + "x" * (size - len(head) - 3) + '"}}'
        assert len(frame) == size
        answer = await raw.answer(frame)
        assert answer["id"] == 77 and answer["error"]["code"] == ErrorCode.TOO_LARGE
        assert answer["error"]["message"] == (
            f"message of {size:,} bytes is over the limit of 1,048,576"
        )
        await _still_answers(raw)
    just = (
        '{"jsonrpc": "2.0", "id": 78, "method": "usage.report", "params": '
        '{"event_type": "big", "event_data": {"x": "'
    )
    frame = just + "y" * (MiB - len(just) - 4) + '"}}}'
    assert len(frame) == MiB
    assert "result" in await raw.answer(frame)  # exactly the limit is fine


async def test_a_message_over_the_websocket_max_size_closes_with_1009(raw: Raw) -> None:
    await raw.send("x" * (4 * MiB + 1))
    code, reason = await raw.closed()
    assert code == 1009 and "exceeds limit of 4194304 bytes" in reason


async def test_a_flood_is_rate_limited_then_served_again(org: OrgServer, raw: Raw) -> None:
    count = 460  # past the burst of 400, not long enough to be cut off
    for index in range(count):
        await raw.send(json.dumps({"jsonrpc": "2.0", "id": index, "method": "approval.vote"}))
    answers = [await raw.receive() for _ in range(count)]
    assert [a["id"] for a in answers] == list(range(count))
    codes = [a["error"]["code"] for a in answers]
    limited = codes.count(ErrorCode.RATE_LIMITED)
    assert 0 < limited < 100 and codes.count(ErrorCode.METHOD_NOT_FOUND) == count - limited
    assert set(codes[:400]) == {ErrorCode.METHOD_NOT_FOUND}  # the burst goes through
    message = next(a for a in answers if a["error"]["code"] == ErrorCode.RATE_LIMITED)["error"]
    assert message["message"] == "rate limited; slow down"
    await asyncio.sleep(0.2)
    await _still_answers(raw)


async def test_a_client_that_keeps_flooding_is_closed_with_4008(raw: Raw) -> None:
    sent = 0
    try:
        for sent in range(20_000):
            await raw.send(json.dumps({"jsonrpc": "2.0", "id": sent, "method": "approval.vote"}))
    except ConnectionClosed:
        pass
    codes: list[int] = []
    try:
        while True:
            codes.append((await raw.receive())["error"]["code"])
    except ConnectionClosed:
        pass
    assert (
        raw.socket.close_code == 4008 and raw.socket.close_reason == "too many messages; slow down"
    )
    # the 100th strike closes the socket: at least 99 refusals were answered first
    assert codes.count(ErrorCode.RATE_LIMITED) >= 99 and len(codes) < sent


async def test_healthz_and_metrics_over_http(org: OrgServer, raw: Raw) -> None:
    base = f"http://127.0.0.1:{org.port}"
    status, _, body = await asyncio.to_thread(http_get, f"{base}/healthz")
    assert (status, body) == (200, "ok\n")
    await raw.call(
        "approval.request",
        {
            "project": "shop",
            "risk": {"score": 8.5},
            "proposal": summary(proposal_id="p-m", title="t").model_dump(mode="json"),
        },
    )
    await raw.answer("not json")
    status, kinds, text = await asyncio.to_thread(http_get, f"{base}/metrics?x=1")
    assert status == 200 and len(kinds) == 1 and kinds[0].startswith("text/plain; version=")
    samples = metric_samples(text)
    for family in (
        "accord_connections",
        "accord_messages_total",
        "accord_request_seconds",
        "accord_approval_transitions_total",
    ):
        assert f"# TYPE {family} " in text, family
    assert samples['accord_connections{state="open"}'] >= 1
    assert samples['accord_connections{state="authenticated"}'] >= 1
    assert samples['accord_messages_total{method="approval.request",outcome="ok"}'] == 1
    assert samples['accord_messages_total{method="-",outcome="error"}'] == 1
    assert samples['accord_request_seconds_count{method="approval.request"}'] == 1
    assert samples['accord_request_seconds_bucket{le="+Inf",method="authenticate"}'] == 1
    assert samples['accord_approval_transitions_total{state="pending"}'] == 1
    status, _, _ = await asyncio.to_thread(http_get, f"{base}/elsewhere")
    assert status == 426  # anything else is the WebSocket endpoint
