"""Small projects and tasks on them, for the guard and context tests."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

from accord.agents.tasks import ActionKind, Target, TargetKind, Task
from accord.protocol import Position, Range

__all__ = ["document_task", "write_tree"]


def write_tree(root: Path, files: Mapping[str, str]) -> Path:
    """Write each relative path's text under ``root`` (folders made as needed); return ``root``."""
    for name, text in files.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text(text)
    return root


def document_task(root: Path, rel: str, source: str, lines: tuple[int, int], symbol: str) -> Task:
    """A task to document the Python function ``symbol`` on ``lines`` (0-based) of ``rel``."""
    target = Target(
        path=str(root / rel),
        language="python",
        source=source,
        range=Range(
            start=Position(line=lines[0], character=0), end=Position(line=lines[1], character=0)
        ),
        kind=TargetKind.FUNCTION,
        symbol=symbol,
    )
    return Task(kind=ActionKind.DOCUMENT, target=target, root=str(root))
