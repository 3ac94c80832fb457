"""Generate tests for Java: JUnit 5 tests recorded by running the code with ``java``.

Real code nobody here wrote: ``java.util.regex.ASCII`` from the JDK's own sources (``src.zip``
of Debian's ``openjdk-17-source``), moved to package ``org.example.regex`` (the only line
changed: a class of ``java.*`` cannot be compiled outside the JDK). The proposed tests pass
five repetitions under JUnit's console launcher (Debian's ``junit5``), kill a mutant, pass when
run as a user would, and fail once the method is broken.
"""

from __future__ import annotations

import shutil
import subprocess
import time
import zipfile
from pathlib import Path

import pytest
import tree_sitter

from accord.agents.actions import action_for
from accord.agents.actions.generate_tests import offered
from accord.agents.actions.testing.java_launcher import launcher
from accord.agents.actions.testing.java_runner import JavaSubject, java_tools, junit_jar, run_junit
from accord.agents.exceptions import ActionFailed
from accord.agents.tasks import ActionKind, Task
from accord.analyzers.languages import ts_language
from accord.protocol.proposal import CheckStatus

from .tasks import task_after, verified_tests

ACTION = action_for(ActionKind.GENERATE_TESTS)
JAVAC = shutil.which("javac")
SOURCES = Path(JAVAC or "/nonexistent").resolve().parents[1] / "lib" / "src.zip"
JUNIT = junit_jar(Path("/nonexistent"))

pytestmark = [
    pytest.mark.skipif(
        JAVAC is None or JUNIT is None,
        reason="javac or JUnit 5 missing: apt-get install default-jdk-headless junit5 (.ci/run)",
    ),
    pytest.mark.slow,
]


def task_at(path: Path, root: Path, method: str) -> Task:
    return task_after(path, root, f" {method}(", "java")


def jdk_class(root: Path) -> Path:
    """``java.util.regex.ASCII`` from the JDK's sources, as ``org.example.regex.ASCII``."""
    if not SOURCES.is_file():
        pytest.fail(f"no JDK sources at {SOURCES}: apt-get install openjdk-17-source (.ci/run)")
    with zipfile.ZipFile(SOURCES) as archive:
        text = archive.read("java.base/java/util/regex/ASCII.java").decode("utf-8")
    folder = root / "src/main/java/org/example/regex"
    folder.mkdir(parents=True)
    path = folder / "ASCII.java"
    path.write_text(text.replace("package java.util.regex;", "package org.example.regex;"))
    return path


def junit(root: Path, test: Path, source: Path) -> subprocess.CompletedProcess[str]:
    """Compile the class and its test, and run the test class with JUnit's console launcher."""
    out = root / "out"
    subprocess.run(
        ["javac", "-d", str(out), "-cp", str(JUNIT), str(source), str(test)],
        check=True,
        timeout=300,
    )
    return subprocess.run(
        ["java", "-jar", str(JUNIT), "-cp", str(out), "--select-class=org.example.regex.ASCIITest"],
        capture_output=True,
        text=True,
        timeout=300,
    )


@pytest.mark.parametrize(
    ("method", "broken"),
    [
        ("isDigit", ("((ch-'0')|('9'-ch)) >= 0", "((ch-'0')|('8'-ch)) >= 0")),
        ("toLower", ("(ch + 0x20)", "(ch + 0x21)")),
    ],
)
def test_tests_of_a_jdk_class_pass_kill_a_mutant_and_catch_a_break(
    tmp_path: Path, method: str, broken: tuple[str, str]
) -> None:
    path = jdk_class(tmp_path)
    text = path.read_text("utf-8")
    assert "Copyright" in text and broken[0] in text

    proposal = verified_tests(task_at(path, tmp_path, method))

    evidence = {check.name: check for check in proposal.evidence}
    assert "5 runs in a row (JUnit 5)" in evidence["tests pass"].detail
    assert evidence["kills a mutant"].status is CheckStatus.PASSED
    [written] = proposal.files
    test = Path(written.path)
    assert test == tmp_path / "src/test/java/org/example/regex/ASCIITest.java"
    code = written.edits[0].new_text
    assert f"void {method}Recorded1()" in code and "assertEquals(" in code
    test.parent.mkdir(parents=True)
    test.write_text(code, "utf-8")
    assert junit(tmp_path, test, path).returncode == 0
    path.write_text(text.replace(*broken), "utf-8")
    assert junit(tmp_path, test, path).returncode != 0


PARSE = """\
package org.example.regex;

final class Numbers {
    static int parse(String text) {
        return Integer.parseInt(text.trim());
    }

    int instance(int n) {
        return n;
    }

    private static int hidden(int n) {
        return n;
    }
}
"""


def test_exceptions_are_asserted_with_their_message(tmp_path: Path) -> None:
    folder = tmp_path / "src/main/java/org/example/regex"
    folder.mkdir(parents=True)
    path = folder / "Numbers.java"
    path.write_text(PARSE, "utf-8")

    code = verified_tests(task_at(path, tmp_path, "parse")).files[0].edits[0].new_text

    assert 'assertEquals(123, Numbers.parse("123"));' in code
    assert "assertThrows(NullPointerException.class, () -> Numbers.parse((String) null));" in code
    assert 'assertEquals("For input string: \\"abc\\"", thrown.getMessage());' in code


