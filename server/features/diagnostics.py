"""Diagnostics: findings become LSP diagnostics, pushed (publishDiagnostics) or pulled
(textDocument/diagnostic).

In "auto" mode a client that can pull diagnostics pulls them and is told to refresh when a
finding in another file changes (ACC002); any other client gets them pushed. The handlers here
only read the session.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

from lsprotocol import types

from accord.analyzers.findings import Finding, Related, Severity
from accord.analyzers.positions import Encoding, LineIndex
from accord.analyzers.rules import all_rules
from accord.analyzers.rules.docs import doc_uri

from ..pygls_compat import send_json_notification, unstructure
from . import guarded, state_of

if TYPE_CHECKING:
    from ..app import AccordServer

DiagnosticMode = Literal["auto", "push", "pull", "both"]


@dataclass
class DiagnosticsState:
    """What this feature keeps per server."""

    # How diagnostics reach the client; "auto" pulls where the client can, else pushes.
    mode: DiagnosticMode = "auto"
    # Per document, the JSON of its last diagnostics.
    cache: dict[str, dict[tuple[Any, ...], WireDiagnostic]] = field(default_factory=dict)


__all__ = ["clear", "publish", "report_skip", "setup", "to_diagnostic"]

SeverityLookup = Callable[[str, Severity], Severity]

SOURCE = "accord"

_SEVERITY = {
    Severity.ERROR: types.DiagnosticSeverity.Error,
    Severity.WARNING: types.DiagnosticSeverity.Warning,
    Severity.INFO: types.DiagnosticSeverity.Information,
    Severity.HINT: types.DiagnosticSeverity.Hint,
}


def setup(server: AccordServer) -> None:
    options = types.DiagnosticOptions(
        identifier=SOURCE, inter_file_dependencies=True, workspace_diagnostics=False
    )

    @server.feature(types.TEXT_DOCUMENT_DIAGNOSTIC, options)
    @guarded("diagnostics", fallback=lambda: types.RelatedFullDocumentDiagnosticReport(items=[]))
    def pull(params: types.DocumentDiagnosticParams) -> Any:
        uri = params.text_document.uri
        result_id = _result_id(server, uri)
        if result_id is not None and params.previous_result_id == result_id:
            return types.RelatedUnchangedDocumentDiagnosticReport(result_id=result_id)
        items = [wire.value_at(where) for wire, where in diagnostics_for(server, uri)]
        return {"kind": "full", "items": items, "resultId": result_id}


def pushes(server: AccordServer) -> bool:
    """Whether diagnostics are pushed to this client."""
    if state_of(server, DiagnosticsState).mode in ("push", "both"):
        return True
    return state_of(server, DiagnosticsState).mode == "auto" and not _client_pulls(server)


def _client_pulls(server: AccordServer) -> bool:
    text_document = server.client_capabilities.text_document
    return text_document is not None and text_document.diagnostic is not None


def publish(server: AccordServer, uris: Iterable[str]) -> None:
    """Tell the client that the findings of ``uris`` changed."""
    uris = [uri for uri in uris if uri in server.session.documents]
    if not uris:
        return
    if pushes(server):
        for uri in uris:
            document = server.session.documents[uri]
            items = ",".join(wire.text_at(where) for wire, where in diagnostics_for(server, uri))
            params = (
                f'{{"uri":{json.dumps(uri)},"version":{document.version},"diagnostics":[{items}]}}'
            )
            _notify(server, types.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS, params)
    if (
        state_of(server, DiagnosticsState).mode != "push"
        and len(uris) > 1
        and _client_refreshes(server)
    ):
        server.workspace_diagnostic_refresh(None)


def _notify(server: AccordServer, method: str, params: str) -> None:
    """Send a notification whose params are encoded JSON: pygls would first walk the whole
    payload through its typed converter, which for a few hundred diagnostics costs more than
    finding them."""
    send_json_notification(server.protocol, method, params)


def _client_refreshes(server: AccordServer) -> bool:
    workspace = server.client_capabilities.workspace
    refresh = workspace.diagnostics if workspace else None
    return bool(refresh and refresh.refresh_support)


def clear(server: AccordServer, uri: str) -> None:
    """Withdraw a closed document's diagnostics."""
    state_of(server, DiagnosticsState).cache.pop(uri, None)
    if pushes(server):
        server.text_document_publish_diagnostics(
            types.PublishDiagnosticsParams(uri=uri, diagnostics=[])
        )


def report_skip(server: AccordServer, uri: str) -> None:
    """Say once, plainly, why a document is not analysed."""
    document = server.session.documents.get(uri)
    if document is None or document.skipped is None:
        return
    name = Path(document.path).name if document.path else uri
    server.window_show_message(
        types.ShowMessageParams(
            type=types.MessageType.Warning,
            message=f"Accord skipped {name}: {document.skipped}.",
        )
    )


