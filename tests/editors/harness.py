"""Running real editors headless against the real server."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


EDITORS = ROOT / "editors"


SAMPLE = ROOT / "examples" / "sample-project"


VENV_BIN = Path(sys.executable).parent


SEARCH_PATH = os.pathsep.join([str(VENV_BIN), os.environ.get("PATH", "/usr/bin:/bin")])


# A data migration holding a token: its Fix scores 8/10 and needs tech_lead and manager.
MIGRATION_PATH = "db/migrations/0002_seed.py"


MIGRATION = """\
def seed(connection):
    token = "ghp_0123456789abcdefABCDEF0123456789abcd"
    connection.execute("insert into tokens values (?)", (token,))
"""


def executable(name: str) -> str | None:
    """``name`` on the virtualenv's bin/ first, then on PATH."""
    return shutil.which(name, path=SEARCH_PATH)


@dataclass(frozen=True)
class Run:
    """A finished editor process and its wall time."""

    done: subprocess.CompletedProcess[str]
    seconds: float


def run_editor(command: list[str], cwd: Path, env: dict[str, str], stdin: str = "") -> Run:
    """Run an editor to completion (60 s at most) and time it."""
    started = time.perf_counter()
    done = subprocess.run(
        command, cwd=cwd, env=env, input=stdin, capture_output=True, text=True, timeout=60
    )
    return Run(done, time.perf_counter() - started)


@dataclass(frozen=True)
class Org:
    """A running ``accord org serve`` and a login token for its admin."""

    url: str
    token: str
