"""Running Go code of the project in the sandbox with ``go test``.

The package under test is copied to a fresh temporary folder: its whole module (the ``.go``
files, ``go.mod`` and ``go.sum`` under the nearest ``go.mod``) when it has one, else its own
folder as module ``accord.local/subject``; the file under test is the editor's text (so a
mutant can take its place). Test files of the project are left out, so only the file given
runs. Builds use a persistent cache, never the network (``GOPROXY=off``): a package whose
dependencies are not in the module cache does not build, and its tests are not proposed.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from .sandbox import run_sandboxed

__all__ = ["GoRun", "go", "go_env", "run_go_mutants", "run_go_tests"]

RUN_SECONDS = 30.0
# Time allowed for building the package and its test binary, on top of a run's own.
BUILD_SECONDS = 90.0
MAX_FILES = 2000
_SKIP = frozenset({".git", "node_modules", "vendor", "testdata", ".accord"})
# The folder (in the package's copy) of the package's copy with a mutant's source.
_MUTANT = "zz_accord_mutant_"
_RESULT = re.compile(r"^\s*--- (PASS|FAIL): (\S+)", re.MULTILINE)


@dataclass(frozen=True, slots=True)
class GoRun:
    """One ``go test`` run: per test, each run's outcome; stdout; and the build error, if any."""

    results: dict[str, list[bool]]
    stdout: str
    error: str = ""


def go() -> str | None:
    """Go's executable, when it is on the PATH."""
    return shutil.which("go")


def run_go_tests(
    test_text: str,
    source: str,
    path: Path,
    root: Path,
    names: list[str] | None = None,
    count: int = 1,
    seconds: float = RUN_SECONDS,
    vet: bool = True,
) -> GoRun:
    """Run ``test_text`` (a ``_test.go`` file of ``path``'s package) ``count`` times with
    ``source`` as ``path``'s text; only the tests ``names`` when given. The test binary stops
    itself after ``seconds`` (the build is not counted), failing the test that hung; a run that
    forks passes nothing."""
    executable = go()
    if executable is None:
        return GoRun({}, "", "Go is not on the PATH")
    with _package(source, path, root) as folder:
        (folder / "zz_accord_candidate_test.go").write_text(test_text, "utf-8")
        argv = [executable, "test", f"-count={count}", "-v", "-timeout", f"{int(seconds)}s"]
        argv += [] if vet else ["-vet=off"]
        if names:
            argv += ["-run", "^(" + "|".join(map(re.escape, names)) + ")$"]
        outcome = run_sandboxed([*argv, "."], seconds + BUILD_SECONDS, env=go_env(), cwd=folder)
    if outcome.timed_out or outcome.forked:
        return GoRun({}, outcome.stdout, "the run was stopped (it hung or forked)")
    results: dict[str, list[bool]] = {}
    for match in _RESULT.finditer(outcome.stdout):
        results.setdefault(match.group(2), []).append(match.group(1) == "PASS")
    error = "" if results else _build_error(outcome.stdout + "\n" + outcome.stderr)
    return GoRun(results, outcome.stdout, error)


