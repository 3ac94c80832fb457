"""How one language runs the project's tests that cover a file: what they are, and the
command (with its environment) for a copy of the project; and the project's files."""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

__all__ = ["RunCommand", "project_files"]

# Folders never copied nor searched for tests.
_SKIP = frozenset(
    {
        ".git",
        ".hg",
        ".venv",
        "venv",
        "env",
        ".tox",
        ".nox",
        "node_modules",
        "__pycache__",
        ".mypy_cache",
        ".pytest_cache",
        ".ruff_cache",
        ".accord",
        "build",
        "dist",
    }
)


@dataclass(frozen=True, slots=True)
class RunCommand:
    """``what`` the tests are (for the evidence), and ``command(copy)``: the argv and the
    environment to run them in the copy at ``copy``, from ``cwd`` (relative to it).
    ``links`` are folders of the project linked into the copy (``node_modules``)."""

    what: str
    command: Callable[[Path], tuple[list[str], dict[str, str]]]
    cwd: Path = Path()
    links: tuple[str, ...] = field(default=())


def project_files(root: Path) -> list[Path]:
    """Every file of the project, outside the folders in ``_SKIP`` and ``*.egg-info``."""
    found = []
    for folder, dirs, files in os.walk(root):
        dirs[:] = [d for d in dirs if d not in _SKIP and not d.endswith(".egg-info")]
        found += [Path(folder) / name for name in files]
    return found
