"""Requests written in comments, read in every language's own comments and nowhere else."""

from __future__ import annotations

import pytest

from accord.analyzers.languages import all_languages
from accord.analyzers.source import SourceDocument
from accord.server.written_requests import written_request


def _source(language: str, text: str) -> SourceDocument:
    return SourceDocument.from_text(all_languages()[language], text)


@pytest.mark.parametrize(
    ("language", "text", "words", "removed"),
    [
        ("python", "x = 1\n# accord: ask add type hints\ny = 2\n", "add type hints",
         "# accord: ask add type hints\n"),
        ("python", "total = a + b  # accord: ask name this better\n", "name this better",
         "  # accord: ask name this better"),
        ("javascript", "let a = 1;\n// accord: ask: use const\n", "use const",
         "// accord: ask: use const\n"),
        ("typescript", "let a = 1;\n/* accord: ask use const */\n", "use const",
         "/* accord: ask use const */\n"),
        ("java", "class A {\n  // accord: ask make it final\n}\n", "make it final",
         "  // accord: ask make it final\n"),
        ("kotlin", "fun f() {\n  // accord: ask return early\n}\n", "return early",
         "  // accord: ask return early\n"),
        ("rust", "fn f() {\n    // accord: ask no unwrap\n}\n", "no unwrap",
         "    // accord: ask no unwrap\n"),
        ("go", "package a\n// accord: ask wrap the error\n", "wrap the error",
         "// accord: ask wrap the error\n"),
    ],
)  # fmt: skip
def test_a_request_is_read_from_a_comment_in_each_language(
    language: str, text: str, words: str, removed: str
) -> None:
    source = _source(language, text)
    row = next(i for i, line in enumerate(text.split("\n")) if "accord: ask" in line)
    request = written_request(source, row)
    assert request is not None
    assert request.instruction == words
    assert source.data[request.start : request.end].decode() == removed


@pytest.mark.parametrize(
    ("language", "text"),
    [
        ("python", 'HELP = "# accord: ask rename x"\n'),
        ("python", '"""\naccord: ask inside a docstring\n"""\n'),
        ("javascript", "const s = `// accord: ask a template`;\n"),
        ("python", "# accord: ask\n"),  # no words
        ("python", "# accord: ignore[ACC002]\n"),
        ("java", "/* a block\n accord: ask spanning lines */\nclass A {}\n"),
    ],
)
def test_no_request_outside_a_one_line_comment_or_without_words(language: str, text: str) -> None:
    source = _source(language, text)
    assert all(written_request(source, row) is None for row in range(source.lines.line_count))


def test_a_line_out_of_range_holds_no_request() -> None:
    source = _source("python", "# accord: ask x\n")
    assert written_request(source, -1) is None
    assert written_request(source, 99) is None
