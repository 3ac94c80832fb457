"""Verifying a Python test file before anyone sees it: it runs, it passes, it can fail.

Five runs on the current code, each in a fresh sandboxed process of the project's interpreter
with its own hash seed and working folder: the first per test (under an alarm, with process
creation disabled) and then on each mutant of the function; three more per test; the last
under the project's framework (pytest or unittest) as the file will be run. Only tests that
passed all five are kept. A test kills a mutant when it fails on it.

For JavaScript / TypeScript (``verify_js`` here), Go (``go_verify``) and Java (``java_verify``)
the tests run ``REPEATS`` (five) times on the current code and once on each of up to
``MUTANTS`` mutants; ``judge`` keeps those that passed every run.

What a model gets back when tests are dropped or lines stay uncovered is ``feedback``.
"""

from __future__ import annotations

import ast
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

import tree_sitter

from accord.analyzers.languages import ts_language
from accord.protocol.proposal import Check, CheckStatus

from .environment import PythonEnv
from .mutants import Mutant, mutants_of
from .node_runner import run_node_tests
from .python_runner import Subject, TestRuns, confirm, run_tests

__all__ = [
    "REPEATS",
    "RUNS",
    "Verified",
    "drop_js_tests",
    "drop_tests",
    "judge",
    "unverified",
    "verify_js",
    "verify_python",
]

RUNS = 5
# Uncovered lines shown to a model, at most.
SHOWN = 10


@dataclass(frozen=True, slots=True)
class Verified:
    """The outcome: the file with only verified tests (None when none is), and the evidence."""

    code: str | None
    evidence: tuple[Check, ...]
    # One line, when ``code`` is None.
    reason: str = ""
    # What a model should fix (failures, uncovered lines); empty when there is nothing to say.
    feedback: str = ""
    # Per kept test: whether it kills at least one mutant.
    kills: dict[str, bool] = field(default_factory=dict)


def verify_python(code: str, subject: Subject, env: PythonEnv, span: tuple[int, int]) -> Verified:
    """Run ``code``'s tests on ``subject`` (whose function spans zero-based lines ``span``)."""
    mutants = mutants_of(subject.source, "python", *span)
    first = run_tests(env, subject, code, [m.source for m in mutants], (span[0] + 1, span[1] + 1))
    if first.error:
        return unverified(f"the tests do not run: {first.error}", first.error)
    failures = {name: why for name, why in first.original.items() if why}
    passed = first.passed()
    if not passed:
        listed = "; ".join(f"{name}: {why}" for name, why in failures.items())
        return unverified(
            f"none of the {len(failures)} tests passed on the current code ({_first(failures)})",
            f"Every test failed on the current code: {listed}",
        )
    kept = drop_tests(code, set(failures))
    stable = _repeated(kept, subject, env, passed)
    flaky = [name for name in passed if name not in stable]
    kept = drop_tests(kept, set(flaky))
    if not stable:
        return unverified(f"no test passed {RUNS} runs in a row ({len(flaky)} flaky)", "")
    kills = {name: any(name in failed for failed in first.mutants.values()) for name in stable}
    evidence = (
        _passing(stable, failures, flaky, _runner(env, subject)),
        _killing(kills, first, mutants),
    )
    uncovered = _uncovered(subject.source, span, first.covered)
    feedback = _feedback(failures, flaky, kills, uncovered)
    return Verified(kept, evidence, feedback=feedback, kills=kills)


def unverified(reason: str, feedback: str) -> Verified:
    """No verified test: ``reason`` in one line, as a failed "tests pass" check."""
    check = Check(name="tests pass", status=CheckStatus.FAILED, detail=reason)
    return Verified(None, (check,), reason=reason, feedback=feedback or reason)


def _first(failures: dict[str, str]) -> str:
    name, why = next(iter(failures.items()))
    more = f", and {len(failures) - 1} more" if len(failures) > 1 else ""
    return f"{name}: {why}{more}"


def _repeated(code: str, subject: Subject, env: PythonEnv, passed: list[str]) -> list[str]:
    """The tests of ``passed`` that pass every further run too: the harness with other hash
    seeds, and (when the file is saved) the project's framework as the file will be run."""
    saved = _saved(subject)
    seeds = range(2, RUNS + (0 if saved else 1))
    with ThreadPoolExecutor(max_workers=2) as pool:
        harness = [pool.submit(run_tests, env, subject, code, (), (0, 0), seed) for seed in seeds]
        framework = pool.submit(confirm, env, code, RUNS) if saved else None
        runs = [{n: not why for n, why in run.result().original.items()} for run in harness]
        if framework is not None:
            runs.append(framework.result())
    return [n for n in passed if all(run.get(n, False) for run in runs)]


