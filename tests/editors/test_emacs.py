"""Emacs in batch mode with Eglot and Accord's snippet (``editors/emacs/accord-eglot.el``),
against the real ``accord lsp``: the third real client.

Eglot finds the server through the snippet's ``eglot-server-programs`` entry. The prompts a user
answers in the minibuffer (Eglot's "Server wants to edit … Proceed?", Accord's Apply / Reject)
read standard input in batch mode, so the test types the answers there.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from .harness import EDITORS, MIGRATION, MIGRATION_PATH, executable, run_editor

EMACS = executable("emacs")
DRIVER = Path(__file__).parent / "emacs" / "action.el"

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(
        EMACS is None, reason="emacs is not installed (apt-get install emacs-nox elpa-eglot)"
    ),
]


def run_emacs(
    project: Path, env: dict[str, str], file: str, kind: str, title: str, typed: str
) -> dict[str, Any]:
    """Open ``file``, run the code action ``title`` of ``kind``, typing ``typed`` at prompts."""
    assert EMACS is not None
    report = project.parent / "report.json"
    env = env | {
        "ACCORD_EGLOT": str(EDITORS / "emacs" / "accord-eglot.el"),
        "ACCORD_FILE": file,
        "ACCORD_KIND": kind,
        "ACCORD_TITLE": title,
        "ACCORD_REPORT": str(report),
    }
    run = run_editor([EMACS, "--batch", "-l", str(DRIVER)], project, env, stdin=typed)
    assert report.exists(), run.done.stdout + run.done.stderr
    answer: dict[str, Any] = json.loads(report.read_text("utf-8"))
    answer["output"] = run.done.stdout + run.done.stderr  # the minibuffer's prompts
    print(
        f"\nemacs {file} {title}: {run.seconds:.2f} s",
        answer.get("diagnostics_ms"),
        answer.get("action_ms"),
    )
    assert "errors" not in answer, (answer, run.done.stderr)
    return answer


def test_a_finding_arrives_and_a_code_action_applies(
    project: Path, editor_env: dict[str, str]
) -> None:
    report = run_emacs(
        project,
        editor_env,
        "shop/pricing.py",
        "refactor.rewrite.accord.document",
        "Accord: Document quote",
        typed="y\n",
    )

    assert any(d.startswith("accord [ACC001]") for d in report["diagnostics"])
    assert report["result"]["applied"] is True
    assert "Args:\n        coupon:" in report["text"]
    assert "Args:" in (project / "shop/pricing.py").read_text("utf-8")


def fix_migration(project: Path, env: dict[str, str], typed: str) -> dict[str, Any]:
    """Run the migration's Fix (risk 8/10), typing ``typed`` at the prompts."""
    return run_emacs(project, env, MIGRATION_PATH, "quickfix", "Accord: Fix ACC003", typed)


def test_an_approval_answered_apply_changes_the_file(
    project: Path, editor_env: dict[str, str]
) -> None:
    report = fix_migration(project, editor_env, typed="Apply\ny\n")

    assert any(d.startswith("accord [ACC003]") for d in report["diagnostics"])
    assert (
        "Risk 8/10" in report["output"]
        and "Needs approval by tech_lead, manager" in report["output"]
    )
    assert (report["result"]["applied"], report["result"]["workflow"]) == (
        True,
        "managed_development",
    )
    assert 'os.environ["GITHUB_TOKEN"]' in (project / MIGRATION_PATH).read_text("utf-8")


def test_an_approval_answered_reject_leaves_the_file(
    project: Path, editor_env: dict[str, str]
) -> None:
    report = fix_migration(project, editor_env, typed="Reject\n")

    assert (report["result"]["applied"], report["result"]["state"]) == (False, "rejected")
    assert report["text"] == MIGRATION
    assert (project / MIGRATION_PATH).read_text("utf-8") == MIGRATION


def test_the_ask_code_action_asks_for_the_words_in_the_minibuffer(
    project: Path, editor_env: dict[str, str]
) -> None:
    """Eglot runs "Accord: Ask an agent..." with its scope only; accord-eglot.el reads the
    words in the minibuffer (typed here on standard input) and sends them with it."""
    report = run_emacs(
        project,
        editor_env,
        "shop/pricing.py",
        "refactor.accord.ask",
        "Accord: Ask an agent",
        typed="rename total to amount\nApply\ny\n",
    )

    assert "Ask an agent: " in report["output"] and "Risk 7.7/10" in report["output"]
    assert report["result"]["title"] == "Ask: rename total to amount"
    assert report["result"]["applied"] is True
    assert "amount = price * quantity" in (project / "shop/pricing.py").read_text("utf-8")
