"""Generate tests end to end, on a standard library module copied into a project with a venv.

The real server over stdio offers the action where tests can run, records and verifies them in
the project's own virtualenv, reports the evidence in ``accord/agentAction``, and writes a
test file that the project's pytest passes.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest
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
    assert "5 runs in a row (pytest)" in evidence["tests pass"].detail
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
    box = "package box\n\ntype Box struct{ n int }\n\nfunc (b Box) Get() int { return b.n }\n"
    go_uri, _ = await open_doc(client, workspace, "box.go", box, "go")

    outer = [a.title for a in await actions_at(client, uri, 0)]
    inner = [a.title for a in await actions_at(client, uri, 1, 8)]
    method = [a.title for a in await actions_at(client, go_uri, 4, 14)]

    assert "Accord: Generate tests for outer" in outer
    assert not any(t.startswith("Accord: Generate tests") for t in inner + method)
    assert "Accord: Explain inner" in inner


@pytest.mark.skipif(shutil.which("go") is None, reason="go not installed (.ci/run installs it)")
async def test_go_tests_are_verified_then_written(
    client: LanguageClient, workspace: Path, editor: dict[str, list[Any]]
) -> None:
    goroot = subprocess.run(["go", "env", "GOROOT"], capture_output=True, text=True, check=True)
    (workspace / "go.mod").write_text("module example.com/m\n\ngo 1.19\n", "utf-8")
    (workspace / "path").mkdir()
    text = (Path(goroot.stdout.strip()) / "src/path/path.go").read_text("utf-8")
    line = text.split("\n").index("func Base(path string) string {")
    uri, _ = await open_doc(client, workspace, "path/path.go", text, "go")

    result = await run(
        client, titled(await actions_at(client, uri, line, 6), "Accord: Generate tests")
    )

    assert result["applied"] is True
    assert result["files"] == [str(workspace / "path" / "path_test.go")]
    [verify] = [
        s.action
        for s in editor["steps"]
        if s.action.type == "verify" and s.action.status == "completed"
    ]
    evidence = {check.name: check for check in verify.data.evidence}
    assert "5 runs in a row (go test)" in evidence["tests pass"].detail
    assert evidence["kills a mutant"].status == "passed"
    passed = subprocess.run(
        ["go", "test", "-count=1", "./path"],
        cwd=workspace,
        capture_output=True,
        text=True,
        timeout=300,
        env={**os.environ, "GOFLAGS": "-mod=mod", "GOPROXY": "off"},
    )
    assert passed.returncode == 0, passed.stdout + passed.stderr
