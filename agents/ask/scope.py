"""An Ask task from an instruction and its scope: a selection, a file, or several files.

Whoever builds the task (the language server, ``accord ask``) reads the files' texts (the
editor's unsaved text where there is one); the task carries them, so the proposal is made on
exactly what the user saw.
"""

from __future__ import annotations

from collections.abc import Sequence

from accord.agents.exceptions import ActionFailed
from accord.agents.tasks import ActionKind, Target, TargetKind, Task
from accord.analyzers.languages import language_for
from accord.protocol import Range

__all__ = ["ask_task", "whole"]


def whole(text: str) -> Range:
    """The range of all of ``text``."""
    lines = text.split("\n")
    return Range.of(0, 0, len(lines) - 1, len(lines[-1]))


def ask_task(
    instruction: str,
    root: str | None,
    files: Sequence[tuple[str, str]],
    selection: Range | None = None,
) -> Task:
    """The Ask task of ``instruction`` over ``files`` (path, text); ``selection`` is a range of
    the first file.

    Raises:
        ActionFailed: no instruction, no file, or a file in no known language.
    """
    if not instruction.strip():
        raise ActionFailed("an Ask task needs an instruction")
    if not files:
        raise ActionFailed("an Ask task needs at least one file in scope")
    targets = []
    for index, (path, text) in enumerate(files):
        spec = language_for(None, path)
        if spec is None:
            raise ActionFailed(f"{path} is in no language Accord reads")
        chosen = selection if index == 0 and selection is not None else None
        targets.append(
            Target(
                path=path,
                language=spec.name,
                source=text,
                range=chosen or whole(text),
                kind=TargetKind.SELECTION if chosen else TargetKind.FILE,
            )
        )
    return Task(
        kind=ActionKind.ASK,
        target=targets[0],
        root=root,
        instructions=instruction.strip(),
        scope=tuple(targets),
    )
