"""Fake AI provider servers on 127.0.0.1, speaking the real wire formats over real HTTP.

``FakeProvider`` serves the Anthropic Messages API (``POST /v1/messages``) and the OpenAI
chat-completions API (``POST /v1/chat/completions``, what LiteLLM's ``openai/…`` models call),
as JSON or as server-sent events when the request streams, tool calls included. Each test scripts the next answers
(``ok``, ``status``, ``stall``, ``malformed``) and reads back every request it received —
headers and JSON body — so a test can prove what did or did not leave the machine.
"""

from __future__ import annotations

import json
import select
import socket
import threading
import time
from collections import deque
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

__all__ = ["Behaviour", "FakeProvider", "Recorded", "fake_provider"]

KEY = "test-key"


@dataclass(frozen=True, slots=True)
class Behaviour:
    """What the fake does with the next request."""

    kind: str = "ok"  # ok | status | stall | malformed
    text: str = "Hello from the fake."
    status: int = 200
    headers: tuple[tuple[str, str], ...] = ()
    seconds: float = 0.0
    input_tokens: int = 11
    output_tokens: int = 7
    # Tool calls the answer makes: (id, tool name, arguments), as tool_use blocks (Anthropic)
    # or tool_calls (OpenAI); ``text`` then goes alongside them when not empty.
    calls: tuple[tuple[str, str, dict[str, Any]], ...] = ()


@dataclass(slots=True)
class Recorded:
    path: str
    # Header names in lower case.
    headers: dict[str, str]
    body: dict[str, Any]


@dataclass
class FakeProvider:
    """The server's script and what it saw."""

    port: int = 0
    script: deque[Behaviour] = field(default_factory=deque)
    requests: list[Recorded] = field(default_factory=list)
    # Requests whose client went away while the fake stalled.
    disconnects: int = 0

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def then(self, *behaviours: Behaviour) -> FakeProvider:
        self.script.extend(behaviours)
        return self

    def seen_text(self) -> str:
        """Everything the fake received, as one string (for leak checks)."""
        return "\n".join(json.dumps(r.body) + json.dumps(r.headers) for r in self.requests)


@contextmanager
def fake_provider() -> Iterator[FakeProvider]:
    """Run a fake provider server on a free loopback port for the ``with`` block."""
    fake = FakeProvider()
    server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(fake))
    server.daemon_threads = True
    fake.port = server.server_address[1]
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield fake
    finally:
        server.shutdown()
        server.server_close()


def _handler(fake: FakeProvider) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, format: str, *args: Any) -> None:
            """Quiet."""

        def setup(self) -> None:
            super().setup()
            # Answer in one segment, as real servers do (no Nagle / delayed-ACK stall).
            self.connection.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)

        def do_POST(self) -> None:
            length = int(self.headers.get("content-length", 0))
            body = json.loads(self.rfile.read(length) or b"{}")
            headers = {k.lower(): v for k, v in self.headers.items()}
            fake.requests.append(Recorded(self.path, headers, body))
            if not _authorised(self.headers):
                return self._json(
                    401,
                    {
                        "type": "error",
                        "error": {"type": "authentication_error", "message": "invalid x-api-key"},
                    },
                )
            behaviour = fake.script.popleft() if fake.script else Behaviour()
            return self._answer(behaviour, body)

        def _answer(self, behaviour: Behaviour, body: dict[str, Any]) -> None:
            if behaviour.kind == "stall":
                return self._stall(behaviour.seconds)
            if behaviour.kind == "status":
                return self._json(behaviour.status, _error(behaviour.status), behaviour.headers)
            if behaviour.kind == "malformed":
                return self._raw(200, b'{"id": "msg_1", "content": [', "application/json")
            openai = self.path.endswith("/chat/completions")
            if body.get("stream"):
                events = _openai_stream(behaviour) if openai else _anthropic_stream(behaviour)
                return self._raw(200, events.encode(), "text/event-stream")
            answer = _openai_json(behaviour) if openai else _anthropic_json(behaviour, body)
            return self._json(200, answer)

        def _stall(self, seconds: float) -> None:
            deadline = time.monotonic() + seconds
            while time.monotonic() < deadline:
                readable, _, _ = select.select([self.connection], [], [], 0.05)
                if readable and not self.connection.recv(1, 2):  # MSG_PEEK: closed?
                    fake.disconnects += 1
                    self.close_connection = True
                    return
            self._json(200, {"error": "stalled"})

        def _json(
            self, status: int, payload: Any, headers: tuple[tuple[str, str], ...] = ()
        ) -> None:
            self._raw(status, json.dumps(payload).encode(), "application/json", headers)

        def _raw(
            self,
            status: int,
            data: bytes,
            content_type: str,
            headers: tuple[tuple[str, str], ...] = (),
        ) -> None:
            self.send_response(status)
            self.send_header("content-type", content_type)
            self.send_header("content-length", str(len(data)))
            for name, value in headers:
                self.send_header(name, value)
            self.end_headers()
            self.wfile.write(data)

    return Handler


