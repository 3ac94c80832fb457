"""Editors for org tests: a user's checkout and language server (pytest-lsp, stdio) linked to the
org server, and the steps users take (log in, fix a migration)."""

from __future__ import annotations

import asyncio
import os
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from lsprotocol import types
from pytest_lsp import ClientServerConfig, LanguageClient, client_capabilities

from ..server.editor import apply_workspace_edit
from .server import OrgServer

MIGRATION = """\
def seed(connection):
    token = "ghp_0123456789abcdefABCDEF0123456789abcd"
    connection.execute("insert into tokens values (?)", (token,))
"""


async def accord(*args: str, home: Path | None = None) -> str:
    """Run the ``accord`` command; returns its output (fails the test on a non-zero exit)."""
    env = {**os.environ, "ACCORD_CONFIG_HOME": str(home)} if home else dict(os.environ)
    process = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "accord",
        *args,
        env=env,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.STDOUT,
    )
    output, _ = await process.communicate()
    text = output.decode()
    assert process.returncode == 0, text
    return text


async def log_in(org: OrgServer, email: str, home: Path) -> None:
    """What a new user does: the admin prints a login token, the user runs ``accord login``."""
    user = org.users[email]
    printed = await accord(
        "org", "token", email, "--store", f"sqlite:///{org.store_path}", "--org", user.org_id
    )
    token = printed.splitlines()[1].strip()
    said = await accord("login", org.url, "--token", token, home=home)
    assert f"as {email}" in said


@dataclass
class Editor:
    """A user's editor: a checkout of the project and a language server linked to the org."""

    email: str
    root: Path
    client: LanguageClient
    asked: list[types.ShowMessageRequestParams] = field(default_factory=list)
    answers: list[str] = field(default_factory=list)
    edits: int = 0
    room: list[Any] = field(default_factory=list)
    notes: dict[str, list[Any]] = field(default_factory=dict)


async def start_editor(
    org: OrgServer,
    email: str,
    home: Path,
    root: Path,
    settings: str = "",
    project: str | None = "shop",
) -> Editor:
    """``settings``: more of ``accord.toml`` (providers, say); ``project`` None: the org resolves
    it from the checkout's ``origin`` remote (a test sets one up in ``root/.git``)."""
    (root / ".git").mkdir(parents=True, exist_ok=project is None)
    named = "" if project is None else f'project = "{project}"\n'
    (root / "accord.toml").write_text(f'[org]\nurl = "{org.url}"\n{named}\n{settings}', "utf-8")
    config = ClientServerConfig(
        server_command=[sys.executable, "-m", "accord", "lsp"],
        server_env={**os.environ, "ACCORD_CONFIG_HOME": str(home)},
    )
    client = await config.start()
    editor = Editor(email, root, client)  # type: ignore[arg-type]

    @client.feature(types.WINDOW_SHOW_MESSAGE_REQUEST)
    def ask(params: types.ShowMessageRequestParams) -> types.MessageActionItem | None:
        editor.asked.append(params)
        answer = editor.answers.pop(0) if editor.answers else None
        return types.MessageActionItem(title=answer) if answer else None

    @client.feature(types.WORKSPACE_APPLY_EDIT)
    def apply_edit(params: types.ApplyWorkspaceEditParams) -> types.ApplyWorkspaceEditResult:
        apply_workspace_edit(params.edit)
        editor.edits += 1
        return types.ApplyWorkspaceEditResult(applied=True)

    @client.feature("accord/roomEvent")
    def room_event(params: Any) -> None:
        editor.room.append(params)

    for method in (
        "accord/presence",
        "accord/policyChanged",
        "accord/approvalUpdated",
        "accord/agentAction",
        "accord/roomResync",
        "accord/teamChanged",
    ):
        client.feature(method)(
            lambda params, method=method: editor.notes.setdefault(method, []).append(params)
        )

    await client.initialize_session(
        types.InitializeParams(
            capabilities=client_capabilities("neovim@v0.11.0"),
            root_uri=root.as_uri(),
            workspace_folders=[types.WorkspaceFolder(uri=root.as_uri(), name=root.name)],
            initialization_options={"diagnosticMode": "push"},
        )
    )
    await until(lambda: _ready(editor), what=f"{email}'s org link")
    return editor


