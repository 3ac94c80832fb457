"""Driving the real ``accord lsp`` over stdio as an editor would: the client, documents, waits."""

from __future__ import annotations

import asyncio
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

from lsprotocol import types
from pygls.protocol import default_converter
from pytest_lsp import ClientServerConfig, LanguageClient, client_capabilities
from pytest_lsp.client import DEFAULT_CLIENT_FEATURES, register_lsp_features


def _publish_diagnostics(client: LanguageClient, params: types.PublishDiagnosticsParams) -> None:
    """pytest-lsp's handler, also keeping the document version each publish was for."""
    client.diagnostics[params.uri] = params.diagnostics
    client.diagnostic_versions[params.uri] = params.version  # type: ignore[attr-defined]


def editor_client() -> LanguageClient:
    """A pytest-lsp client that also records the document version of each publish."""
    client = LanguageClient(converter_factory=default_converter)
    client.diagnostic_versions = {}  # type: ignore[attr-defined]
    register_lsp_features(
        client,
        {
            **DEFAULT_CLIENT_FEATURES,
            types.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS: _publish_diagnostics,
        },
    )
    return client


SERVER = ClientServerConfig(
    server_command=[sys.executable, "-m", "accord", "lsp"], client_factory=editor_client
)


# Editors whose published capabilities the tests present to the server.
VSCODE = "visual-studio-code"


NEOVIM = "neovim@v0.11.0"


def initialize_params(
    root: Path, editor: str, options: dict[str, Any] | None = None
) -> types.InitializeParams:
    return types.InitializeParams(
        capabilities=client_capabilities(editor),
        root_uri=root.as_uri(),
        workspace_folders=[types.WorkspaceFolder(uri=root.as_uri(), name=root.name)],
        initialization_options=options,
    )


async def wait_for(condition: Callable[[], bool], timeout: float = 10.0) -> None:
    """Wait until ``condition()`` holds, polling the client's received state."""
    deadline = asyncio.get_running_loop().time() + timeout
    while not condition():
        if asyncio.get_running_loop().time() > deadline:
            raise AssertionError("timed out waiting for the server")
        await asyncio.sleep(0.02)


async def published(
    client: LanguageClient, uri: str, send: Callable[[], None], version: int | None = None
) -> list[Any]:
    """Send a notification with ``send()`` and return the diagnostics then pushed for ``uri``
    (for document ``version`` when given: a late publish of an older version is not it)."""
    client.diagnostics.pop(uri, None)
    send()
    versions: dict[str, int | None] = client.diagnostic_versions  # type: ignore[attr-defined]
    await wait_for(
        lambda: uri in client.diagnostics and (version is None or versions.get(uri) == version)
    )
    return list(client.diagnostics[uri])


async def open_doc(
    client: LanguageClient, folder: Path, name: str, text: str, language_id: str
) -> tuple[str, list[types.Diagnostic]]:
    """Write ``name`` under ``folder``, open it in the server, and return its URI and diagnostics."""
    path = folder / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, "utf-8")
    uri = path.as_uri()
    item = types.TextDocumentItem(uri=uri, language_id=language_id, version=1, text=text)
    params = types.DidOpenTextDocumentParams(text_document=item)
    return uri, await published(client, uri, lambda: client.text_document_did_open(params))


async def change_doc(
    client: LanguageClient, uri: str, version: int, *changes: types.TextDocumentContentChangeEvent
) -> list[types.Diagnostic]:
    """Send one didChange and return the diagnostics then pushed."""
    params = types.DidChangeTextDocumentParams(
        text_document=types.VersionedTextDocumentIdentifier(uri=uri, version=version),
        content_changes=list(changes),
    )
    return await published(client, uri, lambda: client.text_document_did_change(params), version)


async def settled(client: LanguageClient, uri: str) -> list[types.Diagnostic]:
    """The diagnostics of ``uri`` once edits have paused long enough for the server's whole
    reparse (provisional diagnostics, where an edit's parse ran past its budget, are final
    then)."""
    await asyncio.sleep(0.3)
    return list(client.diagnostics[uri])


def edit(
    start: tuple[int, int], end: tuple[int, int], text: str
) -> types.TextDocumentContentChangePartial:
    """An incremental change replacing ``start``..``end`` (line, character) by ``text``."""
    return types.TextDocumentContentChangePartial(
        range=types.Range(
            start=types.Position(line=start[0], character=start[1]),
            end=types.Position(line=end[0], character=end[1]),
        ),
        text=text,
    )
