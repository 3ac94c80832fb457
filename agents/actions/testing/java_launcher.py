"""Starting ``AccordJava`` (Accord's one-JVM Java runner) quickly.

It is compiled once per JDK, JUnit jar and version of its source into Accord's cache
(``$XDG_CACHE_HOME/accord/java/<key>/``) as a jar, and a warm-up run on a tiny class of
Accord's own writes a class-data archive (CDS) there, so each later JVM starts with the
compiler's and JUnit's classes already mapped. A missing or stale archive only costs time:
the JVM then starts without it (``-Xshare:auto``).
"""

from __future__ import annotations

import hashlib
import os
import tempfile
import zipfile
from importlib import resources
from pathlib import Path

from .sandbox import run_sandboxed

__all__ = ["QUICK", "launcher"]

# Short runs start faster with the client compiler only and the serial collector.
QUICK = ["-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-Xshare:auto"]
BUILD_SECONDS = 120.0
_JAR = "AccordJava.jar"
_ARCHIVE = "AccordJava.jsa"
# Written when the JVM cannot write an archive, so it is not tried again.
_NO_ARCHIVE = "AccordJava.no-jsa"
_WARM = (
    "package accordwarm;\n\nfinal class Warm {\n"
    "    static int twice(int n) {\n        return n + n;\n    }\n}\n",
    "package accordwarm;\n\nimport static org.junit.jupiter.api.Assertions.assertEquals;\n\n"
    "import org.junit.jupiter.api.Test;\n\nclass WarmTest {\n"
    "    @org.junit.jupiter.api.RepeatedTest(2)\n"
    "    void twice() {\n        assertEquals(4, Warm.twice(2));\n    }\n\n"
    "    @Test\n    void once() {\n        assertEquals(0, Warm.twice(0));\n    }\n}\n",
)


def launcher(javac: str, java: str, jar: Path) -> list[str] | str:
    """The command that starts ``AccordJava`` (its spec file follows), or why it cannot be."""
    source = resources.files(__package__).joinpath("AccordJava.java").read_text("utf-8")
    identity = f"{_JAR}\0{Path(javac).resolve()}\0{jar}\0{source}"
    key = hashlib.sha256(identity.encode()).hexdigest()[:16]
    cache_home = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache")
    folder = cache_home / "accord" / "java" / key
    if not (folder / _JAR).is_file():
        error = _build(javac, jar, source, folder)
        if error or not (folder / _JAR).is_file():
            return error or f"Accord's Java runner is not in {folder}"
    command = [java, *QUICK, "-cp", f"{folder / _JAR}:{jar}", "AccordJava"]
    if not (folder / _ARCHIVE).is_file() and not (folder / _NO_ARCHIVE).is_file():
        _archive(command, folder)
    if (folder / _ARCHIVE).is_file():
        command[1:1] = [f"-XX:SharedArchiveFile={folder / _ARCHIVE}", "-Xlog:disable"]
    return command


def _build(javac: str, jar: Path, source: str, folder: Path) -> str:
    """Compile ``AccordJava.java`` into ``folder``'s jar; why not, or ``""``."""
    folder.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="build-", dir=folder.parent) as scratch:
        work = Path(scratch)
        (work / "AccordJava.java").write_text(source, "utf-8")
        argv = [javac, *(f"-J{flag}" for flag in QUICK), "-nowarn", "-cp", str(jar), "-d", "out"]
        built = run_sandboxed([*argv, "AccordJava.java"], BUILD_SECONDS, cwd=work)
        if built.returncode != 0:
            lines = [line for line in built.stderr.splitlines() if line.strip()]
            return "Accord's Java runner does not build: " + (lines[0] if lines else "javac failed")
        (work / "jar").mkdir()
        with zipfile.ZipFile(work / "jar" / _JAR, "w") as archive:
            for compiled in sorted((work / "out").glob("*.class")):
                archive.write(compiled, compiled.name)
        try:
            os.replace(work / "jar", folder)
        except OSError:
            pass  # Another run put it there first.
    return ""


def _archive(command: list[str], folder: Path) -> None:
    """Write the class-data archive of a warm-up run (compile and test a tiny class)."""
    with tempfile.TemporaryDirectory(prefix="accord-java-warm-") as scratch:
        work = Path(scratch)
        package = work / "src" / "accordwarm"
        package.mkdir(parents=True)
        (package / "Warm.java").write_text(_WARM[0], "utf-8")
        (package / "WarmTest.java").write_text(_WARM[1], "utf-8")
        files = [str(package / "Warm.java"), str(package / "WarmTest.java")]
        spec = [
            ["classpath", command[command.index("-cp") + 1].split(":", 1)[1]],
            ["runpath", ""],
            ["sourcepath", str(work / "src")],
            ["results", str(work / "results.tsv")],
            ["variant", "0", str(work / "out" / "0"), *files],
            ["variant", "1", str(work / "out" / "1"), *files],
            ["junit", "accordwarm.WarmTest", "60", "20"],
        ]
        (work / "spec.tsv").write_text("".join("\t".join(s) + "\n" for s in spec), "utf-8")
        partial = folder / f"{_ARCHIVE}.{os.getpid()}"
        dump = [f"-XX:ArchiveClassesAtExit={partial}", "-Xlog:disable"]
        run = [command[0], *dump, *command[1:], str(work / "spec.tsv")]
        outcome = run_sandboxed(run, BUILD_SECONDS, cwd=work)
        results = (
            (work / "results.tsv").read_text("utf-8") if (work / "results.tsv").is_file() else ""
        )
    if outcome.returncode == 0 and "done\t1" in results and partial.is_file():
        os.replace(partial, folder / _ARCHIVE)
    else:
        partial.unlink(missing_ok=True)
        (folder / _NO_ARCHIVE).write_text(outcome.stderr[-2000:], "utf-8")
