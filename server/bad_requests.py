"""Errors for requests pygls cannot read: each gets a response with its own id.

pygls turns a request whose params do not fit its type (``textDocument/codeAction`` without a
``range``, say) into an error without an id, or drops one of another JSON-RPC version, so the
editor waits for an answer that never comes. These functions read what can be read of such a
request (pure) and build the error that answers it: InvalidParams when the params are wrong,
InvalidRequest when the message itself is.
"""

from __future__ import annotations

from typing import Any

from cattrs import transform_error
from cattrs.errors import ClassValidationError
from lsprotocol.types import ResponseError
from pygls.exceptions import JsonRpcException

__all__ = ["Answered", "RequestId", "invalid_params", "invalid_request", "request_id"]

INVALID_REQUEST, INVALID_PARAMS = -32600, -32602
RequestId = int | str


class Answered(JsonRpcException):
    """A request that could not be read and has been answered with its error already."""


def request_id(message: object) -> RequestId | None:
    """The id of a request (a JSON object with a method and an id), if it has a usable one."""
    if not isinstance(message, dict) or not isinstance(message.get("method"), str):
        return None
    found = message.get("id")
    if isinstance(found, bool) or not isinstance(found, int | str):
        return None
    if isinstance(found, str) and not _encodable(found):
        return None
    return found


def _encodable(text: str) -> bool:
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def invalid_params(message: dict[str, Any], error: BaseException) -> ResponseError:
    """The error for a request whose params did not fit its method's type."""
    cause = error.__cause__
    if isinstance(cause, ClassValidationError):
        problems = "; ".join(transform_error(cause, path="params")[:5])
        return ResponseError(
            code=INVALID_PARAMS, message=f"{message['method']}: invalid params: {problems}"
        )
    return ResponseError(
        code=INVALID_REQUEST, message=f"{message['method']}: the request cannot be read"
    )


def invalid_request(message: object) -> ResponseError:
    """The error for a message that is not a JSON-RPC 2.0 request the server can take."""
    version = message.get("jsonrpc") if isinstance(message, dict) else None
    return ResponseError(
        code=INVALID_REQUEST, message=f'Invalid request: jsonrpc must be "2.0", not {version!r}'
    )
