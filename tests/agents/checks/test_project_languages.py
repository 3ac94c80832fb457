"""The ``tests pass`` check for JavaScript, Go and Java projects: their own tests, run for real
on a copy of the project with the change, withdraw a change that breaks them.

Real code and tests nobody here wrote: Go's ``path`` package with its own ``path_test.go``
(the import of the package under test pointed at the copy in this module), and ``diff``'s
string helpers as npm ships them; Java: the JDK's ``java.util.regex.ASCII`` (moved to a package
of ours) with a JUnit 5 test.
"""

from __future__ import annotations

import shutil
import subprocess
import zipfile
from pathlib import Path

import pytest

from accord.agents.actions.testing.java_runner import junit_jar
from accord.agents.checks import project_tests
from accord.agents.checks.project_languages import scripts_importing
from accord.protocol.proposal import CheckStatus

TIMEOUT = 240.0


def goroot() -> Path:
    found = subprocess.run(["go", "env", "GOROOT"], capture_output=True, text=True, check=True)
    return Path(found.stdout.strip())


@pytest.mark.skipif(shutil.which("go") is None, reason="go not installed (.ci/run installs it)")
def test_go_package_tests_decide(tmp_path: Path) -> None:
    (tmp_path / "go.mod").write_text("module example.com/m\n\ngo 1.19\n", "utf-8")
    folder = tmp_path / "path"
    folder.mkdir()
    path = Path(shutil.copy(goroot() / "src/path/path.go", folder))
    tests = (goroot() / "src/path/path_test.go").read_text("utf-8")
    (folder / "path_test.go").write_text(tests.replace('. "path"', '. "example.com/m/path"'))
    before = path.read_text("utf-8")

    kept = project_tests.tests_pass(
        tmp_path, str(path), "go", before, before + "\n// tidy\n", TIMEOUT
    )
    broken = before.replace('return "."', 'return "/"', 1)
    failed = project_tests.tests_pass(tmp_path, str(path), "go", before, broken, TIMEOUT)

    assert kept.status is CheckStatus.PASSED, kept.detail
    assert kept.detail.startswith("the tests of package ./path pass")
    assert failed.status is CheckStatus.FAILED
    assert "--- FAIL: TestClean" in failed.detail


@pytest.mark.skipif(shutil.which("go") is None, reason="go not installed (.ci/run installs it)")
def test_a_go_package_without_tests_is_said(tmp_path: Path) -> None:
    (tmp_path / "go.mod").write_text("module example.com/m\n\ngo 1.19\n", "utf-8")
    path = tmp_path / "m.go"
    path.write_text("package m\n\nfunc One() int { return 1 }\n", "utf-8")

    check = project_tests.tests_pass(tmp_path, str(path), "go", "", path.read_text(), TIMEOUT)

    assert check.status is CheckStatus.SKIPPED
    assert check.detail == "the package of m.go has no tests"


DIFF = Path(shutil.which("node") or "/nonexistent").resolve().parents[1] / (
    "lib/node_modules/npm/node_modules/diff/libesm/util/string.js"
)
NODE_TEST = """\
import { test } from "node:test";
import assert from "node:assert/strict";
import { longestCommonPrefix } from "../src/string.js";

test("common prefix", () => {
  assert.equal(longestCommonPrefix("abcd", "abxy"), "ab");
});
"""


@pytest.mark.skipif(not DIFF.is_file(), reason="Node with npm's copy of diff is needed")
def test_javascript_tests_importing_the_module_decide(tmp_path: Path) -> None:
    (tmp_path / "package.json").write_text('{"type": "module"}\n', "utf-8")
    (tmp_path / "src").mkdir()
    (tmp_path / "test").mkdir()
    path = Path(shutil.copy(DIFF, tmp_path / "src" / "string.js"))
    (tmp_path / "test" / "string.test.js").write_text(NODE_TEST, "utf-8")
    (tmp_path / "test" / "other.test.js").write_text('import "../src/other.js";\n', "utf-8")
    before = path.read_text("utf-8")

    kept = project_tests.tests_pass(
        tmp_path, str(path), "javascript", before, before + "\n", TIMEOUT
    )
    broken = before.replace("return str1.slice(0, i);", "return str1.slice(0, i + 1);", 1)
    failed = project_tests.tests_pass(tmp_path, str(path), "javascript", before, broken, TIMEOUT)

    assert scripts_importing(tmp_path, path) == [Path("test/string.test.js")]
    assert kept.status is CheckStatus.PASSED, kept.detail
    assert kept.detail.startswith("1 test file(s) importing string.js pass")
    assert failed.status is CheckStatus.FAILED


JUNIT_TEST = """\
package org.example.regex;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class AsciiTest {
    @Test
    void lowers() {
        assertEquals('a', ASCII.toLower('A'));
    }
}
"""


@pytest.mark.slow
@pytest.mark.skipif(
    shutil.which("javac") is None or junit_jar(Path("/nonexistent")) is None,
    reason="javac or JUnit 5 missing (.ci/run installs them)",
)
def test_java_junit_tests_naming_the_class_decide(tmp_path: Path) -> None:
    sources = Path(shutil.which("javac") or "").resolve().parents[1] / "lib" / "src.zip"
    with zipfile.ZipFile(sources) as archive:
        text = archive.read("java.base/java/util/regex/ASCII.java").decode("utf-8")
    main = tmp_path / "src/main/java/org/example/regex"
    test = tmp_path / "src/test/java/org/example/regex"
    main.mkdir(parents=True)
    test.mkdir(parents=True)
    path = main / "ASCII.java"
    before = text.replace("package java.util.regex;", "package org.example.regex;")
    path.write_text(before, "utf-8")
    (test / "AsciiTest.java").write_text(JUNIT_TEST, "utf-8")

    kept = project_tests.tests_pass(tmp_path, str(path), "java", before, before + "\n", TIMEOUT)
    broken = before.replace("(ch + 0x20)", "(ch + 0x21)")
    failed = project_tests.tests_pass(tmp_path, str(path), "java", before, broken, TIMEOUT)

    assert kept.status is CheckStatus.PASSED, kept.detail
    assert kept.detail.startswith("1 JUnit test class(es) naming ASCII pass")
    assert failed.status is CheckStatus.FAILED
