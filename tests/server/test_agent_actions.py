"""Agent actions end to end: list them, run them, watch progress, and get the edit applied.

The real server runs over stdio with the offline ``local`` provider (no key, no network). The
client plays the editor: it answers ``workspace/applyEdit`` by writing the files, and records
``$/progress`` and ``accord/agentAction`` notifications.
"""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from lsprotocol import types
from pytest_lsp import LanguageClient

from .actions import PRICING, actions_at, read_code_actions_as_editors_do, run, titled
from .lsp import change_doc, edit, open_doc

SECRETS = """\
import sqlite3


def connect():
    api_token = "ghp_0123456789abcdefABCDEF0123456789abcd"
    return sqlite3.connect("shop.db"), api_token
"""


@pytest.fixture
def project(workspace: Path) -> Path:
    (workspace / "shop").mkdir()
    (workspace / "shop" / "__init__.py").write_text("", "utf-8")
    (workspace / "tests").mkdir()
    (workspace / "tests" / "__init__.py").write_text("", "utf-8")
    return workspace


async def test_actions_listed_on_a_function(client: LanguageClient, project: Path) -> None:
    uri, _ = await open_doc(client, project, "shop/pricing.py", PRICING, "python")

    titles = [a.title for a in await actions_at(client, uri, 4)]

    assert titles == [
        "Accord: Document apply_discount",
        "Accord: Generate tests for apply_discount",
        "Accord: Explain apply_discount",
        "Accord: Ask an agent...",
    ]
    assert [a.title for a in await actions_at(client, uri, 0, 0)] == ["Accord: Ask an agent..."]


async def test_generate_tests_writes_a_test_file_that_passes(
    client: LanguageClient, project: Path, editor: dict[str, list[Any]]
) -> None:
    uri, _ = await open_doc(client, project, "shop/pricing.py", PRICING, "python")
    action = titled(await actions_at(client, uri, 4), "Accord: Generate tests")

    result = await run(client, action)

    assert result["applied"] is True
    test_file = project / "tests" / "test_pricing.py"
    assert result["files"] == [str(test_file)]
    written = test_file.read_text("utf-8")
    assert "pytest.raises(ValueError" in written or "assertRaisesRegex(ValueError" in written
    passed = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", str(test_file)],
        cwd=project,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert passed.returncode == 0, passed.stdout + passed.stderr
    steps = [(s.action.type, s.action.status) for s in editor["steps"]]
    assert steps[-1] == ("proposal", "completed")
    assert all(s.type == "agent_action" and s.session_id and s.agent_id for s in editor["steps"])
    [reports] = [
        r for token, r in client.progress_reports.items() if "generate_tests" in str(token)
    ]
    assert isinstance(reports[0], types.WorkDoneProgressBegin) and reports[0].cancellable
    assert isinstance(reports[-1], types.WorkDoneProgressEnd)
    assert any(isinstance(r, types.WorkDoneProgressReport) for r in reports)


async def test_document_inserts_a_docstring(
    client: LanguageClient, project: Path, editor: dict[str, list[Any]]
) -> None:
    uri, _ = await open_doc(client, project, "shop/pricing.py", PRICING, "python")

    result = await run(client, titled(await actions_at(client, uri, 4), "Accord: Document"))

    assert result["applied"] is True
    module = ast.parse((project / "shop" / "pricing.py").read_text("utf-8"))
    function = next(n for n in module.body if isinstance(n, ast.FunctionDef))
    docstring = ast.get_docstring(function) or ""
    assert "percent" in docstring and "ValueError" in docstring


async def test_fix_moves_a_secret_to_the_environment(
    client: LanguageClient, project: Path, editor: dict[str, list[Any]]
) -> None:
    uri, diagnostics = await open_doc(client, project, "shop/db.py", SECRETS, "python")
    [secret] = [d for d in diagnostics if d.code == "ACC003"]
    params = types.CodeActionParams(
        text_document=types.TextDocumentIdentifier(uri=uri),
        range=secret.range,
        context=types.CodeActionContext(diagnostics=[secret]),
    )
    read_code_actions_as_editors_do(client)
    actions = await client.text_document_code_action_async(params) or []
    fix = next(a for a in actions if isinstance(a, types.CodeAction) and a.kind == "quickfix")

    await run(client, fix)

    fixed = (project / "shop" / "db.py").read_text("utf-8")
    assert "ghp_" not in fixed and "os.environ" in fixed
    ast.parse(fixed)


async def test_explain_shows_a_markdown_document(
    client: LanguageClient, project: Path, editor: dict[str, list[Any]]
) -> None:
    uri, _ = await open_doc(client, project, "shop/pricing.py", PRICING, "python")

    result = await run(client, titled(await actions_at(client, uri, 4), "Accord: Explain"))

    assert result["applied"] is False
    [shown] = client.shown_documents
    assert shown.uri == result["shown"] and shown.uri.endswith(".md")
    assert "apply_discount" in Path(shown.uri.removeprefix("file://")).read_text("utf-8")


