"""Quality of the assured agent actions on real code the project does not own (issue 15).

Generate tests, offline (the ``local`` provider), on 20 functions of standard library modules
copied into a temporary project (pure, stateful, raising and I/O ones): the share that gets a
verified test file (its tests passed five runs in a row), the share of those whose tests kill
a mutant of the function, and the time per action (recording, verifying, mutants: the whole
action, as the editor waits for it).

    python benchmarks/agent_quality.py [--only generate_tests] [--functions 20]

The other languages, each its own section (``--only generate_tests_go`` …), on real code copied
into a temporary project the same way: Go's ``path`` and ``net/url`` from the Go source the
toolchain ships; the JDK's ``java.util.regex.ASCII`` (from ``src.zip``, moved to a package of
ours); ``diff``'s string helpers as npm ships them with Node (JavaScript) and ``ts-dedent``'s
TypeScript source (installed with ``typescript`` from npm). Each reports the share of functions
with a verified test file (its tests passed five runs), the share of those killing a mutant,
and the p50 time per action.

Goals: a verified test file for >= 80% of the functions; p50 time per action < 3 s offline.
Each section is one function in ``SECTIONS``; Document's preserved-line ratio is meant to be
added as another (``benchmarks/document_preservation.py``).
"""

from __future__ import annotations

import argparse
import ast
import shutil
import statistics
import subprocess
import sys
import sysconfig
import tempfile
import time
import zipfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from accord.agents.actions import action_for
from accord.agents.exceptions import ActionFailed
from accord.agents.tasks import ActionKind, Target, TargetKind, Task
from accord.protocol import Range
from accord.protocol.proposal import CheckStatus

# (module, qualified name, kind): single-file standard library modules.
FUNCTIONS = [
    ("textwrap", "shorten", "pure, raising"),
    ("textwrap", "dedent", "pure"),
    ("textwrap", "indent", "pure"),
    ("textwrap", "TextWrapper.wrap", "stateful"),
    ("shlex", "split", "pure, raising"),
    ("shlex", "quote", "pure"),
    ("shlex", "join", "pure"),
    ("colorsys", "rgb_to_hsv", "pure"),
    ("colorsys", "hls_to_rgb", "pure"),
    ("fnmatch", "translate", "pure"),
    ("fnmatch", "filter", "pure"),
    ("posixpath", "commonpath", "pure, raising"),
    ("posixpath", "relpath", "raising, I/O (cwd)"),
    ("posixpath", "expanduser", "I/O (environment)"),
    ("glob", "glob", "I/O (file system)"),
    ("statistics", "median", "raising"),
    ("calendar", "monthrange", "raising"),
    ("string", "Template.substitute", "stateful"),
    ("difflib", "SequenceMatcher.ratio", "stateful"),
    ("mimetypes", "guess_type", "I/O (system files)"),
]
GOAL_VERIFIED = 0.8
GOAL_P50_SECONDS = 3.0


@dataclass
class Section:
    """One section's table rows and headline figures (name, value, goal or "")."""

    title: str
    header: tuple[str, ...]
    rows: list[tuple[str, ...]] = field(default_factory=list)
    figures: list[tuple[str, str, str]] = field(default_factory=list)


@dataclass(frozen=True, slots=True)
class Outcome:
    verified: bool
    kills: bool
    seconds: float
    detail: str


def generate_tests_section(arguments: argparse.Namespace) -> Section:
    """Generate tests on ``FUNCTIONS``, each in a fresh project with its own virtualenv."""
    section = Section(
        "Generate tests (offline)", ("function", "kind", "verified", "kills", "s", "evidence")
    )
    outcomes = []
    with tempfile.TemporaryDirectory(prefix="accord-bench-") as folder:
        venv = _venv(Path(folder) / "venv")
        for module, name, kind in FUNCTIONS[: arguments.functions]:
            outcome = _generate(Path(folder) / f"{module}-{name}", venv, module, name)
            outcomes.append(outcome)
            section.rows.append(
                (
                    f"{module}.{name}",
                    kind,
                    "yes" if outcome.verified else "no",
                    "yes" if outcome.kills else "no",
                    f"{outcome.seconds:.2f}",
                    outcome.detail,
                )
            )
    _figures(section, outcomes)
    return section


def _venv(folder: Path) -> Path:
    """A virtualenv with this interpreter's packages (pytest), as a project would have."""
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(folder)], check=True)
    [site] = (folder / "lib").glob("python3*/site-packages")
    (site / "bench.pth").write_text(sysconfig.get_paths()["purelib"] + "\n")
    return folder


