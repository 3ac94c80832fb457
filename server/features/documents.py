"""Text synchronisation: didOpen / didChange / didClose keep the session's documents current.

These handlers mutate the session; each then hands the URIs whose findings changed to the
diagnostics feature. Duplicates (ACC002) span files, so they are looked up again only once edits
to a document pause for ``DUPLICATES_AFTER`` seconds; until then they move with the edits. The
same pause rebuilds the document's whole syntax tree where edits re-parsed only statements.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from lsprotocol import types

from ..session import Change
from . import diagnostics, guarded, state_of

if TYPE_CHECKING:
    from ..app import AccordServer


@dataclass
class DocumentsState:
    """What this feature keeps per server."""

    # Pending duplicate lookups, one per document being edited.
    duplicate_timers: dict[str, asyncio.TimerHandle] = field(default_factory=dict)


DUPLICATES_AFTER = 0.3


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
        _refresh_duplicates_later(server, document.uri)

    @server.feature(types.TEXT_DOCUMENT_DID_CLOSE)
    @guarded("documents")
    def did_close(params: types.DidCloseTextDocumentParams) -> None:
        uri = params.text_document.uri
        if timer := state_of(server, DocumentsState).duplicate_timers.pop(uri, None):
            timer.cancel()
        others = server.session.close(uri)
        diagnostics.clear(server, uri)
        diagnostics.publish(server, others)


def _refresh_duplicates_later(server: AccordServer, uri: str) -> None:
    if timer := state_of(server, DocumentsState).duplicate_timers.pop(uri, None):
        timer.cancel()
    loop = asyncio.get_running_loop()
    state_of(server, DocumentsState).duplicate_timers[uri] = loop.call_later(
        DUPLICATES_AFTER, _refresh_duplicates, server, uri
    )


@guarded("documents")
def _refresh_duplicates(server: AccordServer, uri: str) -> None:
    state_of(server, DocumentsState).duplicate_timers.pop(uri, None)
    server.session.settle(uri)
    diagnostics.publish(server, server.session.refresh_duplicates(uri))


def _change(change: types.TextDocumentContentChangeEvent) -> Change:
    if isinstance(change, types.TextDocumentContentChangePartial):
        start, end = change.range.start, change.range.end
        return Change(change.text, (start.line, start.character), (end.line, end.character))
    return Change(change.text)
