"""The ``tests pass`` check: the project's tests that import the changed module, run for real.

The project is copied (without ``.git``, virtualenvs, caches and ``node_modules``) to a
temporary folder, the changed file is written there, and the tests that cover it run in a
subprocess under a timeout:

- Python: the test files importing the module, with the project's interpreter (``.venv`` or
  ``venv`` at its root, else the server's own): pytest where it has it, else unittest.
- JavaScript / TypeScript: the test files importing the module (``*.test.*``, ``*.spec.*``,
  ``__tests__/``), with the project's vitest or jest (``node_modules`` linked into the copy),
  else JavaScript with ``node --test``.
- Go: ``go test`` of the changed file's package, when it has ``_test.go`` files
  (``project_languages``).
- Java: the JUnit 5 tests under ``src/test/java`` that name the changed class, compiled with
  the project's sources and run with JUnit's console launcher (``project_languages``).

The subprocess gets its own session and is killed with its children on timeout. When the tests
fail, they are run once more on the original text: failing there too, the check is skipped
(they were failing already), otherwise it fails with the first failure's line.
"""

from __future__ import annotations

import ast
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from accord.protocol.proposal import Check, CheckStatus

from . import project_languages
from .commands import RunCommand, project_files

__all__ = ["interpreter_of", "modules_of", "tests_pass", "tests_importing"]

NAME = "tests pass"
MAX_FILES = 5000


@dataclass(frozen=True, slots=True)
class _Run:
    passed: bool
    timed_out: bool
    output: str
    seconds: float


def tests_pass(
    root: Path | None, path: str, language: str, before: str, after: str, timeout: float
) -> Check:
    """Whether the project's tests that cover ``path`` pass on ``after``."""
    planner = _PLANNERS.get(language) or project_languages.PLANNERS.get(language)
    if planner is None:
        return _skipped(f"running the project's {language} tests is not supported here")
    if root is None or not Path(path).is_relative_to(root):
        return _skipped("the file is not in a project")
    plan = planner(root, Path(path))
    if isinstance(plan, str):
        return _skipped(plan)
    files = _files(root)
    if files is None:
        return _skipped(f"the project has more than {MAX_FILES} files to copy for a test run")
    relative = Path(path).relative_to(root)
    with tempfile.TemporaryDirectory(prefix="accord-tests-") as folder:
        copy = Path(folder) / root.name
        _copy(root, copy, files)
        for linked in plan.links:
            (copy / linked).symlink_to(root / linked, target_is_directory=True)
        target = copy / relative
        target.write_text(after, "utf-8")
        run = _run(plan, copy, timeout)
        if run.passed:
            detail = f"{plan.what} pass ({run.seconds:.1f} s)"
            return Check(name=NAME, status=CheckStatus.PASSED, detail=detail)
        target.write_text(before, "utf-8")
        if not _run(plan, copy, timeout).passed:
            return _skipped(f"{plan.what} fail without the change too")
    why = f"timed out after {timeout:g} s" if run.timed_out else _first_failure(run.output)
    return Check(name=NAME, status=CheckStatus.FAILED, detail=f"{plan.what}: {why}")


def _python(root: Path, path: Path) -> RunCommand | str:
    names = modules_of(root, path)
    tests = tests_importing(root, names)
    if not tests:
        return f"no test of the project imports {names[0]}"
    python = interpreter_of(root)
    files = [str(test) for test in tests]

    def command(copy: Path) -> tuple[list[str], dict[str, str]]:
        paths = [str(copy), *([str(copy / "src")] if (copy / "src").is_dir() else [])]
        env = {**os.environ, "PYTHONPATH": os.pathsep.join(paths), "PYTHONDONTWRITEBYTECODE": "1"}
        if _has_pytest(python, env, copy):
            return [python, "-m", "pytest", "-q", "-x", "-p", "no:cacheprovider", *files], env
        return [python, "-m", "unittest", *files], env

    return RunCommand(f"{len(tests)} test file(s) importing {names[0]}", command)


