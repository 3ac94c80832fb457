"""Tmp projects made of standard library modules (code nobody here wrote)."""

from __future__ import annotations

import subprocess
import sys
import sysconfig
from pathlib import Path

from accord.agents.ask.scope import ask_task
from accord.agents.tasks import Task
from accord.protocol import Range

__all__ = ["STDLIB", "ask_on", "copy_module", "run_python"]

STDLIB = Path(sysconfig.get_paths()["stdlib"])


def copy_module(
    root: Path, name: str, as_name: str | None = None, replace: dict[str, str] | None = None
) -> Path:
    """Copy ``<stdlib>/<name>.py`` into ``root`` (as ``as_name``), with text replacements."""
    text = (STDLIB / f"{name}.py").read_text("utf-8")
    for old, new in (replace or {}).items():
        assert old in text, old
        text = text.replace(old, new)
    target = root / f"{as_name or name}.py"
    target.write_text(text, "utf-8")
    return target


def ask_on(root: Path, instruction: str, *files: Path, selection: Range | None = None) -> Task:
    """The Ask task of ``instruction`` on ``files`` of the project at ``root``."""
    texts = [(str(path), path.read_text("utf-8")) for path in files]
    return ask_task(instruction, str(root), texts, selection)


def run_python(root: Path, code: str) -> str:
    """Run ``code`` with ``root`` first on the path; its stdout (fails the test on an error)."""
    done = subprocess.run(
        [sys.executable, "-c", code], cwd=root, capture_output=True, text=True, timeout=60
    )
    assert done.returncode == 0, done.stderr
    return done.stdout
