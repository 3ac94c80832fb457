"""Generate tests on code nobody here wrote, and on code that fights back.

Standard library modules are copied into a project with its own virtualenv; the offline action
records characterisation tests by running them, keeps those that pass five runs in a row and
reports which kill a mutant. The tests it proposes pass under the project's pytest, and fail
once the function is broken. Calls that hang or fork are stopped and dropped; a module whose
every call hangs gets a one-line refusal, quickly.
"""

from __future__ import annotations

import ast
import subprocess
import time
from pathlib import Path

import pytest
import tree_sitter

from accord.agents.actions import action_for
from accord.agents.actions.generate_tests import offered
from accord.agents.actions.testing.python_runner import HARNESS
from accord.agents.actions.verdict import Verdict
from accord.agents.exceptions import ActionFailed
from accord.agents.tasks import ActionKind, Task
from accord.analyzers.languages import ts_language
from accord.protocol import Proposal
from accord.protocol.proposal import CheckStatus

from .pythons import bare_venv, copy_stdlib, make_project, project_venv
from .tasks import task_on

__all__ = ["bare_venv", "project_venv"]

ACTION = action_for(ActionKind.GENERATE_TESTS)


def task_for(root: Path, path: Path, name: str) -> Task:
    """A task on the top-level function (or ``Class.method``) ``name`` of ``path``."""
    body: list[ast.stmt] = ast.parse(path.read_text("utf-8")).body
    node: ast.stmt | None = None
    for part in name.split("."):
        node = next(
            n for n in body if isinstance(n, ast.FunctionDef | ast.ClassDef) and n.name == part
        )
        body = node.body
    assert node is not None
    return task_on(path, ActionKind.GENERATE_TESTS, node.lineno - 1, root=root)


def verified(task: Task) -> Proposal:
    verdict: Verdict = ACTION.verify(task, ACTION.to_proposal(task, ACTION.local_answer(task)))  # type: ignore[attr-defined]
    assert verdict.proposal is not None, verdict.reason
    return verdict.proposal


def write(proposal: Proposal) -> Path:
    [file] = proposal.files
    path = Path(file.path)
    path.write_text(file.edits[0].new_text, "utf-8")
    return path


def run_pytest(root: Path, test: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [root / ".venv/bin/python", "-m", "pytest", "-q", "-p", "no:cacheprovider", str(test)],
        cwd=root,
        capture_output=True,
        text=True,
        timeout=120,
        env={"PYTHONPATH": str(root), "PATH": "/usr/bin:/bin"},
    )


@pytest.mark.parametrize(
    ("module", "name"),
    [
        ("textwrap", "shorten"),
        ("shlex", "quote"),
        ("colorsys", "rgb_to_hsv"),
        ("fnmatch", "translate"),
        ("statistics", "median"),
        ("calendar", "monthrange"),
    ],
)
def test_tests_on_the_standard_library_pass_kill_mutants_and_catch_a_break(
    tmp_path: Path, project_venv: Path, module: str, name: str
) -> None:
    root = make_project(tmp_path, project_venv)
    path = copy_stdlib(root, module)
    task = task_for(root, path, name)

    proposal = verified(task)

    evidence = {check.name: check for check in proposal.evidence}
    assert evidence["tests pass"].status is CheckStatus.PASSED
    assert "5 runs in a row (pytest)" in evidence["tests pass"].detail
    assert evidence["kills a mutant"].status is CheckStatus.PASSED
    test = write(proposal)
    text = test.read_text("utf-8")
    assert "isinstance" not in text and f"{name}(" in text
    passed = run_pytest(root, test)
    assert passed.returncode == 0, passed.stdout + passed.stderr

    path.write_text(_break(path.read_text("utf-8"), task.target.range.start.line), "utf-8")
    failed = run_pytest(root, test)
    assert failed.returncode == 1, failed.stdout


def _break(source: str, first: int) -> str:
    """The function made to return a wrong value: ``return "broken"`` before its body."""
    tree = ast.parse(source)
    node = next(
        n for n in ast.walk(tree) if isinstance(n, ast.FunctionDef) and n.lineno == first + 1
    )
    body = node.body[1] if ast.get_docstring(node) and len(node.body) > 1 else node.body[0]
    lines = source.split("\n")
    indent = lines[body.lineno - 1][: body.col_offset]
    lines.insert(body.lineno - 1, f'{indent}return "broken"')
    return "\n".join(lines)


def test_a_doctest_that_names_the_module_imports_the_module(
    tmp_path: Path, project_venv: Path
) -> None:
    root = make_project(tmp_path, project_venv)
    path = copy_stdlib(root, "textwrap")

    text = write(verified(task_for(root, path, "shorten"))).read_text("utf-8")

    assert "import textwrap\n" in text
    assert "assert textwrap.shorten('Hello  world!', width=12) == 'Hello world!'" in text.replace(
        '"', "'"
    )


def test_a_method_is_tested_on_an_instance(tmp_path: Path, project_venv: Path) -> None:
    root = make_project(tmp_path, project_venv)
    path = copy_stdlib(root, "difflib")

    proposal = verified(task_for(root, path, "SequenceMatcher.ratio"))

    text = write(proposal).read_text("utf-8")
    assert "SequenceMatcher(" in text and ".ratio()" in text
    assert run_pytest(root, Path(proposal.files[0].path)).returncode == 0


