"""Calls to a function found in the project and its tests, with literal arguments only.

A file is read only when its text names the function; at most ``FILES`` files of at most
``SIZE`` bytes are looked at, skipping virtualenvs, caches and vendored folders. A call counts
when it is ``name(...)`` or ``<module>.name(...)`` and every argument is a literal; it is
returned as ``name(...)`` with the arguments' source.
"""

from __future__ import annotations

import ast
import os
from pathlib import Path

__all__ = ["call_sites"]

FILES = 400
SIZE = 300_000
# At most this many call sites per function.
LIMIT = 8
_SKIPPED = {".git", ".venv", "venv", "env", "node_modules", "__pycache__", "build", "dist", ".tox"}


def call_sites(root: Path, module: str, name: str) -> list[str]:
    """Up to ``LIMIT`` distinct literal calls of ``name`` in the ``.py`` files under ``root``."""
    owner = module.rpartition(".")[2]
    found: list[str] = []
    for path in _python_files(root):
        try:
            if path.stat().st_size > SIZE:
                continue
            text = path.read_text("utf-8")
        except (OSError, UnicodeDecodeError):
            continue
        if f"{name}(" not in text:
            continue
        for call in _calls(text, name, owner):
            if call not in found:
                found.append(call)
            if len(found) == LIMIT:
                return found
    return found


def _python_files(root: Path) -> list[Path]:
    files: list[Path] = []
    for folder, dirs, names in os.walk(root):
        dirs[:] = sorted(d for d in dirs if d not in _SKIPPED and not d.startswith("."))
        files += [Path(folder) / n for n in sorted(names) if n.endswith(".py")]
        if len(files) >= FILES:
            return files[:FILES]
    return files


def _calls(text: str, name: str, owner: str) -> list[str]:
    try:
        tree = ast.parse(text)
    except (SyntaxError, ValueError):
        return []
    calls = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and _names(node.func, name, owner) and _literal(node):
            arguments = [ast.unparse(a) for a in node.args]
            arguments += [f"{k.arg}={ast.unparse(k.value)}" for k in node.keywords]
            calls.append(f"{name}({', '.join(arguments)})")
    return calls


def _names(func: ast.expr, name: str, owner: str) -> bool:
    if isinstance(func, ast.Name):
        return func.id == name
    return (
        isinstance(func, ast.Attribute)
        and func.attr == name
        and isinstance(func.value, ast.Name)
        and func.value.id == owner
    )


def _literal(call: ast.Call) -> bool:
    values = [*call.args, *(k.value for k in call.keywords)]
    if any(isinstance(v, ast.Starred) for v in call.args) or any(
        k.arg is None for k in call.keywords
    ):
        return False
    try:
        for value in values:
            ast.literal_eval(value)
    except (ValueError, TypeError, SyntaxError, MemoryError, RecursionError):
        return False
    return bool(values)