def _generate(root: Path, venv: Path, module: str, qualified: str) -> Outcome:
    (root / "tests").mkdir(parents=True)
    (root / ".venv").symlink_to(venv, target_is_directory=True)
    path = root / f"{module}.py"
    shutil.copy(Path(sysconfig.get_paths()["stdlib"]) / f"{module}.py", path)
    source = path.read_text("utf-8")
    line = _line_of(source, qualified)
    return _run_action(path, root, "python", line, 0, qualified.rpartition(".")[2])


def _run_action(
    path: Path, root: Path, language: str, line: int, column: int, name: str
) -> Outcome:
    """Generate tests offline for the definition at ``line``/``column`` of ``path``, verified."""
    target = Target(
        path=str(path),
        language=language,
        source=path.read_text("utf-8"),
        range=Range.of(line, column, line, column),
        kind=TargetKind.FUNCTION,
        symbol=name,
    )
    task = Task(kind=ActionKind.GENERATE_TESTS, target=target, root=str(root))
    action = action_for(ActionKind.GENERATE_TESTS)
    started = time.perf_counter()
    try:
        proposal = action.to_proposal(task, action.local_answer(task))
        verdict = getattr(action, "verify")(task, proposal)  # noqa: B009 - optional in Action
    except ActionFailed as error:
        return Outcome(False, False, time.perf_counter() - started, str(error))
    seconds = time.perf_counter() - started
    if verdict.proposal is None:
        return Outcome(False, False, seconds, verdict.reason)
    evidence = {check.name: check for check in verdict.proposal.evidence}
    kills = evidence["kills a mutant"].status is CheckStatus.PASSED
    detail = "; ".join(check.detail for check in verdict.proposal.evidence)
    return Outcome(True, kills, seconds, detail)


# Go: (file under GOROOT/src, package folder, function).
GO_FUNCTIONS = [
    ("path/path.go", "path", "Clean"),
    ("path/path.go", "path", "Split"),
    ("path/path.go", "path", "Join"),
    ("path/path.go", "path", "Ext"),
    ("path/path.go", "path", "Base"),
    ("path/path.go", "path", "IsAbs"),
    ("path/path.go", "path", "Dir"),
    ("net/url/url.go", "url", "PathUnescape"),
    ("net/url/url.go", "url", "QueryEscape"),
    ("net/url/url.go", "url", "unhex"),
    ("net/url/url.go", "url", "shouldEscape"),
]
JAVA_METHODS = ["isDigit", "toLower", "toUpper", "isSpace", "isHexDigit", "toDigit", "isPrint"]
JS_FUNCTIONS = [
    "longestCommonPrefix",
    "longestCommonSuffix",
    "replacePrefix",
    "replaceSuffix",
    "removePrefix",
    "removeSuffix",
    "maximumOverlap",
    "hasOnlyWinLineEndings",
    "hasOnlyUnixLineEndings",
]


def generate_tests_go_section(arguments: argparse.Namespace) -> Section:
    """Generate tests on Go standard library functions, copied into a module."""
    goroot = Path(
        subprocess.run(["go", "env", "GOROOT"], capture_output=True, text=True).stdout.strip()
    )
    rows = []
    with tempfile.TemporaryDirectory(prefix="accord-bench-go-") as folder:
        root = Path(folder)
        (root / "go.mod").write_text("module example.com/bench\n\ngo 1.19\n", "utf-8")
        for source, package, name in GO_FUNCTIONS:
            path = root / package / Path(source).name
            if not path.exists():
                path.parent.mkdir(exist_ok=True)
                shutil.copy(goroot / "src" / source, path)
            line = _first_line(path, f"func {name}(")
            rows.append((f"{package}.{name}", _run_action(path, root, "go", line, 5, name)))
    return _language_section("Generate tests (offline), Go", rows)


def generate_tests_java_section(arguments: argparse.Namespace) -> Section:
    """Generate tests on the JDK's ``java.util.regex.ASCII``, moved to a package of ours."""
    javac = Path(shutil.which("javac") or "/nonexistent").resolve()
    with zipfile.ZipFile(javac.parents[1] / "lib" / "src.zip") as archive:
        text = archive.read("java.base/java/util/regex/ASCII.java").decode("utf-8")
    rows = []
    with tempfile.TemporaryDirectory(prefix="accord-bench-java-") as folder:
        root = Path(folder)
        path = root / "src/main/java/org/example/regex/ASCII.java"
        path.parent.mkdir(parents=True)
        path.write_text(text.replace("package java.util.regex;", "package org.example.regex;"))
        for name in JAVA_METHODS:
            line = _first_line(path, f" {name}(")
            column = path.read_text("utf-8").split("\n")[line].index(f" {name}(") + 1
            rows.append((f"ASCII.{name}", _run_action(path, root, "java", line, column, name)))
            for made in root.glob("src/test/**/*.java"):
                made.unlink()
    return _language_section("Generate tests (offline), Java (JUnit 5)", rows)


