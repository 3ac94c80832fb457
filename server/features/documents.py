"""Text synchronisation: didOpen / didChange / didClose keep the session's documents current.

These handlers mutate the session; each then hands the URIs whose findings changed to the
diagnostics feature.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from lsprotocol import types

from ..session import Change
from . import diagnostics, guarded

if TYPE_CHECKING:
    from ..app import AccordServer


def setup(server: AccordServer) -> None:
    @server.feature(types.TEXT_DOCUMENT_DID_OPEN)
    @guarded("documents")
    def did_open(params: types.DidOpenTextDocumentParams) -> None:
        item = params.text_document
        changed = server.session.open(item.uri, item.language_id, item.text, item.version)
        diagnostics.report_skip(server, item.uri)
        diagnostics.publish(server, changed)

    @server.feature(types.TEXT_DOCUMENT_DID_CHANGE)
    @guarded("documents")
    def did_change(params: types.DidChangeTextDocumentParams) -> None:
        document = params.text_document
        changes = [_change(change) for change in params.content_changes]
        diagnostics.publish(server, server.session.change(document.uri, document.version, changes))

    @server.feature(types.TEXT_DOCUMENT_DID_CLOSE)
    @guarded("documents")
    def did_close(params: types.DidCloseTextDocumentParams) -> None:
        uri = params.text_document.uri
        others = server.session.close(uri)
        diagnostics.clear(server, uri)
        diagnostics.publish(server, others)


def _change(change: types.TextDocumentContentChangeEvent) -> Change:
    if isinstance(change, types.TextDocumentContentChangePartial):
        start, end = change.range.start, change.range.end
        return Change(change.text, (start.line, start.character), (end.line, end.character))
    return Change(change.text)
