"""A model's Document answer, through the real Anthropic SDK against a fake server on loopback,
is checked like the local one: kept whole it is used, otherwise repaired or refused.

(LiteLLM keeps process-wide state bound to the first event loop that used it, so its case runs
in the language server's own process: ``tests/server/test_assured_actions.py``.)"""

from __future__ import annotations

import ast
from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from typing import Any

import pytest

from accord.agents.actions.apply import apply_edits
from accord.agents.actions.doc_site import doc_site
from accord.agents.actions.outline import target_outline
from accord.agents.exceptions import ActionFailed
from accord.agents.orchestrator import Orchestrator
from accord.agents.pool import AgentPool
from accord.agents.providers.gateway import build_gateway
from accord.agents.providers.types import ContextItem
from accord.agents.registry import AgentRegistry
from accord.agents.tasks import Task
from accord.config import resolve
from accord.protocol import AgentActionEnvelope, Proposal

from ..providers.fakes import KEY, Behaviour, FakeProvider, fake_provider
from .real_docs import copy_module, docstring_after, documented_functions, kept_in_order, task_for

pytestmark = pytest.mark.asyncio(loop_scope="module")

PLACEHOLDER = "```text\nDedent.\n\nArgs:\n    text: The text.\n```"
PLACEHOLDER_WITH_RESULT = (
    "```text\nDedent.\n\nArgs:\n    text: The text.\n\nReturns:\n"
    "    str: The text with its common indentation removed.\n```"
)


async def no_context(task: Task) -> tuple[ContextItem, ...]:
    return ()


@pytest.fixture
def fake(monkeypatch: pytest.MonkeyPatch) -> Iterator[FakeProvider]:
    monkeypatch.setenv("FAKE_KEY", KEY)
    with fake_provider() as server:
        yield server


@pytest.fixture(params=["anthropic"])
async def runner(
    request: pytest.FixtureRequest, fake: FakeProvider, tmp_path: Path
) -> AsyncIterator[Orchestrator]:
    remote = {
        "kind": request.param,
        "model": "claude-fake",
        "base-url": fake.url,
        "api-key-env": "FAKE_KEY",
        "timeout": 30,
    }
    settings = resolve(
        [
            (
                "t",
                {
                    "providers": {"model": remote, "local": {"kind": "local", "enabled": False}},
                    "agents": {"backoff": 0.01, "max-attempts": 1},
                },
            )
        ]
    ).settings
    gateway = build_gateway(settings, tmp_path, "ada")
    yield Orchestrator(
        AgentRegistry.load(), AgentPool(settings.agents), gateway, no_context, settings.agents
    )
    await gateway.aclose()


def dedent_task(root: Path) -> tuple[Task, Any]:
    path = copy_module("textwrap", root)
    [function] = [f for f in documented_functions(path, 50) if f.name == "dedent"]
    return task_for(function), function


async def run(runner: Orchestrator, task: Task) -> tuple[Proposal, list[AgentActionEnvelope]]:
    steps: list[AgentActionEnvelope] = []
    return await runner.run(task, steps.append), steps


async def test_a_placeholder_that_drops_the_docstring_is_refused(
    runner: Orchestrator, fake: FakeProvider, tmp_path: Path
) -> None:
    fake.then(Behaviour(text=PLACEHOLDER))
    task, _ = dedent_task(tmp_path)
    steps: list[AgentActionEnvelope] = []

    with pytest.raises(ActionFailed, match="refused the model's doc comment: it drops 8 of the 8"):
        await runner.run(task, steps.append)

    assert "Keep every existing line exactly" in fake.requests[0].body["messages"][-1]["content"]
    assert steps[-1].action.status.value == "failed"


async def test_a_placeholder_with_a_usable_entry_is_repaired(
    runner: Orchestrator, fake: FakeProvider, tmp_path: Path
) -> None:
    fake.then(Behaviour(text=PLACEHOLDER_WITH_RESULT))
    task, function = dedent_task(tmp_path)

    proposal, _ = await run(runner, task)

    edited = apply_edits(task.target.source, proposal.files[0].edits)
    after = docstring_after(edited, function)
    assert kept_in_order(function.lines, after) == []
    assert "Dedent." not in after and "    text: The text." not in "\n".join(after)
    assert after[-3:] == (
        "    Returns:",
        "        str: The text with its common indentation removed.",
        "    ",
    )
    checks = {check.name: check for check in proposal.evidence}
    assert [c.status.value for c in proposal.evidence] == ["passed", "passed"]
    assert checks["keeps documentation"].detail.startswith("repaired: the answer drops 8")
    assert checks["parses"].detail == "Python compiles (ast)"


async def test_an_answer_that_keeps_every_line_is_used(
    runner: Orchestrator, fake: FakeProvider, tmp_path: Path
) -> None:
    task, function = dedent_task(tmp_path)
    # The docstring as written in the source, as the prompt shows it.
    site = doc_site(*target_outline(task.target))
    assert site is not None
    original = site.answer(list(site.doc.lines))
    kept = f"```text\n{original}\n\nReturns:\n    The text, dedented.\n```"
    fake.then(Behaviour(text=kept))

    proposal, _ = await run(runner, task)

    after = docstring_after(apply_edits(task.target.source, proposal.files[0].edits), function)
    assert kept_in_order(function.lines, after) == []
    assert "        The text, dedented." in after
    assert proposal.evidence[0].detail.startswith("all 8 original lines kept")
    ast.parse(apply_edits(task.target.source, proposal.files[0].edits))


async def test_nothing_missing_ignores_the_answer(
    runner: Orchestrator, fake: FakeProvider, tmp_path: Path
) -> None:
    fake.then(Behaviour(text=PLACEHOLDER))
    path = copy_module("shlex", tmp_path)
    [function] = [f for f in documented_functions(path, 50) if f.name == "quote"]

    proposal, _ = await run(runner, task_for(function))

    assert proposal.files == () and "already documents" in proposal.rationale
