"""The approval gate in the editor: low risk applies at once, risky changes wait for approval.

The real server runs with the shipped default policy (the seed's tables: migrations are a
critical path class, documentation a low-risk action). The client answers the approval prompt
(``window/showMessageRequest``) as the user would, and the audit log is verified afterwards.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from accord.audit import AuditStore, verify_root
from lsprotocol import types
from pytest_lsp import LanguageClient

from .conftest import change_doc, edit, open_doc
from .editor import apply_workspace_edit
from .test_agent_actions import PRICING, actions_at, run, titled

MIGRATION = """\
def seed(connection):
    token = "ghp_0123456789abcdefABCDEF0123456789abcd"
    connection.execute("insert into tokens values (?)", (token,))
"""


@pytest.fixture
def prompts(client: LanguageClient) -> dict[str, Any]:
    """The user: applies edits, answers prompts from ``answers`` in order, records them."""
    seen: dict[str, Any] = {
        "answers": [],
        "asked": [],
        "edits": 0,
        "before_answer": None,
        "previews": [],
    }

    @client.feature(types.WORKSPACE_APPLY_EDIT)
    def apply_edit(params: types.ApplyWorkspaceEditParams) -> types.ApplyWorkspaceEditResult:
        notes = params.edit.change_annotations or {}

        if any(note.needs_confirmation for note in notes.values()):
            # VS Code shows the change in its refactor preview; the user's answer decides.
            seen["previews"].append(params)
            answers = [a for a in seen["answers"] if a != "Show diff"]
            seen["answers"] = answers[1:]
            if not answers or answers[0] != "Apply":
                return types.ApplyWorkspaceEditResult(applied=False)
        apply_workspace_edit(params.edit)
        seen["edits"] += 1
        return types.ApplyWorkspaceEditResult(applied=True)

    @client.feature(types.WINDOW_SHOW_MESSAGE_REQUEST)
    async def ask(params: types.ShowMessageRequestParams) -> types.MessageActionItem | None:
        seen["asked"].append(params)
        if seen["before_answer"] is not None:
            await seen.pop("before_answer")()
        answer = seen["answers"].pop(0) if seen["answers"] else None
        return types.MessageActionItem(title=answer) if answer else None

    return seen


@pytest.fixture
def editor_steps(client: LanguageClient) -> list[Any]:
    steps: list[Any] = []

    @client.feature("accord/agentAction")
    def agent_action(params: Any) -> None:
        steps.append(params)

    return steps


def roles(project: Path, *held: str) -> None:
    listed = ", ".join(f'"{r}"' for r in held)
    (project / "accord.toml").write_text(f"[approvals]\nroles = [{listed}]\n", "utf-8")


async def fix_migration(client: LanguageClient, workspace: Path) -> tuple[str, Any]:
    uri, diagnostics = await open_doc(
        client, workspace, "db/migrations/0002_seed.py", MIGRATION, "python"
    )
    [secret] = [d for d in diagnostics if d.code == "ACC003"]
    params = types.CodeActionParams(
        text_document=types.TextDocumentIdentifier(uri=uri),
        range=secret.range,
        context=types.CodeActionContext(diagnostics=[secret]),
    )
    from .test_agent_actions import read_code_actions_as_editors_do

    read_code_actions_as_editors_do(client)
    actions = await client.text_document_code_action_async(params) or []
    return uri, next(a for a in actions if isinstance(a, types.CodeAction) and a.kind == "quickfix")


def events(root: Path) -> list[str]:
    return [e.type.value for e in AuditStore(root).events()]


async def test_low_risk_documentation_applies_at_once_and_is_audited(
    client: LanguageClient, workspace: Path, prompts: dict[str, Any]
) -> None:
    uri, _ = await open_doc(client, workspace, "shop/pricing.py", PRICING, "python")

    result = await run(client, titled(await actions_at(client, uri, 4), "Accord: Document"))

    assert result["applied"] is True and result["workflow"] == "standard_development"
    assert result["risk"] < 5 and prompts["asked"] == []
    assert events(workspace) == [
        "agent.action",
        "proposal.created",
        "risk.scored",
        "decision.made",
        "proposal.applied",
    ]
    step = AuditStore(workspace).events()[0].agent_action
    assert step is not None and (step.action_type, step.success) == ("document", True)
    assert step.execution_time_ms is not None and step.input_data
    assert verify_root(workspace).ok


async def test_a_migration_waits_for_approval_and_applies_after_it(
    client: LanguageClient, workspace: Path, prompts: dict[str, Any]
) -> None:
    roles(workspace, "tech_lead", "manager")
    prompts["answers"] = ["Show diff", "Apply"]
    uri, fix = await fix_migration(client, workspace)

    result = await run(client, fix)

    if prompts["previews"]:  # VS Code: the change annotation's preview is the prompt
        [preview] = prompts["previews"]
        assert "managed development" in preview.label and "migrations" in preview.label
    else:  # Neovim: window/showMessageRequest, shown with vim.ui.select
        [first, second] = prompts["asked"]
        assert "managed development" in first.message and "migrations" in first.message
        assert [a.title for a in first.actions] == ["Apply", "Reject", "Show diff"]
        assert [a.title for a in second.actions] == ["Apply", "Reject"]
        [diff] = client.shown_documents
        assert diff.uri.endswith(".diff")
    assert result["applied"] is True and result["workflow"] == "managed_development"
    assert "os.environ" in (workspace / "db/migrations/0002_seed.py").read_text("utf-8")
    assert "approval.recorded" in events(workspace) and verify_root(workspace).ok


async def test_roles_the_user_lacks_leave_it_pending(
    client: LanguageClient, workspace: Path, prompts: dict[str, Any]
) -> None:
    roles(workspace, "developer")
    prompts["answers"] = ["Apply"]
    _, fix = await fix_migration(client, workspace)

    result = await run(client, fix)

    assert result["applied"] is False and result["state"] == "pending"
    assert "ghp_" in (workspace / "db/migrations/0002_seed.py").read_text("utf-8")
    assert prompts["edits"] == 0 and prompts["asked"] == [] and prompts["previews"] == []
    assert "waits for approval" in client.messages[-1].message


async def test_rejecting_leaves_the_file_untouched(
    client: LanguageClient, workspace: Path, prompts: dict[str, Any]
) -> None:
    roles(workspace, "tech_lead", "manager")
    prompts["answers"] = ["Reject"]
    _, fix = await fix_migration(client, workspace)

    result = await run(client, fix)

    assert (result["applied"], result["state"]) == (False, "rejected")
    assert (workspace / "db/migrations/0002_seed.py").read_text("utf-8") == MIGRATION
    assert events(workspace)[-1] == "approval.rejected"


async def test_a_stale_proposal_is_refused(
    client: LanguageClient, workspace: Path, prompts: dict[str, Any]
) -> None:
    roles(workspace, "tech_lead", "manager")
    prompts["answers"] = ["Apply"]
    uri, fix = await fix_migration(client, workspace)

    async def edit_meanwhile() -> None:
        await change_doc(client, uri, 2, edit((0, 0), (0, 0), "# edited meanwhile\n"))

    prompts["before_answer"] = edit_meanwhile

    try:
        await run(client, fix)
    except Exception as error:  # Neovim: the file changed while the user was asked
        assert "stale" in str(error)
        assert prompts["edits"] == 0 and events(workspace)[-1] == "proposal.stale"
        return
    # VS Code: the preview is the prompt; the edit carries the document's version, so the editor
    # itself refuses it once the document has moved on.
    [preview] = prompts["previews"]
    [change] = preview.edit.document_changes
    assert change.text_document.version == 1


async def set_mode(client: LanguageClient, mode: str) -> dict[str, Any]:
    result: dict[str, Any] = await client.workspace_execute_command_async(
        types.ExecuteCommandParams(command="accord.mode.set", arguments=[{"mode": mode}])
    )
    return result


async def test_observation_shows_the_change_and_applies_nothing(
    client: LanguageClient, workspace: Path, prompts: dict[str, Any], editor_steps: list[Any]
) -> None:
    assert await set_mode(client, "observation") == {"mode": "observation", "previous": "guidance"}
    uri, _ = await open_doc(client, workspace, "shop/pricing.py", PRICING, "python")

    result = await run(client, titled(await actions_at(client, uri, 4), "Accord: Document"))

    assert (result["applied"], result["state"]) == (False, "observed")
    assert (workspace / "shop/pricing.py").read_text("utf-8") == PRICING
    assert client.shown_documents[-1].uri.endswith(".diff")
    assert {s.action.type for s in editor_steps} <= {"routed", "proposal"}
    assert "mode.changed" in events(workspace)


async def test_control_asks_before_each_step_and_the_user_can_stop(
    client: LanguageClient, workspace: Path, prompts: dict[str, Any], editor_steps: list[Any]
) -> None:
    await set_mode(client, "control")
    uri, _ = await open_doc(client, workspace, "shop/pricing.py", PRICING, "python")
    prompts["answers"] = ["Continue", "Stop"]

    with pytest.raises(Exception, match="stopped by the user before the provider call"):
        await run(client, titled(await actions_at(client, uri, 4), "Accord: Document"))

    assert [p.message for p in prompts["asked"]] == [
        "Accord (control mode): run the context step?",
        "Accord (control mode): run the provider call step?",
    ]
    assert (workspace / "shop/pricing.py").read_text("utf-8") == PRICING


async def test_autonomous_reports_completion_only(
    client: LanguageClient, workspace: Path, prompts: dict[str, Any], editor_steps: list[Any]
) -> None:
    await set_mode(client, "autonomous")
    uri, _ = await open_doc(client, workspace, "shop/pricing.py", PRICING, "python")

    result = await run(client, titled(await actions_at(client, uri, 4), "Accord: Document"))

    assert result["applied"] is True and prompts["asked"] == []
    assert [s.action.type for s in editor_steps] == ["proposal"]
    with pytest.raises(Exception, match="takes"):
        await set_mode(client, "anarchy")
