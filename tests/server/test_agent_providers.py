"""Agent actions through a remote provider: cancellation, and what never leaves the machine.

The project configures an ``anthropic`` provider pointed at a fake Anthropic server on
loopback (real HTTP, the real SDK inside the real language server); the fake records every
request, so the tests can prove what it was and was not sent.
"""

from __future__ import annotations

import asyncio
import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from lsprotocol import types
from pytest_lsp import LanguageClient

from ..agents.providers.fakes import KEY, Behaviour, FakeProvider, fake_provider
from .actions import actions_at, run, titled
from .lsp import open_doc

# The server inherits the environment: the key is read from the variable the config names.
os.environ["ACCORD_FAKE_KEY"] = KEY

SECRET = "ghp_0123456789abcdefABCDEF0123456789abcd"
CONFIDENTIAL_MARK = "RATE_TABLE_CONFIDENTIAL_7731"

SHOP = f'''\
from billing.rates import rate_for


def price_with_tax(amount: float, region: str) -> float:
    token = "{SECRET}"
    return amount * rate_for(region)
'''

RATES = f"""\
RATES = {{"eu": 1.2, "us": 1.07}}  # {CONFIDENTIAL_MARK}


def rate_for(region: str) -> float:
    return RATES[region]
"""

MODEL_DOC = "```text\nPrice with tax, from the model.\n```\nDocumented."


@pytest.fixture
def fake() -> Iterator[FakeProvider]:
    with fake_provider() as server:
        yield server


@pytest.fixture
def project(workspace: Path, fake: FakeProvider) -> Path:
    (workspace / "accord.toml").write_text(
        f'[providers.claude]\nkind = "anthropic"\nmodel = "claude-fake"\n'
        f'base-url = "{fake.url}"\napi-key-env = "ACCORD_FAKE_KEY"\npriority = 1\n'
        f'timeout = 30\n\n[egress]\nconfidential = ["billing/**"]\n\n'
        '[approvals]\nroles = ["developer", "tech_lead", "manager", "security_team", "cto"]\n',
        "utf-8",
    )
    (workspace / ".env").write_text(f"GITHUB_TOKEN={SECRET}\n", "utf-8")
    for name, text in {
        "shop/__init__.py": "",
        "billing/__init__.py": "",
        "billing/rates.py": RATES,
        "shop/tax.py": SHOP,
    }.items():
        (workspace / name).parent.mkdir(parents=True, exist_ok=True)
        (workspace / name).write_text(text, "utf-8")
    return workspace


@pytest.fixture
def applied(client: LanguageClient) -> list[Any]:
    edits: list[Any] = []

    @client.feature(types.WORKSPACE_APPLY_EDIT)
    def apply_edit(params: types.ApplyWorkspaceEditParams) -> types.ApplyWorkspaceEditResult:
        edits.append(params.edit)
        return types.ApplyWorkspaceEditResult(applied=True)

    @client.feature(types.WINDOW_SHOW_MESSAGE_REQUEST)
    def approve(params: types.ShowMessageRequestParams) -> types.MessageActionItem:
        return types.MessageActionItem(title="Apply")

    return edits


async def test_nothing_secret_or_confidential_reaches_the_provider(
    client: LanguageClient, project: Path, fake: FakeProvider, applied: list[Any]
) -> None:
    fake.then(Behaviour(text=MODEL_DOC))
    uri, _ = await open_doc(client, project, "shop/tax.py", SHOP, "python")

    result = await run(client, titled(await actions_at(client, uri, 3), "Accord: Document"))

    assert result["applied"] is True and len(applied) == 1
    assert len(fake.requests) == 1
    sent = fake.seen_text()
    assert "price_with_tax" in sent  # the task itself went out …
    assert SECRET not in sent  # … with the secret redacted,
    assert CONFIDENTIAL_MARK not in sent and "rate_for(region: str)" not in sent
    assert "GITHUB_TOKEN" not in sent  # and nothing from .env


async def test_a_confidential_file_is_answered_locally(
    client: LanguageClient, project: Path, fake: FakeProvider, applied: list[Any]
) -> None:
    uri, _ = await open_doc(client, project, "billing/rates.py", RATES, "python")

    result = await run(client, titled(await actions_at(client, uri, 4), "Accord: Document"))

    assert result["applied"] is True
    assert fake.requests == []


async def test_cancelling_stops_the_provider_call(
    client: LanguageClient, project: Path, fake: FakeProvider, applied: list[Any]
) -> None:
    fake.then(Behaviour("stall", seconds=30))
    uri, _ = await open_doc(client, project, "shop/tax.py", SHOP, "python")
    action = titled(await actions_at(client, uri, 3), "Accord: Document")
    running = asyncio.ensure_future(run(client, action))
    while not fake.requests:
        await asyncio.sleep(0.02)
    [token] = [t for t in client.progress_reports if "document" in str(t)]

    client.window_work_done_progress_cancel(types.WorkDoneProgressCancelParams(token=token))

    with pytest.raises(Exception, match="cancelled"):
        await asyncio.wait_for(running, 10)
    for _ in range(200):
        if fake.disconnects:
            break
        await asyncio.sleep(0.02)
    assert fake.disconnects == 1 and applied == []
    assert isinstance(client.progress_reports[token][-1], types.WorkDoneProgressEnd)


async def test_the_policy_keeps_its_confidential_classes_local(
    client: LanguageClient, project: Path, fake: FakeProvider, applied: list[Any]
) -> None:
    text = "def vault_key(name: str) -> str:\n    return name\n"
    uri, _ = await open_doc(client, project, "app/secrets/vault.py", text, "python")

    result = await run(client, titled(await actions_at(client, uri, 0), "Accord: Document"))

    assert result["applied"] is True and fake.requests == []


async def test_unsaved_edits_of_other_open_files_reach_the_context(
    client: LanguageClient, project: Path, fake: FakeProvider, applied: list[Any]
) -> None:
    fake.then(Behaviour(text=MODEL_DOC))
    (project / "shop" / "helpers.py").write_text("def old_name() -> None:\n    pass\n", "utf-8")
    unsaved = "def round_cents_unsaved(amount: float) -> float:\n    return round(amount, 2)\n"
    await open_doc(client, project, "shop/helpers.py", unsaved, "python")
    (project / "shop" / "helpers.py").write_text("def old_name() -> None:\n    pass\n", "utf-8")
    user = SHOP.replace(
        "return amount * rate_for(region)", "return round_cents_unsaved(amount * 1.2)"
    )
    uri, _ = await open_doc(client, project, "shop/tax.py", user, "python")

    await run(client, titled(await actions_at(client, uri, 3), "Accord: Document"))

    sent = fake.seen_text()
    assert "def round_cents_unsaved(amount: float) -> float" in sent
    assert "old_name" not in sent
