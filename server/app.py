"""Builds the Accord language server from its features and runs it on stdio or TCP."""

from __future__ import annotations

import json
import logging
import os
import stat
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

from lsprotocol import types
from lsprotocol.types import ResponseError
from pygls.exceptions import JsonRpcException
from pygls.lsp.server import LanguageServer
from pygls.protocol import LanguageServerProtocol, lsp_method

from accord import __version__

from .agent_runtime import AgentRuntime
from .bad_requests import Answered, invalid_params, invalid_request, request_id
from .features import (
    agent_commands,
    code_actions,
    collaboration,
    configuration,
    diagnostics,
    documents,
    org,
    team,
)
from .org_link import LinkHooks, OrgLink
from .pygls_compat import send_error
from .session import Session

if TYPE_CHECKING:
    from pygls.server import ServerErrors


__all__ = ["FEATURES", "AccordProtocol", "AccordServer", "build_server", "serve"]


# Set up in this order; each module's setup(server) registers its LSP handlers.
FEATURES = (
    configuration,
    documents,
    diagnostics,
    code_actions,
    agent_commands,
    collaboration,
    org,
    team,
)


class AccordProtocol(LanguageServerProtocol):
    """pygls's protocol, less its own copy of each open document.

    The session (``accord.server.session``) is the one copy of every open document's text; pygls
    would otherwise rebuild a second copy line by line on every keystroke. Features read
    documents from the session, never from ``server.workspace``.
    """

    @lsp_method(types.TEXT_DOCUMENT_DID_OPEN)
    def lsp_text_document__did_open(self, params: Any) -> Iterator[Any]:
        yield from self._user_handler(types.TEXT_DOCUMENT_DID_OPEN, params)

    @lsp_method(types.TEXT_DOCUMENT_DID_CHANGE)
    def lsp_text_document__did_change(self, params: Any) -> Iterator[Any]:
        yield from self._user_handler(types.TEXT_DOCUMENT_DID_CHANGE, params)

    @lsp_method(types.TEXT_DOCUMENT_DID_CLOSE)
    def lsp_text_document__did_close(self, params: Any) -> Iterator[Any]:
        yield from self._user_handler(types.TEXT_DOCUMENT_DID_CLOSE, params)

    def _user_handler(self, method: str, params: Any) -> Iterator[Any]:
        if (handler := self.fm.features.get(method)) is not None:
            yield handler, (params,), None

    def structure_message(self, data: dict[str, Any]) -> Any:
        """pygls's reading of a message; a request it cannot read is answered here, with its
        id (see ``accord.server.bad_requests``)."""
        found = request_id(data)
        if found is not None and "jsonrpc" in data and data["jsonrpc"] != self.VERSION:
            send_error(self, found, invalid_request(data))
            raise Answered(message="another JSON-RPC version")
        try:
            return super().structure_message(data)
        except JsonRpcException as error:
            if found is None:
                raise
            send_error(self, found, invalid_params(data, error))
            raise Answered(message=str(error)) from error

    def handle_message(self, message: Any) -> None:
        """pygls's dispatch; a request without ``jsonrpc`` (which pygls passes on as a plain
        dict) is answered as an invalid request."""
        if isinstance(message, dict) and (found := request_id(message)) is not None:
            send_error(self, found, invalid_request(message))
            return
        super().handle_message(message)


class AccordServer(LanguageServer):
    """A pygls server carrying Accord's session state."""

    def __init__(self) -> None:
        super().__init__("accord", __version__, protocol_cls=AccordProtocol)
        self.session = Session()
        # Agent actions: the pool, and per project a gateway and context (built on first use).
        self.agents = AgentRuntime(self.session)
        # Each feature's own state, by its state class (see features.state_of).
        self.feature_states: dict[type[Any], Any] = {}
        # Links to org servers, by workspace root (features.org).
        self.org_links: dict[Path, OrgLink] = {}
        # What the features give every org link (the collaboration mode, applying approvals).
        self.link_hooks = LinkHooks()

    def report_server_error(self, error: Exception, source: ServerErrors) -> None:
        """Log the error; answer a message that could not be read with a JSON-RPC error.

        pygls drops such a message silently; JSON-RPC 2.0 asks for an error response with a
        null id (-32700 when the JSON does not parse, the structuring error's code otherwise).
        """
        super().report_server_error(error, source)
        if source is not JsonRpcException or isinstance(error, Answered):
            return
        if isinstance(error, json.JSONDecodeError):
            reply = ResponseError(code=-32700, message=f"Parse error: {error}")
        elif isinstance(error, JsonRpcException):
            reply = ResponseError(code=error.code, message=f"Invalid message: {error.message}")
        else:
            reply = ResponseError(code=-32600, message=f"Invalid request: {error}")
        # JSON-RPC answers a message whose id could not be read with a null id.
        send_error(self.protocol, None, reply)


def build_server() -> AccordServer:
    """A server with every feature registered, not yet started."""
    server = AccordServer()
    for feature in FEATURES:
        feature.setup(server)
    return server


def serve(tcp: str | None = None, log_file: str | None = None) -> int:
    """Run the server until the client asks it to exit."""
    handler = logging.FileHandler(log_file) if log_file else logging.StreamHandler(sys.stderr)
    logging.basicConfig(
        level=logging.INFO, handlers=[handler], format="%(asctime)s %(name)s %(message)s"
    )
    logging.getLogger("pygls").setLevel(logging.WARNING)
    server = build_server()
    if tcp:
        host, _, port = tcp.rpartition(":")
        server.start_tcp(host or "127.0.0.1", int(port))
    else:
        _widen_pipe(sys.stdout)
        server.start_io()
    return 0


# The most a pipe may hold that Linux lets any process ask for (``/proc/sys/fs/pipe-max-size``).
_PIPE_BYTES = 1 << 20


def _widen_pipe(stream: Any) -> None:
    """Let the pipe to the editor hold a whole publish (Linux; elsewhere nothing).

    A pipe holds 64 KB by default, and the diagnostics of a long file run past it (84 KB for
    167 diagnostics): the write then waits for the editor to read the first part, a round trip
    between the two processes on every edit.
    """
    if sys.platform != "linux":
        return
    import fcntl

    try:
        descriptor = stream.fileno()
        if stat.S_ISFIFO(os.fstat(descriptor).st_mode):
            fcntl.fcntl(descriptor, fcntl.F_SETPIPE_SZ, _PIPE_BYTES)
    except (OSError, ValueError):
        logging.getLogger(__name__).info("the pipe to the editor keeps its size", exc_info=True)