def _runner(env: PythonEnv, subject: Subject) -> str:
    """What ran the last run, as the evidence says it."""
    if _saved(subject):
        return env.framework
    return f"{env.framework} not run: the file has unsaved changes, so Accord's harness ran them"


def _saved(subject: Subject) -> bool:
    """Whether the file on disk is the text under test (the framework run imports the file)."""
    try:
        return Path(subject.path).read_text("utf-8") == subject.source
    except (OSError, UnicodeDecodeError):
        return False


def _passing(
    stable: list[str], failures: dict[str, str], flaky: list[str], framework: str, runs: int = RUNS
) -> Check:
    detail = f"{len(stable)} tests passed {runs} runs in a row ({framework})"
    dropped = len(failures) + len(flaky)
    if dropped:
        detail += f"; {dropped} dropped ({len(failures)} failed, {len(flaky)} flaky)"
    return Check(name="tests pass", status=CheckStatus.PASSED, detail=detail)


def _killing(kills: dict[str, bool], runs: TestRuns, mutants: list[Mutant]) -> Check:
    if not mutants:
        return Check(
            name="kills a mutant",
            status=CheckStatus.SKIPPED,
            detail="the function has no operator or constant to flip",
        )
    killers = sum(kills.values())
    killed = sum(1 for failed in runs.mutants.values() if failed & set(kills))
    detail = (
        f"{killers} of {len(kills)} tests kill a mutant ({killed} of {len(mutants)} mutants killed)"
    )
    status = CheckStatus.PASSED if killers else CheckStatus.FAILED
    return Check(name="kills a mutant", status=status, detail=detail)


def _feedback(
    failures: dict[str, str],
    flaky: list[str],
    kills: dict[str, bool],
    uncovered: list[tuple[int, str]],
) -> str:
    parts = []
    if failures:
        parts.append("These tests failed on the current code and were dropped:")
        parts += [f"- {name}: {why}" for name, why in failures.items()]
    if flaky:
        parts.append(f"These tests did not pass every run and were dropped: {', '.join(flaky)}")
    if uncovered:
        parts.append("These lines of the function never ran under the tests:")
        parts += [f"- line {number}: {text}" for number, text in uncovered[:SHOWN]]
    if kills and not any(kills.values()):
        parts.append("No test fails when an operator or a constant of the function is changed.")
    return "\n".join(parts)


def _uncovered(source: str, span: tuple[int, int], covered: set[int]) -> list[tuple[int, str]]:
    """Statement lines of the function (one-based, with their text) that did not run."""
    lines = source.split("\n")
    try:
        tree = ast.parse(source)
    except SyntaxError:
        return []
    function = next(
        (
            node
            for node in ast.walk(tree)
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef)
            and node.lineno - 1 <= span[0] <= (node.end_lineno or node.lineno) - 1
            and (node.end_lineno or 0) - 1 <= span[1]
        ),
        None,
    )
    if function is None:
        return []
    body = function.body[1:] if ast.get_docstring(function) else function.body
    statements = {n.lineno for s in body for n in ast.walk(s) if isinstance(n, ast.stmt)}
    return [(n, lines[n - 1].strip()) for n in sorted(statements - covered)]


def drop_tests(code: str, names: set[str]) -> str:
    """``code`` without the test functions (or ``Class.method`` methods) named in ``names``."""
    if not names:
        return code
    try:
        tree = ast.parse(code)
    except SyntaxError:
        return code
    spans = []
    for node in tree.body:
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef) and node.name in names:
            spans.append(_span(node))
        elif isinstance(node, ast.ClassDef):
            methods = [
                i for i in node.body if isinstance(i, ast.FunctionDef | ast.AsyncFunctionDef)
            ]
            dropped = [m for m in methods if f"{node.name}.{m.name}" in names]
            if dropped and len(dropped) == len(methods):
                spans.append(_span(node))
            else:
                spans += [_span(method) for method in dropped]
    lines = code.split("\n")
    for first, last in sorted(spans, reverse=True):
        del lines[first:last]
    return _tidy("\n".join(lines))


def _span(node: ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef) -> tuple[int, int]:
    first = min([node.lineno, *(d.lineno for d in node.decorator_list)]) - 1
    return first, node.end_lineno or node.lineno


def _tidy(code: str) -> str:
    """At most two blank lines in a row, and one newline at the end."""
    out: list[str] = []
    for line in code.split("\n"):
        if not line.strip() and len(out) >= 2 and not out[-1].strip() and not out[-2].strip():
            continue
        out.append(line)
    return "\n".join(out).rstrip("\n") + "\n"


