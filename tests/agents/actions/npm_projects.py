"""Throwaway npm projects for Generate tests: a test runner installed from npm, ``diff``'s string
helpers as npm ships them with Node, and a function that throws."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from accord.protocol import Proposal

from .tasks import task_after, verified_tests

DIFF = Path(shutil.which("node") or "/nonexistent").resolve().parents[1] / (
    "lib/node_modules/npm/node_modules/diff/libesm/util/string.js"
)
RATIO = """\
export function ratio(a, b) {
  if (b === 0) {
    throw new RangeError("b must not be zero");
  }
  return a / b;
}
"""
NEEDS_NPM = pytest.mark.skipif(
    shutil.which("npm") is None or not DIFF.is_file(), reason="Node and npm are needed"
)


def runner_project(root: Path, runner: str) -> tuple[Path, Proposal, Proposal]:
    """An ES module project with ``runner`` installed: ``string.js`` (``diff``'s) and
    ``ratio.js``, and the verified proposals for ``longestCommonSuffix`` and ``ratio``."""
    (root / "package.json").write_text('{"type": "module"}\n', "utf-8")
    subprocess.run(
        ["npm", "install", "--silent", "--no-audit", "--no-fund", "--save-dev", runner],
        cwd=root,
        check=True,
        timeout=600,
    )
    path = Path(shutil.copy(DIFF, root / "string.js"))
    (root / "ratio.js").write_text(RATIO, "utf-8")
    proposal = verified_tests(task_after(path, root, "function longestCommonSuffix", "javascript"))
    errors = verified_tests(task_after(root / "ratio.js", root, "function ratio", "javascript"))
    return path, proposal, errors
