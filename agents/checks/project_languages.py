"""The project's tests that cover a changed file, for JavaScript / TypeScript, Go and Java:
which they are and how to run them (``project_tests`` copies the project and runs them).

Each planner returns a ``RunCommand``, or why no test can be run (a skipped check says it).
"""

from __future__ import annotations

import json
import os
import re
import shlex
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

from accord.agents.actions.testing.go_runner import go_env
from accord.agents.actions.testing.java_runner import junit_jar

from .commands import RunCommand, project_files

__all__ = ["PLANNERS", "scripts_importing"]

_TEST_NAME = re.compile(r"\.(test|spec)\.[cm]?[jt]sx?$")
_SPECIFIER = re.compile(r"""(?:from\s+|require\(\s*|import\(\s*)["'](\.{1,2}/[^"']+)["']""")
_SCRIPT_SUFFIXES = (".js", ".mjs", ".cjs", ".jsx", ".ts", ".mts", ".cts", ".tsx")


def scripts_importing(root: Path, path: Path) -> list[Path]:
    """The project's JavaScript / TypeScript test files importing ``path`` (relative paths)."""
    wanted = {path.with_suffix(""), path.parent / path.stem}
    if path.stem == "index":
        wanted.add(path.parent)
    found = []
    for file in project_files(root):
        if not (_TEST_NAME.search(file.name) or "__tests__" in file.parts):
            continue
        if file.suffix not in _SCRIPT_SUFFIXES:
            continue
        try:
            text = file.read_text("utf-8")
        except (OSError, UnicodeDecodeError):
            continue
        for specifier in _SPECIFIER.findall(text):
            target = (file.parent / specifier).resolve()
            if target in wanted or target.with_suffix("") in wanted:
                found.append(file.relative_to(root))
                break
    return sorted(found)


def _scripts(root: Path, path: Path) -> RunCommand | str:
    tests = scripts_importing(root, path.resolve())
    if not tests:
        return f"no test of the project imports {path.name}"
    files = [str(test) for test in tests]
    what = f"{len(tests)} test file(s) importing {path.name}"
    links = ("node_modules",) if (root / "node_modules").is_dir() else ()
    runner = _js_runner(root)
    if runner is not None:
        argv = [
            str(root / "node_modules" / ".bin" / runner),
            *({"vitest": ["run"], "jest": ["--runInBand", "--ci"]}[runner]),
        ]
        environment = {**os.environ, **_node_options(root, runner)}
        return RunCommand(what, lambda copy: ([*argv, *files], environment), links=links)
    if any(test.suffix in (".ts", ".mts", ".cts", ".tsx") for test in tests):
        return "TypeScript tests need vitest or jest in the project's node_modules"
    node = shutil.which("node")
    if node is None:
        return "Node is not on the PATH"
    return RunCommand(what, lambda copy: ([node, "--test", *files], dict(os.environ)), links=links)


def _js_runner(root: Path) -> str | None:
    """vitest or jest, when ``package.json`` lists it (jest: or a script runs it) and it is
    installed in ``node_modules/.bin``."""
    manifest = _manifest(root)
    listed = {**manifest.get("dependencies", {}), **manifest.get("devDependencies", {})}
    scripts = " ".join(str(script) for script in manifest.get("scripts", {}).values())
    for runner in ("vitest", "jest"):
        named = runner in listed or (runner == "jest" and re.search(r"\bjest\b", scripts))
        if named and (root / "node_modules" / ".bin" / runner).exists():
            return runner
    return None


def _node_options(root: Path, runner: str) -> dict[str, str]:
    """jest in an ES module project (``"type": "module"``) runs with Node's VM modules."""
    if runner != "jest" or _manifest(root).get("type") != "module":
        return {}
    options = f"{os.environ.get('NODE_OPTIONS', '')} --experimental-vm-modules".strip()
    return {"NODE_OPTIONS": options}


def _manifest(root: Path) -> dict[str, Any]:
    try:
        manifest = json.loads((root / "package.json").read_text("utf-8"))
    except (OSError, ValueError):
        return {}
    return manifest if isinstance(manifest, dict) else {}


def _go(root: Path, path: Path) -> RunCommand | str:
    executable = shutil.which("go")
    if executable is None:
        return "Go is not on the PATH"
    if not any(path.parent.glob("*_test.go")):
        return f"the package of {path.name} has no tests"
    module = next(
        (
            f
            for f in (path.parent, *path.parents)
            if (f / "go.mod").is_file() and f.is_relative_to(root)
        ),
        None,
    )
    if module is None:
        return f"{path.name} is in no Go module (no go.mod)"
    package = "./" + path.parent.relative_to(module).as_posix()
    environment = {**os.environ, **go_env()}
    return RunCommand(
        f"the tests of package {package}",
        lambda copy: ([executable, "test", "-count=1", package], environment),
        cwd=module.relative_to(root),
    )


def _java(root: Path, path: Path) -> RunCommand | str:
    javac, java, jar = shutil.which("javac"), shutil.which("java"), junit_jar(root)
    if javac is None or java is None or jar is None:
        return "javac, java or JUnit 5's console launcher is missing"
    relative = path.relative_to(root).as_posix()
    if "src/main/java/" not in relative:
        return f"{path.name} is not under src/main/java"
    head = relative.split("src/main/java/", 1)[0]
    tests_root = root / head / "src/test/java"
    name = re.compile(rf"\b{re.escape(path.stem)}\b")
    tests = [
        file.relative_to(root)
        for file in sorted(tests_root.rglob("*.java"))
        if name.search(file.read_text("utf-8", errors="replace"))
    ]
    if not tests:
        return f"no JUnit test of the project names {path.stem}"
    sources = f"{head}src/main/java:{head}src/test/java"

    def command(copy: Path) -> tuple[list[str], dict[str, str]]:
        out = copy / ".accord-classes"
        build = [javac, "-d", str(out), "-cp", str(jar), "-sourcepath", sources, "-nowarn"]
        run = [java, "-jar", str(jar), "-cp", str(out), "--disable-banner", "--details=tree"]
        run += [f"--select-class={_class_name(test, head)}" for test in tests]
        script = f"{shlex.join([*build, *map(str, tests)])} && {shlex.join(run)}"
        return ["/bin/sh", "-c", script], dict(os.environ)

    return RunCommand(f"{len(tests)} JUnit test class(es) naming {path.stem}", command)


def _class_name(test: Path, head: str) -> str:
    inside = test.as_posix().removeprefix(f"{head}src/test/java/")
    return inside.removesuffix(".java").replace("/", ".")


PLANNERS: dict[str, Callable[[Path, Path], RunCommand | str]] = {
    "javascript": _scripts,
    "typescript": _scripts,
    "tsx": _scripts,
    "go": _go,
    "java": _java,
}
