"""Every use of pygls internals, in one place (pygls 2.x; check here first when upgrading).

pygls has no public way to answer a request with an error outside a handler, to send a
notification whose params are already JSON, or to reach the converter of its protocol; Accord
needs all three (answering requests pygls cannot read, and publishing diagnostics without a
second encoding pass).
"""

from __future__ import annotations

import asyncio
import inspect
import json
from typing import Any

from lsprotocol.types import ResponseError
from pygls.protocol import JsonRPCProtocol

__all__ = ["send_error", "send_json_notification", "unstructure"]


def send_error(protocol: JsonRPCProtocol, msg_id: Any, error: ResponseError) -> None:
    """Answer request ``msg_id`` (None: one whose id could not be read) with ``error``."""
    protocol._send_response(msg_id, error=error)


def send_json_notification(protocol: JsonRPCProtocol, method: str, params: str) -> None:
    """Send notification ``method`` whose ``params`` are encoded JSON, framed as pygls frames
    its own messages (headers on stdio and TCP, none on WebSockets)."""
    body = f'{{"jsonrpc":"2.0","method":{json.dumps(method)},"params":{params}}}'
    framed = f"Content-Length: {len(body)}\r\n\r\n{body}" if protocol._include_headers else body
    if protocol.writer is None:
        return
    written = protocol.writer.write(framed.encode("ascii"))
    if inspect.isawaitable(written):
        asyncio.ensure_future(written)


def unstructure(protocol: JsonRPCProtocol, value: Any) -> Any:
    """``value`` (an lsprotocol object) as the plain JSON values pygls would send."""
    return protocol._converter.unstructure(value)
