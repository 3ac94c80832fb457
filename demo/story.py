"""``accord demo``: the whole story on the embedded default, printed as a transcript.

An org server on a temporary SQLite store; two users (Alice, a developer; Bob, her tech lead),
each with a language server on their own checkout of the sample project, linked to the org.
Alice's editor shows diagnostics, she asks an agent to fix a hard-coded token in a migration;
the change is risky, so the org routes it to Bob, whose editor asks him; he approves; Alice's
language server applies the edit; the org's audit chain is verified. No key, no network.
"""

from __future__ import annotations

import asyncio
import os
import shutil
import sys
import tempfile
from dataclasses import dataclass, field
from importlib.resources import files
from pathlib import Path
from typing import Any

from lsprotocol import types
from pygls.lsp.client import LanguageClient
from rich.console import Console

from accord.org.client import OrgClient
from accord.org.credentials import Login, save_login
from accord.org.security_commands import keys_to_pin
from accord.org.store.sqlite import SqliteStore
from accord.org.tokens import TokenIssuer
from accord.protocol.org import (
    AuditVerified,
    AuditVerify,
    Authenticate,
    Authenticated,
    Empty,
    OrgKeys,
    PolicySet,
    TokenPair,
    TokenRefresh,
)

from .editor import apply_workspace_edit

__all__ = ["run_demo"]

MIGRATION = """\
def seed(connection):
    token = "ghp_0123456789abcdefABCDEF0123456789abcd"
    connection.execute("insert into tokens values (?)", (token,))
"""
USERS = {
    "admin@example.test": ("admin",),
    "alice@example.test": ("developer",),
    "bob@example.test": ("tech_lead",),
}
TIMEOUT = 60.0


def _sample_project() -> Path:
    """The sample project shipped in the repository (examples/sample-project)."""
    here = Path(__file__).resolve()
    for parent in here.parents:
        candidate = parent / "examples" / "sample-project"
        if candidate.is_dir():
            return candidate
    raise FileNotFoundError("examples/sample-project is not next to this checkout of Accord")


def _demo_policy() -> str:
    """The default policy, but a migration needs only the tech lead (a two-person team)."""
    text = files("accord.policy").joinpath("default-policy.yaml").read_text("utf-8")
    return text.replace(
        "    approvers: [tech_lead, manager]\n    timeout_hours: 24",
        "    approvers: [tech_lead]\n    timeout_hours: 24",
    )


def _link_to_org(root: Path, url: str) -> None:
    """Make ``root`` a project (a git folder) whose ``accord.toml`` names the org server."""
    (root / ".git").mkdir(exist_ok=True)
    with open(root / "accord.toml", "a", encoding="utf-8") as config:
        config.write(f'\n[org]\nurl = "{url}"\nproject = "shop"\n')


