"""Generate tests for JavaScript: node:test files recorded by running the code with Node.

Real code nobody here wrote: the string helpers of ``diff`` as npm ships it with Node. The proposed
tests pass under ``node --test`` in the project, kill a mutant, and fail once the function is
broken; a call that loops forever is stopped and dropped.
"""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest
import tree_sitter

from accord.agents.actions import action_for
from accord.agents.actions.generate_tests import offered
from accord.agents.tasks import ActionKind
from accord.analyzers.languages import ts_language
from accord.protocol.proposal import CheckStatus

from .tasks import task_after, verified_tests

ACTION = action_for(ActionKind.GENERATE_TESTS)
# npm's copy of the ``diff`` package (libesm: ES modules), as Node ships it.
DIFF = Path(shutil.which("node") or "/nonexistent").resolve().parents[1] / (
    "lib/node_modules/npm/node_modules/diff/libesm/util"
)

pytestmark = pytest.mark.skipif(shutil.which("node") is None, reason="Node is not installed")


def project(root: Path, files: dict[str, str]) -> Path:
    (root / "package.json").write_text('{"type": "module"}\n', "utf-8")
    for name, text in files.items():
        (root / name).write_text(text, "utf-8")
    return root


def node_test(root: Path, test: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        ["node", "--test", str(test)], cwd=root, capture_output=True, text=True, timeout=120
    )


@pytest.mark.skipif(not DIFF.is_dir(), reason="npm's copy of diff is not installed")
@pytest.mark.parametrize(
    ("needle", "broken"),
    [
        ("function longestCommonPrefix", ("i < str2.length;", "i < str2.length - 1;")),
        ("function longestCommonSuffix", ("return '';", "return ' ';")),
        ("function replacePrefix", ("newPrefix + string", "string + newPrefix")),
    ],
)
def test_tests_of_diff_pass_kill_a_mutant_and_catch_a_break(
    tmp_path: Path, needle: str, broken: tuple[str, str]
) -> None:
    file = "string.js"
    root = project(tmp_path, {file: (DIFF / file).read_text("utf-8")})
    path = root / file

    proposal = verified_tests(task_after(path, root, needle, "javascript"))

    evidence = {check.name: check for check in proposal.evidence}
    assert "5 runs in a row (node:test)" in evidence["tests pass"].detail
    assert evidence["kills a mutant"].status is CheckStatus.PASSED
    [written] = proposal.files
    test = Path(written.path)
    test.write_text(written.edits[0].new_text, "utf-8")
    assert test.name == file.replace(".js", ".test.js")
    assert node_test(root, test).returncode == 0
    path.write_text(path.read_text("utf-8").replace(*broken), "utf-8")
    assert node_test(root, test).returncode != 0


SPIN = """\
export function countdown(n) {
  while (n !== 0) {
    n -= 1;
  }
  return n;
}

function hidden(text) {
  return text;
}
"""


def test_a_call_that_loops_forever_is_dropped(tmp_path: Path) -> None:
    root = project(tmp_path, {"spin.js": SPIN})

    proposal = verified_tests(
        task_after(root / "spin.js", root, "function countdown", "javascript")
    )

    text = proposal.files[0].edits[0].new_text
    assert "countdown(2), 0" in text and "countdown(-1)" not in text


def test_offered_on_exported_functions_only() -> None:
    tree = tree_sitter.Parser(ts_language("javascript")).parse(SPIN.encode())
    exported, hidden = tree.root_node.named_children[0], tree.root_node.named_children[1]

    assert offered("javascript", exported.named_children[0])
    assert not offered("javascript", hidden)
