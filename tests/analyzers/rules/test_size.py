"""ACC005: function and file length."""

from __future__ import annotations

import pytest

from accord.analyzers.rules import RuleContext
from accord.analyzers.rules.size import RULES
from accord.config import Settings, validated

from .chunking import assert_chunk_independent, assert_edits_keep_findings, document, full_run

FUNCTIONS, FILE = RULES
LIMIT = 10
SETTINGS = validated(Settings, {"size": {"max-function-lines": LIMIT, "max-file-lines": 20}})

# language → a function named `f` (or `F`) whose body is `{body}`, and one body line
TEMPLATES = {
    "python": ("def f():\n{body}", "    x = 1\n"),
    "javascript": ("function f() {{\n{body}}}\n", "  x = 1;\n"),
    "typescript": ("function f(): void {{\n{body}}}\n", "  x = 1;\n"),
    "tsx": ("function f() {{\n{body}}}\n", "  x = 1;\n"),
    "java": ("class A {{\n  void f() {{\n{body}  }}\n}}\n", "    x = 1;\n"),
    "kotlin": ("fun f() {{\n{body}}}\n", "  x = 1\n"),
    "swift": ("func f() {{\n{body}}}\n", "  x = 1\n"),
    "go": ("package p\n\nfunc f() {{\n{body}}}\n", "\tx = 1\n"),
    "rust": ("fn f() {{\n{body}}}\n", "    x = 1;\n"),
    "csharp": ("class A {{\n  void f() {{\n{body}  }}\n}}\n", "    x = 1;\n"),
}


def _function(language: str, body_lines: int) -> str:
    template, line = TEMPLATES[language]
    return template.format(body=line * body_lines)


def _frame(language: str) -> int:
    """The lines a function has besides its body: its first line, and a closing brace."""
    return 1 if language == "python" else 2


@pytest.mark.parametrize("language", sorted(TEMPLATES))
def test_a_function_over_the_limit_is_reported_on_its_name(language: str) -> None:
    doc = document(language, _function(language, LIMIT))
    (finding,) = full_run(FUNCTIONS, doc, SETTINGS)
    expected = LIMIT + _frame(language)
    assert doc.data[finding.start : finding.end] == b"f"
    assert finding.value == expected
    assert finding.message == (
        f"Function 'f' is {expected} lines long (limit {LIMIT}): split it into smaller "
        "functions that each do one thing."
    )


@pytest.mark.parametrize("language", sorted(TEMPLATES))
def test_a_function_at_the_limit_is_not_reported(language: str) -> None:
    body = LIMIT - _frame(language)
    assert full_run(FUNCTIONS, document(language, _function(language, body)), SETTINGS) == []


def test_only_outermost_functions_are_measured() -> None:
    inner = "    def inner():\n" + "        y = 2\n" * 12
    source = "def outer():\n" + inner + "    return inner\n"
    findings = full_run(FUNCTIONS, document("python", source), SETTINGS)
    assert [(f.value, f.start) for f in findings] == [(15, source.index("outer"))]


def test_an_anonymous_function_is_reported_on_its_first_line() -> None:
    source = "const handler = () => {\n" + "  x = 1;\n" * 12 + "};\n"
    doc = document("javascript", source)
    (finding,) = full_run(FUNCTIONS, doc, SETTINGS)
    assert doc.data[finding.start : finding.end] == b"() => {"
    assert finding.message.startswith("Function '<anonymous>' is 14 lines long")


def test_functions_inside_a_top_level_statement_are_measured() -> None:
    source = "if True:\n    def f():\n" + "        x = 1\n" * 12
    (finding,) = full_run(FUNCTIONS, document("python", source), SETTINGS)
    assert finding.value == 13


@pytest.mark.parametrize(
    ("text", "lines"),
    [("x = 1\n" * 21, 21), ("x = 1\n" * 20 + "x = 1", 21), ("x = 1\n" * 20, None), ("", None)],
)
def test_a_file_over_the_limit_is_reported_on_its_first_line(text: str, lines: int | None) -> None:
    doc = document("python", text)
    findings = list(FILE.check(doc.tree.root_node, RuleContext(doc, SETTINGS)))  # type: ignore[misc]
    if lines is None:
        assert findings == []
        return
    (finding,) = findings
    assert (finding.start, finding.end, finding.value) == (0, len(b"x = 1"), lines)
    assert finding.message == (
        f"File is {lines} lines long (limit 20): split it into modules by responsibility."
    )


def test_both_checks_share_the_rule_identity() -> None:
    assert {rule.scope for rule in RULES} == {"chunk", "file"}
    assert {(rule.code, rule.anchor, rule.default_severity) for rule in RULES} == {
        ("ACC005", "acc005-size", "info")
    }


def test_defaults_come_from_settings() -> None:
    source = "def f():\n" + "    x = 1\n" * 79
    assert full_run(FUNCTIONS, document("python", source), Settings()) == []
    longer = document("python", source + "    x = 1\n")
    assert [f.value for f in full_run(FUNCTIONS, longer, Settings())] == [81]


CHUNKED = {
    "python": "class A:\n    def f(self):\n"
    + "        x = 1\n" * 12
    + "    def g(self):\n        return 1\n\n\ndef h():\n"
    + "    y = 2\n" * 11,
    "java": "class A {\n  void f() {\n" + "    x = 1;\n" * 12 + "  }\n  void g() {}\n}\n",
    "rust": "impl A {\n    fn f() {\n" + "        x = 1;\n" * 12 + "    }\n}\n",
}


@pytest.mark.parametrize("language", sorted(CHUNKED))
def test_findings_do_not_depend_on_chunking(language: str) -> None:
    assert_chunk_independent(FUNCTIONS, document(language, CHUNKED[language]), SETTINGS)


def test_engine_keeps_findings_through_edits() -> None:
    assert_edits_keep_findings(["ACC005"], document("python", CHUNKED["python"]), SETTINGS)
