"""Hypothesis fuzzes frames against a live org server: every frame gets an answer, no connection
dies from what it is sent (before or after authentication), and the server logs no traceback."""

from __future__ import annotations

import asyncio
import json
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from websockets.sync.client import ClientConnection, connect

from accord.protocol.org import METHODS

from ..org.server import OrgServer

JSON_TEXT = st.characters(exclude_categories=("Cs",))  # a text frame must be UTF-8
scalars = st.none() | st.booleans() | st.integers() | st.floats() | st.text(JSON_TEXT, max_size=20)
values = st.recursive(
    scalars,
    lambda children: (
        st.lists(children, max_size=4)
        | st.dictionaries(st.text(JSON_TEXT, max_size=8), children, max_size=4)
    ),
    max_leaves=25,
)
ids = st.integers() | st.text(JSON_TEXT, max_size=12) | st.none() | st.booleans() | st.floats()
methods = st.sampled_from([*METHODS, "", "rpc.discover", "approval.vote"]) | st.text(max_size=12)


@st.composite
def requests(draw: st.DrawFn) -> str:
    """A request with the right shape and any content."""
    frame: dict[str, Any] = {
        "jsonrpc": draw(st.sampled_from(["2.0", "2.0", "1.0", 2])),
        "id": draw(ids),
        "method": draw(methods),
        "params": draw(st.dictionaries(st.sampled_from(_FIELDS), values, max_size=5) | values),
    }
    for key in draw(st.sets(st.sampled_from(sorted(frame)), max_size=1)):
        del frame[key]
    # NaN and infinities go out as the bare words JavaScript would send; the server must cope.
    return json.dumps(frame, ensure_ascii=draw(st.booleans()))


_FIELDS = sorted(
    {name for params, _ in METHODS.values() for name in params.model_fields} | {"extra"}
)


@st.composite
def nested(draw: st.DrawFn) -> str:
    """A request whose params nest ``depth`` deep, in arrays or objects."""
    depth = draw(st.integers(1, 6000))  # under 64 KiB: a frame before login
    opening, closing = draw(st.sampled_from([("[", "]"), ('{"a":', "}"), ('[{"b":', "}]")]))
    inner = opening * depth + "0" + closing * depth
    method = draw(st.sampled_from(["usage.report", "room.publish", "audit.append", "policy.get"]))
    return f'{{"jsonrpc":"2.0","id":{draw(st.integers(0, 99))},"method":"{method}","params":{{"x":{inner}}}}}'


@st.composite
def surrogates(draw: st.DrawFn) -> str:
    """A request carrying JSON escapes of lone (or paired) UTF-16 surrogates somewhere."""
    escape = "".join(
        draw(st.lists(st.integers(0xD800, 0xDFFF).map(lambda c: f"\\u{c:04x}"), min_size=1))
    )
    where = draw(st.sampled_from(["id", "method", "key", "value"]))
    parts = {
        "id": f'"{escape}"' if where == "id" else "1",
        "method": f'"{escape}"' if where == "method" else '"usage.report"',
        "key": f'"{escape}"' if where == "key" else '"event_type"',
        "value": f'"{escape}"' if where == "value" else '"x"',
    }
    return (
        f'{{"jsonrpc":"2.0","id":{parts["id"]},"method":{parts["method"]},'
        f'"params":{{{parts["key"]}:{parts["value"]},"event_data":{{}}}}}}'
    )


frames = st.text(JSON_TEXT, max_size=200) | requests() | nested() | surrogates()


class Live:
    """``accord org serve`` as a plain subprocess (Hypothesis drives it from a sync test)."""

    def __init__(self, folder: Path) -> None:
        self.org = OrgServer(folder / "org.db")
        asyncio.run(self.org.seed())
        self.log = folder / "org.log"
        with self.log.open("wb") as log:
            self.process = subprocess.Popen(
                [sys.executable, "-m", "accord", "org", "serve", "--store", self.org.store]
                + ["--port", "0", "--auth-timeout", "600"],
                stdout=subprocess.PIPE,
                stderr=log,
                env={**os.environ, "PYTHONUNBUFFERED": "1"},
            )
        assert self.process.stdout is not None
        line = self.process.stdout.readline().decode()
        assert "listening on" in line, line
        self.url = line.rsplit(" ", 1)[1].strip()

    def authenticate(self, socket: ClientConnection, email: str) -> None:
        token = self.org.access_token(email)
        hello = {"jsonrpc": "2.0", "id": 0, "method": "authenticate", "params": {"token": token}}
        socket.send(json.dumps(hello))
        assert "result" in json.loads(socket.recv(10))

    def stop(self) -> str:
        self.process.terminate()
        self.process.wait(30)
        if self.process.stdout is not None:
            self.process.stdout.close()
        return self.log.read_text("utf-8", "replace")


@pytest.fixture(scope="module")
def live(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Live]:
    server = Live(tmp_path_factory.mktemp("fuzz"))
    try:
        yield server
    finally:
        log = server.stop()
        assert "Traceback" not in log, log[-4000:]


@pytest.fixture(scope="module")
def signed_in(live: Live) -> Iterator[ClientConnection]:
    with connect(live.url, max_size=None, open_timeout=10) as socket:
        live.authenticate(socket, "dev@acme.test")
        yield socket


@pytest.fixture(scope="module")
def anonymous(live: Live) -> Iterator[ClientConnection]:
    with connect(live.url, max_size=None, open_timeout=10) as socket:
        yield socket


def _answered(socket: ClientConnection, frame: str) -> dict[str, Any]:
    socket.send(frame)
    while True:
        answer = json.loads(socket.recv(10))  # a closed connection raises here
        if "method" not in answer:
            assert answer["jsonrpc"] == "2.0" and ("result" in answer or "error" in answer)
            return answer  # type: ignore[no-any-return]


FUZZ = settings(
    max_examples=200,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)


@FUZZ
@given(frame=frames)
def test_every_frame_is_answered_after_authentication(
    signed_in: ClientConnection, frame: str
) -> None:
    _answered(signed_in, frame)


@FUZZ
@given(frame=frames)
def test_every_frame_is_answered_before_authentication(
    anonymous: ClientConnection, frame: str
) -> None:
    answer = _answered(anonymous, frame)
    if "result" in answer:  # only a real token authenticates; a fuzzed one never is
        pytest.fail(f"{frame!r} was answered with a result before authenticating: {answer}")


def test_both_connections_are_alive_after_the_fuzzing(
    signed_in: ClientConnection, anonymous: ClientConnection
) -> None:
    ping = json.dumps({"jsonrpc": "2.0", "id": "ping", "method": "policy.get", "params": {}})
    assert "result" in _answered(signed_in, ping)
    assert _answered(anonymous, ping)["error"]["message"] == "authenticate first"
