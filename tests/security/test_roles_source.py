"""One source of roles when linked: a developer grants themselves every approval role (and a
policy that approves everything) in their own checkout. Linked to an org, neither counts: the
org's roles and policy decide. Only in single-user mode do local roles apply."""

from __future__ import annotations

import os
import socket
import sys
from pathlib import Path

import pytest
import yaml
from lsprotocol import types
from pytest_lsp import ClientServerConfig, client_capabilities

from accord.org.client import OrgError
from accord.policy.authority import in_force
from accord.policy.loading import default_policy
from accord.protocol.org import (
    ApprovalDecide,
    ApprovalRequestParams,
    ApprovalView,
    Authenticate,
    RiskSummary,
)
from accord.protocol.rpc import ErrorCode

from ..org.editors import Editor, fix_the_migration, log_in, start_editor
from ..org.proposals import summary
from ..org.server import OrgServer
from ..org.wire import Raw

EVERY_ROLE = '["developer", "tech_lead", "manager", "security_team", "cto"]'


def approve_everything() -> str:
    """A project policy whose one workflow auto-approves every score."""
    policy = yaml.safe_load(yaml.safe_dump(default_policy().model_dump(mode="json")))
    policy["workflows"] = {
        "anything_goes": {"triggers": [{"low": 0, "high": 10}], "auto_approve": True}
    }
    return yaml.safe_dump(policy)


def grant_myself(root: Path, url: str | None) -> None:
    """The attacker's checkout: every role, and a policy that approves everything."""
    org = f'[org]\nurl = "{url}"\nproject = "shop"\n' if url else ""
    (root / "accord.toml").write_text(f"{org}[approvals]\nroles = {EVERY_ROLE}\n", "utf-8")
    (root / "accord-policy.yaml").write_text(approve_everything(), "utf-8")


@pytest.mark.parametrize(
    ("linked", "org_known", "expected_roles", "org_decides_all", "workflow"),
    [
        (False, False, {"tech_lead", "cto"}, False, "anything_goes"),
        (True, True, {"developer"}, False, "standard_development"),
        (True, False, {"developer"}, True, "standard_development"),
    ],
)
def test_whose_policy_and_roles_are_in_force(
    linked: bool, org_known: bool, expected_roles: set[str], org_decides_all: bool, workflow: str
) -> None:
    local = yaml.safe_load(approve_everything())
    from accord.policy.model import Policy

    authority = in_force(
        linked,
        default_policy() if org_known else None,
        ("developer",) if linked else None,
        lambda: Policy.model_validate(local),
        ("tech_lead", "cto"),
    )
    assert authority.roles == expected_roles
    assert authority.org_decides_all is org_decides_all
    assert authority.policy.workflow_for(0)[0] == workflow


async def test_linked_local_roles_and_policy_are_ignored_the_org_decides(
    org: OrgServer, tmp_path: Path
) -> None:
    home = tmp_path / "home"
    await log_in(org, "dev@acme.test", home)
    editor = await start_editor(org, "dev@acme.test", home, tmp_path / "shop")
    try:
        grant_myself(editor.root, org.url)
        editor.client.workspace_did_change_watched_files(
            types.DidChangeWatchedFilesParams(
                changes=[
                    types.FileEvent(
                        uri=(editor.root / "accord.toml").as_uri(),
                        type=types.FileChangeType.Changed,
                    )
                ]
            )
        )
        editor.answers = ["Apply", "Apply"]
        outcome = await fix_the_migration(editor)
        assert outcome["applied"] is False and outcome["state"] == "pending"
        assert outcome["workflow"] == "managed_development"
        assert editor.edits == 0
        lead = await org.client("lead@acme.test")
        try:
            [view] = (await lead.call("approval.list", {"actionable": True})).approvals  # type: ignore[attr-defined]
            assert set(view.missing_roles) == {"tech_lead", "manager"}
            assert view.approvals == ()
        finally:
            await lead.close()
    finally:
        await editor.client.shutdown_session()


