"""Generate tests for Go: ``testing`` tests recorded by running the code with ``go test``.

Real code nobody here wrote: ``path`` and ``net/url`` of the Go source shipped with the
toolchain, copied whole (license header and all) into a throwaway module. The proposed tests
pass five runs in a row, kill a mutant, pass under ``go test`` in the project, and fail once
the function is broken.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import time
from pathlib import Path

import pytest
import tree_sitter

from accord.agents.actions import action_for
from accord.agents.actions.generate_tests import offered
from accord.agents.actions.testing.go_runner import run_go_mutants
from accord.agents.exceptions import ActionFailed
from accord.agents.tasks import ActionKind, Task
from accord.analyzers.languages import ts_language
from accord.protocol.proposal import CheckStatus

from .tasks import task_after, verified_tests

ACTION = action_for(ActionKind.GENERATE_TESTS)

pytestmark = pytest.mark.skipif(
    shutil.which("go") is None,
    reason="go not installed: apt-get install golang-go (as .ci/run does)",
)


def task_at(path: Path, root: Path, function: str) -> Task:
    return task_after(path, root, f"func {function}(", "go")


def goroot() -> Path:
    found = subprocess.run(["go", "env", "GOROOT"], capture_output=True, text=True, check=True)
    return Path(found.stdout.strip())


def module(root: Path, package: str, source: str) -> Path:
    """A module ``example.com/m`` with the Go file ``source`` (relative to GOROOT/src)."""
    (root / "go.mod").write_text("module example.com/m\n\ngo 1.19\n", "utf-8")
    folder = root / package
    folder.mkdir()
    return Path(shutil.copy(goroot() / "src" / source, folder))


def go_test(folder: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        ["go", "test", "-count=1", "."],
        cwd=folder,
        capture_output=True,
        text=True,
        timeout=300,
        env={**os.environ, "GOFLAGS": "-mod=mod", "GOPROXY": "off"},
    )


@pytest.mark.parametrize(
    ("package", "source", "function", "broken"),
    [
        (
            "path",
            "path/path.go",
            "Clean",
            ('if path == "" {\n\t\treturn "."', 'if path == "" {\n\t\treturn "/"'),
        ),
        (
            "path",
            "path/path.go",
            "Split",
            ("return path[:i+1], path[i+1:]", "return path[:i], path[i:]"),
        ),
        ("url", "net/url/url.go", "unhex", ("return c - 'a' + 10", "return c - 'a' + 11")),
    ],
)
def test_tests_of_go_stdlib_pass_kill_a_mutant_and_catch_a_break(
    tmp_path: Path, package: str, source: str, function: str, broken: tuple[str, str]
) -> None:
    path = module(tmp_path, package, source)
    text = path.read_text("utf-8")
    assert text.startswith("// Copyright") and broken[0] in text

    proposal = verified_tests(task_at(path, tmp_path, function))

    evidence = {check.name: check for check in proposal.evidence}
    assert "5 runs in a row (go test)" in evidence["tests pass"].detail
    assert evidence["kills a mutant"].status is CheckStatus.PASSED
    [written] = proposal.files
    test = Path(written.path)
    assert test.parent == path.parent and test.name == f"{path.stem}_test.go"
    code = written.edits[0].new_text
    assert f"func Test{function[:1].upper()}{function[1:]}Recorded1(t *testing.T)" in code
    assert "isinstance" not in code and "want" in code
    test.write_text(code, "utf-8")
    assert go_test(path.parent).returncode == 0
    path.write_text(text.replace(*broken), "utf-8")
    assert go_test(path.parent).returncode != 0


def test_an_error_result_is_asserted_by_its_message(tmp_path: Path) -> None:
    path = module(tmp_path, "url", "net/url/url.go")

    code = verified_tests(task_at(path, tmp_path, "PathUnescape")).files[0].edits[0].new_text

    assert 'got1 == nil || got1.Error() != "invalid URL escape \\"%\\""' in code
    assert "if got1 != nil {" in code


LOOPS = """\
package spin

// Countdown counts n down to zero; it never ends for a negative n.
func Countdown(n int) int {
\tfor n != 0 {
\t\tn -= 1
\t}
\treturn n
}

// Touch changes nothing anyone can see.
func Touch(s string) {
\t_ = s
}

type Box struct{ n int }

// Get is a method: a test would need a Box.
func (b Box) Get() int { return b.n + 1 }
"""


def test_a_call_that_hangs_is_dropped_and_the_rest_kept(tmp_path: Path) -> None:
    path = tmp_path / "spin.go"
    path.write_text(LOOPS, "utf-8")

    code = verified_tests(task_at(path, tmp_path, "Countdown")).files[0].edits[0].new_text

    assert "Countdown(2)" in code and "Countdown(-1)" not in code


def test_offered_only_where_a_value_can_be_asserted(tmp_path: Path) -> None:
    tree = tree_sitter.Parser(ts_language("go")).parse(LOOPS.encode())
    countdown, touch, _, get = [
        node for node in tree.root_node.named_children if node.type.endswith("declaration")
    ]

    assert offered("go", countdown)
    assert not offered("go", touch)
    assert not offered("go", get)
    path = tmp_path / "spin.go"
    path.write_text(LOOPS, "utf-8")
    with pytest.raises(ActionFailed, match="Touch: it returns nothing"):
        ACTION.local_answer(task_at(path, tmp_path, "Touch"))


ADD = """\
package add

// Add sums two numbers.
func Add(a, b int) int {
\treturn a + b
}
"""

ADD_TEST = """\
package add

import "testing"

func TestAddsTwo(t *testing.T) {
\tif Add(2, 3) != 5 {
\t\tt.Fatal("2 + 3")
\t}
}

func TestAddsZero(t *testing.T) {
\tif Add(4, 0) != 4 {
\t\tt.Fatal("4 + 0")
\t}
}
"""


def test_each_mutant_is_built_and_run_apart_in_one_go_test(tmp_path: Path) -> None:
    (tmp_path / "go.mod").write_text("module example.com/m\n\ngo 1.19\n", "utf-8")
    (tmp_path / "add").mkdir()
    path = tmp_path / "add" / "add.go"
    path.write_text(ADD, "utf-8")
    mutants = [
        ADD.replace("a + b", "a - b"),
        ADD.replace("return a + b", "for a >= 0 {\n\t\ta = a*1 + 0\n\t}\n\treturn a + b"),
        ADD.replace("a + b", "a +"),
        ADD.replace("a + b", "b + a"),
    ]
    names = ["TestAddsTwo", "TestAddsZero"]

    started = time.monotonic()
    runs = run_go_mutants(ADD_TEST, ADD, mutants, path, tmp_path, names, 2.0)

    assert time.monotonic() - started < 60
    assert runs is not None
    flipped, hangs, broken, same = runs
    assert flipped == {"TestAddsTwo": [False], "TestAddsZero": [True]}
    # A mutant that hangs is stopped after its seconds: the test that hung did not pass.
    assert hangs.get("TestAddsTwo", [False]) == [False]
    # A mutant that does not build passes nothing.
    assert broken == {}
    assert same == {"TestAddsTwo": [True], "TestAddsZero": [True]}
