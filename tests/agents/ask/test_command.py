"""``accord ask`` as a subprocess on a tmp project of standard library modules."""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from accord.audit import AuditStore

from ..providers.fakes import KEY, FakeProvider, fake_provider
from .projects import copy_module, run_python


def accord(root: Path, *arguments: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "accord", "ask", *arguments],
        cwd=root,
        capture_output=True,
        text=True,
        timeout=120,
        env={"PATH": "/usr/bin:/bin", "HOME": str(root), "FAKE_KEY": KEY},
    )


@pytest.fixture
def project(tmp_path: Path) -> Path:
    (tmp_path / ".git").mkdir()
    copy_module(tmp_path, "textwrap", "mytextwrap")
    (tmp_path / "report.py").write_text(
        "from mytextwrap import dedent\n\n\ndef report(text):\n    return dedent(text).upper()\n"
    )
    return tmp_path


def test_prints_the_diff_and_risk_and_changes_nothing(project: Path) -> None:
    before = (project / "report.py").read_text()
    done = accord(project, "rename dedent to strip_margin", "--files", "mytextwrap.py", "report.py")
    assert done.returncode == 0, done.stderr
    assert "+++ b/report.py" in done.stdout and "+++ b/mytextwrap.py" in done.stdout
    assert "+from mytextwrap import strip_margin" in done.stdout
    assert "Risk " in done.stdout and "Needs approval by" in done.stdout
    assert "Not applied" in done.stdout
    assert (project / "report.py").read_text() == before


def test_apply_waits_when_the_policy_needs_an_approver_the_user_is_not(project: Path) -> None:
    before = (project / "mytextwrap.py").read_text()
    done = accord(project, "rename dedent to strip_margin", "--files", "mytextwrap.py", "--apply")
    assert done.returncode == 3, done.stderr
    assert "waits for approval by developer, tech_lead" in done.stdout
    assert (project / "mytextwrap.py").read_text() == before


def test_apply_through_the_gate_with_the_users_roles(project: Path) -> None:
    (project / "accord.toml").write_text('[approvals]\nroles = ["developer", "tech_lead"]\n')
    done = accord(project, "rename dedent to strip_margin", "--apply")
    assert done.returncode == 0, done.stderr
    assert "Applied to 2 files." in done.stdout
    out = run_python(project, "import report; print(report.report('  a\\n  b'))")
    assert out == "A\nB\n"
    types = [event.type.value for event in AuditStore(project).events()]
    assert types[-5:] == [
        "proposal.created",
        "risk.scored",
        "decision.made",
        "approval.recorded",
        "proposal.applied",
    ]


def test_an_instruction_that_needs_a_model(project: Path) -> None:
    done = accord(project, "make wrapping faster", "--files", "mytextwrap.py")
    assert done.returncode == 1
    assert "This needs a model" in done.stderr and "rename OLD to NEW" in done.stderr


def test_a_selection_by_lines(project: Path) -> None:
    done = accord(project, "add docstrings", "--files", "report.py", "--lines", "4-5")
    assert done.returncode == 0, done.stderr
    assert '+    """Report.' in done.stdout


@pytest.fixture
def fake() -> Iterator[FakeProvider]:
    with fake_provider() as server:
        yield server


def test_a_never_send_file_is_not_sent_to_a_model(project: Path, fake: FakeProvider) -> None:
    (project / ".gitignore").write_text("private/\n")
    (project / "private").mkdir()
    (project / "private" / "keys.py").write_text("TOKEN = 'hunter2-very-secret'\n")
    model = {
        "kind": "anthropic",
        "model": "claude-fake",
        "base-url": fake.url,
        "api-key-env": "FAKE_KEY",
        "priority": 1,
    }
    (project / "accord.toml").write_text(
        "[providers.model]\n"
        + "".join(f"{key} = {json.dumps(value)}\n" for key, value in model.items())
        + '[providers.local]\nkind = "local"\nenabled = false\n'
    )
    done = accord(project, "make keys rotate", "--files", "private/keys.py")
    assert done.returncode == 1
    assert "private/keys.py is ignored by .gitignore" in done.stderr
    assert fake.requests == []
