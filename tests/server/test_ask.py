"""``accord.agents.ask`` through the real language server: offered as a code action, run with the
user's instruction, and gated like every other proposal (standard library code as the project)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from lsprotocol import types
from pygls.exceptions import JsonRpcException, JsonRpcInvalidParams
from pytest_lsp import LanguageClient

from accord.audit import AuditStore

from ..agents.ask.projects import copy_module
from .actions import actions_at
from .editor import apply_workspace_edit
from .lsp import open_doc

REPORT = "from mytextwrap import dedent\n\n\ndef report(text):\n    return dedent(text).upper()\n"


@pytest.fixture
def user(client: LanguageClient) -> dict[str, Any]:
    """Applies edits (confirming previews) and answers Apply to approval prompts."""
    seen: dict[str, Any] = {"asked": [], "edits": 0}

    @client.feature(types.WORKSPACE_APPLY_EDIT)
    def apply_edit(params: types.ApplyWorkspaceEditParams) -> types.ApplyWorkspaceEditResult:
        apply_workspace_edit(params.edit)
        seen["edits"] += 1
        return types.ApplyWorkspaceEditResult(applied=True)

    @client.feature(types.WINDOW_SHOW_MESSAGE_REQUEST)
    def ask(params: types.ShowMessageRequestParams) -> types.MessageActionItem:
        seen["asked"].append(params.message)
        return types.MessageActionItem(title="Apply")

    return seen


async def execute(client: LanguageClient, argument: dict[str, Any]) -> dict[str, Any]:
    params = types.ExecuteCommandParams(command="accord.agents.ask", arguments=[argument])
    result: dict[str, Any] = await client.workspace_execute_command_async(params)
    return result


async def test_the_code_action_carries_the_scope_and_needs_an_instruction(
    client: LanguageClient, workspace: Path
) -> None:
    uri, _ = await open_doc(client, workspace, "report.py", REPORT, "python")
    [action] = [a for a in await actions_at(client, uri, 3, 0, (4, 10)) if "Ask" in a.title]
    assert action.title == "Accord: Ask an agent..." and action.kind == "refactor.accord.ask"
    assert action.command is not None and action.command.command == "accord.agents.ask"
    [argument] = action.command.arguments or []
    assert argument["scope"]["uri"] == uri
    assert argument["scope"]["range"]["start"] == {"line": 3, "character": 0}
    with pytest.raises(JsonRpcInvalidParams, match="needs an instruction"):
        await execute(client, argument)


async def test_asking_returns_a_gated_proposal_applied_with_approval(
    client: LanguageClient, workspace: Path, user: dict[str, Any]
) -> None:
    (workspace / "accord.toml").write_text('[approvals]\nroles = ["developer", "tech_lead"]\n')
    library = copy_module(workspace, "textwrap", "mytextwrap")
    uri, _ = await open_doc(client, workspace, "report.py", REPORT, "python")
    [action] = [a for a in await actions_at(client, uri, 0, 0) if "Ask" in a.title]
    assert action.command is not None
    assert list(action.command.arguments or []) == [{"scope": {"uri": uri}}]
    scope = {"uris": [uri, library.as_uri()]}

    result = await execute(client, {"instruction": "rename dedent to strip_margin", "scope": scope})

    assert result["title"] == "Ask: rename dedent to strip_margin"
    assert sorted(Path(f).name for f in result["files"]) == ["mytextwrap.py", "report.py"]
    assert result["workflow"] == "supervised_development" and result["risk"] >= 5
    assert result["applied"] is True
    assert "strip_margin(text).upper()" in (workspace / "report.py").read_text()
    assert "def strip_margin(text):" in library.read_text()
    types_ = [e.type.value for e in AuditStore(workspace).events()]
    assert "approval.recorded" in types_ and types_[-1] == "proposal.applied"


async def test_an_instruction_that_needs_a_model_fails_clearly(
    client: LanguageClient, workspace: Path
) -> None:
    uri, _ = await open_doc(client, workspace, "report.py", REPORT, "python")
    with pytest.raises(JsonRpcException, match="This needs a model"):
        await execute(client, {"instruction": "make it faster", "scope": {"uri": uri}})


WRITTEN = (
    "from mytextwrap import dedent\n\n\n"
    "def report(text):\n"
    "    # accord: ask rename dedent to strip_margin\n"
    "    return dedent(text).upper()\n"
)


async def test_a_request_written_in_a_comment_runs_from_its_code_action_in_any_editor(
    client: LanguageClient, workspace: Path, user: dict[str, Any]
) -> None:
    """A client that cannot prompt for text (LSP4IJ's user-defined server, plain Eglot) asks by
    writing the request as a comment: its line offers "Accord: Ask — …", which carries the words,
    and the proposal removes the comment with the change it asks for."""
    copy_module(workspace, "textwrap", "mytextwrap")
    uri, _ = await open_doc(client, workspace, "report.py", WRITTEN, "python")
    [written] = [
        a for a in await actions_at(client, uri, 4, 10) if a.title.startswith("Accord: Ask —")
    ]
    assert written.title == "Accord: Ask — rename dedent to strip_margin"
    assert written.command is not None
    [argument] = written.command.arguments or []
    assert argument == {
        "instruction": "rename dedent to strip_margin",
        "scope": {"uri": uri},
        "written": 4,
    }
    assert not [a for a in await actions_at(client, uri, 5, 4) if "Ask —" in a.title]

    result = await execute(client, argument)

    assert result["applied"] is True
    text = (workspace / "report.py").read_text()
    assert "accord: ask" not in text
    assert "    return strip_margin(text).upper()\n" in text
    assert "def report(text):\n    return strip_margin" in text


async def test_words_in_a_string_are_not_a_request(client: LanguageClient, workspace: Path) -> None:
    text = 'HELP = "write # accord: ask rename x to y in a comment"\n// accord: ask nothing\n'
    uri, _ = await open_doc(client, workspace, "help.py", text, "python")
    assert not [a for a in await actions_at(client, uri, 0, 0) if "Ask —" in a.title]


async def test_a_forged_written_line_removes_nothing(
    client: LanguageClient, workspace: Path, user: dict[str, Any]
) -> None:
    """The client sends back the code action's argument; a line that holds no request with
    those words (here the function's own line) is not removed."""
    copy_module(workspace, "textwrap", "mytextwrap")
    uri, _ = await open_doc(client, workspace, "report.py", WRITTEN, "python")
    argument = {"instruction": "rename dedent to strip_margin", "scope": {"uri": uri}, "written": 3}
    result = await execute(client, argument)
    assert result["applied"] is True
    text = (workspace / "report.py").read_text()
    assert "def report(text):\n    # accord: ask rename dedent to strip_margin\n" in text
