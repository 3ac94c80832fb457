"""Removed documentation and tests, found with each language's documentation query."""

from __future__ import annotations

import inspect
import shlex

import pytest

from accord.analyzers.documentation import Removed, removed_documentation, summary

CASES = [
    ("python", "# keep it\ndef test_a():\n    '''Checks a.'''\n", "def test_b():\n    pass\n"),
    ("javascript", "// keep it\n/** Checks a. */\nit('checks a', () => {});\n", "x();\n"),
    ("typescript", "// keep it\n/** Checks a. */\ntest('checks a', () => {});\n", "x();\n"),
    ("java", "// keep it\n/** Checks a. */\nclass A { @Test void checksA() {} }\n", "class A {}\n"),
    ("kotlin", "// keep it\n/** Checks a. */\nclass A { @Test fun checksA() {} }\n", "class A\n"),
    ("go", "package m\n\n// keep it\n// Checks a.\nfunc TestA(t *testing.T) {}\n", "package m\n"),
    ("rust", "// keep it\n/// Checks a.\n#[test]\nfn checks_a() {}\n", "fn f() {}\n"),
    ("csharp", "// keep it\n/// Checks a.\nclass A { [Fact] void ChecksA() {} }\n", "class A {}\n"),
    ("swift", "// keep it\n/// Checks a.\nfunc testA() {}\n", "func f() {}\n"),
]


@pytest.mark.parametrize(("language", "before", "after"), CASES, ids=[c[0] for c in CASES])
def test_removed_comments_and_tests_are_found(language: str, before: str, after: str) -> None:
    removed = removed_documentation(language, before, after)

    texts = {(r.kind, r.text) for r in removed}
    assert ("comment", "keep it") in texts
    assert any(kind in ("comment", "docstring") and text == "Checks a." for kind, text in texts)
    assert any(kind == "test" for kind, _ in texts)
    assert removed_documentation(language, before, before) == ()


def test_moved_text_is_not_removed_and_added_text_does_not_offset() -> None:
    source = inspect.getsource(shlex)
    moved = source.replace('    """Return a shell-escaped version of the string *s*."""\n', "")
    moved += '\n\ndef elsewhere():\n    """Return a shell-escaped version of the string *s*."""\n'
    rewritten = source.replace(
        "Return a shell-escaped version of the string *s*.", "Quote s. A new, longer text."
    )

    assert removed_documentation("python", source, moved) == ()
    assert removed_documentation("python", source, rewritten) == (
        Removed("docstring", "Return a shell-escaped version of the string *s*."),
    )
    assert summary((Removed("docstring", "a"), Removed("test", "test_x"))) == (
        "1 docstring line, 1 test (test_x)"
    )
    assert removed_documentation("dart", "// a\n", "") == ()
