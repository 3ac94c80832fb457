"""Configuration: the workspace root, the position encoding, the diagnostic mode and the
editor's ``accord`` settings.

Editor settings arrive as ``initializationOptions.settings``, from ``workspace/configuration``
(section ``accord``) once initialised, and again on ``workspace/didChangeConfiguration``. They
take precedence over ``accord.toml`` and ``[tool.accord]``. Invalid settings are reported with
their source and key, and the server carries on with the valid ones.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any, cast, get_args

from lsprotocol import types

from accord.analyzers.positions import Encoding
from accord.config import CONFIG_FILES

from ..session import path_of
from . import diagnostics, guarded, org, state_of

if TYPE_CHECKING:
    from ..app import AccordServer
    from .diagnostics import DiagnosticMode

SECTION = "accord"
_MODES = ("auto", "push", "pull", "both")


def setup(server: AccordServer) -> None:
    @server.feature(types.INITIALIZE)
    @guarded("configuration")
    def initialize(params: types.InitializeParams) -> None:
        session = server.session
        session.root = _root(params)
        session.encoding = _encoding(server.workspace.position_encoding)
        options = params.initialization_options
        if isinstance(options, Mapping):
            mode = options.get("diagnosticMode", "auto")
            state_of(server, diagnostics.DiagnosticsState).mode = cast(
                "DiagnosticMode", mode if mode in _MODES else "auto"
            )
            if isinstance(settings := options.get("settings"), Mapping):
                session.client_options = dict(settings)

    @server.feature(types.INITIALIZED)
    @guarded("configuration")
    async def initialized(params: types.InitializedParams) -> None:
        await refresh(server)
        await _watch_config_files(server)
        org.start_links(server)

    @server.feature(types.WORKSPACE_DID_CHANGE_WATCHED_FILES)
    def did_change_watched_files(params: types.DidChangeWatchedFilesParams) -> None:
        if any(_is_config_file(change.uri) for change in params.changes):
            apply(server, server.session.client_options)

    @server.feature(types.TEXT_DOCUMENT_DID_SAVE)
    def did_save(params: types.DidSaveTextDocumentParams) -> None:
        if _is_config_file(params.text_document.uri):
            apply(server, server.session.client_options)

    @server.feature(types.WORKSPACE_DID_CHANGE_CONFIGURATION)
    @guarded("configuration")
    async def did_change_configuration(params: types.DidChangeConfigurationParams) -> None:
        settings = params.settings
        if isinstance(settings, Mapping) and isinstance(settings.get(SECTION), Mapping):
            apply(server, settings[SECTION])
        else:
            await refresh(server)


async def refresh(server: AccordServer) -> None:
    """Ask the client for the ``accord`` section, where it can answer, and apply it."""
    workspace = server.client_capabilities.workspace
    if not (workspace and workspace.configuration):
        apply(server, server.session.client_options)
        return
    try:
        scope = server.session.root.as_uri() if server.session.root else None
        items = [types.ConfigurationItem(section=SECTION, scope_uri=scope)]
        result = await server.workspace_configuration_async(types.ConfigurationParams(items=items))
    except Exception as error:  # the client failed the request: keep what we have
        server.window_log_message(
            types.LogMessageParams(types.MessageType.Warning, f"workspace/configuration: {error}")
        )
        result = [None]
    answer = result[0] if result else None
    apply(server, answer if isinstance(answer, Mapping) else server.session.client_options)


@guarded("configuration")
def apply(server: AccordServer, options: Mapping[str, Any]) -> None:
    """Re-resolve settings with new editor options, re-lint, and report invalid settings."""
    errors = server.session.configure(options)
    for error in errors:
        server.window_show_message(
            types.ShowMessageParams(
                type=types.MessageType.Error,
                message=f"Accord settings: {error} (using the defaults instead)",
            )
        )
    diagnostics.publish(server, server.session.documents)


async def _watch_config_files(server: AccordServer) -> None:
    """Ask the client to report changes to config files, where it can watch files for us."""
    workspace = server.client_capabilities.workspace
    watched = workspace.did_change_watched_files if workspace else None
    if not (watched and watched.dynamic_registration):
        return
    watchers = [types.FileSystemWatcher(glob_pattern=f"**/{name}") for name in CONFIG_FILES]
    registration = types.Registration(
        id="accord-config-files",
        method=types.WORKSPACE_DID_CHANGE_WATCHED_FILES,
        register_options=types.DidChangeWatchedFilesRegistrationOptions(watchers=watchers),
    )
    try:
        await server.client_register_capability_async(types.RegistrationParams([registration]))
    except Exception as error:  # the client refused: config edits then apply on save
        server.window_log_message(
            types.LogMessageParams(types.MessageType.Info, f"not watching config files: {error}")
        )


def _is_config_file(uri: str) -> bool:
    return uri.rsplit("/", 1)[-1] in CONFIG_FILES


def _root(params: types.InitializeParams) -> Path | None:
    uri = params.workspace_folders[0].uri if params.workspace_folders else params.root_uri
    path = path_of(uri) if uri else params.root_path
    return Path(path) if path else None


def _encoding(encoding: object) -> Encoding:
    value = str(encoding or "utf-16")
    return cast(Encoding, value) if value in get_args(Encoding) else "utf-16"
