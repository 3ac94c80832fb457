"""An editor that answers approval prompts, and the roles a project grants."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from lsprotocol import types
from pytest_lsp import LanguageClient

from .editor import apply_workspace_edit

MIGRATION = """\
def seed(connection):
    token = "ghp_0123456789abcdefABCDEF0123456789abcd"
    connection.execute("insert into tokens values (?)", (token,))
"""


def answering_editor(client: LanguageClient) -> dict[str, Any]:
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


def recorded_steps(client: LanguageClient) -> list[Any]:
    """The ``accord/agentAction`` notifications the server sends, in order."""
    steps: list[Any] = []

    @client.feature("accord/agentAction")
    def agent_action(params: Any) -> None:
        steps.append(params)

    return steps


def roles(project: Path, *held: str) -> None:
    listed = ", ".join(f'"{r}"' for r in held)
    (project / "accord.toml").write_text(f"[approvals]\nroles = [{listed}]\n", "utf-8")
