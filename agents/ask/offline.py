"""The instructions the offline ``local`` provider performs, on the files of a task's scope.

``perform`` reads the instruction (``instructions.parse``), runs the operation on the scope's
Python files (their texts as the task carries them) and returns the Answer: every changed
file's new text and a rationale saying what was done. An instruction that is none of the
operations fails with the "needs a model" answer, listing what works offline.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from accord.agents.actions.extraction import extract_function
from accord.agents.exceptions import ActionFailed
from accord.agents.tasks import Target, TargetKind, Task

from .answer import Answer
from .docstrings import add_docstrings
from .fstrings import convert
from .hints import add_hints
from .instructions import Instruction, needs_a_model, parse
from .rename import rename

__all__ = ["perform", "scope_of"]

Files = dict[str, str]


def scope_of(task: Task) -> tuple[Target, ...]:
    """Every file the task may change, its target's first."""
    return task.scope or (task.target,)


def perform(task: Task) -> Answer:
    """What the task's instruction does to its scope, offline.

    Raises:
        ActionFailed: the instruction needs a model, or the operation refuses (the reason).
    """
    instruction = parse(task.instructions)
    if instruction is None:
        raise ActionFailed(needs_a_model(task.instructions))
    files = {t.path: t.source for t in scope_of(task) if t.language == "python"}
    if not files:
        raise ActionFailed(
            f"offline, {instruction.operation.replace('_', ' ')} works on Python files; "
            "these need a model"
        )
    return _OPERATIONS[instruction.operation](instruction, task, files)


def _lines(task: Task) -> dict[str, range] | None:
    """The selected lines of the target, when the scope is a selection."""
    target = task.target
    if target.kind is not TargetKind.SELECTION:
        return None
    end = target.range.end.line
    if target.range.end.character == 0 and end > target.range.start.line:
        end -= 1
    return {target.path: range(target.range.start.line, end + 1)}


def _rename(instruction: Instruction, task: Task, files: Files) -> Answer:
    old, new = instruction.parameters["old"], instruction.parameters["new"]
    changed = rename(files, old, new)
    names = ", ".join(sorted(Path(path).name for path in changed))
    return Answer(f"Renamed {old} to {new} in {names}.", tuple(changed.items()))


def _fstrings(instruction: Instruction, task: Task, files: Files) -> Answer:
    changed, count = {}, 0
    for path, text in files.items():
        done = convert(text)
        if done.count:
            changed[path], count = done.text, count + done.count
    if not count:
        return Answer("Nothing to change: no %-formatting or .format() call that converts exactly.")
    return Answer(f"Converted {count} formatted strings to f-strings.", tuple(changed.items()))


def _docstrings(instruction: Instruction, task: Task, files: Files) -> Answer:
    lines = _lines(task)
    changed, names = dict[str, str](), list[str]()
    for path, text in files.items():
        if lines is not None and path not in lines:
            continue
        done = add_docstrings(text, None if lines is None else lines[path])
        if done.names:
            changed[path] = done.text
            names += done.names
    if not names:
        return Answer("Nothing to change: every function and class in scope has a docstring.")
    shown = ", ".join(names[:8]) + (f" and {len(names) - 8} more" if len(names) > 8 else "")
    todo = sum(text.count("TODO:") - files[path].count("TODO:") for path, text in changed.items())
    note = f" {todo} descriptions are marked TODO for you to fill in." if todo > 0 else ""
    return Answer(
        f"Added docstrings to {shown}; existing ones are kept.{note}", tuple(changed.items())
    )


def _hints(instruction: Instruction, task: Task, files: Files) -> Answer:
    done = add_hints(files, _lines(task))
    if not done.count:
        return Answer("Nothing to change: no parameter's type is known from what the code shows.")
    return Answer(
        f"Added {done.count} type hints from defaults, call sites and returns.",
        tuple(done.texts.items()),
    )


def _extract(instruction: Instruction, task: Task, files: Files) -> Answer:
    target, parameters = task.target, instruction.parameters
    if target.path not in files:
        raise ActionFailed("offline, extract function works on Python files")
    if "start" in parameters:
        start, end = int(parameters["start"]) - 1, int(parameters["end"]) - 1
    elif target.kind is TargetKind.SELECTION:
        span = _lines(task)
        assert span is not None
        start, end = span[target.path].start, span[target.path].stop - 1
    else:
        raise ActionFailed(
            "say which lines to extract (extract lines 10-20 into NAME) or select them"
        )
    done = extract_function(files[target.path], start, end, parameters.get("name", "extracted"))
    returns = f", returning {', '.join(done.returns)}" if done.returns else ""
    rationale = (
        f"Extracted lines {start + 1}-{end + 1} into {done.name}({', '.join(done.parameters)})"
        f"{returns}."
    )
    return Answer(rationale, ((target.path, done.text),))


_OPERATIONS: dict[str, Callable[[Instruction, Task, Files], Answer]] = {
    "rename": _rename,
    "fstrings": _fstrings,
    "docstrings": _docstrings,
    "type_hints": _hints,
    "extract": _extract,
}