def _authorised(headers: Any) -> bool:
    """The key as either client sends it: ``x-api-key`` or ``Authorization: Bearer``."""
    return headers.get("x-api-key") == KEY or headers.get("authorization") == f"Bearer {KEY}"


def _error(status: int) -> dict[str, Any]:
    kind = {429: "rate_limit_error", 500: "api_error", 529: "overloaded_error"}.get(
        status, "invalid_request_error"
    )
    return {"type": "error", "error": {"type": kind, "message": f"fake {status}"}}


def _anthropic_json(behaviour: Behaviour, body: dict[str, Any]) -> dict[str, Any]:
    content: list[dict[str, Any]] = [{"type": "text", "text": behaviour.text}]
    if behaviour.calls:
        content = content if behaviour.text else []
        content += [
            {"type": "tool_use", "id": id_, "name": name, "input": arguments}
            for id_, name, arguments in behaviour.calls
        ]
    return {
        "id": "msg_fake",
        "type": "message",
        "role": "assistant",
        "model": body.get("model", "claude-fake"),
        "content": content,
        "stop_reason": "tool_use" if behaviour.calls else "end_turn",
        "stop_sequence": None,
        "usage": {"input_tokens": behaviour.input_tokens, "output_tokens": behaviour.output_tokens},
    }


def _anthropic_stream(behaviour: Behaviour) -> str:
    words = behaviour.text.split(" ")
    pieces = [w + (" " if i < len(words) - 1 else "") for i, w in enumerate(words)]
    events: list[tuple[str, dict[str, Any]]] = [
        (
            "message_start",
            {
                "type": "message_start",
                "message": {
                    "id": "msg_fake",
                    "type": "message",
                    "role": "assistant",
                    "model": "claude-fake",
                    "content": [],
                    "stop_reason": None,
                    "stop_sequence": None,
                    "usage": {"input_tokens": behaviour.input_tokens, "output_tokens": 1},
                },
            },
        ),
        (
            "content_block_start",
            {
                "type": "content_block_start",
                "index": 0,
                "content_block": {"type": "text", "text": ""},
            },
        ),
        *(
            (
                "content_block_delta",
                {
                    "type": "content_block_delta",
                    "index": 0,
                    "delta": {"type": "text_delta", "text": piece},
                },
            )
            for piece in pieces
        ),
        ("content_block_stop", {"type": "content_block_stop", "index": 0}),
        (
            "message_delta",
            {
                "type": "message_delta",
                "delta": {"stop_reason": "end_turn", "stop_sequence": None},
                "usage": {"output_tokens": behaviour.output_tokens},
            },
        ),
        ("message_stop", {"type": "message_stop"}),
    ]
    return "".join(f"event: {name}\ndata: {json.dumps(data)}\n\n" for name, data in events)


def _openai_json(behaviour: Behaviour) -> dict[str, Any]:
    message: dict[str, Any] = {"role": "assistant", "content": behaviour.text}
    if behaviour.calls:
        message["content"] = behaviour.text or None
        message["tool_calls"] = [
            {
                "id": id_,
                "type": "function",
                "function": {"name": name, "arguments": json.dumps(arguments)},
            }
            for id_, name, arguments in behaviour.calls
        ]
    return {
        "id": "chatcmpl-fake",
        "object": "chat.completion",
        "created": 1_700_000_000,
        "model": "fake-model",
        "choices": [
            {
                "index": 0,
                "finish_reason": "tool_calls" if behaviour.calls else "stop",
                "message": message,
            }
        ],
        "usage": {
            "prompt_tokens": behaviour.input_tokens,
            "completion_tokens": behaviour.output_tokens,
            "total_tokens": behaviour.input_tokens + behaviour.output_tokens,
        },
    }


def _openai_stream(behaviour: Behaviour) -> str:
    base = {
        "id": "chatcmpl-fake",
        "object": "chat.completion.chunk",
        "created": 1_700_000_000,
        "model": "fake-model",
    }
    chunks = [
        {
            **base,
            "choices": [
                {
                    "index": 0,
                    "delta": {"role": "assistant", "content": word + " "},
                    "finish_reason": None,
                }
            ],
        }
        for word in behaviour.text.split(" ")
    ]
    chunks.append({**base, "choices": [{"index": 0, "delta": {}, "finish_reason": "stop"}]})
    chunks.append(
        {
            **base,
            "choices": [],
            "usage": {
                "prompt_tokens": behaviour.input_tokens,
                "completion_tokens": behaviour.output_tokens,
                "total_tokens": behaviour.input_tokens + behaviour.output_tokens,
            },
        }
    )
    return "".join(f"data: {json.dumps(c)}\n\n" for c in chunks) + "data: [DONE]\n\n"
