"""Generate tests end to end, on a standard library module copied into a project with a venv.

The real server over stdio offers the action where tests can run, records and verifies them in
the project's own virtualenv, reports the evidence in ``accord/agentAction``, and writes a
test file that the project's pytest passes.
"""

from __future__ import annotations

import subprocess
from pathlib import Path
from typing import Any

from pytest_lsp import LanguageClient

from ..agents.actions.pythons import copy_stdlib, make_project, project_venv
from .actions import actions_at, run, titled
from .lsp import open_doc

__all__ = ["project_venv"]


async def test_tests_are_verified_then_written(
    client: LanguageClient, workspace: Path, project_venv: Path, editor: dict[str, list[Any]]
) -> None:
    root = make_project(workspace, project_venv)
    text = copy_stdlib(root, "colorsys").read_text("utf-8")
    line = text.split("\n").index("def rgb_to_hls(r, g, b):")
    uri, _ = await open_doc(client, root, "colorsys.py", text, "python")

    result = await run(
        client, titled(await actions_at(client, uri, line), "Accord: Generate tests")
    )

    assert result["applied"] is True
    test_file = root / "tests" / "test_colorsys.py"
    assert result["files"] == [str(test_file)]
    [verify] = [
        s.action
        for s in editor["steps"]
        if s.action.type == "verify" and s.action.status == "completed"
    ]
    evidence = {check.name: check for check in verify.data.evidence}
    assert evidence["tests pass"].status == "passed"
    assert "3 runs in a row (pytest)" in evidence["tests pass"].detail
    assert evidence["kills a mutant"].status == "passed"
    passed = subprocess.run(
        [root / ".venv/bin/python", "-m", "pytest", "-q", "-p", "no:cacheprovider", str(test_file)],
        cwd=root,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert passed.returncode == 0, passed.stdout + passed.stderr


async def test_not_offered_where_no_test_can_run(client: LanguageClient, workspace: Path) -> None:
    nested = "def outer(x):\n    def inner(y):\n        return y\n    return inner(x)\n"
    uri, _ = await open_doc(client, workspace, "nested.py", nested, "python")
    script = "export function total(a: number, b: number): number {\n  return a + b;\n}\n"
    ts_uri, _ = await open_doc(client, workspace, "cart.ts", script, "typescript")

    outer = [a.title for a in await actions_at(client, uri, 0)]
    inner = [a.title for a in await actions_at(client, uri, 1, 8)]
    typescript = [a.title for a in await actions_at(client, ts_uri, 0, 17)]

    assert "Accord: Generate tests for outer" in outer
    assert not any(t.startswith("Accord: Generate tests") for t in inner + typescript)
    assert "Accord: Explain inner" in inner and "Accord: Document total" in typescript
