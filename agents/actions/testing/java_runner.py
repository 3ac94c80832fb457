"""Running Java code of the project in the sandbox: ``javac``, ``java`` and JUnit 5's console
launcher.

The class under test is the editor's text, compiled with a test (or a recording main class) in
a fresh temporary folder, with the project's source root on ``-sourcepath`` (its other classes
compile as needed) and its jars on the class path: ``lib/``, ``libs/`` and
``target/dependency/`` jars, and ``target/classes`` / ``build/classes/java/main``. JUnit is
the project's ``junit-platform-console-standalone`` jar (in those folders), else the system's
(Debian's ``junit5`` package). Tests are repeated inside one JVM by running them as
``@RepeatedTest``; per test, each repetition's outcome is read from the launcher's tree.
"""

from __future__ import annotations

import re
import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from .sandbox import run_sandboxed

__all__ = ["JavaRun", "JavaSubject", "java_tools", "run_java_main", "run_junit"]

BUILD_SECONDS = 120.0
RUN_SECONDS = 60.0
SYSTEM_JARS = (Path("/usr/share/java"),)
JUNIT = "junit-platform-console-standalone"
_JAR_FOLDERS = ("lib", "libs", "target/dependency")
# Short runs start faster with the client compiler only and the serial collector.
_QUICK = ["-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-Xshare:auto"]
_CLASS_FOLDERS = ("target/classes", "build/classes/java/main")
_METHOD = re.compile(r"[├└]─ (\w+)\(\)(?: [✔✘↷■])?")
_REPETITION = re.compile(r"[├└]─ repetition \d+ of \d+ ([✔✘■])")
_PLAIN = re.compile(r"[├└]─ (\w+)\(\) ([✔✘■])")


@dataclass(frozen=True, slots=True)
class JavaSubject:
    """The file under test: its path, text, package (``""`` for none) and project root."""

    path: Path
    source: str
    package: str
    root: Path

    @property
    def qualifier(self) -> str:
        """``package.`` (or nothing), to name a class of the package."""
        return f"{self.package}." if self.package else ""


@dataclass(frozen=True, slots=True)
class JavaRun:
    """Per test, each repetition's outcome; stdout; and the build error, if any."""

    results: dict[str, list[bool]]
    stdout: str
    error: str = ""


def java_tools() -> tuple[str, str] | None:
    """``javac`` and ``java``, when both are on the PATH."""
    javac, java = shutil.which("javac"), shutil.which("java")
    return (javac, java) if javac and java else None


def junit_jar(root: Path) -> Path | None:
    """JUnit 5's standalone console launcher: the project's, else the system's."""
    folders = [root / folder for folder in _JAR_FOLDERS] + list(SYSTEM_JARS)
    for folder in folders:
        found = sorted(folder.glob(f"{JUNIT}*.jar")) if folder.is_dir() else []
        if found:
            return found[0]
    return None


def run_java_main(subject: JavaSubject, name: str, text: str, seconds: float) -> JavaRun:
    """Compile ``text`` (class ``name`` of the subject's package) with the subject, run it."""
    tools = java_tools()
    if tools is None:
        return JavaRun({}, "", "javac and java are not on the PATH")
    with _compiled(subject, name, text, None) as (folder, classpath, error):
        if error:
            return JavaRun({}, "", error)
        argv = [tools[1], *_QUICK, "-cp", classpath, subject.qualifier + name]
        outcome = run_sandboxed(argv, seconds, cwd=folder)
    if outcome.forked:
        return JavaRun({}, outcome.stdout, "the run was stopped (it forked)")
    return JavaRun({}, outcome.stdout)


