"""``textDocument/codeAction``: the ``Accord: …`` agent actions at the cursor, listed cheaply.

Listing reads a snapshot of the document (no analysis, no provider). Each action carries its
``OfferData``; ``codeAction/resolve`` attaches the ``accord.agents.run`` command that runs it, so
nothing but the listing happens until the user picks one. Clients that cannot resolve get the
command at once. "Accord: Ask an agent..." is offered on every analysed document (see
``asking``): its command carries the scope, and the client asks for the instruction.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from lsprotocol import types

from accord.agents.tasks import ActionKind

from ..asking import ASK_KIND, ask_action
from ..offers import ClientRange, Finding, OfferData, offers_at
from ..written_requests import written_action
from . import guarded
from .agent_commands import RUN

if TYPE_CHECKING:
    from ..app import AccordServer

__all__ = ["KINDS", "setup"]

# The LSP code action kind of each action (clients filter and group by them).
KINDS = {
    ActionKind.FIX: types.CodeActionKind.QuickFix,
    ActionKind.EXTRACT_FUNCTION: types.CodeActionKind.RefactorExtract,
    ActionKind.DOCUMENT: f"{types.CodeActionKind.RefactorRewrite.value}.accord.document",
    ActionKind.GENERATE_TESTS: f"{types.CodeActionKind.Refactor.value}.accord.generateTests",
    ActionKind.EXPLAIN: f"{types.CodeActionKind.Refactor.value}.accord.explain",
    ActionKind.TRANSLATE_MODEL: f"{types.CodeActionKind.Refactor.value}.accord.translateModel",
}


def _kind(kind: object) -> str:
    """A code action kind as on the wire ("quickfix", not "CodeActionKind.QuickFix")."""
    return str(getattr(kind, "value", kind))


OPTIONS = types.CodeActionOptions(
    code_action_kinds=sorted({_kind(kind) for kind in KINDS.values()} | {ASK_KIND}),
    resolve_provider=True,
)


def setup(server: AccordServer) -> None:
    @server.feature(types.TEXT_DOCUMENT_CODE_ACTION, OPTIONS)
    @guarded("code_actions", fallback=list)
    def code_action(params: types.CodeActionParams) -> list[types.CodeAction]:
        document = server.session.documents.get(params.text_document.uri)
        if document is None:
            return []
        offers = offers_at(
            document, _client_range(params.range), _findings(params), server.session.encoding
        )
        resolves = _client_resolves(server)
        wanted = params.context.only
        actions = [
            _code_action(offer, params, resolves)
            for offer in offers
            if not wanted or any(_kind(KINDS[offer.kind]).startswith(_kind(w)) for w in wanted)
        ]
        if document.source is not None and (
            not wanted or any(ASK_KIND.startswith(_kind(w)) for w in wanted)
        ):
            written = written_action(document.uri, document.source, params.range)
            actions += [written] if written else []
            actions.append(ask_action(document.uri, params.range))
        return actions

    @server.feature(types.CODE_ACTION_RESOLVE)
    @guarded("code_actions", fallback=lambda: None)
    def resolve(action: types.CodeAction) -> types.CodeAction:
        if action.command is None:  # Ask an agent... comes with its command
            action.command = _command(action.title, action.data)
        return action


def _code_action(
    offer: OfferData, params: types.CodeActionParams, resolves: bool
) -> types.CodeAction:
    data = offer.model_dump(mode="json")
    related = (
        [d for d in params.context.diagnostics if _code(d) == offer.code] if offer.code else []
    )
    return types.CodeAction(
        title=offer.title,
        kind=KINDS[offer.kind],
        diagnostics=related or None,
        is_preferred=True if offer.kind is ActionKind.FIX else None,
        data=data,
        command=None if resolves else _command(offer.title, data),
    )


def _command(title: str, data: Any) -> types.Command:
    return types.Command(title=title, command=RUN, arguments=[data])


def _client_resolves(server: AccordServer) -> bool:
    """Whether the client resolves code actions lazily (and resolves ``command``)."""
    text = server.client_capabilities.text_document
    support = text.code_action.resolve_support if text and text.code_action else None
    return support is not None and "command" in support.properties


def _findings(params: types.CodeActionParams) -> list[Finding]:
    return [
        Finding(_client_range(d.range), code, d.message)
        for d in params.context.diagnostics
        if d.source == "accord" and (code := _code(d))
    ]


def _code(diagnostic: types.Diagnostic) -> str | None:
    return str(diagnostic.code) if diagnostic.code is not None else None


def _client_range(range_: types.Range) -> ClientRange:
    return ClientRange(
        (range_.start.line, range_.start.character), (range_.end.line, range_.end.character)
    )
