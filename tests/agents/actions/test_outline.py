"""outline: the definition around a position, per language, and identifier words."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from accord.agents.actions.outline import Parameter, outline_at, parse, split_words
from accord.protocol import Position


@pytest.mark.parametrize(
    ("name", "words"),
    [
        ("parse_config_file", ["parse", "config", "file"]),
        ("parseConfigFile", ["parse", "config", "file"]),
        ("HTTPServer", ["http", "server"]),
        ("_private", ["private"]),
        ("getURL2", ["get", "url2"]),
        ("", []),
    ],
)
def test_split_words(name: str, words: list[str]) -> None:
    assert split_words(name) == words


@given(st.lists(st.from_regex(r"[a-z][a-z0-9]{1,6}", fullmatch=True), min_size=1, max_size=4))
def test_snake_and_camel_agree(words: list[str]) -> None:
    camel = words[0] + "".join(w.capitalize() for w in words[1:])
    assert split_words("_".join(words)) == split_words(camel) == words


def test_nested_definitions_keep_their_own_facts() -> None:
    source = "def outer(a):\n    def inner(b):\n        raise KeyError(b)\n    return inner\n"
    outer = outline_at(parse("python", source), Position(line=3, character=4))
    inner = outline_at(parse("python", source), Position(line=2, character=8))
    assert outer is not None and inner is not None
    assert (outer.name, outer.raises, outer.returns_value) == ("outer", (), True)
    assert (inner.name, inner.raises, inner.returns_value, inner.indent) == (
        "inner",
        ("KeyError",),
        False,
        "    ",
    )
    assert outer.parameters == (Parameter("a"),)


@pytest.mark.parametrize(
    ("language", "source", "name", "parameters"),
    [
        (
            "typescript",
            "function f(a: number, b = 2) {}\n",
            "f",
            (Parameter("a", "number"), Parameter("b", None, "2")),
        ),
        (
            "swift",
            "func f(a: Int, b c: String) {}\n",
            "f",
            (Parameter("a", "Int"), Parameter("c", "String")),
        ),
        ("kotlin", "fun f(a: Int) {}\n", "f", (Parameter("a", "Int"),)),
        ("go", "package m\nfunc (s *S) F(a int) {}\n", "F", (Parameter("a", "int"),)),
    ],
)
def test_parameters(
    language: str, source: str, name: str, parameters: tuple[Parameter, ...]
) -> None:
    line = source.count("\n") - 1
    found = outline_at(
        parse(language, source), Position(line=line, character=len(source.split("\n")[line]) - 1)
    )
    assert found is not None and (found.name, found.parameters) == (name, parameters)


def test_outside_any_definition() -> None:
    assert outline_at(parse("python", "x = 1\n"), Position(line=0, character=0)) is None
