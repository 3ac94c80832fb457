"""A model's tests are run before anyone sees them, and what failed goes back to the model.

The real Anthropic SDK and LiteLLM talk to the fake provider server on loopback, which replays
a transcript: a first answer that imports a function that does not exist, a second whose one
test asserts a wrong value, a third that is right. The orchestrator runs each answer's tests in
the project's own virtualenv and feeds failures and uncovered lines back, a bounded number of
times.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest

from accord.agents.exceptions import ActionFailed
from accord.agents.orchestrator import REPAIR_ROUNDS, Orchestrator
from accord.agents.pool import AgentPool
from accord.agents.providers.gateway import build_gateway
from accord.agents.providers.types import ContextItem
from accord.agents.registry import AgentRegistry
from accord.agents.tasks import ActionKind, Task
from accord.config import Settings, resolve
from accord.protocol import AgentActionEnvelope
from accord.protocol.proposal import CheckStatus

from .actions.pythons import copy_stdlib, make_project, project_venv
from .actions.tasks import task_on
from .providers.fakes import KEY, Behaviour, FakeProvider, fake_provider

__all__ = ["project_venv"]

pytestmark = pytest.mark.asyncio(loop_scope="module")

HALLUCINATED = """Here are the tests.
```python
from textwrap import dedent, fancy_dedent


def test_dedent_strips_common_indent() -> None:
    assert fancy_dedent("  a\\n  b") == "a\\nb"
```
They cover dedent."""

WRONG = """Fixed the import.
```python
from textwrap import dedent


def test_dedent_strips_common_indent() -> None:
    assert dedent("  a\\n  b") == "a\\nb"


def test_dedent_keeps_relative_indent() -> None:
    assert dedent("  a\\n    b") == "a\\nb"
```
"""

RIGHT = """Corrected.
```python
from textwrap import dedent


def test_dedent_strips_common_indent() -> None:
    assert dedent("  a\\n  b") == "a\\nb"


def test_dedent_keeps_relative_indent() -> None:
    assert dedent("  a\\n    b") == "a\\n  b"


def test_dedent_blank_lines_become_empty() -> None:
    assert dedent("  a\\n   \\n  b") == "a\\n\\nb"
```
"""


async def no_context(task: Task) -> tuple[ContextItem, ...]:
    return ()


@pytest.fixture
async def fake(monkeypatch: pytest.MonkeyPatch) -> AsyncIterator[FakeProvider]:
    monkeypatch.setenv("FAKE_KEY", KEY)
    with fake_provider() as served:
        yield served


def settings(fake: FakeProvider, kind: str) -> Settings:
    provider: dict[str, Any] = {
        "anthropic": {"kind": "anthropic", "model": "claude-fake", "base-url": fake.url},
        "litellm": {"kind": "litellm", "model": "openai/fake-model", "base-url": f"{fake.url}/v1"},
    }[kind]
    provider |= {"api-key-env": "FAKE_KEY", "priority": 1, "timeout": 30}
    table = {
        "providers": {"model": provider, "local": {"kind": "local", "enabled": False}},
        "agents": {"backoff": 0.01},
    }
    loaded = resolve([("t", table)])
    assert not loaded.errors, loaded.errors
    return loaded.settings


def task_on_dedent(root: Path) -> Task:
    path = copy_stdlib(root, "textwrap")
    line = next(
        n
        for n, text in enumerate(path.read_text("utf-8").split("\n"))
        if text.startswith("def dedent")
    )
    return task_on(path, ActionKind.GENERATE_TESTS, line, root=root)


async def run(settings: Settings, task: Task, steps: list[AgentActionEnvelope]) -> Any:
    gateway = build_gateway(settings, Path(task.root or "."), "ada")
    runner = Orchestrator(
        AgentRegistry.load(), AgentPool(settings.agents), gateway, no_context, settings.agents
    )
    try:
        return await runner.run(task, steps.append)
    finally:
        await gateway.aclose()


def said(request: Any) -> str:
    """The text of every message of a request, either wire format."""
    messages = request.body["messages"]
    parts = []
    for message in messages:
        content = message["content"]
        parts += [content] if isinstance(content, str) else [c.get("text", "") for c in content]
    return "\n".join(parts)


@pytest.mark.parametrize("kind", ["anthropic", "litellm"])
async def test_failures_go_back_to_the_model_until_its_tests_pass(
    tmp_path: Path, project_venv: Path, fake: FakeProvider, kind: str
) -> None:
    root = make_project(tmp_path, project_venv)
    task = task_on_dedent(root)
    fake.then(Behaviour(text=HALLUCINATED), Behaviour(text=WRONG), Behaviour(text=RIGHT))
    steps: list[AgentActionEnvelope] = []

    proposal = await run(settings(fake, kind), task, steps)

    assert len(fake.requests) == 3
    second, third = said(fake.requests[1]), said(fake.requests[2])
    assert "fancy_dedent" in second and "does not import" in second
    assert "test_dedent_keeps_relative_indent" in third and "failed on the current code" in third
    assert "never ran under the tests" in third
    text = proposal.files[0].edits[0].new_text
    assert "test_dedent_blank_lines_become_empty" in text and "fancy" not in text
    evidence = {check.name: check for check in proposal.evidence}
    assert evidence["tests pass"].detail.startswith("3 tests passed 5 runs in a row")
    assert evidence["kills a mutant"].status is CheckStatus.PASSED
    kinds = [s.action.type for s in steps]
    assert kinds.count("repair") == 2 and kinds.count("verify") == 6


async def test_the_rounds_are_bounded(
    tmp_path: Path, project_venv: Path, fake: FakeProvider
) -> None:
    root = make_project(tmp_path, project_venv)
    fake.then(*[Behaviour(text=HALLUCINATED)] * (REPAIR_ROUNDS + 3))

    with pytest.raises(ActionFailed, match="the tests do not run: .*fancy_dedent"):
        await run(settings(fake, "anthropic"), task_on_dedent(root), [])

    assert len(fake.requests) == 1 + REPAIR_ROUNDS


async def test_an_answer_without_code_is_asked_again(
    tmp_path: Path, project_venv: Path, fake: FakeProvider
) -> None:
    root = make_project(tmp_path, project_venv)
    fake.then(Behaviour(text="I would test dedent with a few strings."), Behaviour(text=RIGHT))

    proposal = await run(settings(fake, "anthropic"), task_on_dedent(root), [])

    assert "no fenced code block" in said(fake.requests[1])
    assert proposal.evidence[0].status is CheckStatus.PASSED