def interpreter_of(root: Path) -> str:
    """The project's virtualenv interpreter, else the one running Accord."""
    for folder in (".venv", "venv", "env"):
        for candidate in (
            root / folder / "bin" / "python",
            root / folder / "Scripts" / "python.exe",
        ):
            if candidate.is_file():
                return str(candidate)
    return sys.executable


def modules_of(root: Path, path: Path) -> list[str]:
    """The dotted names the module at ``path`` may be imported by, longest first
    (``src/shop/tax.py`` → ``src.shop.tax``, ``shop.tax``, ``tax``)."""
    parts = list(path.relative_to(root).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts = parts[:-1]
    return [".".join(parts[i:]) for i in range(len(parts)) if parts[i:]]


def tests_importing(root: Path, names: list[str]) -> list[Path]:
    """The project's test files (``test_*.py``, ``*_test.py``) that import one of ``names``."""
    found = []
    for file in project_files(root):
        if file.suffix == ".py" and (file.name.startswith("test_") or file.stem.endswith("_test")):
            if _imports(file, names):
                found.append(file.relative_to(root))
    return sorted(found)


def _imports(file: Path, names: list[str]) -> bool:
    try:
        tree = ast.parse(file.read_text("utf-8"))
    except (SyntaxError, UnicodeDecodeError, OSError):
        return False
    wanted = set(names)
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            imported = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
            imported = [node.module, *(f"{node.module}.{alias.name}" for alias in node.names)]
        else:
            continue
        for name in imported:
            if name in wanted or any(w.startswith(f"{name}.") for w in wanted if "." in w):
                return True
    return False


def _files(root: Path) -> list[Path] | None:
    files = project_files(root)
    return files if len(files) <= MAX_FILES else None


def _copy(root: Path, copy: Path, files: list[Path]) -> None:
    for file in files:
        target = copy / file.relative_to(root)
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(file, target)


def _run(plan: RunCommand, copy: Path, timeout: float) -> _Run:
    command, env = plan.command(copy)
    started = time.perf_counter()
    with subprocess.Popen(
        command,
        cwd=copy / plan.cwd,
        env=env,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    ) as process:
        try:
            output, _ = process.communicate(timeout=timeout)
        except subprocess.TimeoutExpired:
            _kill(process)
            process.communicate()
            return _Run(False, True, "", time.perf_counter() - started)
        finally:
            # Children left behind by the tests (daemons, forks) go with the session.
            _kill(process)
    text = output.decode("utf-8", "replace")
    return _Run(process.returncode == 0, False, text, time.perf_counter() - started)


def _has_pytest(python: str, env: dict[str, str], cwd: Path) -> bool:
    probe = [
        python,
        "-c",
        "import importlib.util, sys; sys.exit(not importlib.util.find_spec('pytest'))",
    ]
    try:
        return (
            subprocess.run(probe, env=env, cwd=cwd, timeout=30, capture_output=True).returncode == 0
        )
    except (OSError, subprocess.TimeoutExpired):
        return False


def _kill(process: subprocess.Popen[bytes]) -> None:
    try:
        os.killpg(process.pid, signal.SIGKILL)
    except (ProcessLookupError, PermissionError):
        pass
    process.wait()


def _first_failure(output: str) -> str:
    """The most telling line of a failed run (an assertion or error line, else the last)."""
    lines = [line.strip() for line in output.splitlines() if line.strip()]
    markers = ("FAILED ", "ERROR ", "E   ", "--- FAIL", "not ok ", "✘", "Error:", "Error ")
    for marker in (*markers, "AssertionError"):
        hit = next((line for line in lines if line.startswith(marker) or marker in line), None)
        if hit:
            return hit[:200]
    return lines[-1][:200] if lines else "the test run failed"


def _skipped(detail: str) -> Check:
    return Check(name=NAME, status=CheckStatus.SKIPPED, detail=detail)


_PLANNERS: dict[str, Callable[[Path, Path], RunCommand | str]] = {"python": _python}
