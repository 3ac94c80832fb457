"""Assurance: the checks a proposal passes before anyone sees it, recorded as its evidence.

``assure`` runs, on every file a proposal edits, the checks that apply to its action:

- ``parses``: the edited file parses (no syntax error the original did not have);
- ``keeps documentation``: no comment, docstring or test of the original is removed;
- Fix: ``finding gone`` (the finding it targets is no longer reported) and ``no new finding``;
- Extract function: ``no new finding``;
- Fix and Extract function: ``tests pass`` (the project's tests that import the module, run in
  a copy of the project with the project's interpreter, under a timeout).

A check the action already recorded is not run again. ``parses``, ``finding gone``, ``no new
finding`` and ``tests pass`` withdraw the proposal when they fail (``ProposalWithdrawn``, with the
reason and every check's result); a removal of documentation is evidence, and the gate's risk
factor keeps such a proposal from being applied without a person's yes. What cannot be checked
here is recorded as ``skipped`` with the reason. Blocking (files, subprocesses): run it in a
worker thread.
"""

from __future__ import annotations

from pathlib import Path

from accord.agents.actions.apply import apply_edits
from accord.agents.exceptions import ProposalWithdrawn
from accord.agents.tasks import ActionKind, Task
from accord.analyzers.languages import language_for
from accord.protocol import FileEdit, Proposal
from accord.protocol.proposal import Check, CheckStatus

from .documentation import keeps_documentation
from .findings import finding_gone, no_new_finding
from .parsing import parses
from .project_tests import tests_pass

__all__ = ["WITHDRAWING", "assure"]

# The checks whose failure withdraws a proposal.
WITHDRAWING = frozenset({"parses", "finding gone", "no new finding", "tests pass"})
_FINDINGS = {ActionKind.FIX, ActionKind.EXTRACT_FUNCTION}


def assure(task: Task, proposal: Proposal, test_timeout: float = 120.0) -> Proposal:
    """``proposal`` with its evidence completed.

    Raises:
        ProposalWithdrawn: a withdrawing check failed; its reason names the check.
    """
    evidence = list(proposal.evidence)
    for file in proposal.files:
        for check in _file_checks(task, file, test_timeout):
            if all(c.name != check.name for c in evidence):
                evidence.append(check)
    failed = [c for c in evidence if c.name in WITHDRAWING and c.status is CheckStatus.FAILED]
    if failed:
        reason = "; ".join(f"{c.name}: {c.detail}" for c in failed)
        raise ProposalWithdrawn(f"{proposal.title} withdrawn: {reason}", tuple(evidence))
    return proposal.model_copy(update={"evidence": tuple(evidence)})


def _file_checks(task: Task, file: FileEdit, test_timeout: float) -> list[Check]:
    before = "" if file.create else _text_before(task, file.path)
    if before is None:
        return []
    after = apply_edits(before, file.edits)
    spec = language_for(None, file.path)
    if spec is None:
        return []
    checks = [parses(spec.name, before, after), keeps_documentation(spec.name, before, after)]
    if file.path != task.target.path or task.kind not in _FINDINGS:
        return checks
    if task.kind is ActionKind.FIX and task.target.code:
        checks.append(finding_gone(spec, file.path, before, after, task.target.code))
    checks.append(no_new_finding(spec, file.path, before, after))
    # Tests run only on a change that parses and fixes what it should.
    if all(c.status is not CheckStatus.FAILED for c in checks if c.name in WITHDRAWING):
        root = Path(task.root) if task.root else None
        checks.append(tests_pass(root, file.path, spec.name, before, after, test_timeout))
    return checks


def _text_before(task: Task, path: str) -> str | None:
    if path == task.target.path:
        return task.target.source
    try:
        return Path(path).read_text("utf-8")
    except (OSError, UnicodeDecodeError):
        return None