async def _ready(editor: Editor) -> bool:
    """Whether the editor's org link is through its handshake (in its project's room)."""
    status = await link_status(editor)
    return bool(status["online"] and status.get("ready"))


async def until(check: Any, timeout: float = 15.0, what: str = "the condition") -> None:
    deadline = asyncio.get_running_loop().time() + timeout
    while True:
        outcome = check()
        if asyncio.iscoroutine(outcome):
            outcome = await outcome
        if outcome:
            return
        if asyncio.get_running_loop().time() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        await asyncio.sleep(0.05)


async def fix_the_migration(editor: Editor) -> dict[str, Any]:
    path = editor.root / "db" / "migrations" / "0002_seed.py"
    path.parent.mkdir(parents=True)
    path.write_text(MIGRATION, "utf-8")
    uri = path.as_uri()
    client = editor.client
    client.text_document_did_open(
        types.DidOpenTextDocumentParams(
            text_document=types.TextDocumentItem(
                uri=uri, language_id="python", version=1, text=MIGRATION
            )
        )
    )
    await until(lambda: uri in client.diagnostics, what="diagnostics")
    [secret] = [d for d in client.diagnostics[uri] if d.code == "ACC003"]
    actions = (
        await client.text_document_code_action_async(
            types.CodeActionParams(
                text_document=types.TextDocumentIdentifier(uri=uri),
                range=secret.range,
                context=types.CodeActionContext(diagnostics=[secret]),
            )
        )
        or []
    )
    fix = next(a for a in actions if isinstance(a, types.CodeAction) and a.kind == "quickfix")
    return await execute(client, fix)


PRICING = '''\
"""Prices."""


def apply_discount(price: float, percent: int) -> float:
    return price * (100 - percent) / 100
'''


async def document_pricing(editor: Editor) -> dict[str, Any]:
    """A low-risk action: document a function (auto-approved by the default policy)."""
    path = editor.root / "shop" / "pricing.py"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(PRICING, "utf-8")
    uri = path.as_uri()
    client = editor.client
    client.text_document_did_open(
        types.DidOpenTextDocumentParams(
            text_document=types.TextDocumentItem(
                uri=uri, language_id="python", version=1, text=PRICING
            )
        )
    )
    await until(lambda: uri in client.diagnostics, what="diagnostics")
    actions = (
        await client.text_document_code_action_async(
            types.CodeActionParams(
                text_document=types.TextDocumentIdentifier(uri=uri),
                range=types.Range(
                    start=types.Position(line=3, character=4),
                    end=types.Position(line=3, character=4),
                ),
                context=types.CodeActionContext(diagnostics=[]),
            )
        )
        or []
    )
    action = next(
        a
        for a in actions
        if isinstance(a, types.CodeAction) and a.title.startswith("Accord: Document")
    )
    return await execute(client, action)


async def execute(client: LanguageClient, action: types.CodeAction) -> dict[str, Any]:
    if action.command is None:
        action = await client.code_action_resolve_async(action)
    assert action.command is not None
    result = await client.workspace_execute_command_async(
        types.ExecuteCommandParams(
            command=action.command.command, arguments=action.command.arguments
        )
    )
    assert isinstance(result, dict)
    return result


async def link_status(editor: Editor) -> dict[str, Any]:
    status = await editor.client.workspace_execute_command_async(
        types.ExecuteCommandParams(command="accord.org.status")
    )
    links: list[dict[str, Any]] = status["links"]
    return links[0] if links else {"online": False, "policy_revision": None}
