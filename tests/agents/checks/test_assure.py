"""Proposals checked before anyone sees them, on a copy of a stdlib module with a secret in it:
the Fix parses, its finding is gone, none is new, the project's tests pass; or it is withdrawn
with the reason."""

from __future__ import annotations

import sys
import textwrap
import time
from pathlib import Path

import pytest

from accord.agents.actions import extract_function, fix
from accord.agents.checks import assure, project_tests
from accord.agents.exceptions import ProposalWithdrawn
from accord.agents.tasks import ActionKind, Task
from accord.protocol import FileEdit, Proposal, Range, TextEdit
from accord.protocol.proposal import CheckStatus

from ..actions.tasks import SECRET, finding_task, task_on

PASSING = """\
from pkg import textwrap


def test_dedent():
    assert textwrap.dedent("  a\\n  b\\n") == "a\\nb\\n"
"""
CALLS_THE_FIXED_CODE = (
    PASSING
    + """

def test_shorten():
    assert textwrap.shorten("Hello  world!", width=12) == "Hello world!"
"""
)


def project(root: Path, test: str | None) -> Path:
    """``pkg/textwrap.py`` (the stdlib's) with a hard-coded key in ``shorten``, and a test."""
    (root / "pkg").mkdir()
    (root / "pkg" / "__init__.py").write_text("", "utf-8")
    text = Path(textwrap.__file__).read_text("utf-8")
    marker = "    w = TextWrapper(width=width, max_lines=1, **kwargs)\n"
    assert marker in text
    text = text.replace(marker, f'    api_key = "{SECRET}"\n{marker}', 1)
    (root / "pkg" / "textwrap.py").write_text(text, "utf-8")
    if test is not None:
        (root / "tests").mkdir()
        (root / "tests" / "test_textwrap.py").write_text(test, "utf-8")
    return root / "pkg" / "textwrap.py"


def fix_task(path: Path) -> Task:
    task = finding_task("python", path.read_text("utf-8"), "ACC003")
    target = task.target.model_copy(update={"path": str(path)})
    return task.model_copy(update={"target": target, "root": str(path.parent.parent)})


def statuses(proposal_or_error: Proposal | ProposalWithdrawn) -> dict[str, str]:
    return {c.name: c.status.value for c in proposal_or_error.evidence}


def test_a_sound_fix_carries_its_evidence(tmp_path: Path) -> None:
    task = fix_task(project(tmp_path, PASSING))

    proposal = assure(task, fix.to_proposal(task, fix.local_answer(task)))

    assert statuses(proposal) == {
        "parses": "passed",
        "keeps documentation": "passed",
        "finding gone": "passed",
        "no new finding": "passed",
        "tests pass": "passed",
    }
    [tests] = [c for c in proposal.evidence if c.name == "tests pass"]
    assert tests.detail.startswith("1 test file(s) importing pkg.textwrap pass")


def test_a_fix_whose_project_test_fails_is_withdrawn_with_the_reason(tmp_path: Path) -> None:
    task = fix_task(project(tmp_path, CALLS_THE_FIXED_CODE))

    with pytest.raises(ProposalWithdrawn, match="tests pass: 1 test file") as withdrawn:
        assure(task, fix.to_proposal(task, fix.local_answer(task)))

    assert "KeyError" in str(withdrawn.value) and "API_KEY" in str(withdrawn.value)
    assert statuses(withdrawn.value)["finding gone"] == "passed"
    assert statuses(withdrawn.value)["tests pass"] == "failed"


def test_tests_failing_before_the_change_are_said_not_blamed(tmp_path: Path) -> None:
    broken = PASSING.replace('== "a\\nb\\n"', '== "not what dedent gives"')
    task = fix_task(project(tmp_path, broken))

    proposal = assure(task, fix.to_proposal(task, fix.local_answer(task)))

    [tests] = [c for c in proposal.evidence if c.name == "tests pass"]
    assert tests.status is CheckStatus.SKIPPED and "without the change too" in tests.detail


