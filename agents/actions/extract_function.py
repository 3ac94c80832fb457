"""Extract function (Python): the selected statements become a function, called in their place.

The refactoring itself is deterministic (``extraction``, over libcst and ``ast``), so the local
answer is exact; a model may be asked instead and its module is then checked to parse.
"""

from __future__ import annotations

import ast

from accord.agents.exceptions import ActionFailed
from accord.agents.providers.types import Message
from accord.agents.tasks import ActionKind, Task
from accord.protocol import FileEdit, Proposal, Range, TextEdit

from .answers import split_answer
from .extraction import extract_function
from .generate_tests import FENCE

__all__ = ["CAPABILITY", "EXPERTISE", "KIND", "local_answer", "prompt", "to_proposal"]

KIND = ActionKind.EXTRACT_FUNCTION
CAPABILITY = "code_generation"
EXPERTISE = "refactoring"


def prompt(task: Task) -> tuple[str, tuple[Message, ...]]:
    """Ask for the whole refactored module in one fenced block."""
    start, end = _lines(task)
    system = (
        "You are Accord's refactoring agent. Extract the selected statements into a new "
        "function with exactly the parameters it needs and the values the rest of the code "
        "uses returned; behaviour must not change. Reply with the complete new module in one "
        "```python fenced block, then one sentence on what you did."
    )
    user = (
        f"Extract lines {start + 1}-{end + 1} of {task.target.path} into a function"
        f"{' named ' + task.instructions if task.instructions else ''}.\n\n"
        f"{FENCE}python\n{task.target.source}\n{FENCE}"
    )
    return system, (Message(role="user", content=user),)


def local_answer(task: Task) -> str:
    """The refactored module, computed exactly.

    Raises:
        ActionFailed: not Python, or the selection cannot be extracted (the reason says why).
    """
    if task.target.language != "python":
        raise ActionFailed("extract function is available for Python")
    start, end = _lines(task)
    name = task.instructions.strip() or "extracted"
    done = extract_function(task.target.source, start, end, name)
    returns = f", returning {', '.join(done.returns)}" if done.returns else ""
    rationale = (
        f"Extracted lines {start + 1}-{end + 1} into {done.name}({', '.join(done.parameters)})"
        f"{returns}."
    )
    return f"{FENCE}python\n{done.text}{FENCE}\n\n{rationale}"


def to_proposal(task: Task, answer: str) -> Proposal:
    """Replace the module's text by the answer's.

    Raises:
        ActionFailed: no code block, or the new module does not parse.
    """
    code, rationale = split_answer(answer)
    try:
        ast.parse(code)
    except SyntaxError as error:
        raise ActionFailed(f"the refactored module does not parse: {error.msg}") from error
    lines = task.target.source.split("\n")
    whole = Range.of(0, 0, len(lines) - 1, len(lines[-1]))
    if task.target.source.endswith("\n") is False and code.endswith("\n"):
        code = code[:-1]
    edit = TextEdit(range=whole, new_text=code)
    file = FileEdit(path=task.target.path, edits=(edit,))
    return Proposal(
        action=KIND.value,
        title="Extract function",
        rationale=rationale or "Extracted the selection into a function.",
        files=(file,),
    )


def _lines(task: Task) -> tuple[int, int]:
    span = task.target.range
    end = span.end.line
    if span.end.character == 0 and end > span.start.line:
        end -= 1
    return span.start.line, end
