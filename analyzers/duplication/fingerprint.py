"""A file's duplication fingerprint: the shape of each significant line.

A line's shape is its tokens with every name turned into ``I``, every number into ``N`` and
every string literal into one placeholder byte; keywords and operators stay as they are,
comments and blank lines go. Two blocks with the same shapes are the same code with other names
and values; with the same exact text, the same code. Lines holding only punctuation or imports
are not significant, nor are lines holding a string alone (docstrings). Keywords come from the
grammar itself (its anonymous word tokens), less the soft keywords that double as names.

A block's size in tokens counts every token of its lines, as jscpd counts them: the tokens of the
lines left out of the shapes (a closing ``)``, a string argument alone on its line) are kept per
significant line as the gap before it. Imports and comments count nothing.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from typing import Any

import tree_sitter

from ..languages import all_languages, load_query, ts_language
from ..source import SourceDocument

__all__ = ["FileFingerprint", "fingerprint", "refingerprint", "token_count"]

# What a string literal becomes in a shape: one byte no word or number can contain.
_LITERAL = b"\x02"
_NUMBER = re.compile(rb"(?<![\w$])\d[\w.]*")
# A word, captured: splitting on it leaves the words at the odd indexes.
_WORD = re.compile(rb"([A-Za-z_$][\w$]*)")
_SPACE = re.compile(rb"[ \t\r\f\v]+")
_PUNCTUATION = b" !\"#%&'()*+,-./:;<=>?@[\\]^`{|}~"
_IMPORTS = (b"import ", b"from ", b"using ", b"package ", b"use ", b"#include", b"require ")


@dataclass(frozen=True, slots=True)
class FileFingerprint:
    """Per significant line: its shape, its exact text, its row, its byte span and the tokens
    of the lines left out between the previous significant line and it (``gaps``).

    Plain bytes and ints, so it pickles cheaply from a worker process and compares the same in
    every process.
    """

    shapes: tuple[bytes, ...]
    exact: tuple[bytes, ...]
    rows: tuple[int, ...]
    spans: tuple[tuple[int, int], ...]
    gaps: tuple[int, ...]


def fingerprint(document: SourceDocument) -> FileFingerprint:
    """The fingerprint of a document's current text."""
    return FileFingerprint(*_columns(_entries(document, 0, document.lines.line_count - 1)))


def refingerprint(
    previous: FileFingerprint, moved: tuple[int, int], document: SourceDocument, dirty: Span
) -> FileFingerprint:
    """The fingerprint of ``document`` from ``previous``, the fingerprint of its text before
    some edits, recomputing only the lines that ``dirty`` touches.

    ``dirty`` must cover every byte the edits and the reparses changed since ``previous`` (in the
    current text); ``moved`` is how far the text after it moved, in (bytes, lines). Lines outside
    ``dirty`` have the same tokens and literals as before, so their shapes stay, moved.
    """
    lines = document.lines
    first, last = lines.point(dirty[0])[0], lines.point(dirty[1])[0]
    shift, row_shift = moved
    kept_before: list[_Entry] = []
    kept_after: list[_Entry] = []
    for entry in zip(*_fields(previous), strict=True):
        row = entry[2]
        if row < first:
            kept_before.append(entry)
        elif row + row_shift > last:
            span = (entry[3][0] + shift, entry[3][1] + shift)
            kept_after.append((entry[0], entry[1], row + row_shift, span, entry[4]))
    # The gap before a line reaches back to the previous significant line: recompute from just
    # after the last line kept before, through the first line kept after (its gap may have
    # changed), so every recomputed gap is whole.
    first = kept_before[-1][2] + 1 if kept_before else 0
    if kept_after:
        last = kept_after.pop(0)[2]
    entries = [*kept_before, *_entries(document, first, last), *kept_after]
    return FileFingerprint(*_columns(entries))


def _fields(print_: FileFingerprint) -> tuple[tuple[Any, ...], ...]:
    return print_.shapes, print_.exact, print_.rows, print_.spans, print_.gaps


# A significant line: its shape, its exact text, its row, its byte span and its gap's tokens.
_Entry = tuple[bytes, bytes, int, tuple[int, int], int]
Span = tuple[int, int]


def _columns(entries: list[_Entry]) -> tuple[tuple[Any, ...], ...]:
    if not entries:
        return (), (), (), (), ()
    return tuple(tuple(column) for column in zip(*entries, strict=True))


