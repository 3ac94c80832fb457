"""Code actions as an editor lists and runs them."""

from __future__ import annotations

from typing import Any

from lsprotocol import types
from pytest_lsp import LanguageClient

from .editor import apply_workspace_edit

PRICING = '''\
"""Prices."""


def apply_discount(price: float, percent: int) -> float:
    if percent < 0:
        raise ValueError("percent must not be negative")
    if percent > 100:
        raise ValueError("percent must be at most 100")
    return price * (100 - percent) / 100
'''


def read_code_actions_as_editors_do(client: LanguageClient) -> None:
    """Tell a ``Command`` from a ``CodeAction`` by whether ``command`` is a string.

    That is how editors read the answer; the test client's converter otherwise takes any
    object with a title and a command for a ``Command``.
    """
    converter = client.protocol._converter

    def structure(item: Any, _: Any) -> types.Command | types.CodeAction:
        kind = types.Command if isinstance(item.get("command"), str) else types.CodeAction
        return converter.structure(item, kind)  # type: ignore[no-any-return]

    converter.register_structure_hook(types.Command | types.CodeAction, structure)
    converter.register_structure_hook(types.Command | types.CodeAction, structure)


async def actions_at(
    client: LanguageClient,
    uri: str,
    line: int,
    character: int = 4,
    end: tuple[int, int] | None = None,
) -> list[types.CodeAction]:
    read_code_actions_as_editors_do(client)
    end_line, end_char = end or (line, character)
    params = types.CodeActionParams(
        text_document=types.TextDocumentIdentifier(uri=uri),
        range=types.Range(
            start=types.Position(line=line, character=character),
            end=types.Position(line=end_line, character=end_char),
        ),
        context=types.CodeActionContext(diagnostics=[]),
    )
    result = await client.text_document_code_action_async(params)
    return [a for a in result or [] if isinstance(a, types.CodeAction)]


async def run(client: LanguageClient, action: types.CodeAction) -> dict[str, Any]:
    if action.command is None:
        action = await client.code_action_resolve_async(action)
    assert action.command is not None
    params = types.ExecuteCommandParams(
        command=action.command.command, arguments=action.command.arguments
    )
    result: dict[str, Any] = await client.workspace_execute_command_async(params)
    return result


def titled(actions: list[types.CodeAction], prefix: str) -> types.CodeAction:
    return next(a for a in actions if a.title.startswith(prefix))


def recording_editor(client: LanguageClient) -> dict[str, list[Any]]:
    """Make the client apply edits and record agent steps; returns what it recorded."""
    seen: dict[str, list[Any]] = {"edits": [], "steps": []}

    @client.feature(types.WORKSPACE_APPLY_EDIT)
    def apply_edit(params: types.ApplyWorkspaceEditParams) -> types.ApplyWorkspaceEditResult:
        seen["edits"].append(apply_workspace_edit(params.edit))
        return types.ApplyWorkspaceEditResult(applied=True)

    @client.feature("accord/agentAction")
    def agent_action(params: Any) -> None:
        seen["steps"].append(params)

    return seen
