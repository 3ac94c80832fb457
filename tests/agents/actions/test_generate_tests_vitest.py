"""Generate tests in a project that uses vitest: the tests are written for vitest and verified
by the project's own vitest (installed from npm in a throwaway project).

Real code nobody here wrote: ``diff``'s string helpers as npm ships them with Node. The tests
pass five runs, kill a mutant, pass under ``vitest run`` as the user runs it, and fail once
the function is broken; a thrown error is asserted by its name and message.
"""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from accord.protocol.proposal import CheckStatus

from .npm_projects import NEEDS_NPM, runner_project

pytestmark = [NEEDS_NPM, pytest.mark.slow]


def vitest(root: Path, test: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(root / "node_modules/.bin/vitest"), "run", test.name],
        cwd=root,
        capture_output=True,
        text=True,
        timeout=300,
    )


def test_vitest_tests_pass_kill_a_mutant_catch_a_break_and_assert_errors(tmp_path: Path) -> None:
    path, proposal, errors = runner_project(tmp_path, "vitest@3")

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
