"""Generate tests in a project that uses vitest: the tests are written for vitest and verified
by the project's own vitest (installed from npm in a throwaway project).

Real code nobody here wrote: ``diff``'s string helpers as npm ships them with Node. The tests
pass five runs, kill a mutant, pass under ``vitest run`` as the user runs it, and fail once
the function is broken; a thrown error is asserted by its name and message.
"""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from accord.agents.actions import action_for
from accord.agents.tasks import ActionKind
from accord.protocol.proposal import CheckStatus

from .tasks import task_after, verified_tests

ACTION = action_for(ActionKind.GENERATE_TESTS)
DIFF = Path(shutil.which("node") or "/nonexistent").resolve().parents[1] / (
    "lib/node_modules/npm/node_modules/diff/libesm/util/string.js"
)
RATIO = """\
export function ratio(a, b) {
  if (b === 0) {
    throw new RangeError("b must not be zero");
  }
  return a / b;
}
"""

pytestmark = [
    pytest.mark.skipif(
        shutil.which("npm") is None or not DIFF.is_file(), reason="Node and npm are needed"
    ),
    pytest.mark.slow,
]


def vitest(root: Path, test: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(root / "node_modules/.bin/vitest"), "run", test.name],
        cwd=root,
        capture_output=True,
        text=True,
        timeout=300,
    )


def test_vitest_tests_pass_kill_a_mutant_catch_a_break_and_assert_errors(tmp_path: Path) -> None:
    (tmp_path / "package.json").write_text('{"type": "module"}\n', "utf-8")
    subprocess.run(
        ["npm", "install", "--silent", "--no-audit", "--no-fund", "--save-dev", "vitest@3"],
        cwd=tmp_path,
        check=True,
        timeout=600,
    )
    path = Path(shutil.copy(DIFF, tmp_path / "string.js"))
    (tmp_path / "ratio.js").write_text(RATIO, "utf-8")

    proposal = verified_tests(
        task_after(path, tmp_path, "function longestCommonSuffix", "javascript")
    )
    errors = verified_tests(
        task_after(tmp_path / "ratio.js", tmp_path, "function ratio", "javascript")
    )

    evidence = {check.name: check for check in proposal.evidence}
    assert "5 runs in a row (vitest)" in evidence["tests pass"].detail
    assert evidence["kills a mutant"].status is CheckStatus.PASSED
    [written] = proposal.files
    test = Path(written.path)
    code = written.edits[0].new_text
    assert code.startswith('import { expect, test } from "vitest";')
    test.write_text(code, "utf-8")
    assert vitest(tmp_path, test).returncode == 0
    text = path.read_text("utf-8")
    path.write_text(text.replace("return '';", "return ' ';", 1), "utf-8")
    assert vitest(tmp_path, test).returncode != 0
    thrown = errors.files[0].edits[0].new_text
    assert '.toStrictEqual(["RangeError", "b must not be zero"]);' in thrown
