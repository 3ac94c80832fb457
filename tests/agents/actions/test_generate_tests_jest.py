"""Generate tests in a project that uses jest: the tests are written for jest (its ``test`` and
``expect`` globals) and verified by the project's own jest (installed from npm in a throwaway
project); Fix checks run that jest on the project's tests importing a changed module.

Real code nobody here wrote: ``diff``'s string helpers as npm ships them with Node. The tests
pass five runs, kill a mutant, pass under ``jest --runInBand --ci`` as the user runs it, and
fail once the function is broken; a thrown error is asserted by its name and message.
"""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path

import pytest

from accord.agents.actions import action_for
from accord.agents.actions.answers import split_answer
from accord.agents.actions.generate_tests import JEST_COMMONJS
from accord.agents.checks import project_tests
from accord.agents.tasks import ActionKind
from accord.protocol.proposal import CheckStatus

from .npm_projects import NEEDS_NPM, RATIO, runner_project
from .tasks import task_after

ACTION = action_for(ActionKind.GENERATE_TESTS)


BABEL = 'module.exports = { presets: [["@babel/preset-env", { targets: { node: "current" } }]] };\n'


def jest(root: Path, test: Path, modules: bool = True) -> subprocess.CompletedProcess[str]:
    options = "--experimental-vm-modules" if modules else ""
    return subprocess.run(
        [str(root / "node_modules/.bin/jest"), "--runInBand", "--ci", test.name],
        cwd=root,
        env={**os.environ, "NODE_OPTIONS": options},
        capture_output=True,
        text=True,
        timeout=300,
    )


@NEEDS_NPM
@pytest.mark.slow
def test_jest_tests_pass_kill_a_mutant_catch_a_break_and_fix_checks_run_them(
    tmp_path: Path,
) -> None:
    path, proposal, errors = runner_project(tmp_path, "jest@29")

    evidence = {check.name: check for check in proposal.evidence}
    assert "5 runs in a row (jest)" in evidence["tests pass"].detail
    assert evidence["kills a mutant"].status is CheckStatus.PASSED
    [written] = proposal.files
    test = Path(written.path)
    code = written.edits[0].new_text
    assert code.startswith('import { longestCommonSuffix } from "./string.js";')
    assert "vitest" not in code and "node:test" not in code
    test.write_text(code, "utf-8")
    assert jest(tmp_path, test).returncode == 0
    before = path.read_text("utf-8")
    broken = before.replace("return '';", "return ' ';", 1)
    path.write_text(broken, "utf-8")
    assert jest(tmp_path, test).returncode != 0
    thrown = errors.files[0].edits[0].new_text
    assert '.toStrictEqual(["RangeError", "b must not be zero"]);' in thrown

    path.write_text(before, "utf-8")
    kept = project_tests.tests_pass(tmp_path, str(path), "javascript", before, before + "\n", 240)
    failed = project_tests.tests_pass(tmp_path, str(path), "javascript", before, broken, 240)
    assert kept.status is CheckStatus.PASSED, kept.detail
    assert kept.detail.startswith("1 test file(s) importing string.js pass")
    assert failed.status is CheckStatus.FAILED, failed.detail


@NEEDS_NPM
@pytest.mark.slow
def test_a_commonjs_project_with_babel_gets_required_tests_and_without_babel_a_reason(
    tmp_path: Path,
) -> None:
    files = {"package.json": '{"name": "shop"}\n', "babel.config.cjs": BABEL}
    path, proposal, _ = runner_project(tmp_path, "jest@29", "@babel/preset-env@7", files=files)

    [written] = proposal.files
    test, code = Path(written.path), written.edits[0].new_text
    assert code.startswith('const { longestCommonSuffix } = require("./string.js");')
    evidence = {check.name: check for check in proposal.evidence}
    assert "5 runs in a row (jest)" in evidence["tests pass"].detail
    test.write_text(code, "utf-8")
    assert jest(tmp_path, test, modules=False).returncode == 0
    path.write_text(path.read_text("utf-8").replace("return '';", "return ' ';", 1), "utf-8")
    assert jest(tmp_path, test, modules=False).returncode != 0

    (tmp_path / "babel.config.cjs").unlink()
    task = task_after(tmp_path / "ratio.js", tmp_path, "function ratio", "javascript")
    verdict = ACTION.verify(task, ACTION.to_proposal(task, ACTION.local_answer(task)))
    assert verdict.proposal is None
    assert verdict.reason == JEST_COMMONJS


@NEEDS_NPM
def test_jest_listed_but_not_installed_is_refused_and_commonjs_requires(tmp_path: Path) -> None:
    manifest = {"scripts": {"test": "jest --coverage"}}
    (tmp_path / "package.json").write_text(json.dumps(manifest), "utf-8")
    (tmp_path / "ratio.js").write_text(RATIO, "utf-8")
    task = task_after(tmp_path / "ratio.js", tmp_path, "function ratio", "javascript")

    answer = ACTION.local_answer(task)
    code, _ = split_answer(answer)
    verdict = ACTION.verify(task, ACTION.to_proposal(task, answer))

    assert code.startswith('const { ratio } = require("./ratio.js");')
    assert "expect(ratio(" in code
    assert verdict.proposal is None
    assert verdict.reason == "jest is listed in package.json but not installed (npm install)"
