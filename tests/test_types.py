"""The code type-checks with ``mypy --strict`` (the settings in pyproject.toml)."""

from __future__ import annotations

import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

# Slow: real editors, replicas, whole corpora or a build; `pytest -m "not slow"` leaves it out.
pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parents[1]


def test_mypy_strict_passes(tmp_path: Path) -> None:
    # mypy reads packages from folders named as they import; lay the mapped folders out so.
    package = tmp_path / "accord"
    package.mkdir()
    mapped = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["setuptools"][
        "package-dir"
    ]
    for entry in (ROOT / mapped["accord"]).iterdir():
        (package / entry.name).symlink_to(entry)
    for name, folder in mapped.items():
        if name != "accord":
            (package / name.removeprefix("accord.")).symlink_to(
                ROOT / folder, target_is_directory=True
            )
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "mypy",
            "--config-file",
            str(ROOT / "pyproject.toml"),
            "--cache-dir",
            str(tmp_path / ".mypy_cache"),
            "-p",
            "accord",
        ],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        env={"MYPYPATH": str(tmp_path), "PATH": "/usr/bin:/bin"},
    )
    assert done.returncode == 0, done.stdout + done.stderr
