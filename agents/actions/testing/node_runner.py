"""Running JavaScript of the project in the sandbox with Node: recording calls of an exported
function (``js_harness.mjs``) and running a test file under Node's own test runner.

The module under test is a copy of the editor's text in a fresh temporary folder (so a mutant
can take its place); a test file's import of it is pointed at that copy. Imports of sibling
files therefore do not resolve there: such a module's tests fail and are not proposed.
"""

from __future__ import annotations

import json
import re
import shutil
import tempfile
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from .sandbox import run_sandboxed

__all__ = ["node", "project_jest", "project_vitest", "record_js", "run_node_tests"]

HARNESS = Path(__file__).with_name("js_harness.mjs")
CALL_MILLISECONDS = 2000
RUN_SECONDS = 20.0
_TAP = re.compile(r"^(not )?ok \d+ - (.+?)(?: # .*)?$", re.MULTILINE)
# A CommonJS test's import of the module, run as an ES module import (jest's ESM mode).
_REQUIRE = re.compile(r"^const (\{[^}\n]*\}) = require\((\"[^\"\n]*\")\);$", re.MULTILINE)


def node() -> str | None:
    """Node's executable, when it is on the PATH."""
    return shutil.which("node")


def record_js(source: str, export: str, calls: Sequence[tuple[str, str]]) -> list[dict[str, Any]]:
    """Run ``export(args)`` for each ``(id, args)`` of ``calls`` on a copy of ``source``."""
    executable = node()
    if executable is None:
        return []
    with tempfile.TemporaryDirectory(prefix="accord-js-") as folder:
        module = Path(folder) / "subject.mjs"
        module.write_text(source, "utf-8")
        results = Path(folder) / "results.jsonl"
        request = {
            "module": str(module),
            "export": export,
            "calls": [{"id": ident, "args": args} for ident, args in calls],
            "results": str(results),
            "timeout": CALL_MILLISECONDS,
        }
        (Path(folder) / "request.json").write_text(json.dumps(request), "utf-8")
        run_sandboxed([executable, str(HARNESS), str(Path(folder) / "request.json")], RUN_SECONDS)
        return _lines(results)


def run_node_tests(
    test_text: str,
    specifier: str,
    source: str,
    seconds: float = RUN_SECONDS,
    vitest: Path | None = None,
    jest: Path | None = None,
) -> dict[str, bool]:
    """Run ``test_text`` with ``node --test`` (or the project's ``vitest`` or ``jest``, whose
    ``node_modules`` is linked in) against a copy of ``source`` (what ``specifier`` imports);
    per test, whether it passed. A run that hangs or forks passes nothing."""
    executable = node()
    if executable is None:
        return {}
    with tempfile.TemporaryDirectory(prefix="accord-node-") as folder:
        (Path(folder) / "subject.mjs").write_text(source, "utf-8")
        test = Path(folder) / "candidate.test.mjs"
        test.write_text(_pointed(test_text, specifier), "utf-8")
        report = Path(folder) / "report.json"
        if jest is not None:
            test.write_text(_REQUIRE.sub(r"import \1 from \2;", test.read_text("utf-8")), "utf-8")
            argv = _jest_argv(executable, jest, Path(folder), report)
        elif vitest is None:
            argv = [executable, "--test", "--test-reporter=tap", str(test)]
        else:
            (Path(folder) / "node_modules").symlink_to(vitest.parents[1], target_is_directory=True)
            argv = [executable, str(vitest), "run", test.name, "--reporter=json"]
            argv += [f"--outputFile={report}", f"--root={folder}"]
        outcome = run_sandboxed(argv, seconds, cwd=Path(folder))
        if outcome.timed_out or outcome.forked:
            return {}
        if vitest is not None or jest is not None:
            return _vitest_results(report)
    return {match.group(2): match.group(1) is None for match in _TAP.finditer(outcome.stdout)}


def project_vitest(root: Path) -> Path | None:
    """The project's installed vitest (its ``vitest.mjs`` entry), if any."""
    found = root / "node_modules" / "vitest" / "vitest.mjs"
    return found if found.is_file() else None


def project_jest(root: Path) -> Path | None:
    """The project's installed jest (its ``bin/jest.js``), when ``node_modules/.bin/jest`` is there."""
    found = root / "node_modules" / "jest" / "bin" / "jest.js"
    return found if found.is_file() and (root / "node_modules" / ".bin" / "jest").exists() else None


def _jest_argv(executable: str, jest: Path, folder: Path, report: Path) -> list[str]:
    """Jest on the one candidate file as an ES module, in band, its results as JSON."""
    (folder / "node_modules").symlink_to(jest.parents[2], target_is_directory=True)
    config = {"rootDir": str(folder), "testMatch": ["**/candidate.test.mjs"]}
    argv = [executable, "--experimental-vm-modules", str(jest), "--runInBand", "--ci"]
    argv += ["--no-watchman", "--json", f"--outputFile={report}", f"--config={json.dumps(config)}"]
    return [*argv, "candidate.test.mjs"]


def _vitest_results(report: Path) -> dict[str, bool]:
    """Per test, whether it passed, from a vitest or jest JSON report (the same shape)."""
    try:
        data = json.loads(report.read_text("utf-8"))
    except (OSError, ValueError):
        return {}
    return {
        item["title"]: item["status"] == "passed"
        for suite in data.get("testResults", [])
        for item in suite.get("assertionResults", [])
    }


def _pointed(test_text: str, specifier: str) -> str:
    """The test text importing ``./subject.mjs`` wherever it imported ``specifier``."""
    stem = re.escape(specifier.removesuffix(Path(specifier).suffix))
    pattern = re.compile(rf"""(["']){stem}(\.[cm]?[jt]sx?)?\1""")
    return pattern.sub('"./subject.mjs"', test_text)


def _lines(path: Path) -> list[dict[str, Any]]:
    try:
        text = path.read_text("utf-8")
    except OSError:
        return []
    found = []
    for raw in text.splitlines():
        try:
            found.append(json.loads(raw))
        except ValueError:
            break
    return found
