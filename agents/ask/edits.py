"""A model's proposed edits (``propose``'s arguments) checked and applied to the scope's texts.

Each edit replaces the exact text ``old`` with ``new`` in a file of the scope; ``old`` must
occur exactly once (so the edit cannot land in the wrong place), edits to one file apply in
order, and every Python file must still parse afterwards. Anything else is refused with a
reason the tool loop hands back to the model, so it can correct its answer.
"""

from __future__ import annotations

import ast
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from accord.agents.exceptions import ActionFailed

from .answer import Answer

__all__ = ["apply_proposed", "check_answer", "in_scope"]


def in_scope(path: str, root: Path | None, scope: Mapping[str, str]) -> str:
    """The scope's own spelling of ``path`` (relative to ``root`` or absolute).

    Raises:
        ActionFailed: the path is not one of the files in scope.
    """
    candidates = [path] if root is None else [path, str(root / path)]
    for candidate in candidates:
        normal = str(Path(candidate).resolve())
        for known in scope:
            if str(Path(known).resolve()) == normal:
                return known
    raise ActionFailed(f"{path} is not in the task's scope; only these may change: {_names(scope)}")


def apply_proposed(
    arguments: Mapping[str, Any], root: Path | None, scope: Mapping[str, str]
) -> Answer:
    """The Answer that ``propose``'s arguments amount to.

    Raises:
        ActionFailed: a malformed call, a file out of scope, an ``old`` text that does not occur
            exactly once, or a result that does not parse.
    """
    edits = arguments.get("edits")
    if not isinstance(edits, list) or not edits:
        raise ActionFailed("propose needs a non-empty list of edits {path, old, new}")
    texts: dict[str, str] = {}
    for number, edit in enumerate(edits, 1):
        if not isinstance(edit, dict) or not all(
            isinstance(edit.get(k), str) for k in ("path", "old", "new")
        ):
            raise ActionFailed(f"edit {number} needs the strings path, old and new")
        path = in_scope(edit["path"], root, scope)
        text = texts.get(path, scope[path])
        count = text.count(edit["old"]) if edit["old"] else 0
        if count != 1:
            where = "does not occur" if count == 0 else f"occurs {count} times"
            raise ActionFailed(
                f"edit {number}: the old text {where} in {edit['path']}; copy it exactly "
                "from the file (read_file), with enough lines to be unique"
            )
        texts[path] = text.replace(edit["old"], edit["new"], 1)
    answer = Answer(str(arguments.get("rationale", "")), tuple(texts.items()))
    return check_answer(answer, root, scope)


def check_answer(answer: Answer, root: Path | None, scope: Mapping[str, str]) -> Answer:
    """``answer`` with its paths in the scope's spelling, once every Python file parses.

    Raises:
        ActionFailed: a file out of scope, or a Python file that would not parse.
    """
    files = []
    for path, text in answer.files:
        known = in_scope(path, root, scope)
        if known.endswith((".py", ".pyi")):
            try:
                ast.parse(text)
            except SyntaxError as error:
                raise ActionFailed(
                    f"{Path(known).name} would not parse: {error.msg} (line {error.lineno})"
                ) from error
        files.append((known, text))
    return Answer(answer.rationale, tuple(files))


def _names(scope: Mapping[str, str]) -> str:
    return ", ".join(sorted(Path(path).name for path in scope))