def test_a_hanging_test_is_killed_at_the_timeout(tmp_path: Path) -> None:
    hangs = PASSING + "\n\ndef test_hangs():\n    import time\n    time.sleep(60)\n"
    task = fix_task(project(tmp_path, hangs))
    started = time.perf_counter()

    proposal = assure(task, fix.to_proposal(task, fix.local_answer(task)), test_timeout=3)

    assert time.perf_counter() - started < 20
    [tests] = [c for c in proposal.evidence if c.name == "tests pass"]
    assert tests.status is CheckStatus.SKIPPED and "without the change too" in tests.detail


@pytest.mark.parametrize(
    ("answer", "failed", "reason"),
    [
        ("```text\nos.environ[\n```", "parses", "parses: line"),
        (f'```text\n"{SECRET}"\n```', "finding gone", "ACC003 is still reported"),
        (
            '```text\nos.environ["API_KEY"] + eval(input())\n```',
            "no new finding",
            "no new finding: ACC",
        ),
    ],
    ids=["does-not-parse", "finding-stays", "new-finding"],
)
def test_a_wrong_model_answer_is_withdrawn(
    tmp_path: Path, answer: str, failed: str, reason: str
) -> None:
    task = fix_task(project(tmp_path, None))

    with pytest.raises(ProposalWithdrawn, match=reason) as withdrawn:
        assure(task, fix.to_proposal(task, answer))

    assert statuses(withdrawn.value)[failed] == "failed"


def test_no_project_tests_is_said(tmp_path: Path) -> None:
    task = fix_task(project(tmp_path, None))

    proposal = assure(task, fix.to_proposal(task, fix.local_answer(task)))

    [tests] = [c for c in proposal.evidence if c.name == "tests pass"]
    assert tests.status is CheckStatus.SKIPPED
    assert tests.detail == "no test of the project imports pkg.textwrap"


def test_extract_function_runs_the_project_tests(tmp_path: Path) -> None:
    path = project(tmp_path, CALLS_THE_FIXED_CODE.replace(f'"{SECRET}"', "x"))
    text = path.read_text("utf-8").replace(f'    api_key = "{SECRET}"\n', "")
    path.write_text(text, "utf-8")
    lines = text.split("\n")
    start = lines.index("    w = TextWrapper(width=width, max_lines=1, **kwargs)")
    task = task_on(path, ActionKind.EXTRACT_FUNCTION, start, start + 1, root=tmp_path)

    proposal = assure(task, extract_function.to_proposal(task, extract_function.local_answer(task)))

    assert statuses(proposal) == {
        "parses": "passed",
        "keeps documentation": "passed",
        "no new finding": "passed",
        "tests pass": "passed",
    }


def test_a_removed_docstring_is_evidence_not_a_withdrawal(tmp_path: Path) -> None:
    path = project(tmp_path, None)
    task = fix_task(path)
    proposal = fix.to_proposal(task, fix.local_answer(task))
    text = path.read_text("utf-8")
    doc = '    """Collapse and truncate the given text to fit in the given width.\n'
    start = text[: text.index(doc)].count("\n")
    cut = TextEdit(range=Range.of(start, 0, start + 1, 0), new_text='    """Shorten.\n')
    edits = (*proposal.files[0].edits, cut)
    proposal = proposal.model_copy(update={"files": (FileEdit(path=str(path), edits=edits),)})

    checked = assure(task, proposal)

    [kept] = [c for c in checked.evidence if c.name == "keeps documentation"]
    assert kept.status is CheckStatus.FAILED and "removes 1 docstring line" in kept.detail


def test_which_tests_import_a_module(tmp_path: Path) -> None:
    path = project(tmp_path, PASSING)
    (tmp_path / "tests" / "test_other.py").write_text("import json\n", "utf-8")
    (tmp_path / "tests" / "test_package.py").write_text("import pkg\n", "utf-8")
    (tmp_path / "tests" / "test_broken.py").write_text("def (:\n", "utf-8")

    names = project_tests.modules_of(tmp_path, path)

    assert names == ["pkg.textwrap", "textwrap"]
    assert project_tests.tests_importing(tmp_path, names) == [
        Path("tests/test_package.py"),
        Path("tests/test_textwrap.py"),
    ]
    assert project_tests.interpreter_of(tmp_path) == sys.executable
    (tmp_path / ".venv" / "bin").mkdir(parents=True)
    (tmp_path / ".venv" / "bin" / "python").write_text("", "utf-8")
    assert project_tests.interpreter_of(tmp_path) == str(tmp_path / ".venv" / "bin" / "python")
