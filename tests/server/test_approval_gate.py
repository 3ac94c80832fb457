"""The approval gate in the editor: low risk applies at once, risky changes wait for approval.

The real server runs with the shipped default policy (the seed's tables: migrations are a
critical path class, documentation a low-risk action). The client answers the approval prompt
(``window/showMessageRequest``) as the user would, and the audit log is verified afterwards.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from lsprotocol import types
from pytest_lsp import LanguageClient

from accord.audit import AuditStore, verify_root

from .actions import PRICING, actions_at, run, titled
from .approvals import MIGRATION, roles
from .lsp import change_doc, edit, open_doc


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
    from .actions import read_code_actions_as_editors_do

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
