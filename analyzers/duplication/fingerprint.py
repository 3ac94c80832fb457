"""A file's duplication fingerprint: the shape of each significant line.

A line's shape is its tokens with every name turned into ``I``, every number into ``N`` and
every string literal into one placeholder byte; keywords and operators stay as they are,
comments and blank lines go. Two blocks with the same shapes are the same code with other names
and values; with the same exact text, the same code. Lines holding only punctuation or imports
are not significant, nor are lines holding a string alone (docstrings). Keywords come from the
grammar itself (its anonymous word tokens), less the soft keywords that double as names.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache

import tree_sitter

from ..languages import all_languages, load_query, ts_language
from ..source import SourceDocument

__all__ = ["FileFingerprint", "fingerprint", "token_count"]

# What a string literal becomes in a shape: one byte no word or number can contain.
_LITERAL = b"\x02"
_NUMBER = re.compile(rb"(?<![\w$])\d[\w.]*")
_WORD = re.compile(rb"[A-Za-z_$][\w$]*")
_SPACE = re.compile(rb"[ \t\r\f\v]+")
_PUNCTUATION = b" !\"#%&'()*+,-./:;<=>?@[\\]^`{|}~"
_IMPORTS = (b"import ", b"from ", b"using ", b"package ", b"use ", b"#include", b"require ")


@dataclass(frozen=True, slots=True)
class FileFingerprint:
    """Per significant line: its shape, its exact text, its row and its byte span.

    Plain bytes and ints, so it pickles cheaply from a worker process and compares the same in
    every process.
    """

    shapes: tuple[bytes, ...]
    exact: tuple[bytes, ...]
    rows: tuple[int, ...]
    spans: tuple[tuple[int, int], ...]


def fingerprint(document: SourceDocument) -> FileFingerprint:
    """The fingerprint of a document's current text."""
    exact_text, shape_text = _masked(document)
    shape_text = _NUMBER.sub(b"N", _WORD.sub(_namer(document.spec.name), shape_text))
    shape_lines = _SPACE.sub(b" ", shape_text).split(b"\n")
    exact_lines = _SPACE.sub(b" ", exact_text).split(b"\n")
    raw_lines = document.data.split(b"\n")
    starts = document.lines.starts
    shapes, exact, rows, spans = [], [], [], []
    for row, shape in enumerate(shape_lines):
        shape = shape.strip()
        if shape.translate(None, _PUNCTUATION) in (b"", _LITERAL) or shape.startswith(_IMPORTS):
            continue
        raw = raw_lines[row]
        indent = len(raw) - len(raw.lstrip())
        shapes.append(shape)
        exact.append(exact_lines[row].strip())
        rows.append(row)
        spans.append((starts[row] + indent, starts[row] + len(raw.rstrip())))
    return FileFingerprint(tuple(shapes), tuple(exact), tuple(rows), tuple(spans))


def token_count(shape: bytes) -> int:
    """How many tokens a line shape holds (names, numbers and literals count one each)."""
    return len(_TOKEN.findall(shape))


_TOKEN = re.compile(rb"[A-Za-z_$][\w$]*|\S")


def _masked(document: SourceDocument) -> tuple[bytes, bytes]:
    """The text without comments, and the text without comments with literals as placeholders.

    Line breaks inside masked ranges are kept, so rows stay where they were.
    """
    data = document.data
    exact: list[bytes] = []
    shape: list[bytes] = []
    position = 0
    for start, end, kind in _literal_ranges(document):
        if start < position:
            continue  # inside a range already masked (a string in a template, …)
        exact.append(data[position:start])
        shape.append(data[position:start])
        breaks = b"\n" * data.count(b"\n", start, end)
        exact.append(breaks if kind == "comment" else data[start:end])
        shape.append(breaks if kind == "comment" else _LITERAL + breaks)
        position = end
    exact.append(data[position:])
    shape.append(data[position:])
    return b"".join(exact), b"".join(shape)


def _literal_ranges(document: SourceDocument) -> list[tuple[int, int, str]]:
    query = load_query(document.spec.name, "duplication")
    if query is None:
        return []
    captures = tree_sitter.QueryCursor(query).captures(document.tree.root_node)
    ranges = [
        (node.start_byte, node.end_byte, kind) for kind, nodes in captures.items() for node in nodes
    ]
    return sorted(ranges, key=lambda item: (item[0], -item[1]))


@cache
def _namer(language: str) -> Callable[[re.Match[bytes]], bytes]:
    """A substitution keeping the language's keywords and turning other words into ``I``."""
    grammar = ts_language(language)
    soft = all_languages()[language].soft_keywords
    keywords = frozenset(
        kind.encode()
        for kind_id in range(grammar.node_kind_count)
        if not grammar.node_kind_is_named(kind_id)
        and (kind := grammar.node_kind_for_id(kind_id))
        and re.fullmatch(r"[A-Za-z_]\w*", kind)
        and kind not in soft
    )

    def name(match: re.Match[bytes]) -> bytes:
        word = match.group()
        return word if word in keywords else b"I"

    return name
