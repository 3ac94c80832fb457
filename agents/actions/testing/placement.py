"""Which test framework a project uses, and where its tests for a source file belong.

Each language follows its ecosystem's convention, adjusted to what the project already does:

- Python: pytest; ``tests/`` (or ``test/``) at the root when the project has one, mirroring
  nothing else, else ``test_<module>.py`` beside the module. The import path drops a ``src/``.
- JavaScript / TypeScript: vitest or jest when ``package.json`` lists them (or a script runs jest), else Node's own
  ``node:test``; ``__tests__/`` beside the file when the project uses it, else ``<name>.test.<ext>``.
- Java / Kotlin: JUnit 5 / kotlin.test under ``src/test/<lang>/`` mirroring ``src/main/<lang>/``.
- Swift: XCTest under ``Tests/<Module>Tests/`` mirroring ``Sources/<Module>/``.
- Go: ``<name>_test.go`` beside the file, same package.
- Rust: a ``#[cfg(test)] mod tests`` appended to the file itself.

Pure apart from reading ``package.json`` and looking for folders under the project root.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

__all__ = ["TestPlan", "plan_tests"]

_SCRIPT_SUFFIXES = {
    ".js": ".js",
    ".mjs": ".mjs",
    ".cjs": ".cjs",
    ".jsx": ".jsx",
    ".ts": ".ts",
    ".mts": ".mts",
    ".cts": ".cts",
    ".tsx": ".tsx",
}


@dataclass(frozen=True, slots=True)
class TestPlan:
    """Where the tests go and how they reach the code under test."""

    framework: str
    path: Path
    # How the test file names the code: a Python module, a JS relative import, a Java package…
    module: str


def plan_tests(source: Path, root: Path, language: str) -> TestPlan:
    """The framework and test file for ``source`` in the project at ``root``."""
    planner = _PLANNERS.get(language)
    if planner is None:
        raise ValueError(f"no test framework known for {language}")
    return planner(source, root)


def _python(source: Path, root: Path) -> TestPlan:
    relative = _relative(source, root)
    parts = list(relative.with_suffix("").parts)
    if parts and parts[0] == "src":
        parts = parts[1:]
    module = ".".join(parts)
    folder = next((root / name for name in ("tests", "test") if (root / name).is_dir()), None)
    test_dir = folder if folder is not None else source.parent
    return TestPlan("pytest", test_dir / f"test_{source.stem}.py", module)


def _script(source: Path, root: Path) -> TestPlan:
    framework = _js_framework(root)
    suffix = _SCRIPT_SUFFIXES.get(source.suffix, ".js")
    beside = source.parent / "__tests__"
    if beside.is_dir():
        return TestPlan(framework, beside / f"{source.stem}.test{suffix}", f"../{source.stem}")
    return TestPlan(framework, source.parent / f"{source.stem}.test{suffix}", f"./{source.stem}")


def _js_framework(root: Path) -> str:
    try:
        manifest = json.loads((root / "package.json").read_text("utf-8"))
    except (OSError, ValueError):
        return "node:test"
    listed = {**manifest.get("dependencies", {}), **manifest.get("devDependencies", {})}
    scripts = " ".join(str(script) for script in manifest.get("scripts", {}).values())
    found = next((name for name in ("vitest", "jest") if name in listed), None)
    return found or ("jest" if re.search(r"\bjest\b", scripts) else "node:test")


def _jvm(language: str, framework: str, suffix: str) -> Callable[[Path, Path], TestPlan]:
    def plan(source: Path, root: Path) -> TestPlan:
        relative = _relative(source, root).as_posix()
        marker = f"src/main/{language}/"
        if marker in relative:
            head, tail = relative.split(marker, 1)
            test = root / head / f"src/test/{language}" / tail
        else:
            test = source
        package = ".".join(PurePosixPath(relative.split(marker, 1)[-1]).parent.parts)
        return TestPlan(framework, test.with_name(f"{source.stem}Test{suffix}"), package)

    return plan


def _swift(source: Path, root: Path) -> TestPlan:
    parts = _relative(source, root).parts
    if len(parts) >= 3 and parts[0] == "Sources":
        module = parts[1]
        test = root.joinpath("Tests", f"{module}Tests", *parts[2:-1], f"{source.stem}Tests.swift")
        return TestPlan("xctest", test, module)
    return TestPlan("xctest", source.with_name(f"{source.stem}Tests.swift"), source.parent.name)


def _go(source: Path, root: Path) -> TestPlan:
    return TestPlan("go test", source.with_name(f"{source.stem}_test.go"), "")


def _rust(source: Path, root: Path) -> TestPlan:
    return TestPlan("rust", source, "super")


def _relative(source: Path, root: Path) -> Path:
    try:
        return source.relative_to(root)
    except ValueError:
        return Path(source.name)


_PLANNERS: dict[str, Callable[[Path, Path], TestPlan]] = {
    "python": _python,
    "javascript": _script,
    "typescript": _script,
    "tsx": _script,
    "java": _jvm("java", "junit5", ".java"),
    "kotlin": _jvm("kotlin", "kotlin.test", ".kt"),
    "swift": _swift,
    "go": _go,
    "rust": _rust,
}
