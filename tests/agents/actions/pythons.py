"""Projects with their own virtualenv, as users have them, and stdlib modules copied into them.

``project_venv`` is a real virtualenv (``python -m venv --without-pip``) that sees this test
run's packages through a ``.pth`` file, so it has pytest; ``bare_venv`` has nothing but the
standard library, so tests for it are written for unittest. A project links one of them as its
``.venv``, which is where Accord looks for the project's interpreter.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import sysconfig
from pathlib import Path

import pytest

__all__ = ["bare_venv", "copy_stdlib", "make_project", "project_venv"]


def _venv(folder: Path, with_packages: bool) -> Path:
    subprocess.run(
        [sys.executable, "-m", "venv", "--without-pip", str(folder)], check=True, timeout=120
    )
    if with_packages:
        [site] = (folder / "lib").glob("python3*/site-packages")
        (site / "accord_test_run.pth").write_text(sysconfig.get_paths()["purelib"] + "\n")
    return folder


@pytest.fixture(scope="session")
def project_venv(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A virtualenv with pytest."""
    return _venv(tmp_path_factory.mktemp("venv") / ".venv", with_packages=True)


@pytest.fixture(scope="session")
def bare_venv(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A virtualenv with the standard library only (no pytest)."""
    return _venv(tmp_path_factory.mktemp("bare") / ".venv", with_packages=False)


def make_project(root: Path, venv: Path, files: dict[str, str] | None = None) -> Path:
    """A project at ``root`` using ``venv`` as its ``.venv``, with ``files`` and a tests/ folder."""
    (root / "tests").mkdir(parents=True, exist_ok=True)
    (root / ".venv").symlink_to(venv, target_is_directory=True)
    for name, text in (files or {}).items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text(text, "utf-8")
    return root


def copy_stdlib(root: Path, module: str) -> Path:
    """Copy the standard library's ``module`` (a single-file module) into the project."""
    source = Path(sysconfig.get_paths()["stdlib"]) / f"{module.replace('.', '/')}.py"
    target = root / source.name
    shutil.copy(source, target)
    return target
