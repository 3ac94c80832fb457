"""Ask: a task in the user's own words (``Task.instructions``) over a scope of files.

With a model, the orchestrator runs a bounded tool conversation (``accord.agents.ask.loop``):
the model reads the workspace through tools and ends with ``propose``. Offline, the ``local``
provider performs the instructions it knows (``accord.agents.ask.offline``: rename, f-strings,
docstrings, type hints, extract function) and says "needs a model" for anything else. Both
answer in the same form (``accord.agents.ask.answer``), turned here into line edits of the
files in scope, so the proposal goes on to the risk score and the gate like any other.
"""

from __future__ import annotations

from pathlib import Path

from accord.agents.ask.answer import line_edits, read_answer, write_answer
from accord.agents.ask.edits import check_answer
from accord.agents.ask.offline import perform, scope_of
from accord.agents.exceptions import ActionFailed
from accord.agents.providers.types import Message
from accord.agents.tasks import ActionKind, TargetKind, Task
from accord.protocol import FileEdit, Proposal

__all__ = ["CAPABILITY", "EXPERTISE", "KIND", "TOOLS", "local_answer", "prompt", "to_proposal"]

KIND = ActionKind.ASK
CAPABILITY = "code_generation"
EXPERTISE = "refactoring"
# The orchestrator runs this action as a tool conversation.
TOOLS = True

_SYSTEM = (
    "You are Accord's coding agent, working in the user's project. Do what the user asks, and "
    "only that: change nothing else, and keep every comment, docstring and test you were not "
    "asked to change. Use the tools to look before you edit: read_file, list_files, "
    "search_symbols, run_tests. Finish by calling `propose` once with your edits; each edit's "
    "`old` text must be copied exactly from the file. Only the files in scope may change. If a "
    "tool refuses a file, do not try to reach it another way."
)


def prompt(task: Task) -> tuple[str, tuple[Message, ...]]:
    """The instruction, the files in scope and (for a selection) the selected lines."""
    if not task.instructions.strip():
        raise ActionFailed("an Ask task needs an instruction")
    files = "\n".join(f"- {_shown(t.path, task.root)}" for t in scope_of(task))
    request = f"{task.instructions.strip()}\n\nFiles in scope (only these may change):\n{files}"
    target = task.target
    if target.kind is TargetKind.SELECTION:
        start, end = target.range.start.line, target.range.end.line
        lines = target.source.split("\n")[start : end + 1]
        request += (
            f"\n\nThe selection, lines {start + 1}-{end + 1} of {_shown(target.path, task.root)}:"
            "\n```\n" + "\n".join(lines) + "\n```"
        )
    return _SYSTEM, (Message(role="user", content=request),)


def local_answer(task: Task) -> str:
    """The offline operation's result, as an Answer.

    Raises:
        ActionFailed: the instruction needs a model, or the operation refuses (why).
    """
    return write_answer(perform(task))


def to_proposal(task: Task, answer: str) -> Proposal:
    """Line edits of the files in scope, from the answer's new texts.

    Raises:
        ActionFailed: no answer, a file out of scope, or Python that does not parse.
    """
    scope = {t.path: t.source for t in scope_of(task)}
    root = Path(task.root) if task.root else None
    checked = check_answer(read_answer(answer), root, scope)
    files = tuple(
        FileEdit(path=path, edits=edits)
        for path, text in checked.files
        if (edits := line_edits(scope[path], text))
    )
    short = " ".join(task.instructions.split())
    title = f"Ask: {short[:60]}{'…' if len(short) > 60 else ''}"
    return Proposal(
        action=KIND.value,
        title=title,
        rationale=checked.rationale or ("Nothing to change." if not files else title),
        files=files,
    )


def _shown(path: str, root: str | None) -> str:
    if root is None:
        return path
    try:
        return Path(path).relative_to(root).as_posix()
    except ValueError:
        return path
