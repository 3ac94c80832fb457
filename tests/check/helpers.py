"""Helpers of the ``accord check`` tests: the real console script, the sample project."""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[2]
SAMPLE = REPO / "examples" / "sample-project"
# The console script pip installed next to this interpreter: what a user runs.
ACCORD = Path(sys.executable).with_name("accord")


def accord(*args: str, cwd: Path = REPO) -> subprocess.CompletedProcess[str]:
    """Run the installed ``accord`` command and capture what it prints."""
    return subprocess.run(
        [str(ACCORD), *args], cwd=cwd, capture_output=True, text=True, timeout=120, check=False
    )


def check_json(*args: str, cwd: Path = REPO) -> dict[str, Any]:
    done = accord("check", "--format", "json", *args, cwd=cwd)
    assert done.returncode in (0, 1), done.stderr
    return json.loads(done.stdout)


Project = Callable[[Mapping[str, str | bytes]], Path]


def project_factory(tmp_path: Path) -> Project:
    """A factory of projects: ``{relative path: text or bytes}`` written under ``tmp_path``,
    with an empty ``accord.toml`` marking the root."""

    def make(files: Mapping[str, str | bytes]) -> Path:
        root = tmp_path / "project"
        for name, content in {"accord.toml": "", **files}.items():
            path = root / name
            path.parent.mkdir(parents=True, exist_ok=True)
            if isinstance(content, bytes):
                path.write_bytes(content)
            else:
                path.write_text(content, "utf-8")
        return root

    return make
