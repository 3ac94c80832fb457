"""Running Python code of the project in the sandbox: recording calls, running candidate tests.

Each function starts one sandboxed subprocess of the project's interpreter (``harness.py`` for
recording and for per-test and mutant runs, the project's framework for a confirming run) in a
fresh temporary folder, and reads back what it reports.
"""

from __future__ import annotations

import json
import tempfile
import xml.etree.ElementTree as ElementTree
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .environment import PythonEnv
from .sandbox import Outcome, run_sandboxed

__all__ = ["Call", "Recorded", "Subject", "TestRuns", "confirm", "record", "run_tests"]

HARNESS = Path(__file__).with_name("harness.py")
# Per call or per test, and for a whole run (the run is killed with its process group then).
CALL_SECONDS = 2.0
RUN_SECONDS = 60.0


@dataclass(frozen=True, slots=True)
class Subject:
    """The module under test: its dotted name, its file, and its text as the editor has it."""

    module: str
    path: Path
    source: str

    def preload(self) -> dict[str, str]:
        """The harness's ``preload`` entry: the editor's text is what runs, saved or not."""
        return {"module": self.module, "path": str(self.path), "source": self.source}


@dataclass(frozen=True, slots=True)
class Call:
    """One call to record: import lines, setup statements and the expression to evaluate."""

    id: str
    imports: tuple[str, ...]
    setup: tuple[str, ...]
    expr: str
    # Variables the setup binds whose final values are recorded when the call changes them.
    watch: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Recorded:
    """What one call did, as the harness reported it (``outcome`` returns/raises/dropped)."""

    id: str
    outcome: str
    repr: str | None = None
    none: bool = False
    changed: dict[str, str] = field(default_factory=dict)
    module: str = ""
    name: str = ""
    message: str = ""
    why: str = ""


@dataclass(slots=True)
class TestRuns:
    """Per-test results on the unchanged module and on each mutant, and the lines covered."""

    original: dict[str, str] = field(default_factory=dict)  # test → "" when it passed, else why
    mutants: dict[int, set[str]] = field(default_factory=dict)  # mutant → tests that failed
    covered: set[int] = field(default_factory=set)
    error: str = ""

    def passed(self) -> list[str]:
        """The tests that passed on the unchanged module."""
        return [name for name, why in self.original.items() if not why]


def record(
    env: PythonEnv, subject: Subject, calls: Sequence[Call], seconds: float = CALL_SECONDS
) -> list[Recorded]:
    """Run ``calls`` in the sandbox; calls that hung, forked or crashed the run are missing."""
    request = {
        "mode": "record",
        "preload": subject.preload(),
        "calls": [
            {"id": c.id, "imports": c.imports, "setup": c.setup, "expr": c.expr, "watch": c.watch}
            for c in calls
        ],
    }
    lines, _ = _harness(env, request, seconds, seed=0)
    return [Recorded(**{k: v for k, v in line.items() if k in _RECORDED}) for line in lines]


def run_tests(
    env: PythonEnv,
    subject: Subject,
    test_text: str,
    mutants: Sequence[str] = (),
    cover: tuple[int, int] = (0, 0),
    seed: int = 1,
    seconds: float = CALL_SECONDS,
) -> TestRuns:
    """Run the tests of ``test_text`` on the module, then on each mutant source of it."""
    runs = TestRuns()
    with tempfile.TemporaryDirectory(prefix="accord-tests-") as folder:
        test_file = Path(folder) / "test_candidate.py"
        test_file.write_text(test_text, "utf-8")
        request = {
            "mode": "tests",
            "preload": subject.preload(),
            "module": subject.module,
            "path": str(subject.path),
            "file": str(test_file),
            "mutants": list(mutants),
            "cover": list(cover),
        }
        lines, outcome = _harness(env, request, seconds, seed)
    for line in lines:
        if "covered" in line:
            runs.covered = set(line["covered"])
        elif "error" in line:
            runs.error = line["error"]
        elif line["run"] == "original":
            runs.original[line["test"]] = "" if line["ok"] else line.get("why", "failed")
        elif not line["ok"]:
            runs.mutants.setdefault(line["run"], set()).add(line["test"])
    if not lines and outcome.returncode != 0:
        runs.error = _last_line(outcome.stderr) or f"the run ended with {outcome.returncode}"
    return runs


