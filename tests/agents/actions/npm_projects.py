"""Throwaway npm projects for Generate tests: a test runner installed from npm, ``diff``'s string
helpers as npm ships them with Node, and a function that throws."""

from __future__ import annotations

import shutil
import subprocess
from collections.abc import Mapping
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
MODULE = {"package.json": '{"type": "module"}\n'}
NEEDS_NPM = pytest.mark.skipif(
    shutil.which("npm") is None or not DIFF.is_file(), reason="Node and npm are needed"
)


def runner_project(
    root: Path, *packages: str, files: Mapping[str, str] = MODULE
) -> tuple[Path, Proposal, Proposal]:
    """A project with ``packages`` installed and ``files`` written (by default an ES module
    project): ``string.js`` (``diff``'s) and ``ratio.js``, and the verified proposals for
    ``longestCommonSuffix`` and ``ratio``."""
    for name, text in files.items():
        (root / name).write_text(text, "utf-8")
    subprocess.run(
        ["npm", "install", "--silent", "--no-audit", "--no-fund", "--save-dev", *packages],
        cwd=root,
        check=True,
        timeout=600,
    )
    path = Path(shutil.copy(DIFF, root / "string.js"))
    (root / "ratio.js").write_text(RATIO, "utf-8")
    proposal = verified_tests(task_after(path, root, "function longestCommonSuffix", "javascript"))
    errors = verified_tests(task_after(root / "ratio.js", root, "function ratio", "javascript"))
    return path, proposal, errors
