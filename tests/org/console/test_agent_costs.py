"""Usage that real agent runs record at the org: a language server linked to a real org server
documents a function through an Anthropic provider (a fake Anthropic server on loopback, real
HTTP and SDK), and ``accord org usage`` and the console's cost chart show the tokens it spent
and what they cost at the configured prices; the offline ``local`` provider's run costs nothing,
and says so."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from playwright.async_api import Browser
from pygls.exceptions import JsonRpcException

from ...agents.providers.fakes import KEY, Behaviour, fake_provider
from ..editors import accord, document_pricing, log_in, start_editor, until
from ..server import OrgServer
from .browsing import Console
from .browsing import log_in as console_log_in

DOC = "```text\nThe price after taking off a percentage.\n```\nDocumented."
PRICES = "input-cost-per-mtok = 3.0\noutput-cost-per-mtok = 15.0\n"


def _provider(url: str) -> str:
    return (
        f'[providers.claude]\nkind = "anthropic"\nmodel = "claude-fake"\n'
        f'base-url = "{url}"\napi-key-env = "ACCORD_FAKE_KEY"\npriority = 1\n{PRICES}'
    )


async def _usage(org: OrgServer, by: str) -> dict[str, dict[str, object]]:
    acme = org.users["admin@acme.test"].org_id
    out = await accord("org", "usage", "--by", by, "--json", "--store", org.store, "--org", acme)
    return {bucket["key"]: bucket for bucket in json.loads(out)["buckets"]}


@pytest.mark.slow
async def test_an_agent_run_reports_its_tokens_and_cost_and_local_runs_cost_nothing(
    console: Console, browser: Browser, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    org = console.org
    monkeypatch.setenv("ACCORD_FAKE_KEY", KEY)
    with fake_provider() as fake:
        fake.then(Behaviour(text=DOC, input_tokens=1200, output_tokens=300))
        provider = (
            f'[providers.claude]\nkind = "anthropic"\nmodel = "claude-fake"\n'
            f'base-url = "{fake.url}"\napi-key-env = "ACCORD_FAKE_KEY"\npriority = 1\n{PRICES}'
        )
        await log_in(org, "dev@acme.test", tmp_path / "home" / "dev")
        await log_in(org, "dev2@acme.test", tmp_path / "home" / "dev2")
        remote = await start_editor(
            org, "dev@acme.test", tmp_path / "home" / "dev", tmp_path / "dev" / "shop", provider
        )
        offline = await start_editor(
            org, "dev2@acme.test", tmp_path / "home" / "dev2", tmp_path / "dev2" / "shop"
        )
        try:
            assert (await document_pricing(remote))["proposal"]
            assert (await document_pricing(offline))["proposal"]
            assert len(fake.requests) == 1

            async def reported() -> bool:
                return sum(int(b["events"]) for b in (await _usage(org, "user")).values()) == 2

            await until(reported, what="both usage reports at the org")
        finally:
            await remote.client.shutdown_session()
            await offline.client.shutdown_session()

    by_provider = await _usage(org, "provider")
    claude = by_provider["claude"]
    assert (claude["input_tokens"], claude["output_tokens"]) == (1200, 300)
    assert claude["cost_usd"] == pytest.approx((1200 * 3.0 + 300 * 15.0) / 1_000_000)
    local = by_provider["local"]
    assert local["cost_usd"] == 0 and int(str(local["input_tokens"])) > 0
    by_user = await _usage(org, "user")
    assert by_user["dev@acme.test"]["cost_usd"] == claude["cost_usd"]
    assert by_user["dev2@acme.test"]["cost_usd"] == 0
    assert set(await _usage(org, "action")) == {"document"}
    assert set(await _usage(org, "project")) == {"shop"}

    context, page = await console_log_in(browser, console, "admin@acme.test")
    await page.goto(f"{console.base}/usage?by=provider")
    bars = page.locator("#per-key rect.bar")
    assert await bars.nth(0).get_attribute("data-label") == "claude"
    assert float(await bars.nth(0).get_attribute("data-value") or 0) == claude["cost_usd"]
    assert "1200" in await page.locator("#usage tr", has_text="claude").inner_text()
    await context.close()


async def test_a_failed_run_still_reports_what_its_calls_cost(
    org: OrgServer, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("ACCORD_FAKE_KEY", KEY)
    empty = Behaviour(text="```text\n```", input_tokens=100, output_tokens=20)
    with fake_provider() as fake:
        fake.then(empty, empty, empty)  # every round's answer is refused: no proposal
        home = tmp_path / "home" / "dev"
        await log_in(org, "dev@acme.test", home)
        editor = await start_editor(
            org, "dev@acme.test", home, tmp_path / "dev" / "shop", _provider(fake.url)
        )
        try:
            with pytest.raises(JsonRpcException, match="code block is empty"):
                await document_pricing(editor)
            assert len(fake.requests) == 3

            async def reported() -> bool:
                return "claude" in await _usage(org, "provider")

            await until(reported, what="the failed run's usage at the org")
        finally:
            await editor.client.shutdown_session()
    claude = (await _usage(org, "provider"))["claude"]
    assert (claude["events"], claude["input_tokens"], claude["output_tokens"]) == (1, 300, 60)
    assert claude["cost_usd"] == pytest.approx((300 * 3.0 + 60 * 15.0) / 1_000_000)