def run_junit(
    subject: JavaSubject,
    name: str,
    text: str,
    repeat: int = 1,
    names: list[str] | None = None,
    seconds: float = RUN_SECONDS,
) -> JavaRun:
    """Run the JUnit 5 test class ``name`` (``text``), each test ``repeat`` times in one JVM;
    only the tests ``names`` when given. A run that hangs or forks passes nothing."""
    tools, jar = java_tools(), junit_jar(subject.root)
    if tools is None or jar is None:
        return JavaRun({}, "", "javac, java or JUnit 5's console launcher is missing")
    if repeat > 1:
        text = re.sub(r"@Test\b", f"@org.junit.jupiter.api.RepeatedTest({repeat})", text)
    with _compiled(subject, name, text, jar) as (folder, classpath, error):
        if error:
            return JavaRun({}, "", error)
        selected = [
            f"--select-method={subject.qualifier}{name}#{method}" for method in names or []
        ] or [f"--select-class={subject.qualifier}{name}"]
        argv = [
            tools[1],
            *_QUICK,
            "-jar",
            str(jar),
            "-cp",
            classpath,
            *selected,
            "--disable-banner",
            "--disable-ansi-colors",
            "--details=tree",
        ]
        outcome = run_sandboxed(argv, seconds, cwd=folder)
    if outcome.timed_out or outcome.forked:
        return JavaRun({}, outcome.stdout, "the run was stopped (it hung or forked)")
    return JavaRun(_tree(outcome.stdout), outcome.stdout)


def _tree(stdout: str) -> dict[str, list[bool]]:
    """Per test method, its repetitions' outcomes (or its own, when not repeated)."""
    results: dict[str, list[bool]] = {}
    current = ""
    for line in stdout.splitlines():
        if repetition := _REPETITION.search(line):
            results.setdefault(current, []).append(repetition.group(1) == "✔")
        elif plain := _PLAIN.search(line):
            current = plain.group(1)
            results[current] = [plain.group(2) == "✔"]
        elif method := _METHOD.search(line):
            current = method.group(1)
    return {
        name: outcomes[1:] if len(outcomes) > 1 else outcomes for name, outcomes in results.items()
    }


@contextmanager
def _compiled(
    subject: JavaSubject, name: str, text: str, jar: Path | None
) -> Iterator[tuple[Path, str, str]]:
    """A folder with the subject and ``text`` compiled; the class path; a build error."""
    tools = java_tools()
    assert tools is not None
    with tempfile.TemporaryDirectory(prefix="accord-java-") as scratch:
        folder = Path(scratch)
        package = (
            folder / "src" / Path(*subject.package.split("."))
            if subject.package
            else (folder / "src")
        )
        package.mkdir(parents=True)
        (package / subject.path.name).write_text(subject.source, "utf-8")
        (package / f"{name}.java").write_text(text, "utf-8")
        out = folder / "out"
        classpath = ":".join(
            [str(out), *_project_classpath(subject.root), *([str(jar)] if jar else [])]
        )
        argv = [
            tools[0],
            *(f"-J{flag}" for flag in _QUICK),
            "-d",
            str(out),
            "-encoding",
            "UTF-8",
            "-nowarn",
            "-proc:none",
            "-implicit:class",
            "-cp",
            classpath,
            "-sourcepath",
            str(_source_root(subject)),
            str(package / subject.path.name),
            str(package / f"{name}.java"),
        ]
        built = run_sandboxed(argv, BUILD_SECONDS, cwd=folder)
        error = "" if built.returncode == 0 else _build_error(built.stdout + built.stderr)
        yield folder, classpath, error


def _source_root(subject: JavaSubject) -> Path:
    depth = len(subject.package.split(".")) if subject.package else 0
    root = subject.path.parent
    for _ in range(depth):
        root = root.parent
    return root


def _project_classpath(root: Path) -> list[str]:
    entries = [str(root / folder) for folder in _CLASS_FOLDERS if (root / folder).is_dir()]
    for folder in _JAR_FOLDERS:
        if (root / folder).is_dir():
            entries += [str(jar) for jar in sorted((root / folder).glob("*.jar"))]
    return entries


def _build_error(output: str) -> str:
    for line in output.splitlines():
        if ": error:" in line:
            return line.split("/")[-1].strip()[:200]
    lines = [line.strip() for line in output.splitlines() if line.strip()]
    return lines[0][:200] if lines else "javac failed"