def generate_tests_js_section(arguments: argparse.Namespace) -> Section:
    """Generate tests on ``diff``'s string helpers (JavaScript) and ``ts-dedent`` (TypeScript)."""
    node = Path(shutil.which("node") or "/nonexistent").resolve()
    diff = node.parents[1] / "lib/node_modules/npm/node_modules/diff/libesm/util/string.js"
    rows = []
    with tempfile.TemporaryDirectory(prefix="accord-bench-js-") as folder:
        root = Path(folder)
        (root / "package.json").write_text('{"type": "module"}\n', "utf-8")
        path = Path(shutil.copy(diff, root / "string.js"))
        for name in JS_FUNCTIONS:
            line = _first_line(path, f"export function {name}(")
            rows.append((f"diff {name}", _run_action(path, root, "javascript", line, 17, name)))
        subprocess.run(
            [
                "npm",
                "install",
                "--silent",
                "--no-audit",
                "--no-fund",
                "typescript@5",
                "ts-dedent@2",
            ],
            cwd=root,
            check=True,
            capture_output=True,
        )
        path = Path(shutil.copy(root / "node_modules/ts-dedent/src/index.ts", root / "dedent.ts"))
        line = _first_line(path, "export function dedent(")
        rows.append(
            ("ts-dedent dedent (TS)", _run_action(path, root, "typescript", line, 17, "dedent"))
        )
    return _language_section("Generate tests (offline), JavaScript and TypeScript", rows)


def _first_line(path: Path, needle: str) -> int:
    return next(n for n, text in enumerate(path.read_text("utf-8").split("\n")) if needle in text)


def _language_section(title: str, rows: list[tuple[str, Outcome]]) -> Section:
    section = Section(title, ("function", "verified", "kills", "s", "evidence or reason"))
    for name, outcome in rows:
        section.rows.append(
            (
                name,
                "yes" if outcome.verified else "no",
                "yes" if outcome.kills else "no",
                f"{outcome.seconds:.2f}",
                outcome.detail,
            )
        )
    _figures(section, [outcome for _, outcome in rows])
    return section


def _figures(section: Section, outcomes: list[Outcome]) -> None:
    verified = [o for o in outcomes if o.verified]
    share = len(verified) / len(outcomes)
    killing = sum(o.kills for o in verified) / len(verified) if verified else 0.0
    p50 = statistics.median(o.seconds for o in outcomes)
    section.figures += [
        ("verified test file", f"{len(verified)}/{len(outcomes)} = {share:.0%}", ">= 80%"),
        ("of those, killing a mutant", f"{killing:.0%}", ""),
        ("time per action p50", f"{p50:.2f} s", "< 3 s"),
        ("time per action max", f"{max(o.seconds for o in outcomes):.2f} s", ""),
    ]


def _line_of(source: str, qualified: str) -> int:
    """The zero-based line of ``name`` or ``Class.name`` at the module's top level."""
    body: list[ast.stmt] = ast.parse(source).body
    node: ast.stmt | None = None
    for part in qualified.split("."):
        node = next(
            n for n in body if isinstance(n, ast.FunctionDef | ast.ClassDef) and n.name == part
        )
        body = node.body
    assert node is not None
    return node.lineno - 1


SECTIONS: dict[str, Callable[[argparse.Namespace], Section]] = {
    "generate_tests": generate_tests_section,
    "generate_tests_go": generate_tests_go_section,
    "generate_tests_java": generate_tests_java_section,
    "generate_tests_js": generate_tests_js_section,
}


def show(section: Section) -> None:
    print(f"\n## {section.title}\n")
    print(" | ".join(section.header))
    print(" | ".join("---" for _ in section.header))
    for row in section.rows:
        print(" | ".join(row))
    print()
    for name, value, goal in section.figures:
        print(f"- {name}: {value}" + (f" (goal {goal})" if goal else ""))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--only", choices=sorted(SECTIONS), action="append")
    parser.add_argument("--functions", type=int, default=len(FUNCTIONS))
    arguments = parser.parse_args()
    for name in arguments.only or SECTIONS:
        show(SECTIONS[name](arguments))


if __name__ == "__main__":
    main()