# A diagnostic's range in editor positions: (line, character) of its start and of its end.
Where = tuple[tuple[int, int], tuple[int, int]]


@dataclass(frozen=True, slots=True)
class WireDiagnostic:
    """A diagnostic as JSON less its range: the value, and its members as encoded text.

    Kept apart from the range because an edit moves the diagnostics after it without
    changing what they say.
    """

    value: dict[str, Any]
    members: str

    def text_at(self, where: Where) -> str:
        """The encoded diagnostic at ``where``."""
        (line, character), (end_line, end_character) = where
        return (
            f'{{"range":{{"start":{{"line":{line},"character":{character}}},'
            f'"end":{{"line":{end_line},"character":{end_character}}}}},{self.members}}}'
        )

    def value_at(self, where: Where) -> dict[str, Any]:
        """The diagnostic at ``where``, as a JSON value."""
        (line, character), (end_line, end_character) = where
        start = {"line": line, "character": character}
        end = {"line": end_line, "character": end_character}
        return {"range": {"start": start, "end": end}, **self.value}


def diagnostics_for(server: AccordServer, uri: str) -> list[tuple[WireDiagnostic, Where]]:
    """The LSP diagnostics of an open document, as JSON with their ranges.

    Converting a finding to a diagnostic and that to JSON is most of the cost of a publish, and
    an edit changes the ranges of the findings after it, not what they say: each document keeps
    the JSON of its diagnostics by what they say, so only new findings are converted.
    """
    session = server.session
    document = session.documents.get(uri)
    lines = document.lines if document is not None else None
    if document is None or lines is None:
        state_of(server, DiagnosticsState).cache.pop(uri, None)
        return []
    severity_of = session.settings_for(document.path).settings.severity_of
    previous = state_of(server, DiagnosticsState).cache.get(uri, {})
    current: dict[tuple[Any, ...], WireDiagnostic] = {}
    placed: list[tuple[WireDiagnostic, Where]] = []
    severities: dict[str, Severity] = {}
    position, encoding = lines.position, session.encoding
    for finding in session.findings(uri):
        code = finding.code
        severity = severities.get(code)
        if severity is None:
            severity = severities[code] = severity_of(code, _default_severity(code))
        key = (code, finding.message, finding.value, finding.related, severity)
        wire = current.get(key) or previous.get(key)
        if wire is None:
            wire = _wire(server, finding, severity)
        current[key] = wire
        placed.append((wire, (position(finding.start, encoding), position(finding.end, encoding))))
    state_of(server, DiagnosticsState).cache[uri] = current
    return placed


def _default_severity(code: str) -> Severity:
    rule = all_rules().get(code)
    return rule.default_severity if rule else Severity.WARNING


def _wire(server: AccordServer, finding: Finding, severity: Severity) -> WireDiagnostic:
    diagnostic = to_diagnostic(finding, _NOWHERE, "utf-8", lambda code, default: severity)
    value = unstructure(server.protocol, diagnostic)
    del value["range"]
    return WireDiagnostic(value, json.dumps(value, separators=(",", ":"))[1:-1])


# Where a diagnostic is converted before its range is left out of the JSON.
_NOWHERE = LineIndex(b"")


def _result_id(server: AccordServer, uri: str) -> str | None:
    document = server.session.documents.get(uri)
    if document is None:
        return None
    return f"{document.version}:{hash(tuple(server.session.findings(uri)))}"


def to_diagnostic(
    finding: Finding, lines: LineIndex, encoding: Encoding, severity_of: SeverityLookup
) -> types.Diagnostic:
    """One finding as an LSP diagnostic, positions in the negotiated ``encoding``."""
    rule = all_rules().get(finding.code)
    default = rule.default_severity if rule else Severity.WARNING
    href = doc_uri(rule) if rule else None
    return types.Diagnostic(
        range=_range(lines, finding.start, finding.end, encoding),
        severity=_SEVERITY[severity_of(finding.code, default)],
        code=finding.code,
        code_description=types.CodeDescription(href=href) if href else None,
        source=SOURCE,
        message=finding.message,
        related_information=[_related(item) for item in finding.related] or None,
        data={"value": finding.value} if finding.value is not None else None,
    )


def _range(lines: LineIndex, start: int, end: int, encoding: Encoding) -> types.Range:
    start_line, start_character = lines.position(start, encoding)
    end_line, end_character = lines.position(end, encoding)
    return types.Range(
        start=types.Position(line=start_line, character=start_character),
        end=types.Position(line=end_line, character=end_character),
    )


def _related(item: Related) -> types.DiagnosticRelatedInformation:
    location = types.Location(
        uri=item.path,
        range=types.Range(
            start=types.Position(line=item.start_row, character=0),
            end=types.Position(line=item.end_row + 1, character=0),
        ),
    )
    return types.DiagnosticRelatedInformation(location=location, message=item.message)
