"""Functions with docstrings from modules nobody here wrote (stdlib and installed packages),
copied into a project, and the check that a completed docstring kept every line."""

from __future__ import annotations

import ast
import importlib.util
import shutil
from dataclasses import dataclass
from pathlib import Path

from accord.agents.tasks import ActionKind, Target, TargetKind, Task
from accord.protocol import Range

__all__ = ["Documented", "copy_module", "documented_functions", "kept_in_order", "task_for"]


@dataclass(frozen=True, slots=True)
class Documented:
    """A function with a docstring: where it is, and the docstring's lines as written."""

    path: Path
    name: str
    line: int
    column: int
    lines: tuple[str, ...]


def copy_module(module: str, root: Path) -> Path:
    """The module's source file copied under ``root`` (as ``<last part>.py``)."""
    spec = importlib.util.find_spec(module)
    assert spec is not None and spec.origin is not None, module
    target = root / f"{module.rsplit('.', 1)[-1]}.py"
    shutil.copyfile(spec.origin, target)
    return target


def documented_functions(path: Path, limit: int) -> list[Documented]:
    """Up to ``limit`` functions and methods of ``path`` that have a docstring."""
    found: list[Documented] = []
    for node in ast.walk(ast.parse(path.read_text("utf-8"))):
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            raw = ast.get_docstring(node, clean=False)
            if raw and len(found) < limit:
                found.append(
                    Documented(
                        path, node.name, node.lineno - 1, node.col_offset, tuple(raw.split("\n"))
                    )
                )
    return found


def task_for(function: Documented) -> Task:
    """A Document task on the function, as the language server builds one."""
    at = Range.of(function.line, function.column, function.line, function.column)
    return Task(
        kind=ActionKind.DOCUMENT,
        root=str(function.path.parent),
        target=Target(
            path=str(function.path),
            language="python",
            source=function.path.read_text("utf-8"),
            range=at,
            kind=TargetKind.FUNCTION,
            symbol=function.name,
        ),
    )


def docstring_after(text: str, function: Documented) -> tuple[str, ...]:
    """The function's docstring lines, as written, in ``text`` (the edited module)."""
    for node in ast.walk(ast.parse(text)):
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef) and node.name == function.name:
            if node.col_offset == function.column and node.lineno - 1 == function.line:
                return tuple((ast.get_docstring(node, clean=False) or "").split("\n"))
    raise AssertionError(f"{function.name} is gone")


def kept_in_order(before: tuple[str, ...], after: tuple[str, ...]) -> list[str]:
    """The lines of ``before`` missing from ``after`` (each as written, in order)."""
    lost, position = [], 0
    for line in before:
        try:
            position = after.index(line, position) + 1
        except ValueError:
            lost.append(line)
    return lost
