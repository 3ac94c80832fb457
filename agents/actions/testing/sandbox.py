"""Run a command in a sandboxed subprocess: its own process group, a temporary working folder,
a small environment and a timeout.

Guarantees: when ``run`` returns, no process of the command's group is left. A command still
running at the timeout is killed with its whole group (``timed_out``); processes the command
left behind after it exited (a fork that outlived it) are killed too, and ``forked`` says so.
Nothing needs the network. Not a security boundary: the code runs as the user.
"""

from __future__ import annotations

import os
import signal
import subprocess
import tempfile
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

__all__ = ["Outcome", "run_sandboxed"]

# The variables a run inherits from the server's environment; everything else is left out.
_INHERITED = ("PATH", "LANG", "LC_ALL", "SYSTEMROOT", "TMPDIR")


@dataclass(frozen=True, slots=True)
class Outcome:
    """How a sandboxed run ended."""

    returncode: int
    stdout: str
    stderr: str
    timed_out: bool = False
    # Processes of the run's group outlived it (they were killed).
    forked: bool = False


def run_sandboxed(
    argv: Sequence[str],
    timeout: float,
    env: Mapping[str, str] | None = None,
    cwd: Path | None = None,
) -> Outcome:
    """Run ``argv`` in a fresh temporary folder (or ``cwd``) with ``env`` over a small base."""
    with tempfile.TemporaryDirectory(prefix="accord-run-") as scratch:
        folder = cwd or Path(scratch)
        base = {name: os.environ[name] for name in _INHERITED if name in os.environ}
        full = {**base, "HOME": scratch, "PYTHONDONTWRITEBYTECODE": "1", **(env or {})}
        process = subprocess.Popen(
            list(argv),
            cwd=folder,
            env=full,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            errors="replace",
            start_new_session=True,
        )
        try:
            stdout, stderr = process.communicate(timeout=timeout)
        except subprocess.TimeoutExpired:
            _kill_group(process.pid)
            stdout, stderr = process.communicate()
            return Outcome(process.returncode, stdout, stderr, timed_out=True)
        forked = _kill_group(process.pid)
        return Outcome(process.returncode, stdout, stderr, forked=forked)


def _kill_group(group: int) -> bool:
    """Kill every process of ``group``; whether any was still there."""
    try:
        os.killpg(group, signal.SIGKILL)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True
