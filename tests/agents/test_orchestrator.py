"""The orchestrator with real providers: local offline, and Anthropic's SDK against a fake."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from accord.agents.exceptions import EditConflict
from accord.agents.lifecycle import AgentState
from accord.agents.orchestrator import Orchestrator
from accord.agents.pool import AgentPool
from accord.agents.providers.gateway import Gateway, build_gateway
from accord.agents.providers.types import ContextItem
from accord.agents.registry import AgentRegistry
from accord.agents.tasks import ActionKind, TargetKind, Task
from accord.config import Settings, resolve
from accord.protocol import AgentActionEnvelope

from .actions.tasks import task_on
from .providers.fakes import KEY, Behaviour, FakeProvider, fake_provider

pytestmark = pytest.mark.asyncio(loop_scope="module")

SOURCE = """\
def first(a: int) -> int:
    return a + 1


def second(b: int) -> int:
    return b * 2
"""


async def no_context(task: Task) -> tuple[ContextItem, ...]:
    return ()


@pytest.fixture
def source(tmp_path: Path) -> Path:
    path = tmp_path / "calc.py"
    path.write_text(SOURCE, "utf-8")
    return path


@pytest.fixture
async def remote(monkeypatch: pytest.MonkeyPatch) -> AsyncIterator[tuple[FakeProvider, Settings]]:
    monkeypatch.setenv("FAKE_KEY", KEY)
    with fake_provider() as fake:
        claude = {
            "kind": "anthropic",
            "model": "claude-fake",
            "base-url": fake.url,
            "api-key-env": "FAKE_KEY",
            "priority": 1,
            "timeout": 30,
        }
        settings = resolve(
            [
                (
                    "t",
                    {
                        "providers": {
                            "claude": claude,
                            "local": {"kind": "local", "enabled": False},
                        },
                        "agents": {"backoff": 0.01},
                    },
                )
            ]
        ).settings
        yield fake, settings


def orchestrator(settings: Settings, root: Path) -> tuple[Orchestrator, Gateway]:
    gateway = build_gateway(settings, root, "ada")
    pool = AgentPool(settings.agents)
    return Orchestrator(AgentRegistry.load(), pool, gateway, no_context, settings.agents), gateway


async def test_local_run_reports_every_step(source: Path) -> None:
    runner, _ = orchestrator(Settings(), source.parent)
    steps: list[AgentActionEnvelope] = []

    proposal = await runner.run(task_on(source, ActionKind.DOCUMENT, 0), steps.append)

    assert (proposal.agent, proposal.provider) == ("backend", "local")
    assert proposal.cost_usd == 0 and proposal.input_tokens > 0  # offline: free, still counted
    assert [(s.action.type, s.action.status.value) for s in steps] == [
        ("routed", "completed"),
        ("context", "started"),
        ("context", "completed"),
        ("provider_call", "started"),
        ("provider_call", "completed"),
        ("checks", "started"),
        ("checks", "completed"),
        ("proposal", "completed"),
    ]
    checks = {c["name"]: c["status"] for c in steps[-1].action.data["evidence"]}
    assert checks == {"keeps documentation": "passed", "parses": "passed"}
    assert {s.session_id for s in steps} == {runner.session_id}
    assert steps[-1].action.data["file_path"] == str(source)
    assert [s.action.data["progress"] for s in steps] == sorted(
        s.action.data["progress"] for s in steps
    )
    assert runner.pool.status().by_state == {"idle": 1}


async def test_a_failing_provider_is_retried(
    source: Path, remote: tuple[FakeProvider, Settings]
) -> None:
    fake, settings = remote
    fake.then(Behaviour("status", status=500), Behaviour(text="```text\nFrom the model.\n```"))
    runner, gateway = orchestrator(settings, source.parent)
    steps: list[AgentActionEnvelope] = []

    proposal = await runner.run(task_on(source, ActionKind.DOCUMENT, 0), steps.append)
    await gateway.aclose()

    assert proposal.provider == "claude" and len(fake.requests) == 2
    assert (proposal.input_tokens, proposal.output_tokens) == (11, 7)  # the answered call only
    assert "From the model." in proposal.files[0].edits[0].new_text
    assert any(s.action.data.get("retry") == 1 for s in steps)


async def test_cancelling_a_run_cancels_the_call_and_frees_the_agent(
    source: Path, remote: tuple[FakeProvider, Settings]
) -> None:
    fake, settings = remote
    fake.then(Behaviour("stall", seconds=30))
    runner, gateway = orchestrator(settings, source.parent)
    steps: list[AgentActionEnvelope] = []
    running = asyncio.ensure_future(
        runner.run(task_on(source, ActionKind.DOCUMENT, 0), steps.append)
    )
    while not fake.requests:
        await asyncio.sleep(0.01)

    running.cancel()
    with pytest.raises(asyncio.CancelledError):
        await running
    await gateway.aclose()
    for _ in range(100):
        if fake.disconnects:
            break
        await asyncio.sleep(0.02)

    assert fake.disconnects == 1
    assert (steps[-1].action.type, steps[-1].action.status.value) == ("proposal", "cancelled")
    assert [a.state for a in runner.pool.agents] == [AgentState.IDLE]


async def test_run_many_merges_the_specialists_work(source: Path) -> None:
    runner, _ = orchestrator(Settings(), source.parent)
    tasks = [task_on(source, ActionKind.DOCUMENT, 0), task_on(source, ActionKind.DOCUMENT, 4)]
    steps: list[AgentActionEnvelope] = []

    merged = await runner.run_many(tasks, steps.append, "Document calc.py")

    [file] = merged.files
    assert len(file.edits) == 2 and merged.agent == "architect"
    assert ("split", "completed") in [(s.action.type, s.action.status.value) for s in steps]


async def test_run_many_refuses_overlapping_edits(source: Path) -> None:
    runner, _ = orchestrator(Settings(), source.parent)
    tasks = [
        task_on(source, ActionKind.DOCUMENT, 0),
        task_on(source, ActionKind.EXTRACT_FUNCTION, 1, 1, target=TargetKind.SELECTION),
    ]

    with pytest.raises(EditConflict, match="calc.py"):
        await runner.run_many(tasks, lambda _: None, "Both")
