"""Tasks on a file, as the language server builds them from a code action."""

from __future__ import annotations

from pathlib import Path

from accord.agents.tasks import ActionKind, Target, TargetKind, Task
from accord.protocol import Range


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