async def test_roles_in_the_org_come_from_its_store_not_from_what_a_client_says(
    org: OrgServer,
) -> None:
    lead = await org.client("lead@acme.test")
    dev = await org.client("dev2@acme.test")
    try:
        view = await lead.request(
            "approval.request",
            ApprovalRequestParams(project="shop", proposal=summary(), risk=RiskSummary(score=8.5)),
            ApprovalView,
        )
        decide = ApprovalDecide(
            approval_id=view.id, decision="approve", content_hash=view.proposal.content_hash
        )
        with pytest.raises(OrgError) as refused:
            await dev.request("approval.decide", decide, ApprovalView)
        assert refused.value.code == ErrorCode.FORBIDDEN and "holds developer" in (
            refused.value.message
        )
    finally:
        await lead.close()
        await dev.close()
    async with Raw(org.url) as raw:
        claimed = Authenticate(token=org.access_token("dev2@acme.test")).model_dump()
        answer = await raw.call("authenticate", {**claimed, "roles": ["manager", "cto"]})
        assert answer["error"]["code"] == ErrorCode.INVALID_PARAMS


async def test_linked_but_the_org_never_reached_nothing_applies_on_local_say_so(
    tmp_path: Path,
) -> None:
    """No org policy known yet (never connected, nothing cached): the project's permissive
    policy and self-granted roles do not apply the migration; it is queued for the org."""
    with socket.socket() as closed:
        closed.bind(("127.0.0.1", 0))
        url = f"ws://127.0.0.1:{closed.getsockname()[1]}"
    editor = await _editor(tmp_path / "shop", url, tmp_path / "home")
    try:
        editor.answers = ["Apply", "Apply"]
        outcome = await fix_the_migration(editor)
        assert outcome["applied"] is False and outcome["state"] == "queued"
        assert editor.edits == 0
        queued = list((editor.root / ".accord" / "org" / "pending").glob("*.json"))
        assert len(queued) == 1
    finally:
        await editor.client.shutdown_session()


async def test_single_user_the_same_checkout_uses_its_own_roles(tmp_path: Path) -> None:
    """Without an org the user is their own authority: the same self-granted roles apply."""
    editor = await _editor(tmp_path / "shop", None, tmp_path / "home")
    try:
        outcome = await fix_the_migration(editor)
        assert outcome["applied"] is True and outcome["workflow"] == "anything_goes"
    finally:
        await editor.client.shutdown_session()


async def _editor(root: Path, url: str | None, home: Path) -> Editor:
    """A language server on the attacker's checkout, not waiting for any org link."""
    (root / ".git").mkdir(parents=True)
    grant_myself(root, url)
    config = ClientServerConfig(
        server_command=[sys.executable, "-m", "accord", "lsp"],
        server_env={**os.environ, "ACCORD_CONFIG_HOME": str(home)},
    )
    client = await config.start()
    editor = Editor("dev@acme.test", root, client)  # type: ignore[arg-type]

    @client.feature(types.WINDOW_SHOW_MESSAGE_REQUEST)
    def ask(params: types.ShowMessageRequestParams) -> types.MessageActionItem | None:
        editor.asked.append(params)
        answer = editor.answers.pop(0) if editor.answers else None
        return types.MessageActionItem(title=answer) if answer else None

    @client.feature(types.WORKSPACE_APPLY_EDIT)
    def apply_edit(params: types.ApplyWorkspaceEditParams) -> types.ApplyWorkspaceEditResult:
        editor.edits += 1
        return types.ApplyWorkspaceEditResult(applied=True)

    await client.initialize_session(
        types.InitializeParams(
            capabilities=client_capabilities("neovim@v0.11.0"),
            root_uri=root.as_uri(),
            workspace_folders=[types.WorkspaceFolder(uri=root.as_uri(), name=root.name)],
            initialization_options={"diagnosticMode": "push"},
        )
    )
    return editor