def _entries(document: SourceDocument, first: int, last: int) -> list[_Entry]:
    """The significant lines among rows ``first`` to ``last`` (inclusive)."""
    lines = document.lines
    start = lines.line_start(first)
    end = lines.line_start(last + 1) - 1 if last + 1 < lines.line_count else len(document.data)
    exact_text, shape_text = _masked(document, start, end)
    shape_text = _NUMBER.sub(b"N", _named(shape_text, _keywords(document.spec.name)))
    shape_lines = _SPACE.sub(b" ", shape_text).split(b"\n")
    exact_lines = _SPACE.sub(b" ", exact_text).split(b"\n")
    raw_lines = document.data[start:end].split(b"\n")
    entries: list[_Entry] = []
    gap = 0
    for offset, shape in enumerate(shape_lines):
        shape = shape.strip()
        if shape.startswith(_IMPORTS):
            continue
        if shape.translate(None, _PUNCTUATION) in (b"", _LITERAL):
            gap += token_count(shape)
            continue
        raw = raw_lines[offset]
        row = first + offset
        indent = len(raw) - len(raw.lstrip())
        line_start = lines.line_start(row)
        span = (line_start + indent, line_start + len(raw.rstrip()))
        entries.append((shape, exact_lines[offset].strip(), row, span, gap))
        gap = 0
    return entries


def token_count(shape: bytes) -> int:
    """How many tokens a line shape holds (names, numbers and literals count one each)."""
    return len(_TOKEN.findall(shape))


_TOKEN = re.compile(rb"[A-Za-z_$][\w$]*|\S")


def _masked(document: SourceDocument, start: int, end: int) -> tuple[bytes, bytes]:
    """Bytes ``[start, end)`` without comments, and without comments with literals as
    placeholders; a literal that begins before ``start`` has its placeholder there, not here.

    Line breaks inside masked ranges are kept, so rows stay where they were.
    """
    data = document.data
    exact: list[bytes] = []
    shape: list[bytes] = []
    position = start
    for node_start, node_end, kind in _literal_ranges(document, start, end):
        if node_start < position and not (node_start < start == position):
            continue  # inside a range already masked (a string in a template, …)
        placeholder = b"" if node_start < start else _LITERAL
        node_start, node_end = max(node_start, start), min(node_end, end)
        exact.append(data[position:node_start])
        shape.append(data[position:node_start])
        breaks = b"\n" * data.count(b"\n", node_start, node_end)
        exact.append(breaks if kind == "comment" else data[node_start:node_end])
        shape.append(breaks if kind == "comment" else placeholder + breaks)
        position = node_end
    exact.append(data[position:end])
    shape.append(data[position:end])
    return b"".join(exact), b"".join(shape)


def _literal_ranges(document: SourceDocument, start: int, end: int) -> list[tuple[int, int, str]]:
    """The literals and comments that overlap or touch bytes ``[start, end)``, outermost first."""
    query = load_query(document.spec.name, "duplication")
    if query is None:
        return []
    cursor = tree_sitter.QueryCursor(query)
    cursor.set_byte_range(max(0, start - 1), end + 1)
    captures = cursor.captures(document.tree.root_node)
    ranges = [
        (node.start_byte, node.end_byte, kind)
        for kind, nodes in captures.items()
        for node in nodes
        if node.start_byte <= end and node.end_byte >= start
    ]
    return sorted(ranges, key=lambda item: (item[0], -item[1]))


def _named(text: bytes, keywords: frozenset[bytes]) -> bytes:
    """``text`` with every word that is not a keyword turned into ``I`` (a split and a list
    comprehension, faster than a substitution that calls Python for each word)."""
    pieces = _WORD.split(text)
    pieces[1::2] = [word if word in keywords else b"I" for word in pieces[1::2]]
    return b"".join(pieces)


@cache
def _keywords(language: str) -> frozenset[bytes]:
    """The language's keywords: its grammar's anonymous word tokens, less its soft keywords."""
    grammar = ts_language(language)
    soft = all_languages()[language].soft_keywords
    return frozenset(
        kind.encode()
        for kind_id in range(grammar.node_kind_count)
        if not grammar.node_kind_is_named(kind_id)
        and (kind := grammar.node_kind_for_id(kind_id))
        and re.fullmatch(r"[A-Za-z_]\w*", kind)
        and kind not in soft
    )