@dataclass
class _Editor:
    """One user's editor: a language server over stdio on a checkout of the project."""

    name: str
    root: Path
    home: Path
    say: Any
    client: LanguageClient = field(init=False)
    edits: asyncio.Queue[Any] = field(default_factory=asyncio.Queue)
    asked: asyncio.Queue[types.ShowMessageRequestParams] = field(default_factory=asyncio.Queue)
    answer: str | None = None
    diagnostics: dict[str, list[types.Diagnostic]] = field(default_factory=dict)

    async def start(self, url: str) -> None:
        _link_to_org(self.root, url)
        self.client = LanguageClient("accord-demo", "1")
        self._handlers()
        env = {**os.environ, "ACCORD_CONFIG_HOME": str(self.home)}
        await self.client.start_io(sys.executable, "-m", "accord", "lsp", env=env)
        capabilities = types.ClientCapabilities(
            window=types.WindowClientCapabilities(
                show_message=types.ShowMessageRequestClientCapabilities(),
                show_document=types.ShowDocumentClientCapabilities(support=True),
            ),
            workspace=types.WorkspaceClientCapabilities(
                apply_edit=True,
                workspace_edit=types.WorkspaceEditClientCapabilities(document_changes=False),
            ),
            text_document=types.TextDocumentClientCapabilities(
                code_action=types.CodeActionClientCapabilities(
                    code_action_literal_support=types.ClientCodeActionLiteralOptions(
                        code_action_kind=types.ClientCodeActionKindOptions(value_set=["quickfix"])
                    ),
                    data_support=True,
                    resolve_support=types.ClientCodeActionResolveOptions(properties=["command"]),
                ),
                publish_diagnostics=types.PublishDiagnosticsClientCapabilities(),
            ),
        )
        await self.client.initialize_async(
            types.InitializeParams(
                capabilities=capabilities,
                root_uri=self.root.as_uri(),
                workspace_folders=[types.WorkspaceFolder(uri=self.root.as_uri(), name="shop")],
                initialization_options={"diagnosticMode": "push"},
            )
        )
        self.client.initialized(types.InitializedParams())
        await self._until_online()

    def _handlers(self) -> None:
        client = self.client

        @client.feature(types.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS)  # type: ignore[untyped-decorator]
        def published(params: types.PublishDiagnosticsParams) -> None:
            self.diagnostics[params.uri] = list(params.diagnostics)

        @client.feature(types.WORKSPACE_APPLY_EDIT)  # type: ignore[untyped-decorator]
        def apply_edit(params: types.ApplyWorkspaceEditParams) -> types.ApplyWorkspaceEditResult:
            written = apply_workspace_edit(params.edit)
            self.edits.put_nowait(written)
            return types.ApplyWorkspaceEditResult(applied=True)

        @client.feature(types.WINDOW_SHOW_MESSAGE_REQUEST)  # type: ignore[untyped-decorator]
        def ask(params: types.ShowMessageRequestParams) -> types.MessageActionItem | None:
            self.asked.put_nowait(params)
            return types.MessageActionItem(title=self.answer) if self.answer else None

        @client.feature(types.WINDOW_SHOW_MESSAGE)  # type: ignore[untyped-decorator]
        def shown(params: types.ShowMessageParams) -> None:
            self.say(f"[dim]{self.name}'s editor shows:[/] {params.message}")

        for method in (
            "accord/agentAction",
            "accord/roomEvent",
            "accord/presence",
            "accord/policyChanged",
            "accord/approvalUpdated",
            "accord/teamChanged",
            "window/logMessage",
            "$/progress",
        ):
            client.feature(method)(lambda params: None)

    async def _until_online(self) -> None:
        async with asyncio.timeout(TIMEOUT):
            while True:
                status = await self.client.workspace_execute_command_async(
                    types.ExecuteCommandParams(command="accord.org.status")
                )
                links = _field(status, "links") or []
                if links and _field(links[0], "online"):
                    return
                await asyncio.sleep(0.1)

    async def stop(self) -> None:
        await self.client.shutdown_async(None)
        self.client.exit(None)
        await self.client.stop()  # type: ignore[no-untyped-call]


def _field(answer: Any, name: str) -> Any:
    """A field of a command's answer (a dict, or pygls's object for one)."""
    return answer.get(name) if isinstance(answer, dict) else getattr(answer, name, None)


async def _seed(store_path: Path, homes: dict[str, Path]) -> dict[str, str]:
    """Create the organisation and its users; returns each user's login token."""
    store = SqliteStore(store_path)
    await store.open()
    try:
        issuer = TokenIssuer(await store.signing_key())
        org = await store.create_org("Demo Org")
        tokens = {}
        for email, roles in USERS.items():
            user = await store.add_user(org.id, email, roles)
            issued = issuer.issue(user.id, org.id, "refresh", 0)
            await store.save_refresh(issued.claims.jti, user.id, issued.claims.expires_at)
            tokens[email] = issued.token
        return tokens
    finally:
        await store.close()


async def _log_in(url: str, token: str, home: Path) -> OrgClient:
    """What `accord login` does; returns the client, authenticated."""
    client = await OrgClient(url).connect()
    pair = await client.request("token.refresh", TokenRefresh(refresh_token=token), TokenPair)
    hello = await client.request(
        "authenticate", Authenticate(token=pair.access_token), Authenticated
    )
    offered = await client.request("org.keys", Empty(), OrgKeys)
    identity = hello.identity
    login = Login(url, pair, identity.email, identity.org_id, keys_to_pin(offered, None))
    save_login(login, home / "credentials.json")
    return client


