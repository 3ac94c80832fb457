"""Generate tests: a test file in the project's framework, placed where the project keeps tests.

A model is asked for the complete test file in one fenced block; the local provider derives one
from the code (``testing.python_cases`` for Python). Either way the file is created, or, when it
exists, the new tests are appended to it. Rust tests live in the source file, so they are
appended there.
"""

from __future__ import annotations

import re
from pathlib import Path

import tree_sitter
from accord.agents.exceptions import ActionFailed
from accord.agents.providers.types import Message
from accord.agents.tasks import ActionKind, Task
from accord.analyzers.languages import all_languages
from accord.protocol import FileEdit, Proposal, Range, TextEdit

from .answers import split_answer
from .outline import target_outline
from .testing.placement import TestPlan, plan_tests
from .testing.python_tests import python_tests
from .testing.templates import template_tests

__all__ = [
    "CAPABILITY",
    "EXPERTISE",
    "KIND",
    "local_answer",
    "prompt",
    "to_proposal",
]

KIND = ActionKind.GENERATE_TESTS
CAPABILITY = "code_generation"
EXPERTISE = "test_automation"

FENCE = "```"
GO_PACKAGE = re.compile(r"^package\s+(\w+)", re.MULTILINE)


def prompt(task: Task) -> tuple[str, tuple[Message, ...]]:
    """Ask for the complete test file, in the project's framework, in one fenced block."""
    plan = _plan(task)
    target = task.target
    system = (
        f"You are Accord's QA agent. You write {plan.framework} tests that run as they are and "
        "assert real behaviour (never a test that asserts nothing). Reply with the complete test "
        "file in one fenced code block, then one short paragraph on what the tests cover."
    )
    code = _snippet(task)
    user = (
        f"Write {plan.framework} tests for `{target.symbol or 'this code'}` from {target.path} "
        f"(reached as `{plan.module}`). The file will be saved as {plan.path}.\n\n"
        f"{FENCE}{target.language}\n{code}\n{FENCE}"
    )
    if task.instructions:
        user += f"\n\n{task.instructions}"
    return system, (Message(role="user", content=user),)


def local_answer(task: Task) -> str:
    """A test file derived from the code alone, with its rationale after the block.

    Python tests assert what the code states (doctests, guards, return types); the other
    languages get a framework template that runs the function on representative inputs.

    Raises:
        ActionFailed: the language has no offline generator, or nothing sound can be derived.
    """
    plan = _plan(task)
    language = task.target.language
    if language == "python":
        line = task.target.range.start.line
        text, rationale = python_tests(task.target.source, line, plan.module)
    else:
        _, outline = target_outline(task.target)
        text = template_tests(outline, language, plan, _owner(outline.node, language))
        rationale = (
            f"A {plan.framework} test that runs {outline.name} on representative inputs "
            "of its declared types."
        )
    return f"{FENCE}{language}\n{text}{FENCE}\n\n{rationale}"


def to_proposal(task: Task, answer: str) -> Proposal:
    """Create the test file, or append the tests to it when it exists.

    Raises:
        ActionFailed: the answer holds no fenced code block.
    """
    plan = _plan(task)
    code, rationale = split_answer(answer)
    existing = _existing_text(task, plan.path)
    title = f"Tests for {task.target.symbol or Path(task.target.path).name}"
    if existing is None:
        edit = TextEdit(range=Range.of(0, 0, 0, 0), new_text=code)
        file = FileEdit(path=str(plan.path), edits=(edit,), create=True)
    else:
        file = FileEdit(path=str(plan.path), edits=(_append(existing, code),))
    summary = rationale or f"{plan.framework} tests in {plan.path}."
    return Proposal(action=KIND.value, title=title, rationale=summary, files=(file,))


def _owner(node: tree_sitter.Node, language: str) -> str | None:
    """The name of the class (or ``impl`` type) declaring a method, if it is one."""
    classes = all_languages()[language].classes
    parent = node.parent
    while parent is not None and parent.type not in classes:
        parent = parent.parent
    if parent is None:
        return None
    name = parent.child_by_field_name("name") or parent.child_by_field_name("type")
    return name.text.decode("utf-8", errors="replace") if name is not None and name.text else None


def _plan(task: Task) -> TestPlan:
    root = Path(task.root) if task.root else Path(task.target.path).parent
    try:
        plan = plan_tests(Path(task.target.path), root, task.target.language)
    except ValueError as error:
        raise ActionFailed(str(error)) from error
    if task.target.language == "go" and (found := GO_PACKAGE.search(task.target.source)):
        return TestPlan(plan.framework, plan.path, found.group(1))
    return plan


def _existing_text(task: Task, path: Path) -> str | None:
    if str(path) == task.target.path:
        return task.target.source
    try:
        return path.read_text("utf-8")
    except OSError:
        return None


def _append(existing: str, code: str) -> TextEdit:
    lines = existing.split("\n")
    end = Range.of(len(lines) - 1, len(lines[-1]), len(lines) - 1, len(lines[-1]))
    separator = "\n\n" if existing.endswith("\n") else "\n\n\n"
    return TextEdit(range=end, new_text=separator + code)


def _snippet(task: Task) -> str:
    lines = task.target.source.split("\n")
    span = task.target.range
    return "\n".join(lines[span.start.line : span.end.line + 1])