def test_a_project_without_pytest_gets_unittest(tmp_path: Path, bare_venv: Path) -> None:
    root = make_project(tmp_path, bare_venv)
    path = copy_stdlib(root, "colorsys")

    proposal = verified(task_for(root, path, "rgb_to_hls"))

    test = write(proposal)
    assert "unittest.TestCase" in test.read_text("utf-8")
    assert "(unittest)" in proposal.evidence[0].detail
    ran = subprocess.run(
        [root / ".venv/bin/python", "-m", "unittest", "-q", f"tests.{test.stem}"],
        cwd=root,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert ran.returncode == 0 and "OK" in ran.stderr, ran.stderr


SPINNING = '''\
import os


def countdown(n: int) -> int:
    """Count down to zero; below zero it never gets there."""
    while n != 0:
        n -= 1
    return n


def forever(text: str) -> str:
    while True:
        text = text + ""


def spawn(n: int) -> int:
    pid = os.fork()
    if pid == 0:
        while True:
            pass
    return n
'''


def test_calls_that_hang_are_stopped_and_dropped(tmp_path: Path, project_venv: Path) -> None:
    root = make_project(tmp_path, project_venv, {"spinning.py": SPINNING})
    path = root / "spinning.py"

    proposal = verified(task_for(root, path, "countdown"))

    text = write(proposal).read_text("utf-8")
    assert "countdown(2) == 0" in text and "countdown(-1)" not in text
    started = time.monotonic()
    with pytest.raises(ActionFailed, match="of 5 calls run, 5 hangs") as failed:
        ACTION.local_answer(task_for(root, path, "forever"))
    assert time.monotonic() - started < 30 and "\n" not in str(failed.value)


def test_a_call_that_forks_is_stopped_and_leaves_no_process(
    tmp_path: Path, project_venv: Path
) -> None:
    root = make_project(tmp_path, project_venv, {"spinning.py": SPINNING})
    with pytest.raises(ActionFailed, match="forks"):
        ACTION.local_answer(task_for(root, root / "spinning.py", "spawn"))

    assert _processes() == set()


def test_a_test_that_forks_or_hangs_is_dropped(tmp_path: Path, project_venv: Path) -> None:
    root = make_project(tmp_path, project_venv, {"spinning.py": SPINNING})
    task = task_for(root, root / "spinning.py", "countdown")
    answer = (
        "```python\nimport os\n\nfrom spinning import countdown\n\n\n"
        "def test_counts_down() -> None:\n    assert countdown(3) == 0\n\n\n"
        "def test_forks() -> None:\n    os.fork()\n\n\n"
        "def test_hangs() -> None:\n    countdown(-1)\n```\n"
    )
    verdict: Verdict = ACTION.verify(task, ACTION.to_proposal(task, answer))  # type: ignore[attr-defined]

    assert verdict.proposal is not None
    text = verdict.proposal.files[0].edits[0].new_text
    assert "test_counts_down" in text and "test_forks" not in text and "test_hangs" not in text
    assert "2 dropped (2 failed, 0 flaky)" in verdict.proposal.evidence[0].detail
    assert "test_forks: forks" in verdict.feedback and "test_hangs: hangs" in verdict.feedback
    assert _processes() == set()


def test_the_editors_unsaved_text_is_what_runs(tmp_path: Path, project_venv: Path) -> None:
    root = make_project(
        tmp_path, project_venv, {"calc.py": "def double(x: int) -> int:\n    return x + x\n"}
    )
    task = task_for(root, root / "calc.py", "double")
    edited = "def double(x: int) -> int:\n    return 3 * x\n"
    task = task.model_copy(update={"target": task.target.model_copy(update={"source": edited})})

    proposal = ACTION.to_proposal(task, ACTION.local_answer(task))
    verdict: Verdict = ACTION.verify(task, proposal)  # type: ignore[attr-defined]

    assert verdict.proposal is not None
    assert "assert double(2) == 6" in verdict.proposal.files[0].edits[0].new_text
    assert "unsaved changes, so Accord's harness ran them" in verdict.proposal.evidence[0].detail


def test_not_offered_where_no_test_can_run() -> None:
    python = tree_sitter.Parser(ts_language("python")).parse(
        b"def outer():\n    def inner(x):\n        return x\n    return inner\n"
    )
    outer = python.root_node.children[0]
    inner = outer.child_by_field_name("body").children[0]  # type: ignore[union-attr]
    typescript = tree_sitter.Parser(ts_language("typescript")).parse(
        b"function f(a: number) { return a }"
    )

    assert offered("python", outer)
    assert not offered("python", inner)
    assert not offered("typescript", typescript.root_node.children[0])


def test_a_language_without_a_runner_gets_no_proposal(tmp_path: Path) -> None:
    path = tmp_path / "cart.kt"
    path.write_text("fun total(a: Int, b: Int): Int {\n    return a + b\n}\n")
    task = task_on(path, ActionKind.GENERATE_TESTS, 0, language="kotlin", root=tmp_path)

    verdict: Verdict = ACTION.verify(task, ACTION.to_proposal(task, "```kotlin\ntest()\n```"))  # type: ignore[attr-defined]

    assert verdict.proposal is None and "cannot run kotlin tests" in verdict.reason


def test_typescript_without_a_compiler_gets_no_proposal(tmp_path: Path) -> None:
    path = tmp_path / "cart.ts"
    path.write_text("export function total(a: number, b: number): number {\n  return a + b;\n}\n")
    task = task_on(path, ActionKind.GENERATE_TESTS, 0, language="typescript", root=tmp_path)

    verdict: Verdict = ACTION.verify(task, ACTION.to_proposal(task, "```ts\ntest()\n```"))  # type: ignore[attr-defined]

    assert verdict.proposal is None and "no TypeScript compiler" in verdict.reason


def _processes() -> set[int]:
    """The processes running Accord's harness (a fork of it would run it too)."""
    found = set()
    for entry in Path("/proc").iterdir():
        try:
            if entry.name.isdigit() and str(HARNESS).encode() in (entry / "cmdline").read_bytes():
                found.add(int(entry.name))
        except OSError:
            continue
    return found
