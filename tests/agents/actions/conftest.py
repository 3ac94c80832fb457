"""Shared helpers for the action tests: tasks on a snippet, parse checks."""

from __future__ import annotations

import tree_sitter
from accord.agents.actions.outline import parse
from accord.agents.tasks import ActionKind, Target, TargetKind, Task
from accord.protocol import Range

__all__ = ["errors_in", "make_task"]

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