# Mutants run for a function of a compiled or node-run language, at most (each is one run).
MUTANTS = 4
# Runs on the current code for those languages: a kept test passed every one of them.
REPEATS = 5


def verify_js(
    code: str,
    source: str,
    specifier: str,
    span: tuple[int, int],
    vitest: Path | None = None,
    jest: Path | None = None,
) -> Verified:
    """Run ``code`` (which imports the module as ``specifier``) ``REPEATS`` times with
    ``node --test`` (or the project's ``vitest`` or ``jest``) on ``source``, then once on each
    of up to ``MUTANTS`` mutants."""
    mutants = mutants_of(source, "javascript", *span)[:MUTANTS]
    started = time.monotonic()
    with ThreadPoolExecutor(max_workers=2) as pool:
        runs = list(
            pool.map(
                lambda _: run_node_tests(code, specifier, source, vitest=vitest, jest=jest),
                range(REPEATS),
            )
        )
        # A mutant that makes a test loop forever is stopped well after a normal run's time.
        seconds = max(3.0, 3 * (time.monotonic() - started) / (REPEATS / 2))
        on_mutants = list(
            pool.map(
                lambda m: run_node_tests(code, specifier, m.source, seconds, vitest, jest), mutants
            )
        )
    runner = "jest" if jest is not None else "node:test" if vitest is None else "vitest"
    if not runs[0]:
        return unverified(f"the tests do not run under {runner}", "")
    outcomes = {name: [run.get(name, False) for run in runs] for name in runs[0]}
    return judge(
        code,
        outcomes,
        [{name: [ok] for name, ok in run.items()} for run in on_mutants],
        mutants,
        runner,
        drop_js_tests,
    )


def judge(
    code: str,
    runs: dict[str, list[bool]],
    on_mutants: list[dict[str, list[bool]]],
    mutants: list[Mutant],
    framework: str,
    drop: Callable[[str, set[str]], str],
) -> Verified:
    """The verdict on ``code`` from each test's outcomes on the current code (``runs``, one
    entry per run) and on each of ``mutants``; ``drop`` removes the named tests from ``code``."""
    failures = {name: "failed on the current code" for name, ok in runs.items() if not ok[0]}
    passed = [name for name, ok in runs.items() if ok[0]]
    stable = [name for name in passed if len(runs[name]) >= REPEATS and all(runs[name])]
    flaky = [name for name in passed if name not in stable]
    if not stable:
        if not passed:
            return unverified(
                f"none of the {len(failures)} tests passed on the current code",
                "Every test failed on the current code.",
            )
        return unverified(f"no test passed {REPEATS} runs in a row ({len(flaky)} flaky)", "")
    killed = TestRuns(
        mutants={
            i: {n for n in stable if not all(run.get(n, [False]))}
            for i, run in enumerate(on_mutants)
        }
    )
    kills = {name: any(name in failed for failed in killed.mutants.values()) for name in stable}
    kept = drop(code, set(failures) | set(flaky))
    evidence = (
        _passing(stable, failures, flaky, framework, REPEATS),
        _killing(kills, killed, mutants),
    )
    return Verified(kept, evidence, feedback=_feedback(failures, flaky, kills, []), kills=kills)


def drop_js_tests(code: str, names: set[str]) -> str:
    """``code`` without its top-level ``test(...)`` / ``it(...)`` calls named in ``names``."""
    if not names:
        return code
    tree = tree_sitter.Parser(ts_language("javascript")).parse(code.encode("utf-8"))
    spans = []
    for statement in tree.root_node.named_children:
        call = statement.named_children[0] if statement.type == "expression_statement" else None
        if call is None or call.type != "call_expression":
            continue
        function, arguments = (
            call.child_by_field_name("function"),
            call.child_by_field_name("arguments"),
        )
        if function is None or arguments is None or (function.text or b"") not in (b"test", b"it"):
            continue
        title = arguments.named_children[0] if arguments.named_children else None
        if title is not None and title.type == "string" and _string(title) in names:
            spans.append((statement.start_point[0], statement.end_point[0] + 1))
    lines = code.split("\n")
    for first, last in sorted(spans, reverse=True):
        del lines[first:last]
    return _tidy("\n".join(lines))


def _string(node: tree_sitter.Node) -> str:
    text = (node.text or b"").decode("utf-8", errors="replace")
    try:
        return str(ast.literal_eval(text))
    except (ValueError, SyntaxError):
        return text[1:-1]
