"""``accord demo``: the README's first command tells the whole story and exits 0."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

# Slow: real editors, replicas, whole corpora or a build; `pytest -m "not slow"` leaves it out.
pytestmark = pytest.mark.slow


def test_the_demo_runs_the_approval_story_on_the_embedded_default(tmp_path: Path) -> None:
    done = subprocess.run(
        [sys.executable, "-m", "accord", "demo", "--keep", str(tmp_path)],
        capture_output=True,
        text=True,
        timeout=180,
        env={"COLUMNS": "200", "PATH": "/usr/bin:/bin"},
    )
    out = done.stdout
    assert done.returncode == 0, out + done.stderr
    assert "ACC003 Hard-coded GitHub token" in out
    assert "risk 8/10 → managed development, pending" in out
    assert "managed_development" not in out and "8.0/10" not in out
    assert "Bob's editor asks: Accord: alice@example.test asks approval" in out
    assert 'token = os.environ["GITHUB_TOKEN"]' in out
    assert "verified" in out
    fixed = (tmp_path / "alice" / "shop" / "db" / "migrations" / "0002_seed.py").read_text()
    assert "ghp_" not in fixed
    assert fixed.startswith("import os\n\n\ndef seed(connection):\n")
    assert (tmp_path / "org.db").is_file()