def run_go_mutants(
    test_text: str,
    source: str,
    mutants: list[str],
    path: Path,
    root: Path,
    names: list[str] | None,
    seconds: float,
) -> list[dict[str, list[bool]]] | None:
    """Run the tests ``names`` (all when None) of ``test_text`` once on each of ``mutants`` (of
    ``source``, ``path``'s text) with one ``go test`` over a copy of the package per mutant,
    built and run in parallel by Go (no vet: the run on the current code vets the test file).
    Each test binary stops itself after ``seconds``. Per mutant, per test, its outcome (empty when it did not
    build or run); None when the run hung or forked (run the mutants one by one then)."""
    executable = go()
    if executable is None or not mutants:
        return [{} for _ in mutants]
    with _package(source, path, root) as folder:
        originals = [f for f in folder.glob("*.go") if not f.name.endswith("_test.go")]
        for index, mutant in enumerate(mutants):
            copy = folder / f"{_MUTANT}{index}"
            copy.mkdir()
            for file in originals:
                shutil.copyfile(file, copy / file.name)
            (copy / path.name).write_text(mutant, "utf-8")
            (copy / "zz_accord_candidate_test.go").write_text(test_text, "utf-8")
        argv = [executable, "test", "-json", "-count=1", "-vet=off", "-timeout", f"{int(seconds)}s"]
        if names is not None:
            argv += ["-run", "^(" + "|".join(map(re.escape, names)) + ")$"]
        argv += [f"./{_MUTANT}{index}" for index in range(len(mutants))]
        total = BUILD_SECONDS + seconds * len(mutants)
        outcome = run_sandboxed(argv, total, env=go_env(), cwd=folder)
    if outcome.timed_out or outcome.forked:
        return None
    results: list[dict[str, list[bool]]] = [{} for _ in mutants]
    for line in outcome.stdout.splitlines():
        try:
            event = json.loads(line)
        except ValueError:
            continue
        package = str(event.get("Package", "")).rpartition("/")[2]
        test, action = event.get("Test"), event.get("Action")
        if package.startswith(_MUTANT) and test and action in ("pass", "fail"):
            index = int(package.removeprefix(_MUTANT))
            results[index].setdefault(str(test), []).append(action == "pass")
    return results


@contextmanager
def _package(source: str, path: Path, root: Path) -> Iterator[Path]:
    """A temporary copy of ``path``'s package (in its module), with ``source`` as ``path``."""
    module = _module_root(path.parent, root)
    with tempfile.TemporaryDirectory(prefix="accord-go-") as scratch:
        copy = Path(scratch) / "module"
        if module is None:
            base = path.parent
            files = [f for f in base.glob("*.go") if not f.name.endswith("_test.go")]
            copy.mkdir()
            (copy / "go.mod").write_text(
                f"module accord.local/subject\n\ngo {_language_version()}\n", "utf-8"
            )
        else:
            base = module
            files = _module_files(module)
        for file in files:
            target = copy / file.relative_to(base)
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(file, target)
        folder = copy / path.parent.relative_to(base)
        folder.mkdir(parents=True, exist_ok=True)
        (folder / path.name).write_text(source, "utf-8")
        yield folder


def _module_root(folder: Path, root: Path) -> Path | None:
    for candidate in (folder, *folder.parents):
        if (candidate / "go.mod").is_file():
            return candidate
        if candidate == root:
            break
    return None


def _module_files(module: Path) -> list[Path]:
    found: list[Path] = []
    for folder, dirs, files in os.walk(module):
        dirs[:] = [d for d in dirs if d not in _SKIP and not d.startswith(".")]
        for name in files:
            if name in ("go.mod", "go.sum") or (
                name.endswith(".go") and not name.endswith("_test.go")
            ):
                found.append(Path(folder) / name)
        if len(found) > MAX_FILES:
            break
    return found


def go_env() -> dict[str, str]:
    """Go's settings for a sandboxed run: a persistent cache, no network, no cgo."""
    cache_home = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "accord"
    return {
        "GOCACHE": str(cache_home / "go-build"),
        "GOPATH": str(cache_home / "go"),
        "GOPROXY": "off",
        "GOFLAGS": "-mod=mod",
        "GO111MODULE": "on",
        "GOTOOLCHAIN": "local",
        "GOTELEMETRY": "off",
        "CGO_ENABLED": "0",
    }


@cache
def _language_version() -> str:
    """The installed Go's language version (``1.19``), for a synthesised ``go.mod``."""
    executable = go()
    if executable is None:
        return "1.19"
    outcome = run_sandboxed([executable, "env", "GOVERSION"], 30.0, env=go_env())
    found = re.match(r"go(\d+\.\d+)", outcome.stdout.strip())
    return found.group(1) if found else "1.19"


def _build_error(output: str) -> str:
    """The first compiler or vet error line of a failed build."""
    for line in output.splitlines():
        text = line.strip()
        if re.match(r"^\S+\.go:\d+", text) or text.startswith(("cannot ", "package ", "go: ")):
            return text[:200]
    lines = [line.strip() for line in output.splitlines() if line.strip()]
    return lines[-1][:200] if lines else "go test printed nothing"
