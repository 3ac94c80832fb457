"""The project's own Python: its interpreter (virtualenv first), where its imports start, and
whether it has pytest.

The interpreter is the first of ``<root>/.venv``, ``<root>/venv``, ``<root>/env`` that holds a
virtualenv, else ``python3`` on the PATH, else the interpreter running Accord.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from dataclasses import dataclass
from functools import cache
from pathlib import Path

__all__ = ["PythonEnv", "python_env"]

_VENVS = (".venv", "venv", "env")


@dataclass(frozen=True, slots=True)
class PythonEnv:
    """How to run the project's Python code."""

    interpreter: str
    # The folder the module's dotted name is relative to (the root, or its ``src/``).
    import_root: Path
    has_pytest: bool

    @property
    def framework(self) -> str:
        """``pytest`` when the interpreter has it, else ``unittest``."""
        return "pytest" if self.has_pytest else "unittest"


def python_env(root: Path, source: Path, module: str) -> PythonEnv:
    """The environment that runs ``module`` (defined in ``source``) of the project at ``root``."""
    interpreter, has_pytest = _probe(_interpreter(root))
    return PythonEnv(interpreter, _import_root(source, module), has_pytest)


def _interpreter(root: Path) -> str:
    for name in _VENVS:
        candidate = root / name / "bin" / "python"
        if (root / name / "pyvenv.cfg").is_file() and candidate.exists():
            return str(candidate)
    return shutil.which("python3") or sys.executable


def _import_root(source: Path, module: str) -> Path:
    """``source``'s folder less one level per package of ``module`` (``a.b.c`` → two up)."""
    folder = source.parent
    for _ in range(module.count(".")):
        folder = folder.parent
    return folder


_PROBE = """
import sys
try:
    import pytest
except Exception:
    print(sys.executable, 0)
else:
    print(sys.executable, 1)
"""


@cache
def _probe(interpreter: str) -> tuple[str, bool]:
    """The interpreter's own executable (past launchers such as pyenv's shims) and whether it
    has pytest; asked once per interpreter."""
    try:
        found = subprocess.run(
            [interpreter, "-c", _PROBE],
            capture_output=True,
            text=True,
            timeout=30,
            stdin=subprocess.DEVNULL,
        )
    except (OSError, subprocess.TimeoutExpired):
        return interpreter, False
    executable, _, flag = found.stdout.strip().rpartition(" ")
    if found.returncode != 0 or not executable:
        return interpreter, False
    return executable, flag == "1"
