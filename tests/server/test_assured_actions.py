"""Assured agent actions end to end, through the real language server over stdio.

Document on copies of stdlib modules keeps every docstring line (and says so when nothing is
missing); a Fix is checked (parses, finding gone, no new finding, the project's tests pass) and
its evidence reaches the ``accord/agentAction`` steps and the audit; a Fix whose project test
fails is withdrawn with the reason; a model's refactoring that deletes a docstring is never
applied without the user's yes, and the prompt shows why.
"""

from __future__ import annotations

import ast
import os
import shlex
import textwrap
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from lsprotocol import types
from pytest_lsp import LanguageClient

from accord.agents.orchestrator import REPAIR_ROUNDS
from accord.audit import AuditStore

from ..agents.providers.fakes import KEY, Behaviour, FakeProvider, fake_provider
from .actions import actions_at, read_code_actions_as_editors_do, run, titled
from .editor import apply_workspace_edit
from .lsp import open_doc

os.environ["ACCORD_FAKE_KEY"] = KEY
os.environ.setdefault("LITELLM_LOCAL_MODEL_COST_MAP", "True")
SECRET = "ghp_0123456789abcdefABCDEF0123456789abcd"


@pytest.fixture
def user(client: LanguageClient) -> dict[str, Any]:
    """The editor's user: applies edits, answers prompts from ``answers``, records steps."""
    seen: dict[str, Any] = {"steps": [], "asked": [], "answers": [], "edits": 0}

    @client.feature(types.WORKSPACE_APPLY_EDIT)
    def apply_edit(params: types.ApplyWorkspaceEditParams) -> types.ApplyWorkspaceEditResult:
        notes = params.edit.change_annotations or {}
        if any(note.needs_confirmation for note in notes.values()):
            seen["asked"].append(params.label)
            if not seen["answers"] or seen["answers"].pop(0) != "Apply":
                return types.ApplyWorkspaceEditResult(applied=False)
        apply_workspace_edit(params.edit)
        seen["edits"] += 1
        return types.ApplyWorkspaceEditResult(applied=True)

    @client.feature(types.WINDOW_SHOW_MESSAGE_REQUEST)
    def ask(params: types.ShowMessageRequestParams) -> types.MessageActionItem | None:
        seen["asked"].append(params.message)
        answer = seen["answers"].pop(0) if seen["answers"] else None
        return types.MessageActionItem(title=answer) if answer else None

    @client.feature("accord/agentAction")
    def agent_action(params: Any) -> None:
        seen["steps"].append(params)

    return seen


def checks_of(seen: dict[str, Any]) -> dict[str, str]:
    [step] = [
        s for s in seen["steps"] if s.action.type == "checks" and s.action.status != "started"
    ]
    return {c.name: c.status for c in step.action.data.evidence}


def package(workspace: Path, module: Any, secret_in: str | None = None) -> tuple[str, Path]:
    """A copy of the stdlib ``module`` as ``pkg/<name>.py`` (a key planted before ``secret_in``)."""
    text = Path(module.__file__).read_text("utf-8")
    if secret_in is not None:
        assert secret_in in text
        text = text.replace(secret_in, f'    api_key = "{SECRET}"\n{secret_in}', 1)
    (workspace / "pkg").mkdir(exist_ok=True)
    (workspace / "pkg" / "__init__.py").write_text("", "utf-8")
    name = module.__name__
    return text, workspace / "pkg" / f"{name}.py"


def line_of(text: str, start: str) -> int:
    return next(i for i, line in enumerate(text.split("\n")) if line.startswith(start))


async def test_document_keeps_every_docstring_line(
    client: LanguageClient, workspace: Path, user: dict[str, Any]
) -> None:
    text, path = package(workspace, textwrap)
    uri, _ = await open_doc(client, workspace, "pkg/textwrap.py", text, "python")
    line = line_of(text, "def dedent(")

    result = await run(client, titled(await actions_at(client, uri, line), "Accord: Document"))

    assert result["applied"] is True
    edited = path.read_text("utf-8")
    function = next(
        n
        for n in ast.walk(ast.parse(edited))
        if isinstance(n, ast.FunctionDef) and n.name == "dedent"
    )
    after = (ast.get_docstring(function, clean=False) or "").split("\n")
    original = (textwrap.dedent.__doc__ or "").split("\n")
    assert [line for line in original if line not in after] == []
    assert after[-3:] == ["    Returns:", "        TODO: describe the result.", "    "]
    assert checks_of(user) == {"keeps documentation": "passed", "parses": "passed"}
    created = next(e for e in AuditStore(workspace).events() if e.type.value == "proposal.created")
    assert [c["name"] for c in created.payload["evidence"]] == ["keeps documentation", "parses"]


async def test_document_with_nothing_missing_says_so_and_edits_nothing(
    client: LanguageClient, workspace: Path, user: dict[str, Any]
) -> None:
    text, path = package(workspace, shlex)
    uri, _ = await open_doc(client, workspace, "pkg/shlex.py", text, "python")

    result = await run(
        client,
        titled(await actions_at(client, uri, line_of(text, "def quote(")), "Accord: Document"),
    )

    assert result["applied"] is False and result["files"] == [] and user["edits"] == 0
    assert path.read_text("utf-8") == text
    assert "No edit" in client.messages[-1].message
    assert "already documents" in client.messages[-1].message


async def fix_at(client: LanguageClient, workspace: Path, text: str, name: str) -> dict[str, Any]:
    uri, diagnostics = await open_doc(client, workspace, name, text, "python")
    [secret] = [d for d in diagnostics if d.code == "ACC003"]
    read_code_actions_as_editors_do(client)
    params = types.CodeActionParams(
        text_document=types.TextDocumentIdentifier(uri=uri),
        range=secret.range,
        context=types.CodeActionContext(diagnostics=[secret]),
    )
    actions = await client.text_document_code_action_async(params) or []
    return await run(
        client, next(a for a in actions if isinstance(a, types.CodeAction) and a.kind == "quickfix")
    )


