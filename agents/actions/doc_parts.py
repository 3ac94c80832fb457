"""What an existing doc comment already documents, and where a missing part goes.

A doc comment is read as its lines as written (``Doc``): a Python docstring's lines inside the
quotes, indentation kept, or the text of a ``/** … */`` comment's lines after their ``*``. Its
*blocks* are the parts a completion has to respect: sections (Google ``Args:``, NumPy
``Parameters`` over dashes), fields (reST ``:param x:``), tags (JSDoc, Javadoc, KDoc ``@param``)
and doctest examples, each of a ``Part`` kind. Its *entries* are what the blocks name: each
parameter, the result, each exception, with its description.

Section names, field names and tags are data (``_GOOGLE``, ``_NUMPY``, ``_FIELDS``, ``_TAGS``);
the conventional order of the parts (parameters, result, errors, the rest) decides where a new
part goes: before the first block of a later part, else after the last block, else at the end.
Pure: lines in, positions out.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import IntEnum, StrEnum

__all__ = ["Block", "Doc", "Entry", "Part", "Style", "mentions", "read_doc"]


class Part(IntEnum):
    """A kind of documented thing, in the order doc comments conventionally give them."""

    PARAM = 0
    RETURNS = 1
    RAISES = 2
    OTHER = 3


class Style(StrEnum):
    """A doc comment convention."""

    GOOGLE = "google"
    NUMPY = "numpy"
    REST = "rest"
    PLAIN = "plain"
    TAGS = "tags"


@dataclass(frozen=True, slots=True)
class Entry:
    """One documented thing: a parameter's or an exception's name (empty for the result)."""

    part: Part
    name: str
    description: str


@dataclass(frozen=True, slots=True)
class Block:
    """Lines ``start`` to ``end`` (exclusive, trailing blank lines left out) of one part;
    ``indent`` is the indentation its entries are written at; ``shape`` is ``section`` (a
    header over entries), ``field`` (one reST field or tag) or ``doctest``."""

    part: Part
    start: int
    end: int
    indent: str
    shape: str


@dataclass(frozen=True, slots=True)
class Doc:
    """A doc comment's lines (contents only: no quotes, no ``*`` prefixes), its style, blocks
    and entries."""

    lines: tuple[str, ...]
    style: Style
    blocks: tuple[Block, ...]
    entries: tuple[Entry, ...]

    @property
    def text(self) -> str:
        return "\n".join(self.lines)

    def documents(self, part: Part, name: str = "") -> bool:
        """Whether an entry of ``part`` names ``name`` (any entry, for an empty name)."""
        return any(e.part is part and (not name or _same(e.name, name)) for e in self.entries)

    def has(self, part: Part) -> bool:
        return any(block.part is part for block in self.blocks)

    def content_end(self) -> int:
        """The index just after the last non-blank line."""
        filled = [i for i, line in enumerate(self.lines) if line.strip()]
        return filled[-1] + 1 if filled else len(self.lines)


_GOOGLE: dict[str, Part] = {
    **dict.fromkeys(
        ["args", "arguments", "parameters", "params", "keyword args", "keyword arguments"],
        Part.PARAM,
    ),
    **dict.fromkeys(["other parameters", "other args"], Part.PARAM),
    **dict.fromkeys(["returns", "return", "yields", "yield"], Part.RETURNS),
    **dict.fromkeys(["raises", "raise", "except", "exceptions", "throws"], Part.RAISES),
    **dict.fromkeys(
        [
            "attributes",
            "example",
            "examples",
            "note",
            "notes",
            "references",
            "see also",
            "todo",
            "warning",
            "warnings",
            "methods",
        ],
        Part.OTHER,
    ),
}
_NUMPY: dict[str, Part] = {
    **dict.fromkeys(
        ["parameters", "other parameters", "keyword arguments", "arguments"], Part.PARAM
    ),
    **dict.fromkeys(["returns", "yields", "receives"], Part.RETURNS),
    **dict.fromkeys(["raises", "warns"], Part.RAISES),
}
_FIELDS: dict[str, Part] = {
    **dict.fromkeys(["param", "parameter", "arg", "argument", "key", "keyword"], Part.PARAM),
    **dict.fromkeys(["type"], Part.OTHER),
    **dict.fromkeys(["returns", "return", "rtype", "yields", "yield", "ytype"], Part.RETURNS),
    **dict.fromkeys(["raises", "raise", "except", "exception", "throws"], Part.RAISES),
}
_TAGS: dict[str, Part] = {
    **dict.fromkeys(["param", "arg", "argument"], Part.PARAM),
    **dict.fromkeys(["returns", "return", "yields", "yield"], Part.RETURNS),
    **dict.fromkeys(["throws", "throw", "exception"], Part.RAISES),
}

_GOOGLE_HEADER = re.compile(r"^(\s*)([A-Za-z][A-Za-z ]*):\s*$")
_DASHES = re.compile(r"^\s*-{3,}\s*$")
_FIELD = re.compile(r"^(\s*):(\w+)((?:\s+[^:\s][^:]*)?):(.*)$")
_TAG = re.compile(r"^(\s*)@(\w+)\b\s*(.*)$")
_DOCTEST = re.compile(r"^\s*>>>")
_GOOGLE_ENTRY = re.compile(r"^\s*(\*{0,2}[\w.]+)\s*(?:\([^)]*\))?\s*:(.*)$")
_NUMPY_ENTRY = re.compile(r"^\s*(\*{0,2}[\w.]+(?:\s*,\s*\*{0,2}[\w.]+)*)\s*(?::.*)?$")
_RETURNS_WORD = re.compile(r"\b(returns?|returned|returning|yields?|yielded)\b", re.IGNORECASE)


def read_doc(lines: list[str], tags: bool = False) -> Doc:
    """The style, blocks and entries of a doc comment's lines (``tags``: a ``/** */`` comment)."""
    if tags:
        return _read_tags(lines)
    if any(_field(line) for line in lines):
        return _read_rest(lines)
    numpy = [i for i in range(len(lines) - 1) if _numpy_header(lines, i)]
    if numpy:
        return _read_numpy(lines, numpy)
    # A Google header is followed by lines indented deeper ("Arguments:" over a flush list is
    # running text).
    google = [
        i
        for i, line in enumerate(lines)
        if _google_header(line) is not None and _deeper_next(lines, i)
    ]
    if google:
        return _read_google(lines, google)
    return Doc(tuple(lines), Style.PLAIN, _doctests(lines, ()), ())