def confirm(env: PythonEnv, test_text: str, seed: int) -> dict[str, bool]:
    """Run the test file once under the project's framework; per test, whether it passed.

    A run that times out or leaves a process behind passes no test.
    """
    with tempfile.TemporaryDirectory(prefix="accord-confirm-") as folder:
        test_file = Path(folder) / "test_candidate.py"
        test_file.write_text(test_text, "utf-8")
        report = Path(folder) / "report.xml"
        if env.has_pytest:
            argv = [env.interpreter, "-m", "pytest", "-q", "-p", "no:cacheprovider"]
            argv += [f"--junitxml={report}", f"--rootdir={folder}", str(test_file)]
        else:
            argv = [env.interpreter, str(HARNESS), str(_unittest_request(folder, test_file))]
        outcome = run_sandboxed(argv, RUN_SECONDS, _env(env, seed), cwd=Path(folder))
        if outcome.timed_out or outcome.forked:
            return {}
        if env.has_pytest:
            return _junit(report)
        return _unittest_results(Path(folder) / "results.jsonl")


def _unittest_request(folder: str, test_file: Path) -> Path:
    """A harness request that runs the file's tests once, with no mutant."""
    request = Path(folder) / "confirm.json"
    request.write_text(
        json.dumps(
            {
                "mode": "tests",
                "file": str(test_file),
                "results": str(Path(folder) / "results.jsonl"),
            }
        ),
        "utf-8",
    )
    return request


def _unittest_results(path: Path) -> dict[str, bool]:
    lines = _read_lines(path)
    return {line["test"]: bool(line["ok"]) for line in lines if line.get("run") == "original"}


def _junit(report: Path) -> dict[str, bool]:
    try:
        root = ElementTree.parse(report).getroot()
    except (OSError, ElementTree.ParseError):
        return {}
    results = {}
    for case in root.iter("testcase"):
        owner = case.get("classname", "").rpartition(".")[2]
        name = case.get("name", "")
        key = name if owner in ("", "test_candidate") else f"{owner}.{name}"
        results[key] = not any(child.tag in ("failure", "error", "skipped") for child in case)
    return results


def _harness(
    env: PythonEnv, request: dict[str, Any], seconds: float, seed: int
) -> tuple[list[dict[str, Any]], Outcome]:
    with tempfile.TemporaryDirectory(prefix="accord-harness-") as folder:
        results = Path(folder) / "results.jsonl"
        path = Path(folder) / "request.json"
        full = {**request, "results": str(results), "timeout": seconds}
        full["import_root"] = str(env.import_root)
        path.write_text(json.dumps(full), "utf-8")
        argv = [env.interpreter, str(HARNESS), str(path)]
        outcome = run_sandboxed(argv, RUN_SECONDS, _env(env, seed))
        return _read_lines(results), outcome


def _env(env: PythonEnv, seed: int) -> dict[str, str]:
    return {
        "PYTHONPATH": str(env.import_root),
        "PYTHONHASHSEED": str(seed),
        "PYTEST_DISABLE_PLUGIN_AUTOLOAD": "1",
    }


def _read_lines(path: Path) -> list[dict[str, Any]]:
    try:
        text = path.read_text("utf-8")
    except OSError:
        return []
    lines = []
    for raw in text.splitlines():
        try:
            lines.append(json.loads(raw))
        except ValueError:
            break
    return lines


def _last_line(text: str) -> str:
    lines = [line for line in text.strip().splitlines() if line.strip()]
    return lines[-1].strip() if lines else ""


_RECORDED = set(Recorded.__dataclass_fields__)