SHORTEN_LINE = "    w = TextWrapper(width=width, max_lines=1, **kwargs)\n"
TEST_DEDENT = 'from pkg import textwrap\n\n\ndef test_dedent():\n    assert textwrap.dedent("  a\\n  b") == "a\\nb"\n'
TEST_SHORTEN = '\n\ndef test_shorten():\n    assert textwrap.shorten("Hello  world!", width=12) == "Hello world!"\n'


async def test_a_checked_fix_is_applied_with_its_evidence(
    client: LanguageClient, workspace: Path, user: dict[str, Any]
) -> None:
    text, path = package(workspace, textwrap, SHORTEN_LINE)
    (workspace / "tests").mkdir()
    (workspace / "tests" / "test_textwrap.py").write_text(TEST_DEDENT, "utf-8")

    result = await fix_at(client, workspace, text, "pkg/textwrap.py")

    assert result["applied"] is True
    assert SECRET not in path.read_text("utf-8")
    assert checks_of(user) == {
        "parses": "passed",
        "keeps documentation": "passed",
        "finding gone": "passed",
        "no new finding": "passed",
        "tests pass": "passed",
    }
    final = user["steps"][-1].action.data
    assert [c.name for c in final.evidence][-1] == "tests pass"
    messages = [
        getattr(report, "message", None) or ""
        for token, reports in client.progress_reports.items()
        if "fix" in str(token)
        for report in reports
    ]
    assert any(m.startswith("checks (completed): ✓ parses") for m in messages) or not messages


async def test_a_fix_whose_project_test_fails_is_withdrawn(
    client: LanguageClient, workspace: Path, user: dict[str, Any]
) -> None:
    text, path = package(workspace, textwrap, SHORTEN_LINE)
    (workspace / "tests").mkdir()
    (workspace / "tests" / "test_textwrap.py").write_text(TEST_DEDENT + TEST_SHORTEN, "utf-8")

    with pytest.raises(Exception, match="withdrawn: tests pass: 1 test file") as failed:
        await fix_at(client, workspace, text, "pkg/textwrap.py")

    assert "KeyError" in str(failed.value)
    assert path.read_text("utf-8") == text and user["edits"] == 0
    assert checks_of(user)["tests pass"] == "failed"
    [action] = [e.agent_action for e in AuditStore(workspace).events() if e.agent_action]
    assert action is not None and action.success is False
    assert action.error_message is not None and "tests pass" in action.error_message
    evidence = {c["name"]: c["status"] for c in (action.output_data or {})["evidence"]}
    assert evidence["tests pass"] == "failed" and evidence["finding gone"] == "passed"


@pytest.fixture
def fake() -> Iterator[FakeProvider]:
    with fake_provider() as server:
        yield server


async def test_a_model_refactoring_that_drops_a_docstring_is_never_auto_applied(
    client: LanguageClient, workspace: Path, user: dict[str, Any], fake: FakeProvider
) -> None:
    (workspace / "accord.toml").write_text(
        f'[providers.claude]\nkind = "anthropic"\nmodel = "claude-fake"\n'
        f'base-url = "{fake.url}"\napi-key-env = "ACCORD_FAKE_KEY"\npriority = 1\n'
        'timeout = 30\n\n[approvals]\nroles = ["developer"]\n',
        "utf-8",
    )
    text, path = package(workspace, shlex)
    start = line_of(text, "def quote(")
    lines = text.split("\n")
    # The model extracts nothing and drops quote's docstring: the gate must ask.
    dropped = "\n".join(lines[: start + 1] + lines[start + 2 :])
    fake.then(Behaviour(text=f"```python\n{dropped}```\nExtracted."))
    uri, _ = await open_doc(client, workspace, "pkg/shlex.py", text, "python")
    body = start + 3
    actions = await actions_at(client, uri, body, 0, end=(body + 1, 0))
    user["answers"] = ["Reject", "Reject"]

    result = await run(client, titled(actions, "Accord: Extract function"))

    assert result["applied"] is False and path.read_text("utf-8") == text
    [asked] = user["asked"]
    assert "removes documentation or tests" in asked and "never applied automatically" in asked
    assert "✗ keeps documentation (removes 1 docstring line" in asked
    assert "Needs approval by you" in asked
    assert checks_of(user)["keeps documentation"] == "failed"


async def test_a_litellm_placeholder_answer_is_refused(
    client: LanguageClient, workspace: Path, user: dict[str, Any], fake: FakeProvider
) -> None:
    (workspace / "accord.toml").write_text(
        f'[providers.router]\nkind = "litellm"\nmodel = "openai/fake-model"\n'
        f'base-url = "{fake.url}/v1"\napi-key-env = "ACCORD_FAKE_KEY"\npriority = 1\n'
        "timeout = 30\n",
        "utf-8",
    )
    text, path = package(workspace, textwrap)
    fake.then(Behaviour(text="```text\nDedent.\n\nArgs:\n    text: The text.\n```"))
    uri, _ = await open_doc(client, workspace, "pkg/textwrap.py", text, "python")
    line = line_of(text, "def dedent(")

    with pytest.raises(Exception, match="refused the model's doc comment: it drops 8 of the 8"):
        await run(client, titled(await actions_at(client, uri, line), "Accord: Document"))

    # The model was told what its answer lacked, as many times as the repair loop allows.
    assert [r.path for r in fake.requests] == ["/v1/chat/completions"] * (1 + REPAIR_ROUNDS)
    assert path.read_text("utf-8") == text and user["edits"] == 0
