"""JSON-RPC 2.0 framing for the org link: requests, notifications, responses and error codes.

Both ends parse every frame with :func:`parse_frame`, which never raises anything but
:class:`RpcFailure` (carrying the JSON-RPC error to answer with and, when it could be read, the
request id), so a malformed frame gets a clear error and the connection goes on.
"""

from __future__ import annotations

import json
import re
from enum import IntEnum
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, JsonValue, StrictInt, StrictStr, ValidationError

from .jsonlimits import JsonRefused, loads

__all__ = [
    "ErrorCode",
    "Frame",
    "RpcError",
    "RpcFailure",
    "RpcNotification",
    "RpcRequest",
    "RpcResponse",
    "encode",
    "parse_frame",
    "peek_id",
]

RequestId = StrictInt | StrictStr
"""A JSON number or string (``true`` is not taken for 1)."""


class ErrorCode(IntEnum):
    """JSON-RPC's codes and Accord's own (in the server-defined range -32000..-32099)."""

    PARSE_ERROR = -32700
    INVALID_REQUEST = -32600
    METHOD_NOT_FOUND = -32601
    INVALID_PARAMS = -32602
    INTERNAL_ERROR = -32603
    UNAUTHENTICATED = -32001
    FORBIDDEN = -32003
    NOT_FOUND = -32004
    CONFLICT = -32009
    TOO_LARGE = -32013
    RATE_LIMITED = -32029
    UNAVAILABLE = -32050


class _Frame(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    jsonrpc: Literal["2.0"] = "2.0"


class RpcRequest(_Frame):
    """A call that expects an answer."""

    id: RequestId
    method: str = Field(min_length=1, max_length=100)
    params: dict[str, JsonValue] = Field(default_factory=dict)


class RpcNotification(_Frame):
    """A one-way message (server pushes: ``policy.changed``, ``approval.updated``, …)."""

    method: str = Field(min_length=1, max_length=100)
    params: dict[str, JsonValue] = Field(default_factory=dict)


class RpcError(BaseModel):
    """The ``error`` member of a failed response."""

    model_config = ConfigDict(frozen=True)

    code: int
    message: str
    data: JsonValue = None


class RpcResponse(_Frame):
    """The answer to a request: ``result`` or ``error``; ``id`` is None when the request's id
    could not be read."""

    id: RequestId | None
    result: JsonValue = None
    error: RpcError | None = None


Frame = RpcRequest | RpcNotification | RpcResponse


class RpcFailure(Exception):
    """A request that fails with a JSON-RPC error; ``request_id`` is None when unknown."""

    def __init__(
        self,
        code: ErrorCode,
        message: str,
        request_id: RequestId | None = None,
        data: JsonValue = None,
    ) -> None:
        super().__init__(message)
        self.code, self.message, self.request_id, self.data = code, message, request_id, data

    def response(self, request_id: RequestId | None = None) -> RpcResponse:
        """The error response that answers the failed request."""
        rid = request_id if request_id is not None else self.request_id
        return RpcResponse(
            id=rid, error=RpcError(code=int(self.code), message=self.message, data=self.data)
        )


def parse_frame(text: str | bytes) -> Frame:
    """One frame from the wire; raises :class:`RpcFailure` with the error to answer."""
    try:
        raw = loads(text)
    except JsonRefused as refused:
        raise RpcFailure(ErrorCode.INVALID_REQUEST, str(refused), peek_id(text)) from None
    except (ValueError, UnicodeDecodeError) as error:
        raise RpcFailure(ErrorCode.PARSE_ERROR, f"not JSON: {error}") from None
    if not isinstance(raw, dict):
        raise RpcFailure(ErrorCode.INVALID_REQUEST, "a frame must be a JSON object (no batches)")
    found = raw.get("id")
    rid = found if isinstance(found, int | str) and not isinstance(found, bool) else None
    if raw.get("jsonrpc") != "2.0":
        raise RpcFailure(ErrorCode.INVALID_REQUEST, 'jsonrpc: must be "2.0"', rid)
    kind: type[Frame]
    if "method" in raw:
        kind = RpcRequest if "id" in raw else RpcNotification
    elif "result" in raw or "error" in raw:
        kind = RpcResponse
    else:
        raise RpcFailure(ErrorCode.INVALID_REQUEST, "a frame needs a method or a result", rid)
    try:
        return kind.model_validate(raw)
    except ValidationError as error:
        raise RpcFailure(ErrorCode.INVALID_REQUEST, _first_problem(error), rid) from None


_ID = re.compile(r'"id"\s*:\s*(-?\d{1,18}|"[^"\\]{0,100}")')


def peek_id(frame: str | bytes) -> RequestId | None:
    """The request id read from the start of a frame that is not parsed (too large, refused);
    None when it cannot be read plainly there."""
    head = frame[:512] if isinstance(frame, str) else frame[:512].decode("utf-8", "replace")
    found = _ID.search(head)
    if found is None:
        return None
    text = found[1]
    return text[1:-1] if text.startswith('"') else int(text)


def _first_problem(error: ValidationError) -> str:
    problem = error.errors()[0]
    where = ".".join(str(part) for part in problem["loc"]) or "frame"
    return f"{where}: {problem['msg']}"


def encode(frame: Frame) -> str:
    """The frame as compact JSON text (unset optional members left out)."""
    dumped: dict[str, Any] = frame.model_dump(mode="json", exclude_none=True)
    if isinstance(frame, RpcResponse):
        dumped["id"] = frame.id
        if frame.error is None:
            dumped["result"] = frame.result
    return json.dumps(dumped, separators=(",", ":"), ensure_ascii=False)