def mentions(doc: Doc, name: str) -> bool:
    """Whether the doc's text names ``name`` as a word (``""``: says what it returns)."""
    if not name:
        return bool(_RETURNS_WORD.search(doc.text))
    return re.search(rf"(?<![\w.]){re.escape(name.rsplit('.', 1)[-1])}\b", doc.text) is not None


def _same(written: str, name: str) -> bool:
    return written.lstrip("*").rsplit(".", 1)[-1] == name.lstrip("*").rsplit(".", 1)[-1]


def _indent(line: str) -> str:
    return line[: len(line) - len(line.lstrip())]


def _field(line: str) -> re.Match[str] | None:
    match = _FIELD.match(line)
    return match if match and match.group(2).lower() in _FIELDS else None


def _google_header(line: str) -> Part | None:
    match = _GOOGLE_HEADER.match(line)
    return _GOOGLE.get(match.group(2).strip().lower()) if match else None


def _deeper_next(lines: list[str], i: int) -> bool:
    following = next((line for line in lines[i + 1 :] if line.strip()), None)
    return following is not None and len(_indent(following)) > len(_indent(lines[i]))


def _numpy_header(lines: list[str], i: int) -> bool:
    return bool(lines[i].strip()) and bool(_DASHES.match(lines[i + 1]))


def _last_filled(lines: list[str], start: int, stop: int) -> int:
    """One past the last non-blank line in ``[start, stop)`` (``start`` when all are blank)."""
    end = start
    for i in range(start, stop):
        if lines[i].strip():
            end = i + 1
    return end


def _doctests(lines: list[str], taken: tuple[Block, ...]) -> tuple[Block, ...]:
    """``taken`` plus one OTHER block per doctest run (``>>>`` to the next blank line) that
    lies outside the blocks already taken."""
    inside = {i for b in taken for i in range(b.start, b.end)}
    found: list[Block] = []
    i = 0
    while i < len(lines):
        if i not in inside and _DOCTEST.match(lines[i]):
            end = i
            while end < len(lines) and lines[end].strip():
                end += 1
            found.append(Block(Part.OTHER, i, end, _indent(lines[i]), "doctest"))
            i = end
        i += 1
    return tuple(sorted([*taken, *found], key=lambda b: b.start))


def _description(lines: list[str], start: int, end: int, first: str) -> str:
    return " ".join([first.strip(), *(line.strip() for line in lines[start:end])]).strip()


def _read_google(lines: list[str], headers: list[int]) -> Doc:
    blocks: list[Block] = []
    entries: list[Entry] = []
    for n, start in enumerate(headers):
        part = _google_header(lines[start])
        assert part is not None
        base = len(_indent(lines[start]))
        stop = headers[n + 1] if n + 1 < len(headers) else len(lines)
        # The section goes on while lines are blank or indented deeper than its header.
        body = start + 1
        while body < stop and (not lines[body].strip() or len(_indent(lines[body])) > base):
            body += 1
        end = _last_filled(lines, start + 1, body) if body > start + 1 else start + 1
        rows = [i for i in range(start + 1, end) if lines[i].strip()]
        indent = min((_indent(lines[i]) for i in rows), key=len, default=_indent(lines[start]))
        blocks.append(Block(part, start, max(end, start + 1), indent, "section"))
        entries += _google_entries(lines, part, rows, indent)
    return Doc(tuple(lines), Style.GOOGLE, _doctests(lines, tuple(blocks)), tuple(entries))


