"""Tasks on a file, as the language server builds them from a code action."""

from __future__ import annotations

from pathlib import Path

import tree_sitter

from accord.agents.actions import action_for
from accord.agents.actions.outline import parse
from accord.agents.tasks import ActionKind, Target, TargetKind, Task
from accord.analyzers.engine import DocumentAnalysis
from accord.analyzers.languages import all_languages
from accord.analyzers.source import SourceDocument
from accord.config import Settings
from accord.protocol import Proposal, Range


def task_on(
    path: Path,
    kind: ActionKind,
    line: int,
    end_line: int | None = None,
    language: str = "python",
    root: Path | None = None,
    target: TargetKind = TargetKind.FUNCTION,
    instructions: str = "",
) -> Task:
    """A task on zero-based ``line`` (to ``end_line``) of the file at ``path``."""
    end = line if end_line is None else end_line
    return Task(
        kind=kind,
        root=str(root or path.parent),
        instructions=instructions,
        target=Target(
            path=str(path),
            language=language,
            source=path.read_text("utf-8"),
            range=Range.of(line, 0, end, 0),
            kind=target,
        ),
    )


PATHS = {
    "python": "m.py",
    "javascript": "m.js",
    "typescript": "m.ts",
    "tsx": "m.tsx",
    "java": "M.java",
    "kotlin": "m.kt",
    "swift": "m.swift",
    "go": "m.go",
    "rust": "m.rs",
    "csharp": "M.cs",
}


def make_task(
    kind: ActionKind,
    language: str,
    source: str,
    line: int,
    *,
    target: TargetKind = TargetKind.FUNCTION,
    end: tuple[int, int] | None = None,
    code: str | None = None,
    message: str | None = None,
    column: int = 0,
) -> Task:
    """A task of ``kind`` on ``source`` whose range starts at ``line``/``column``."""
    stop = end or (line, column)
    return Task(
        kind=kind,
        target=Target(
            path=PATHS[language],
            language=language,
            source=source,
            range=Range.of(line, column, *stop),
            kind=target,
            code=code,
            message=message,
        ),
    )


def errors_in(language: str, text: str) -> list[str]:
    """The ERROR and MISSING nodes of ``text`` parsed as ``language`` (empty when it parses)."""
    found: list[str] = []
    cursor: list[tree_sitter.Node] = [parse(language, text).tree.root_node]
    while cursor:
        node = cursor.pop()
        if node.is_error or node.is_missing:
            found.append(f"{node.type} at {node.start_point}")
        cursor.extend(node.children)
    return found


SECRET = "Zx9Qw8Er7Ty6Ui5Op4As3Df2Gh1Jk0Lm"


def finding_task(language: str, source: str, code: str) -> Task:
    """A Fix task on the first ``code`` finding the analyzers report in ``source``."""
    document = SourceDocument.from_text(all_languages()[language], source)
    found = [f for f in DocumentAnalysis(document, Settings(), "m").findings if f.code == code]
    assert found, f"no {code} finding in {source!r}"
    parsed = parse(language, source)
    start, end = parsed.position_of(found[0].start), parsed.position_of(found[0].end)
    return make_task(
        ActionKind.FIX,
        language,
        source,
        start.line,
        column=start.character,
        end=(end.line, end.character),
        target=TargetKind.DIAGNOSTIC,
        code=code,
        message=found[0].message,
    )


def task_after(path: Path, root: Path, needle: str, language: str) -> Task:
    """A Generate tests task with the cursor right after the first ``needle`` of the file."""
    lines = path.read_text("utf-8").split("\n")
    line = next(n for n, text in enumerate(lines) if needle in text)
    column = lines[line].index(needle) + len(needle)
    task = task_on(path, ActionKind.GENERATE_TESTS, line, language=language, root=root)
    span = Range.of(line, column, line, column)
    return task.model_copy(update={"target": task.target.model_copy(update={"range": span})})


def verified_tests(task: Task) -> Proposal:
    """The Generate tests proposal for ``task`` as offline recording and verifying leave it."""
    action = action_for(ActionKind.GENERATE_TESTS)
    proposal = action.to_proposal(task, action.local_answer(task))
    verdict = action.verify(task, proposal)  # type: ignore[attr-defined]
    assert verdict.proposal is not None, verdict.reason
    return verdict.proposal  # type: ignore[no-any-return]
