"""ACC001: per-function counts per language, the threshold, the finding and chunk independence."""

from __future__ import annotations

import pytest

from accord.analyzers.complexity import function_complexities
from accord.analyzers.findings import Finding
from accord.analyzers.languages import all_languages
from accord.analyzers.rules import RuleContext
from accord.analyzers.rules.complexity import RULE, check
from accord.analyzers.source import SourceDocument
from accord.config import Settings, validated

from ..complexity_corpus import lizard_counts, mccabe_counts
from .complexity_cases import CASES


def _document(language: str, source: str) -> SourceDocument:
    return SourceDocument.from_text(all_languages()[language], source)


def _check(document: SourceDocument, threshold: int, node=None) -> list[Finding]:  # type: ignore[no-untyped-def]
    context = RuleContext(document, validated(Settings, {"complexity": {"threshold": threshold}}))
    return list(check(node or document.tree.root_node, context))


@pytest.mark.parametrize(("language", "filename", "source", "expected"), CASES)
def test_each_function_has_the_reference_complexity(
    language: str, filename: str, source: str, expected: list[tuple[int, int]]
) -> None:
    functions = function_complexities(language, _document(language, source).tree.root_node)
    assert sorted((f.line + 1, f.complexity) for f in functions) == sorted(expected)


@pytest.mark.parametrize(("language", "filename", "source", "expected"), CASES)
def test_the_case_table_is_what_the_reference_tool_says(
    language: str, filename: str, source: str, expected: list[tuple[int, int]]
) -> None:
    data = source.encode()
    reference = mccabe_counts(data) if language == "python" else lizard_counts(filename, data)
    assert sorted(reference or []) == sorted(expected)


BRANCHY = "def parse(x):\n" + "".join(f"    if x == {i}:\n        return {i}\n" for i in range(11))


@pytest.mark.parametrize(
    ("threshold", "reported"), [(0, True), (11, True), (12, False), (13, False)]
)
def test_a_function_is_reported_only_above_the_threshold(threshold: int, reported: bool) -> None:
    findings = _check(_document("python", BRANCHY), threshold)
    assert [f.value for f in findings] == ([12] if reported else [])


def test_the_finding_names_the_function_on_its_def_line_and_says_what_to_do() -> None:
    source = "import os\n\n@decorator\n" + BRANCHY
    document = _document("python", source)
    (finding,) = _check(document, 10)
    assert document.data[finding.start : finding.end] == b"parse"
    assert document.lines.point(finding.start)[0] == 3
    assert finding.code == "ACC001" and finding.value == 12
    assert finding.message == (
        "`parse` has cyclomatic complexity 12 (threshold 10): split it into smaller functions"
    )


def test_an_anonymous_function_is_anchored_on_its_first_token() -> None:
    document = _document("javascript", "run(\n  (a) => a ? 1 : 2\n);\n")
    (finding,) = _check(document, 0)
    assert document.data[finding.start : finding.end] == b"("
    assert document.lines.point(finding.start)[0] == 1
    assert finding.message.startswith("This function has cyclomatic complexity 2")


def test_threshold_zero_reports_every_function_of_every_language() -> None:
    for language, _, source, expected in CASES:
        assert len(_check(_document(language, source), 0)) == len(expected), language


def test_a_closure_is_not_reported_on_its_own_in_python() -> None:
    source = "def outer(x):\n    def inner(y):\n        return y\n    return inner\n"
    assert [f.value for f in _check(_document("python", source), 0)] == [2]


CLASSES = {
    "python": "class A:\n    x = 1\n\n    def m(self, a):\n        if a:\n            return 1\n\n"
    "    def n(self, b):\n        for c in b:\n            while c:\n                pass\n",
    "java": "class A {\n  int m(int a) { if (a > 0) { return 1; } return 0; }\n"
    "  int n(int b) { for (;;) { while (b > 0) { b--; } } }\n}\n",
    "csharp": "namespace N {\n  class A {\n    int M(int a) { return a > 0 ? 1 : 0; }\n"
    "    void N(int b) { foreach (var c in cs) { if (c && b > 1) {} } }\n  }\n}\n",
    "rust": "impl A {\n    fn m(&self) -> i32 { if self.a { 1 } else { 0 } }\n"
    "    fn n(&self) { for c in cs { while c || d {} } }\n}\n",
}


def _methods(node, functions: frozenset[str]):  # type: ignore[no-untyped-def]
    """The outermost functions under ``node`` (the chunks an edit inside them re-checks)."""
    if node.type in functions:
        return [node]
    return [m for child in node.children for m in _methods(child, functions)]


@pytest.mark.parametrize("language", sorted(CLASSES))
def test_checking_a_class_whole_equals_checking_its_methods_one_by_one(language: str) -> None:
    document = _document(language, CLASSES[language])
    whole = _check(document, 0)
    spec = document.spec
    one_by_one = [
        f for m in _methods(document.tree.root_node, spec.functions) for f in _check(document, 0, m)
    ]
    assert len(whole) == 2 and sorted(whole, key=lambda f: f.start) == sorted(
        one_by_one, key=lambda f: f.start
    )
    for finding in whole:
        assert not any(
            finding.start == c.start_byte and finding.end == c.end_byte
            for c in _methods(document.tree.root_node, spec.containers)
        )


def test_the_rule_is_a_chunk_rule_with_its_docs_anchor() -> None:
    assert (RULE.scope, RULE.anchor, RULE.default_severity) == (
        "chunk",
        "acc001-complexity",
        "warning",
    )
