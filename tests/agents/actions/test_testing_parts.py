"""The pure parts of Generate tests: mutants, dropping tests, rendering characterisation tests."""

from __future__ import annotations

import ast

import pytest

from accord.agents.actions.testing.characterise import Case, render
from accord.agents.actions.testing.mutants import LIMIT, mutants_of
from accord.agents.actions.testing.verify import drop_js_tests, drop_tests

PYTHON = '''\
def clamp(value, low=0, high=10):
    """Keep ``value`` within 0 and 10."""
    if value < low and not False:
        return low
    return high if value > high else value + 0
'''

JAVASCRIPT = """\
export function clamp(value, low = 0) {
  return value < low ? low : value * 1;
}
"""


@pytest.mark.parametrize(
    ("language", "source", "expected"),
    [
        (
            "python",
            PYTHON,
            {"0 → 1", "10 → 11", "< → <=", "and → or", "False → True", "> → >=", "+ → -"},
        ),
        ("javascript", JAVASCRIPT, {"0 → 1", "< → <=", "* → /", "1 → 2"}),
    ],
)
def test_mutants_flip_operators_and_constants(
    language: str, source: str, expected: set[str]
) -> None:
    mutants = mutants_of(source, language, 0, source.count("\n"))

    flips = {f"{m.before} → {m.after}" for m in mutants}
    assert expected <= flips and len(mutants) <= LIMIT
    assert all(m.source != source for m in mutants)
    if language == "python":
        assert all('"""Keep ``value`` within 0 and 10."""' in m.source for m in mutants)
        for mutant in mutants:
            ast.parse(mutant.source)


def test_mutants_stay_inside_the_function() -> None:
    source = "X = 1 + 2\n\n\ndef f():\n    return 3\n"

    [mutant] = mutants_of(source, "python", 3, 4)

    assert (mutant.line, mutant.before, mutant.after) == (4, "3", "4")
    assert mutant.describe == "line 5: 3 → 4"


def test_dropping_tests_keeps_the_rest() -> None:
    code = (
        "import pytest\n\n\ndef test_a() -> None:\n    assert 1\n\n\n"
        "@pytest.mark.slow\ndef test_b() -> None:\n    assert 2\n\n\n"
        "class TestC:\n    def test_c(self) -> None:\n        assert 3\n"
    )

    kept = drop_tests(code, {"test_b", "TestC.test_c"})

    assert "test_a" in kept and "test_b" not in kept and "TestC" not in kept
    assert "slow" not in kept and "\n\n\n\n" not in kept
    ast.parse(kept)


def test_dropping_javascript_tests() -> None:
    code = (
        'import { test } from "node:test";\n\n'
        'test("keeps", () => {\n  f();\n});\n\n'
        'test("drops", () => {\n  g();\n});\n'
    )

    kept = drop_js_tests(code, {"drops"})

    assert '"keeps"' in kept and '"drops"' not in kept and "g()" not in kept


@pytest.mark.parametrize(
    ("framework", "expected"),
    [
        (
            "pytest",
            [
                "import pytest",
                "    arg1 = [3, 1]",
                "    insort(arg1, 2)",
                "    assert arg1 == [1, 2, 3]",
                "    with pytest.raises(ValueError, match='bad \\\\(really\\\\)'):",
                "        parse('x')",
                "    assert parse('1') is None",
            ],
        ),
        (
            "unittest",
            [
                "class TestPkgMod(unittest.TestCase):",
                "        self.assertEqual(arg1, [1, 2, 3])",
                "        with self.assertRaisesRegex(ValueError, 'bad \\\\(really\\\\)'):",
                "        self.assertIsNone(parse('1'))",
            ],
        ),
    ],
)
def test_render_asserts_values_exceptions_and_changed_arguments(
    framework: str, expected: list[str]
) -> None:
    cases = [
        Case(
            "test_insort_call_1",
            ("from bisect import insort",),
            ("arg1 = [3, 1]",),
            "insort(arg1, 2)",
            checks=(("arg1", "[1, 2, 3]"),),
        ),
        Case(
            "test_parse_raises_valueerror_1",
            ("from m import parse",),
            (),
            "parse('x')",
            raises=("ValueError", r"bad \(really\)"),
        ),
        Case(
            "test_parse_input_1",
            ("from m import parse",),
            (),
            "parse('1')",
            checks=(("parse('1')", "None"),),
        ),
    ]

    text = render(cases, framework, "pkg.mod")

    ast.parse(text)
    for line in expected:
        assert line in text.split("\n"), (line, text)
    assert "isinstance" not in text
