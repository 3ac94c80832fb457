"""Change facts: lines, complexity growth and breaking public signatures per language."""

from __future__ import annotations

import pytest

from accord.analyzers.change import change_facts

SIGNATURES = [
    # language, path, before, after, expected (name, kind) pairs
    ("python", "a.py", "def f(a):\n    pass\n", "def f(a, b):\n    pass\n", [("f", "changed")]),
    ("python", "a.py", "def f(a):\n    pass\n", "def g(a):\n    pass\n", [("f", "removed")]),
    ("python", "a.py", "def _f(a):\n    pass\n", "def _f(a, b):\n    pass\n", []),
    (
        "python",
        "a.py",
        "class K:\n    def m(self): pass\n",
        "class K:\n    pass\n",
        [("K.m", "removed")],
    ),
    ("python", "a.py", "def f(a):\n    pass\n", "def f(a):\n    return 1\n", []),
    (
        "javascript",
        "a.js",
        "export function f(a) {}\n",
        "export function f(a, b) {}\n",
        [("f", "changed")],
    ),
    ("javascript", "a.js", "function f(a) {}\n", "function f(a, b) {}\n", []),
    (
        "typescript",
        "a.ts",
        "export class K { m(x: number) {} }",
        "export class K { }",
        [("K.m", "removed")],
    ),
    (
        "java",
        "A.java",
        "public class A { public void m(int x) {} }",
        "public class A { public void m(long x) {} }",
        [("A.m", "changed")],
    ),
    ("java", "A.java", "public class A { private void p() {} }", "public class A { }", []),
    ("kotlin", "a.kt", "fun a(x: Int) {}\n", "fun a(x: Long) {}\n", [("a", "changed")]),
    ("kotlin", "a.kt", "private fun b() {}\n", "\n", []),
]


@pytest.mark.parametrize(("language", "path", "before", "after", "expected"), SIGNATURES)
def test_breaking_signatures(
    language: str, path: str, before: str, after: str, expected: list[tuple[str, str]]
) -> None:
    facts = change_facts(path, language, before, after)
    assert [(c.name, c.kind) for c in facts.signature_changes] == expected
    assert facts.breaking is bool(expected)


GROWTH = [
    (
        "python",
        "def f(a):\n    return a\n",
        "def f(a):\n    if a:\n        return 1\n    return a\n",
        [("f", 1, 2)],
    ),
    (
        "python",
        "def f(a):\n    if a:\n        return 1\n    return a\n",
        "def f(a):\n    return a\n",
        [],
    ),
    ("python", "", "def g(a):\n    if a:\n        return 1\n", [("g", 0, 2)]),
    (
        "javascript",
        "function f(a) { return a }",
        "function f(a) { if (a) { return 1 } return a }",
        [("f", 1, 2)],
    ),
]


@pytest.mark.parametrize(("language", "before", "after", "expected"), GROWTH)
def test_complexity_growth(
    language: str, before: str, after: str, expected: list[tuple[str, int, int]]
) -> None:
    facts = change_facts("x", language, before, after)
    assert [(g.name, g.before, g.after) for g in facts.complexity_growth] == expected


def test_lines_and_created() -> None:
    facts = change_facts("notes.txt", None, None, "a\nb\n")
    assert (facts.lines_added, facts.lines_removed, facts.created) == (2, 0, True)
    facts = change_facts("notes.txt", None, "a\nb\nc\n", "a\nB\nc\n")
    assert (facts.lines_added, facts.lines_removed, facts.lines_touched) == (1, 1, 2)
