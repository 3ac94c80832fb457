"""Running Java code of the project in the sandbox: the JDK's compiler and JUnit 5's launcher,
in one JVM per step (``AccordJava.java``, started by ``java_launcher``).

The class under test is the editor's text, compiled with a test (or a recording main class) in
a fresh temporary folder, with the project's source root on ``-sourcepath`` (its other classes
compile as needed) and its jars on the class path: ``lib/``, ``libs/`` and
``target/dependency/`` jars, and ``target/classes`` / ``build/classes/java/main``. JUnit is
the project's ``junit-platform-console-standalone`` jar (in those folders), else the system's
(Debian's ``junit5`` package). Recording is one JVM (compile, then ``main``); verifying is one
JVM: the current code and each mutant compiled into folders of their own (the compiler warm
after the first), the tests repeated on the current code as ``@RepeatedTest``, then run once
on each mutant in a class loader of its own, with a time limit per mutant.
"""

from __future__ import annotations

import re
import shutil
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from .java_launcher import launcher
from .sandbox import Outcome, run_sandboxed

__all__ = ["JavaRun", "JavaSubject", "java_tools", "run_java_main", "run_junit"]

BUILD_SECONDS = 120.0
RUN_SECONDS = 60.0
SYSTEM_JARS = (Path("/usr/share/java"),)
JUNIT = "junit-platform-console-standalone"
_JAR_FOLDERS = ("lib", "libs", "target/dependency")
_CLASS_FOLDERS = ("target/classes", "build/classes/java/main")


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
    # Per mutant given to ``run_junit``: per test, its outcome (empty when it did not run).
    on_mutants: tuple[dict[str, list[bool]], ...] = ()


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
    run = _run_helper(
        subject, name, [(subject.source, text)], ("main", subject.qualifier + name), seconds
    )
    return JavaRun({}, run.stdout, run.error)


def run_junit(
    subject: JavaSubject,
    name: str,
    text: str,
    repeat: int = 1,
    mutants: Sequence[str] = (),
    seconds: float = RUN_SECONDS,
    mutant_seconds: float = RUN_SECONDS,
) -> JavaRun:
    """Run the JUnit 5 test class ``name`` (``text``), each test ``repeat`` times, then the tests
    that passed every repetition once on each of ``mutants`` (sources of the subject), all in
    one JVM. A run on the current code that hangs or forks passes nothing; a mutant's run that
    hangs past ``mutant_seconds`` passes nothing on it."""
    repeated = text
    if repeat > 1:
        repeated = re.sub(r"@Test\b", f"@org.junit.jupiter.api.RepeatedTest({repeat})", text)
    variants = [(subject.source, repeated), *((source, text) for source in mutants)]
    command = ("junit", subject.qualifier + name, f"{seconds:g}", f"{mutant_seconds:g}")
    total = seconds + mutant_seconds * len(mutants)
    return _run_helper(subject, name, variants, command, total)


def _run_helper(
    subject: JavaSubject,
    name: str,
    variants: list[tuple[str, str]],
    command: tuple[str, ...],
    seconds: float,
) -> JavaRun:
    """Compile each of ``variants`` (the subject's source, the text of class ``name``) and run
    them in one JVM (``AccordJava.java``): the first's ``main``, or the tests on each."""
    tools, jar = java_tools(), junit_jar(subject.root)
    if tools is None or jar is None:
        return JavaRun({}, "", "javac, java or JUnit 5's console launcher is missing")
    start = launcher(tools[0], tools[1], jar)
    if isinstance(start, str):
        return JavaRun({}, "", start)
    with tempfile.TemporaryDirectory(prefix="accord-java-") as scratch:
        folder = Path(scratch)
        project = _project_classpath(subject.root)
        spec: list[tuple[str, ...]] = [
            ("classpath", ":".join([*project, str(jar)])),
            ("runpath", ":".join(project)),
            ("sourcepath", str(_source_root(subject))),
            ("results", str(folder / "results.tsv")),
        ]
        for index, (source, test) in enumerate(variants):
            spec.append(("variant", *_variant(folder, subject, index, source, name, test)))
        spec.append(command)
        (folder / "spec.tsv").write_text("".join("\t".join(line) + "\n" for line in spec), "utf-8")
        outcome = run_sandboxed(
            [*start, str(folder / "spec.tsv")], BUILD_SECONDS + seconds, cwd=folder
        )
        lines = _lines(folder / "results.tsv")
    return _outcome(outcome, lines, len(variants))


def _variant(
    folder: Path, subject: JavaSubject, index: int, source: str, name: str, text: str
) -> tuple[str, ...]:
    """The spec's ``variant`` words: its name, output folder and source files (written)."""
    package = folder / "src" / str(index) / Path(*subject.package.split("."))
    package.mkdir(parents=True)
    (package / subject.path.name).write_text(source, "utf-8")
    (package / f"{name}.java").write_text(text, "utf-8")
    out = folder / "out" / str(index)
    return (str(index), str(out), str(package / subject.path.name), str(package / f"{name}.java"))


def _lines(path: Path) -> list[list[str]]:
    text = path.read_text("utf-8", errors="replace") if path.is_file() else ""
    return [line.split("\t") for line in text.splitlines() if line]


def _outcome(outcome: Outcome, lines: list[list[str]], variants: int) -> JavaRun:
    """The helper's results: the current code's per test outcomes, and each mutant's."""
    built = {words[1]: words[2] for words in lines if words[0] == "build" and len(words) > 2}
    if "0" in built:
        return JavaRun({}, outcome.stdout, _build_error(built["0"]))
    hung = {words[1] for words in lines if words[0] == "hung"}
    if outcome.timed_out or outcome.forked or "0" in hung:
        return JavaRun({}, outcome.stdout, "the run was stopped (it hung or forked)")
    done = {words[1] for words in lines if words[0] == "done"} - hung
    results: list[dict[str, list[bool]]] = [{} for _ in range(variants)]
    for words in lines:
        if words[0] == "test" and len(words) == 4 and words[1] in done:
            results[int(words[1])].setdefault(words[2], []).append(words[3] == "1")
    return JavaRun(results[0], outcome.stdout, "", tuple(results[1:]))


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
