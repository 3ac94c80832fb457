"""Text synchronisation: didOpen / didChange / didClose keep the session's documents current.

These handlers mutate the session; each then hands the URIs whose findings changed to the
diagnostics feature. Duplicates (ACC002) span files, so they are looked up again only once edits
to a document pause for ``DUPLICATES_AFTER`` seconds (and its whole reparse is done); until then
they move with the edits. An edit may re-parse only the statements it landed in, or publish
provisional findings where its whole parse ran past the session's budget: once edits pause for
``SETTLE_AFTER`` seconds the document's whole syntax tree is rebuilt, off the path of any edit's
diagnostics, in slices of ``SETTLE_SLICE`` seconds that an edit may come between, and findings
left provisional are published again.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
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

    # Pending work once edits pause, by what it is and the document's URI.
    timers: dict[tuple[str, str], asyncio.TimerHandle] = field(default_factory=dict)


DUPLICATES_AFTER = 0.3
SETTLE_AFTER = 0.05
# The longest the whole reparse once edits pause holds up the next edit (it runs in slices).
SETTLE_SLICE = 0.01


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
        _when_edits_pause(server, "settle", document.uri, SETTLE_AFTER, _settle)
        _when_edits_pause(server, "duplicates", document.uri, DUPLICATES_AFTER, _refresh_duplicates)

    @server.feature(types.TEXT_DOCUMENT_DID_CLOSE)
    @guarded("documents")
    def did_close(params: types.DidCloseTextDocumentParams) -> None:
        uri = params.text_document.uri
        timers = state_of(server, DocumentsState).timers
        for key in [key for key in timers if key[1] == uri]:
            timers.pop(key).cancel()
        others = server.session.close(uri)
        diagnostics.clear(server, uri)
        diagnostics.publish(server, others)


def _when_edits_pause(
    server: AccordServer,
    what: str,
    uri: str,
    delay: float,
    work: Callable[[AccordServer, str], None],
) -> None:
    """Run ``work`` for ``uri`` once no edit has come for ``delay`` seconds."""
    timers = state_of(server, DocumentsState).timers
    if timer := timers.pop((what, uri), None):
        timer.cancel()

    def run() -> None:
        timers.pop((what, uri), None)
        work(server, uri)

    timers[(what, uri)] = asyncio.get_running_loop().call_later(delay, run)


@guarded("documents")
def _settle(server: AccordServer, uri: str) -> None:
    changed = server.session.settle(uri, SETTLE_SLICE)
    if changed is None:  # the parse goes on after any edit waiting, which restarts the wait
        _when_edits_pause(server, "settle", uri, 0, _settle)
        return
    diagnostics.publish(server, changed)


@guarded("documents")
def _refresh_duplicates(server: AccordServer, uri: str) -> None:
    if ("settle", uri) in state_of(server, DocumentsState).timers:
        # The whole reparse is still going on in slices; reading the tree would finish it in
        # one go, holding up the edits that may come meanwhile.
        _when_edits_pause(server, "duplicates", uri, DUPLICATES_AFTER, _refresh_duplicates)
        return
    diagnostics.publish(server, server.session.refresh_duplicates(uri))


def _change(change: types.TextDocumentContentChangeEvent) -> Change:
    if isinstance(change, types.TextDocumentContentChangePartial):
        start, end = change.range.start, change.range.end
        return Change(change.text, (start.line, start.character), (end.line, end.character))
    return Change(change.text)
