"""An LSP client driving the real ``accord lsp`` over stdio, as an editor would."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest
import pytest_lsp
from lsprotocol import types
from pytest_lsp import LanguageClient

from .actions import recording_editor
from .approvals import answering_editor, recorded_steps
from .lsp import NEOVIM, SERVER, VSCODE, initialize_params


@pytest.fixture
def workspace(tmp_path: Path) -> Path:
    """An empty project folder (with a .git marker so it is its own root)."""
    (tmp_path / ".git").mkdir()
    return tmp_path


@pytest_lsp.fixture(config=SERVER, params=[VSCODE, NEOVIM])
async def client(
    lsp_client: LanguageClient, request: pytest.FixtureRequest, workspace: Path
) -> AsyncIterator[LanguageClient]:
    """A client with each editor's capabilities; diagnostics pushed (and pullable)."""

    @lsp_client.feature(types.CLIENT_REGISTER_CAPABILITY)
    def register_capability(params: types.RegistrationParams) -> None:
        lsp_client.registrations.extend(params.registrations)  # type: ignore[attr-defined]

    lsp_client.registrations = []  # type: ignore[attr-defined]
    await lsp_client.initialize_session(
        initialize_params(workspace, request.param, {"diagnosticMode": "both"})
    )
    yield lsp_client
    await lsp_client.shutdown_session()


@pytest.fixture
def prompts(client: LanguageClient) -> dict[str, Any]:
    """The user answering approval prompts (see :func:`.approvals.answering_editor`)."""
    return answering_editor(client)


@pytest.fixture
def editor_steps(client: LanguageClient) -> list[Any]:
    """The agent steps the editor was shown."""
    return recorded_steps(client)


@pytest.fixture
def editor(client: LanguageClient) -> dict[str, list[Any]]:
    """The editor applying edits and recording agent steps (see :func:`.actions.recording_editor`)."""
    return recording_editor(client)
