"""Compiled path patterns match exactly as ``fnmatch`` and ``PurePath.match`` did before them."""

from __future__ import annotations

from fnmatch import fnmatch
from pathlib import PurePath

from hypothesis import given
from hypothesis import strategies as st

from accord.globs import matches_any
from accord.vocabulary import DEFAULT_EXCLUDE

PATTERNS = (
    *DEFAULT_EXCLUDE,
    "tests/*",
    "*.md",
    "tests/**",
    "**/fixtures/*",
    "src/*/x.py",
    "/abs/*.py",
    "/abs/*",
    "b/c/*.py",
    "*/test_*.py",
    "[ab]/*",
    "a?py",
    "*",
)
PARTS = ("a", "b", "c", "src", "tests", "venv", ".venv", "fixtures", "x.py", "a.py", "test_a.py")


def _reference(path: str, pattern: str) -> bool:
    pure = PurePath(path)
    return (
        fnmatch(pure.as_posix(), pattern)
        or pure.match(pattern)
        or any(fnmatch(part, pattern) for part in pure.parts)
    )


_PATTERN = st.sampled_from(PATTERNS) | st.lists(
    st.sampled_from((*PARTS, "*", "?.py")), min_size=1, max_size=3
).map("/".join)
_PATH = st.builds(
    lambda absolute, parts: ("/" if absolute else "") + "/".join(parts),
    st.booleans(),
    st.lists(st.sampled_from(PARTS), min_size=1, max_size=5),
)


@given(path=_PATH, pattern=_PATTERN | st.sampled_from(("/a", "/a/*", "/*/x.py")))
def test_a_compiled_pattern_matches_as_pathlib_and_fnmatch_do(path: str, pattern: str) -> None:
    assert matches_any(path, (pattern,)) == _reference(path, pattern)


@given(path=_PATH, patterns=st.lists(_PATTERN, max_size=4))
def test_a_set_of_patterns_matches_when_one_of_them_does(path: str, patterns: list[str]) -> None:
    assert matches_any(path, patterns) == any(_reference(path, p) for p in patterns)


def test_any_of_several_patterns() -> None:
    assert matches_any("src/venv/x.py", DEFAULT_EXCLUDE)
    assert not matches_any("src/app/x.py", DEFAULT_EXCLUDE)
    assert not matches_any("src/app/x.py", ())
