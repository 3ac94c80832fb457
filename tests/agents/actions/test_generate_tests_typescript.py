"""Generate tests for TypeScript: node:test files recorded by running the module with Node
after the project's own TypeScript compiler erased its types.

Real code nobody here wrote: ``dedent`` from the ``ts-dedent`` package's TypeScript source, as
npm installs it (with ``typescript``) in a throwaway project. The proposed tests pass five runs,
kill a mutant, pass when compiled with ``tsc`` and run with ``node --test`` as a user would,
and fail once the function is broken. Without a compiler in the project, nothing is proposed.
"""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from accord.agents.actions import action_for
from accord.agents.exceptions import ActionFailed
from accord.agents.tasks import ActionKind
from accord.protocol.proposal import CheckStatus

from .tasks import task_after

ACTION = action_for(ActionKind.GENERATE_TESTS)

pytestmark = pytest.mark.skipif(
    shutil.which("npm") is None or shutil.which("node") is None, reason="Node and npm are needed"
)


def npm_project(root: Path, *packages: str) -> Path:
    (root / "package.json").write_text('{"type": "module"}\n', "utf-8")
    subprocess.run(
        ["npm", "install", "--silent", "--no-audit", "--no-fund", *packages],
        cwd=root,
        check=True,
        timeout=300,
    )
    return root


def compiled_run(root: Path, *files: Path) -> subprocess.CompletedProcess[str]:
    """``tsc`` to ``out/`` (type errors of the test's untyped Node imports do not stop it),
    then ``node --test`` on the compiled test."""
    subprocess.run(
        [str(root / "node_modules/.bin/tsc"), "--module", "esnext", "--target", "es2022"]
        + ["--outDir", "out", *map(str, files)],
        cwd=root,
        capture_output=True,
        timeout=300,
    )
    test = root / "out" / files[-1].name.replace(".ts", ".js")
    return subprocess.run(
        ["node", "--test", str(test)], cwd=root, capture_output=True, text=True, timeout=120
    )


def test_tests_of_ts_dedent_pass_kill_a_mutant_and_catch_a_break(tmp_path: Path) -> None:
    root = npm_project(tmp_path, "typescript@5", "ts-dedent@2")
    path = root / "dedent.ts"
    shutil.copy(root / "node_modules/ts-dedent/src/index.ts", path)
    text = path.read_text("utf-8")
    broken = ("/\\r?\\n([\\t ]*)$/", "/\\r?\\n([\\t ]+)$/")
    assert "templ: TemplateStringsArray | string" in text and broken[0] in text

    task = task_after(path, root, "export function dedent", "typescript")
    proposal = ACTION.to_proposal(task, ACTION.local_answer(task))
    verdict = ACTION.verify(task, proposal)  # type: ignore[attr-defined]

    assert verdict.proposal is not None, verdict.reason
    evidence = {check.name: check for check in verdict.proposal.evidence}
    assert "5 runs in a row (node:test)" in evidence["tests pass"].detail
    assert evidence["kills a mutant"].status is CheckStatus.PASSED
    [written] = verdict.proposal.files
    test = Path(written.path)
    assert test == root / "dedent.test.ts"
    code = written.edits[0].new_text
    assert 'import { dedent } from "./dedent.js";' in code and "deepStrictEqual(" in code
    test.write_text(code, "utf-8")
    assert compiled_run(root, path, test).returncode == 0
    path.write_text(text.replace(*broken), "utf-8")
    assert compiled_run(root, path, test).returncode != 0


def test_without_a_compiler_no_test_is_proposed(tmp_path: Path) -> None:
    path = tmp_path / "m.ts"
    path.write_text("export function twice(n: number): number {\n  return n * 2;\n}\n")

    with pytest.raises(ActionFailed, match="no TypeScript compiler"):
        ACTION.local_answer(task_after(path, tmp_path, "export function twice", "typescript"))