async def _story(console: Console, work: Path) -> int:
    say = console.print

    def step(text: str) -> None:
        console.rule(f"[bold]{text}")

    store = work / "org.db"
    homes = {email: work / "home" / email.split("@")[0] for email in USERS}
    tokens = await _seed(store, homes)

    step("1. The org server")
    server = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "accord",
        "org",
        "serve",
        "--store",
        f"sqlite:///{store}",
        "--port",
        "0",
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.DEVNULL,
        env={**os.environ, "PYTHONUNBUFFERED": "1"},
    )
    assert server.stdout is not None
    url = (await asyncio.wait_for(server.stdout.readline(), TIMEOUT)).decode().split()[-1]
    say(f"accord org serve: listening on {url}, store {store} (SQLite)")
    editors: list[_Editor] = []
    try:
        admin = await _log_in(url, tokens["admin@example.test"], homes["admin@example.test"])
        await admin.call("policy.set", PolicySet(yaml=_demo_policy()))
        say(
            "Demo Org: alice@example.test (developer), bob@example.test (tech lead); "
            "policy revision 1: migrations need a tech lead's approval"
        )
        for email in ("alice@example.test", "bob@example.test"):
            await (await _log_in(url, tokens[email], homes[email])).close()
            say(f"accord login {url} → {email}")

        step("2. Two editors, each with its language server linked to the org")
        sample = _sample_project()
        for name, email in (("Alice", "alice@example.test"), ("Bob", "bob@example.test")):
            root = work / name.lower() / "shop"
            shutil.copytree(sample, root)
            migration = root / "db" / "migrations" / "0002_seed.py"
            migration.parent.mkdir(parents=True)
            migration.write_text(MIGRATION, "utf-8")
            editor = _Editor(name, root, homes[email], say)
            await editor.start(url)
            editors.append(editor)
            say(f"{name}: accord lsp on {root}, online as {email}")
        alice, bob = editors
        bob.answer = "Approve"

        step("3. Diagnostics in Alice's editor")
        migration = alice.root / "db" / "migrations" / "0002_seed.py"
        uri = migration.as_uri()
        alice.client.text_document_did_open(
            types.DidOpenTextDocumentParams(
                text_document=types.TextDocumentItem(
                    uri=uri, language_id="python", version=1, text=MIGRATION
                )
            )
        )
        async with asyncio.timeout(TIMEOUT):
            while uri not in alice.diagnostics:
                await asyncio.sleep(0.05)
        for found in alice.diagnostics[uri]:
            say(
                f"db/migrations/0002_seed.py:{found.range.start.line + 1}: {found.code} {found.message}"
            )

        step("4. An agent action: Alice asks for the fix")
        [secret] = [d for d in alice.diagnostics[uri] if d.code == "ACC003"]
        actions = (
            await alice.client.text_document_code_action_async(
                types.CodeActionParams(
                    text_document=types.TextDocumentIdentifier(uri=uri),
                    range=secret.range,
                    context=types.CodeActionContext(diagnostics=[secret]),
                )
            )
            or []
        )
        fix = next(a for a in actions if isinstance(a, types.CodeAction) and a.kind == "quickfix")
        if fix.command is None:
            fix = await alice.client.code_action_resolve_async(fix)
        assert fix.command is not None
        say(f"code action: {fix.title}")
        result = await alice.client.workspace_execute_command_async(
            types.ExecuteCommandParams(command=fix.command.command, arguments=fix.command.arguments)
        )
        workflow = str(_field(result, "workflow")).replace("_", " ")
        say(
            f"the command answers: risk {_field(result, 'risk'):g}/10 → {workflow}, "
            f"{_field(result, 'state')}, approval {_field(result, 'approval_id')}"
        )

        step("5. The org routes it to Bob, whose editor asks him")
        prompt = await asyncio.wait_for(bob.asked.get(), TIMEOUT)
        say(f"Bob's editor asks: {prompt.message}")
        say(f"Bob answers: {bob.answer}")

        step("6. Approved: Alice's language server applies the edit")
        written = await asyncio.wait_for(alice.edits.get(), TIMEOUT)
        say(f"applied to {', '.join(str(Path(p).relative_to(alice.root)) for p in written)}:")
        say(migration.read_text("utf-8"), markup=False, highlight=False)

        step("7. The audit trail")
        await asyncio.sleep(0.5)  # the requester's local events sync up after the edit
        verified = await admin.request("audit.verify", AuditVerify(), AuditVerified)
        await admin.close()
        state = "[green]verified[/]" if verified.ok else f"[red]broken[/]: {verified.findings}"
        say(f"org audit chain: {verified.count} events, {state}, head {verified.last_hash}")
        return 0 if verified.ok and "ghp_" not in migration.read_text("utf-8") else 1
    finally:
        for editor in editors:
            await editor.stop()
        server.terminate()
        await server.wait()


def run_demo(keep: Path | None = None) -> int:
    """Run the demo in a temporary folder (or in ``keep``, left for reading afterwards)."""
    console = Console(highlight=False)
    if keep is not None:
        keep.mkdir(parents=True, exist_ok=True)
        return asyncio.run(_story(console, keep))
    with tempfile.TemporaryDirectory(prefix="accord-demo-") as work:
        return asyncio.run(_story(console, Path(work)))