def test_offered_only_on_static_methods_a_test_can_call(tmp_path: Path) -> None:
    tree = tree_sitter.Parser(ts_language("java")).parse(PARSE.encode())
    body = tree.root_node.named_children[1].child_by_field_name("body")
    assert body is not None
    parse, instance, hidden = body.named_children

    assert offered("java", parse)
    assert not offered("java", instance)
    assert not offered("java", hidden)
    path = tmp_path / "Numbers.java"
    path.write_text(PARSE, "utf-8")
    with pytest.raises(ActionFailed, match="only static methods"):
        ACTION.local_answer(task_at(path, tmp_path, "instance"))


COUNTER = """\
package org.example.count;

final class Counter {
    static int calls;

    static int next(int n) {
        calls += 1;
        return n + calls;
    }
}
"""

COUNTER_TEST = """\
package org.example.count;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class CounterTest {
    @Test
    void firstCallAddsOne() {
        Counter.calls = 0;
        assertEquals(2, Counter.next(1));
    }

    @Test
    void countsCalls() {
        int before = Counter.calls;
        Counter.next(5);
        assertEquals(before + 1, Counter.calls);
    }

    @Test
    void breaks() {
        assertEquals(0, 1);
    }
}
"""


def test_the_code_and_each_mutant_compile_and_run_apart_in_one_jvm(tmp_path: Path) -> None:
    folder = tmp_path / "src/main/java/org/example/count"
    folder.mkdir(parents=True)
    path = folder / "Counter.java"
    path.write_text(COUNTER, "utf-8")
    subject = JavaSubject(path, COUNTER, "org.example.count", tmp_path)
    mutants = [
        COUNTER.replace("n + calls", "n - calls"),
        COUNTER.replace("calls += 1;", "calls += 1; while (n >= 0) { calls += 0; }"),
        COUNTER.replace("return n + calls;", "return n + calls"),
        COUNTER.replace("static int calls;", "static int calls = 7;"),
    ]

    started = time.monotonic()
    run = run_junit(subject, "CounterTest", COUNTER_TEST, 5, mutants, mutant_seconds=2.0)

    assert time.monotonic() - started < 30
    assert run.error == ""
    assert run.results == {
        "firstCallAddsOne": [True] * 5,
        "countsCalls": [True] * 5,
        "breaks": [False] * 5,
    }
    flipped, hangs, broken, seeded = run.on_mutants
    # Only the tests that passed every run meet the mutants, once each; each mutant is
    # compiled and loaded apart (the flipped one fails where the others pass).
    assert flipped == {"firstCallAddsOne": [False], "countsCalls": [True]}
    # A mutant that hangs is stopped after its seconds and passes nothing; one that does not
    # compile passes nothing either.
    assert hangs == {} and broken == {}
    assert seeded == {"firstCallAddsOne": [True], "countsCalls": [True]}


def test_a_class_that_does_not_compile_says_where(tmp_path: Path) -> None:
    folder = tmp_path / "src/main/java/org/example/count"
    folder.mkdir(parents=True)
    path = folder / "Counter.java"
    broken = COUNTER.replace("return n + calls;", "return n + missing;")
    path.write_text(broken, "utf-8")
    subject = JavaSubject(path, broken, "org.example.count", tmp_path)

    run = run_junit(subject, "CounterTest", COUNTER_TEST, 5)

    assert run.results == {}
    assert run.error == "Counter.java:8: error: cannot find symbol"


def test_the_runner_is_built_once_with_a_class_archive_and_a_bad_archive_only_costs_time(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    tools = java_tools()
    assert tools is not None and JUNIT is not None

    command = launcher(*tools, JUNIT)

    assert isinstance(command, list)
    [archive] = (tmp_path / "cache/accord/java").glob("*/AccordJava.jsa")
    assert f"-XX:SharedArchiveFile={archive}" in command
    assert launcher(*tools, JUNIT) == command
    archive.write_bytes(b"not an archive")
    folder = tmp_path / "src/main/java/org/example/count"
    folder.mkdir(parents=True)
    path = folder / "Counter.java"
    path.write_text(COUNTER, "utf-8")
    subject = JavaSubject(path, COUNTER, "org.example.count", tmp_path)

    run = run_junit(subject, "CounterTest", COUNTER_TEST, 2)

    assert run.error == ""
    assert run.results["firstCallAddsOne"] == [True, True]


def test_mutants_of_a_class_that_uses_another_of_the_project_build_and_run(
    tmp_path: Path,
) -> None:
    folder = tmp_path / "src/main/java/org/example/count"
    folder.mkdir(parents=True)
    (folder / "Step.java").write_text(
        "package org.example.count;\n\nfinal class Step {\n"
        "    static int size() {\n        return 1;\n    }\n}\n",
        "utf-8",
    )
    stepped = COUNTER.replace("calls += 1;", "calls += Step.size();")
    path = folder / "Counter.java"
    path.write_text(stepped, "utf-8")
    subject = JavaSubject(path, stepped, "org.example.count", tmp_path)
    mutants = [stepped.replace("n + calls", "n - calls"), stepped.replace("n + calls", "calls + n")]

    run = run_junit(subject, "CounterTest", COUNTER_TEST, 5, mutants)

    assert run.results["firstCallAddsOne"] == [True] * 5
    assert run.on_mutants == (
        {"firstCallAddsOne": [False], "countsCalls": [True]},
        {"firstCallAddsOne": [True], "countsCalls": [True]},
    )
