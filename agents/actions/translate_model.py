"""Translate model: a data class, struct or interface emitted for other platforms by codegen.

The answer is one fenced block per file, its info string ``<platform> <file name>``. The local
provider's answer is codegen's own (lift with tree-sitter, emit through the template pack the
project pins with ``[codegen] pack``); a model's answer goes through the same ``to_proposal``,
which refuses any file that does not parse cleanly. The files are created under ``generated/<platform>/`` in the project.
"""

from __future__ import annotations

import re
from pathlib import Path

from accord.agents.exceptions import ActionFailed
from accord.agents.providers.types import Message
from accord.agents.tasks import ActionKind, Task
from accord.codegen.catalog import choose
from accord.codegen.exceptions import CodegenError
from accord.codegen.gen import translate
from accord.codegen.platforms import platform
from accord.codegen.syntax import syntax_problems
from accord.config import load_settings
from accord.protocol import FileEdit, Proposal, Range, TextEdit

from .answers import fenced

__all__ = ["CAPABILITY", "EXPERTISE", "KIND", "local_answer", "prompt", "to_proposal"]

KIND = ActionKind.TRANSLATE_MODEL
CAPABILITY = "code_generation"
EXPERTISE = "system_design"

_BLOCK = re.compile(r"^(`{3,})(\w+) ([\w.-]+)\n(.*?)\n\1$", re.MULTILINE | re.DOTALL)


def prompt(task: Task) -> tuple[str, tuple[Message, ...]]:
    """Asks for the model in each target platform, one fenced block per file."""
    system = (
        "You translate data models between platforms, keeping every field, its wire name, "
        "type, default, documentation and constraints."
    )
    request = (
        f"Translate `{task.target.symbol}` from {task.target.path} "
        f"({task.target.language}) to {', '.join(task.targets)}.\n"
        f"```{task.target.language}\n{task.target.source}\n```\n"
        "Reply with one fenced block per file, its info string `<platform> <file name>`."
    )
    return system, (Message(role="user", content=request),)


def local_answer(task: Task) -> str:
    """Codegen's translation: one fenced block per target platform.

    Raises:
        ActionFailed: the model cannot be lifted or emitted (the message names the line).
    """
    try:
        root = Path(task.root) if task.root else None
        pack = choose(load_settings(root).settings.codegen.pack, root) if root else None
        files = translate(
            task.target.source, task.target.path, list(task.targets), task.target.symbol, pack
        )
    except CodegenError as error:
        raise ActionFailed(str(error)) from error
    return "\n\n".join(
        fenced(file.text.rstrip("\n"), f"{file.platform} {file.name}") for file in files
    )


def to_proposal(task: Task, answer: str) -> Proposal:
    """A proposal creating each answered file under ``generated/<platform>/``.

    Raises:
        ActionFailed: no file in the answer, an unknown platform, or a file that does not
            parse cleanly.
    """
    files = [_file(task, *match.group(2, 3, 4)) for match in _BLOCK.finditer(answer)]
    if not files:
        raise ActionFailed("the answer holds no `<platform> <file name>` code block")
    names = ", ".join(Path(file.path).name for file in files)
    return Proposal(
        action=KIND.value,
        title=f"Translate {task.target.symbol} to {', '.join(task.targets)}",
        rationale=f"Creates {names} from `{task.target.symbol}` in {task.target.path}; every "
        "file parses with no syntax error.",
        files=tuple(files),
    )


def _file(task: Task, target: str, name: str, text: str) -> FileEdit:
    try:
        problems = syntax_problems(text, platform(target))
    except CodegenError as error:
        raise ActionFailed(str(error)) from error
    if problems:
        raise ActionFailed(f"{name} does not parse: {problems[0]}")
    folder = Path(task.root) if task.root else Path(task.target.path).parent
    path = folder / "generated" / target / name
    edit = TextEdit(range=Range.of(0, 0, 0, 0), new_text=text + "\n")
    return FileEdit(path=str(path), edits=(edit,), create=True)