def _google_entries(lines: list[str], part: Part, rows: list[int], indent: str) -> list[Entry]:
    if part is Part.RETURNS:
        return [Entry(part, "", " ".join(lines[i].strip() for i in rows))] if rows else []
    if part is Part.OTHER:
        return []
    heads = [i for i in rows if _indent(lines[i]) == indent and _GOOGLE_ENTRY.match(lines[i])]
    found = []
    for n, i in enumerate(heads):
        match = _GOOGLE_ENTRY.match(lines[i])
        assert match is not None
        stop = heads[n + 1] if n + 1 < len(heads) else (rows[-1] + 1)
        found.append(Entry(part, match.group(1), _description(lines, i + 1, stop, match.group(2))))
    return found


def _read_numpy(lines: list[str], headers: list[int]) -> Doc:
    blocks: list[Block] = []
    entries: list[Entry] = []
    for n, start in enumerate(headers):
        part = _NUMPY.get(lines[start].strip().lower(), Part.OTHER)
        stop = headers[n + 1] if n + 1 < len(headers) else len(lines)
        end = _last_filled(lines, start + 2, stop)
        end = max(end, start + 2)
        indent = _indent(lines[start])
        blocks.append(Block(part, start, end, indent, "section"))
        heads = [
            i for i in range(start + 2, end) if lines[i].strip() and _indent(lines[i]) == indent
        ]
        for k, i in enumerate(heads):
            following = heads[k + 1] if k + 1 < len(heads) else end
            text = _description(lines, i + 1, following, "")
            match = _NUMPY_ENTRY.match(lines[i])
            if part is Part.RETURNS:
                entries.append(Entry(part, "", text))
            elif part is not Part.OTHER and match is not None:
                names = [name.strip() for name in match.group(1).split(",")]
                entries += [Entry(part, name, text) for name in names]
    return Doc(tuple(lines), Style.NUMPY, _doctests(lines, tuple(blocks)), tuple(entries))


def _read_rest(lines: list[str]) -> Doc:
    fields = [i for i, line in enumerate(lines) if _field(line)]
    blocks: list[Block] = []
    entries: list[Entry] = []
    for n, start in enumerate(fields):
        match = _field(lines[start])
        assert match is not None
        stop = fields[n + 1] if n + 1 < len(fields) else len(lines)
        # A field goes on over the lines indented deeper than it, up to a blank line.
        end = start + 1
        base = len(match.group(1))
        while end < stop and lines[end].strip() and len(_indent(lines[end])) > base:
            end += 1
        part = _FIELDS[match.group(2).lower()]
        blocks.append(Block(part, start, end, match.group(1), "field"))
        words = match.group(3).split()
        name = words[-1] if words else ""
        if part is not Part.OTHER and (name or part is Part.RETURNS):
            entries.append(Entry(part, name, _description(lines, start + 1, end, match.group(4))))
    return Doc(tuple(lines), Style.REST, _doctests(lines, tuple(blocks)), tuple(entries))


def _read_tags(lines: list[str]) -> Doc:
    tags = [i for i, line in enumerate(lines) if _TAG.match(line)]
    blocks: list[Block] = []
    entries: list[Entry] = []
    for n, start in enumerate(tags):
        match = _TAG.match(lines[start])
        assert match is not None
        stop = tags[n + 1] if n + 1 < len(tags) else len(lines)
        end = _last_filled(lines, start + 1, stop) if stop > start + 1 else start + 1
        end = max(end, start + 1)
        part = _TAGS.get(match.group(2).lower(), Part.OTHER)
        blocks.append(Block(part, start, end, match.group(1), "field"))
        name, text = _tag_subject(part, match.group(3))
        if part is not Part.OTHER:
            entries.append(Entry(part, name, _description(lines, start + 1, end, text)))
    return Doc(tuple(lines), Style.TAGS, tuple(blocks), tuple(entries))


def _tag_subject(part: Part, rest: str) -> tuple[str, str]:
    """A tag's subject (parameter or exception name) and its description."""
    text = rest.strip()
    kind = ""
    if text.startswith("{"):
        close = text.find("}")
        kind, text = text[1:close], text[close + 1 :].strip() if close > 0 else ""
    if part is Part.RETURNS:
        return "", text
    if part is Part.RAISES and kind:
        return kind.strip(), text
    word, _, description = text.partition(" ")
    name = word.strip("[]").split("=", 1)[0].split(".", 1)[0]
    return name, description.lstrip("- ").strip()