async def test_a_stale_action_is_refused(
    client: LanguageClient, project: Path, editor: dict[str, list[Any]]
) -> None:
    uri, _ = await open_doc(client, project, "shop/pricing.py", PRICING, "python")
    action = titled(await actions_at(client, uri, 4), "Accord: Document")
    await change_doc(client, uri, 2, edit((0, 0), (0, 0), "# edited\n"))

    with pytest.raises(Exception, match="changed since the action was offered"):
        await run(client, action)
    assert editor["edits"] == []


async def test_agents_status(client: LanguageClient, project: Path, editor: Any) -> None:
    uri, _ = await open_doc(client, project, "shop/pricing.py", PRICING, "python")
    await run(client, titled(await actions_at(client, uri, 4), "Accord: Document"))

    status = await client.workspace_execute_command_async(
        types.ExecuteCommandParams(command="accord.agents.status")
    )

    assert status["pool"]["limit"] >= 1
    assert any(p["name"] == "local" for p in status["providers"])


async def test_document_every_function_of_several_files(
    client: LanguageClient, project: Path, editor: dict[str, list[Any]]
) -> None:
    (project / "shop" / "pricing.py").write_text(PRICING, "utf-8")
    (project / "shop" / "more.py").write_text(
        "def double(x: int) -> int:\n    return 2 * x\n\n\ndef half(x: int) -> float:\n"
        "    return x / 2\n",
        "utf-8",
    )
    uris = [(project / "shop" / name).as_uri() for name in ("pricing.py", "more.py")]

    result = await client.workspace_execute_command_async(
        types.ExecuteCommandParams(
            command="accord.agents.runMany", arguments=[{"kind": "document", "uris": uris}]
        )
    )

    assert result["applied"] is True and len(result["files"]) == 2
    more = ast.parse((project / "shop" / "more.py").read_text("utf-8"))
    assert all(ast.get_docstring(f) for f in more.body if isinstance(f, ast.FunctionDef))
    assert any(s.action.type == "split" for s in editor["steps"])
    with pytest.raises(Exception, match="takes"):
        await client.workspace_execute_command_async(
            types.ExecuteCommandParams(
                command="accord.agents.runMany", arguments=[{"kind": "dance"}]
            )
        )


async def test_a_folder_is_split_across_its_files_and_gated_once(
    client: LanguageClient, project: Path, editor: dict[str, list[Any]]
) -> None:
    (project / "shop" / "pricing.py").write_text(PRICING, "utf-8")
    (project / "shop" / "deep").mkdir()
    (project / "shop" / "deep" / "more.py").write_text(
        "def double(x: int) -> int:\n    return 2 * x\n", "utf-8"
    )
    (project / "shop" / ".cache").mkdir()
    hidden = "def skipped(x: int) -> int:\n    return x\n"
    (project / "shop" / ".cache" / "hidden.py").write_text(hidden, "utf-8")
    (project / "shop" / "notes.txt").write_text("def not_code(): pass\n", "utf-8")

    result = await client.workspace_execute_command_async(
        types.ExecuteCommandParams(
            command="accord.agents.runMany",
            arguments=[{"kind": "document", "uris": [(project / "shop").as_uri()]}],
        )
    )

    assert result["applied"] is True
    assert sorted(Path(f).name for f in result["files"]) == ["more.py", "pricing.py"]
    assert len(editor["edits"]) == 1  # one combined proposal, one gate, one edit
    more = ast.parse((project / "shop" / "deep" / "more.py").read_text("utf-8"))
    assert ast.get_docstring(more.body[0])  # type: ignore[arg-type]
    assert (project / "shop" / ".cache" / "hidden.py").read_text("utf-8") == hidden
    splits = [s for s in editor["steps"] if s.action.type == "split"]
    assert len(splits) == 1 and splits[0].action.data.parts == 2


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        ([{"uri": "file:///x.py"}], "takes a code action's data"),
        (
            [
                {
                    "uri": "file:///x.py",
                    "version": 1,
                    "kind": "dance",
                    "target": "function",
                    "range": {
                        "start": {"line": 0, "character": 0},
                        "end": {"line": 0, "character": 0},
                    },
                }
            ],
            "kind",
        ),
        (["not an object"], "takes a code action's data"),
        (
            [
                {
                    "uri": "file:///nowhere.py",
                    "version": 1,
                    "kind": "document",
                    "target": "function",
                    "range": {
                        "start": {"line": 0, "character": 0},
                        "end": {"line": 0, "character": 0},
                    },
                }
            ],
            "not open",
        ),
    ],
)
async def test_bad_command_arguments_get_a_clear_error(
    client: LanguageClient, project: Path, arguments: list[Any], message: str
) -> None:
    with pytest.raises(Exception, match=message):
        await client.workspace_execute_command_async(
            types.ExecuteCommandParams(command="accord.agents.run", arguments=arguments)
        )
    uri, _ = await open_doc(client, project, "shop/pricing.py", PRICING, "python")
    assert await actions_at(client, uri, 4)  # the server is still serving
