"""The Ask tool loop with the real Anthropic SDK and LiteLLM against a scripted fake on loopback.

Each test replays a transcript a model could produce: reading a file then proposing an edit, a
wrong first proposal corrected after the error came back, a tool that does not exist, a model
that never finishes (the step and token limits), and tool calls that reach outside the
workspace or for a never-send file (refused, reported to the model, never sent, audited).
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest

from accord.agents.actions.apply import apply_edits
from accord.agents.ask.runner import audit_recorder, conversation
from accord.agents.exceptions import ActionFailed
from accord.agents.guard import REDACTED, prepare_egress
from accord.agents.orchestrator import Orchestrator
from accord.agents.pool import AgentPool
from accord.agents.providers.gateway import build_gateway
from accord.agents.providers.types import ContextItem, ProviderRequest
from accord.agents.registry import AgentRegistry
from accord.agents.tasks import Task
from accord.audit import AuditStore, EventFilter, EventType
from accord.config import ProviderSettings, Settings, resolve
from accord.policy.loading import default_policy
from accord.protocol import AgentActionEnvelope, Proposal
from accord.server.policy_egress import policy_egress, policy_refusal

from ..providers.fakes import KEY, Behaviour, FakeProvider, fake_provider
from .projects import ask_on, copy_module

# LiteLLM caches its HTTP clients per event loop: one loop for the module keeps them valid.
pytestmark = pytest.mark.asyncio(loop_scope="module")

KINDS = ["anthropic", "litellm"]
SECRET = "ghp_0123456789abcdefABCDEF0123456789abcd"
OUTSIDE = "the neighbour's diary, never to be read"
GOOD_EDIT = {
    "path": "mytextwrap.py",
    "old": "def dedent(text):",
    "new": "def dedent(text: str) -> str:",
}


@pytest.fixture
def fake(monkeypatch: pytest.MonkeyPatch) -> Iterator[FakeProvider]:
    monkeypatch.setenv("FAKE_KEY", KEY)
    monkeypatch.setenv("LITELLM_LOCAL_MODEL_COST_MAP", "True")
    with fake_provider() as server:
        yield server


@pytest.fixture
def project(tmp_path: Path) -> Path:
    root = tmp_path / "project"
    root.mkdir()
    copy_module(root, "textwrap", "mytextwrap")
    (root / ".env").write_text(f"API_TOKEN={SECRET}\n")
    (tmp_path / "outside.txt").write_text(OUTSIDE)
    return root


def settings_for(kind: str, fake: FakeProvider, **agents: Any) -> Settings:
    provider: dict[str, Any] = {
        "kind": kind,
        "api-key-env": "FAKE_KEY",
        "priority": 1,
        "timeout": 10,
        "deployment": "external",
    }
    if kind == "anthropic":
        provider |= {"model": "claude-fake", "base-url": fake.url}
    else:
        provider |= {"model": "openai/fake-model", "base-url": f"{fake.url}/v1"}
    layer = {
        "providers": {"model": provider, "local": {"kind": "local", "enabled": False}},
        "agents": {"backoff": 0.01, "max-attempts": 1, **agents},
    }
    loaded = resolve([("test", layer)])
    assert not loaded.errors, loaded.errors
    return loaded.settings


async def no_context(task: Task) -> tuple[ContextItem, ...]:
    return ()


async def run(
    root: Path, settings: Settings, task: Task
) -> tuple[Proposal, list[AgentActionEnvelope]]:
    """Run ``task`` as the language server does: the data guard and the default policy's
    provider access on every request, the same rules on the tools."""
    policy = default_policy()

    def guard(request: ProviderRequest, provider: ProviderSettings) -> ProviderRequest:
        allowed = policy_egress(request, provider, root, policy)
        return prepare_egress(allowed, provider, root, settings.egress)

    gateway = build_gateway(settings, root, "ada", guard=guard)
    kinds = [p.kind for p in gateway.settings.values()]
    also = policy_refusal(policy, kinds, root)
    converse = conversation(gateway, root, settings, audit_recorder(root, "ada"), also=also)
    orchestrator = Orchestrator(
        AgentRegistry.load(),
        AgentPool(settings.agents),
        gateway,
        no_context,
        settings.agents,
        converse,
    )
    envelopes: list[AgentActionEnvelope] = []
    try:
        return await orchestrator.run(task, envelopes.append), envelopes
    finally:
        await gateway.aclose()


def task(root: Path, instruction: str = "Annotate dedent: it takes and returns str.") -> Task:
    return ask_on(root, instruction, root / "mytextwrap.py")


def call(id_: str, name: str, **arguments: Any) -> Behaviour:
    return Behaviour(text="", calls=((id_, name, arguments),), input_tokens=900, output_tokens=60)


def tool_results(kind: str, body: dict[str, Any]) -> list[tuple[str, bool]]:
    """The tool results the request carried: (content, is_error), in either wire form."""
    found = []
    for message in body["messages"]:
        if kind == "litellm" and message.get("role") == "tool":
            content = message["content"]
            found.append((content, content.startswith("error: ")))
        elif kind == "anthropic" and isinstance(message.get("content"), list):
            found += [
                (block["content"], block["is_error"])
                for block in message["content"]
                if block["type"] == "tool_result"
            ]
    return found


def applied(proposal: Proposal) -> str:
    (file,) = proposal.files
    return apply_edits(Path(file.path).read_text("utf-8"), file.edits)


@pytest.mark.parametrize("kind", KINDS)
async def test_reads_a_file_then_proposes_an_edit(
    kind: str, fake: FakeProvider, project: Path
) -> None:
    fake.then(
        call("c1", "read_file", path="mytextwrap.py", start_line=1, end_line=40),
        call("c2", "propose", rationale="dedent takes and returns str.", edits=[GOOD_EDIT]),
    )
    proposal, envelopes = await run(project, settings_for(kind, fake), task(project))
    assert "def dedent(text: str) -> str:" in applied(proposal)
    assert proposal.rationale == "dedent takes and returns str."
    assert len(fake.requests) == 2
    first, second = (r.body for r in fake.requests)
    names = [t.get("name") or t["function"]["name"] for t in first["tools"]]
    assert names == ["read_file", "list_files", "search_symbols", "run_tests", "propose"]
    ((content, is_error),) = tool_results(kind, second)
    assert not is_error and "Text wrapping and filling." in content
    tools = [e.action.data.get("tool") for e in envelopes if e.action.type == "tool_call"]
    assert tools == ["read_file", "propose"]
    done = [
        e
        for e in envelopes
        if e.action.type == "provider_call" and e.action.status.value == "completed"
    ]
    assert done[0].action.data["usage"] == {"input_tokens": 1800, "output_tokens": 120}


@pytest.mark.parametrize("kind", KINDS)
async def test_a_wrong_first_proposal_is_sent_back_and_corrected(
    kind: str, fake: FakeProvider, project: Path
) -> None:
    wrong = {"path": "mytextwrap.py", "old": "def dedent(txt):", "new": "def dedent(txt: str):"}
    broken = {
        "path": "mytextwrap.py",
        "old": "def dedent(text):",
        "new": "def dedent(text: str) ->:",
    }
    fake.then(
        call("c1", "propose", rationale="first try", edits=[wrong]),
        call("c2", "propose", rationale="second try", edits=[broken]),
        call("c3", "propose", rationale="third try", edits=[GOOD_EDIT]),
    )
    proposal, _ = await run(project, settings_for(kind, fake), task(project))
    assert proposal.rationale == "third try"
    errors = [tool_results(kind, r.body) for r in fake.requests[1:]]
    assert "the old text does not occur in mytextwrap.py" in errors[0][-1][0]
    assert "mytextwrap.py would not parse" in errors[1][-1][0]
    assert all(error[-1][1] for error in errors)


@pytest.mark.parametrize("kind", KINDS)
async def test_a_hallucinated_tool_is_refused_and_the_model_goes_on(
    kind: str, fake: FakeProvider, project: Path
) -> None:
    fake.then(
        call("c1", "write_file", path="mytextwrap.py", content="print('owned')"),
        Behaviour(text="I changed the file.", input_tokens=50, output_tokens=5),
        call("c2", "propose", rationale="done", edits=[GOOD_EDIT]),
    )
    proposal, _ = await run(project, settings_for(kind, fake), task(project))
    assert "def dedent(text: str) -> str:" in applied(proposal)
    ((refused, is_error),) = tool_results(kind, fake.requests[1].body)
    assert is_error and "there is no tool 'write_file'" in refused
    nudge = json.dumps(fake.requests[2].body["messages"][-1])
    assert "call the `propose` tool" in nudge
    assert "print('owned')" not in (project / "mytextwrap.py").read_text()


@pytest.mark.parametrize("kind", KINDS)
async def test_the_step_limit_stops_a_model_that_never_finishes(
    kind: str, fake: FakeProvider, project: Path
) -> None:
    fake.then(*(call(f"c{n}", "list_files") for n in range(10)))
    with pytest.raises(ActionFailed, match=r"step limit \(3 model calls\)"):
        await run(project, settings_for(kind, fake, **{"max-steps": 3}), task(project))
    assert len(fake.requests) == 3


async def test_the_token_limit_stops_the_loop(fake: FakeProvider, project: Path) -> None:
    fake.then(*(call(f"c{n}", "search_symbols", query="wrap") for n in range(5)))
    settings = settings_for("anthropic", fake, **{"max-task-tokens": 1500})
    with pytest.raises(ActionFailed, match="token limit"):
        await run(project, settings, task(project))
    assert len(fake.requests) == 2


@pytest.mark.parametrize("kind", KINDS)
async def test_outside_the_workspace_and_never_send_files_are_refused(
    kind: str, fake: FakeProvider, project: Path
) -> None:
    (project / "escape").symlink_to(project.parent)
    fake.then(
        Behaviour(
            text="",
            calls=(
                ("c1", "read_file", {"path": "../outside.txt"}),
                ("c2", "read_file", {"path": str(project.parent / "outside.txt")}),
                ("c3", "read_file", {"path": "escape/outside.txt"}),
                ("c4", "read_file", {"path": ".env"}),
                ("c5", "run_tests", {"path": "/"}),
            ),
        ),
        call("c6", "propose", rationale="done", edits=[GOOD_EDIT]),
    )
    await run(project, settings_for(kind, fake), task(project))
    results = tool_results(kind, fake.requests[1].body)
    assert all(is_error for _, is_error in results)
    reasons = [content for content, _ in results]
    assert sum("is outside the workspace" in r for r in reasons) == 4
    assert ".env holds credentials" in reasons[3]
    seen = fake.seen_text()
    assert OUTSIDE not in seen and SECRET not in seen
    events = AuditStore(project).events(EventFilter(type=EventType.AGENT_ACTION))
    tools = [(e.agent_action.action_type, e.agent_action.success) for e in events if e.agent_action]
    assert tools.count(("tool:read_file", False)) == 4
    assert ("tool:run_tests", False) in tools and ("tool:propose", True) in tools


@pytest.mark.parametrize("kind", KINDS)
async def test_the_tools_look_at_the_project_and_secrets_never_leave(
    kind: str, fake: FakeProvider, project: Path
) -> None:
    (project / "tests").mkdir()
    (project / "tests" / "test_wrap.py").write_text(
        "import mytextwrap\n\n\ndef test_dedent():\n    assert mytextwrap.dedent('  a') == 'a'\n"
    )
    (project / "settings.py").write_text(f'TOKEN = "{SECRET}"\nDEBUG = False\n')
    (project / "secrets").mkdir()
    (project / "secrets" / "keys.py").write_text("SIGNING = 'policy-confidential-value'\n")
    fake.then(
        Behaviour(
            text="Let me look around.",
            calls=(
                ("c1", "search_symbols", {"query": "dedent"}),
                ("c2", "list_files", {"pattern": "*.py"}),
                ("c3", "run_tests", {"path": "tests"}),
                ("c4", "read_file", {"path": "settings.py"}),
                ("c5", "read_file", {"path": "secrets/keys.py"}),
            ),
        ),
        call("c6", "propose", rationale="done", edits=[GOOD_EDIT]),
    )
    await run(project, settings_for(kind, fake), task(project))
    symbols, files, tests, settings, keys = tool_results(kind, fake.requests[1].body)
    assert "mytextwrap.py:" in symbols[0] and "function dedent — def dedent(text):" in symbols[0]
    assert files[0].split("\n") == ["mytextwrap.py", "settings.py", "tests/test_wrap.py"]
    assert tests[0].startswith("exit status 0") and "1 passed" in tests[0]
    assert REDACTED in settings[0] and "DEBUG = False" in settings[0]
    assert keys[1] and "the policy classes secrets/keys.py as confidential" in keys[0]
    seen = fake.seen_text()
    assert SECRET not in seen and "policy-confidential-value" not in seen


async def test_the_cost_limit_stops_the_loop(fake: FakeProvider, project: Path) -> None:
    fake.then(*(call(f"c{n}", "list_files") for n in range(5)))
    settings = settings_for("anthropic", fake, **{"max-task-cost": 0.01})
    priced = replace(
        settings,
        providers={
            name: replace(p, input_cost_per_mtok=3.0, output_cost_per_mtok=15.0)
            for name, p in settings.providers.items()
        },
    )
    with pytest.raises(ActionFailed, match=r"cost limit \(\$0\.0108 of \$0\.01\)"):
        await run(project, priced, task(project))
    assert len(fake.requests) == 3


async def test_offline_the_local_provider_answers_without_tools(project: Path) -> None:
    settings = resolve([("t", {"providers": {"local": {"kind": "local"}}})]).settings
    proposal, envelopes = await run(project, settings, task(project, "add type hints"))
    assert "width: int = 70" in applied(proposal)
    assert not [e for e in envelopes if e.action.type == "tool_call"]
