"""Completing an existing doc comment: what it lacks, and the lines that add it, in its style.

Nothing here rewrites a line: a completion is a list of ``Insertion`` (new lines before a given
line of the comment), so every line of the original is kept as written. ``missing_of`` compares
what the AST shows (``Facts``) with what the comment documents; ``completion`` renders the
missing parts where the comment's conventions put them; ``merge_answer`` checks a model's
complete comment against the original: kept whole, it becomes insertions; otherwise only its
descriptions of the missing parts are used (a repair), or it is refused.
"""

from __future__ import annotations

import difflib
import inspect
from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass

from accord.agents.actions.doc_parts import Doc, Part, Style, mentions, read_doc
from accord.agents.actions.doc_styles import Facts
from accord.agents.actions.outline import Parameter
from accord.agents.exceptions import ActionFailed

__all__ = [
    "Insertion",
    "Merged",
    "Missing",
    "answer_lines",
    "apply_insertions",
    "completion",
    "merge_answer",
]

_NUMPY_HEADERS = {Part.PARAM: "Parameters", Part.RETURNS: "Returns", Part.RAISES: "Raises"}
_GOOGLE_HEADERS = {Part.PARAM: "Args", Part.RETURNS: "Returns", Part.RAISES: "Raises"}


@dataclass(frozen=True, slots=True)
class Missing:
    """What a doc comment lacks: parameters, the result, exceptions."""

    params: tuple[Parameter, ...]
    returns: bool
    raises: tuple[str, ...]

    def __bool__(self) -> bool:
        return bool(self.params or self.returns or self.raises)

    def within(self, other: Missing) -> Missing:
        """What is missing here that ``other`` also lacks."""
        names = {p.name for p in other.params}
        return Missing(
            tuple(p for p in self.params if p.name in names),
            self.returns and other.returns,
            tuple(e for e in self.raises if e in other.raises),
        )

    def describe(self) -> str:
        """``parameters a, b; the result; errors ValueError`` (for prompts and messages)."""
        parts = []
        if self.params:
            parts.append("parameters " + ", ".join(p.name for p in self.params))
        if self.returns:
            parts.append("the result")
        if self.raises:
            parts.append("errors " + ", ".join(self.raises))
        return "; ".join(parts)

    @staticmethod
    def of(doc: Doc, facts: Facts) -> Missing:
        """What ``doc`` does not document of ``facts``.

        A parameter counts as documented by an entry, or, where the comment has no parameter
        block, by being named in its text; the result by an entry or by saying what it
        returns; an exception by an entry or by being named. Tag comments need tags.
        """
        tags = doc.style is Style.TAGS
        prose = not tags and not doc.has(Part.PARAM)
        params = tuple(
            p
            for p in facts.parameters
            if not doc.documents(Part.PARAM, p.name) and not (prose and mentions(doc, p.name))
        )
        result = facts.returns or facts.yields
        returns = result and not doc.has(Part.RETURNS) and (tags or not mentions(doc, ""))
        # A raised variable (``raise error``) names no type to document.
        raises = tuple(
            error
            for error in facts.raises
            if error.rsplit(".", 1)[-1][:1].isupper()
            and not doc.documents(Part.RAISES, error)
            and not mentions(doc, error)
        )
        return Missing(params, returns, raises)


@dataclass(frozen=True, slots=True)
class Insertion:
    """``lines`` (with their indentation) inserted before line ``index`` of the comment."""

    index: int
    lines: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Merged:
    """A checked completion: its insertions and one line on how it was obtained."""

    insertions: tuple[Insertion, ...]
    detail: str


Described = Mapping[tuple[Part, str], str]


def completion(
    doc: Doc,
    facts: Facts,
    missing: Missing,
    style: Style,
    base: str,
    described: Described | None = None,
    jsdoc: bool = False,
) -> tuple[Insertion, ...]:
    """The lines that document ``missing`` in ``doc``, in ``style`` (the comment's own, or the
    one chosen for a comment that has none), at ``base`` indentation for new sections.

    ``described`` gives descriptions (by part and name) to use instead of the offline ones.
    """
    words = described or {}
    pieces: list[tuple[int, Part, list[str], bool]] = []
    items: list[tuple[Part, list[tuple[str, str | None, str]]]] = [
        (
            Part.PARAM,
            [
                (p.name, p.type, words.get((Part.PARAM, p.name)) or facts.said.parameter(p))
                for p in missing.params
            ],
        ),
        (
            Part.RETURNS,
            [("", facts.return_type, words.get((Part.RETURNS, "")) or facts.said.result)]
            if missing.returns
            else [],
        ),
        (
            Part.RAISES,
            [(e, None, words.get((Part.RAISES, e)) or facts.said.error(e)) for e in missing.raises],
        ),
    ]
    for part, entries in items:
        if not entries:
            continue
        index, section, indent = _place(doc, part, style, base)
        lines = _render(style, part, entries, indent, section, facts.yields, jsdoc)
        pieces.append((index, part, lines, section))
    return _grouped(doc, pieces, style)


def apply_insertions(lines: list[str], insertions: tuple[Insertion, ...]) -> list[str]:
    """``lines`` with the insertions made (for checking the result)."""
    out: list[str] = []
    at: defaultdict[int, list[str]] = defaultdict(list)
    for insertion in insertions:
        at[insertion.index] += insertion.lines
    for index, line in enumerate(lines):
        out += [*at.pop(index, []), line]
    return out + [line for index in sorted(at) for line in at[index]]


def merge_answer(
    doc: Doc,
    facts: Facts,
    answer: list[str],
    style: Style,
    base: str,
    jsdoc: bool = False,
) -> Merged:
    """A model's complete comment (``answer``, its content lines) checked against ``doc``.

    Kept whole (every original line, in order) and complete, its added lines are the
    insertions. Otherwise the original is kept and only the answer's descriptions of what is
    missing are added (the rest offline).

    Raises:
        ActionFailed: the answer drops original lines and describes nothing that is missing.
    """
    missing = Missing.of(doc, facts)
    added, dropped = _added_lines(doc, answer, base)
    if not dropped:
        merged = read_doc(apply_insertions(list(doc.lines), added), doc.style is Style.TAGS)
        if not Missing.of(merged, facts).within(missing):
            count = sum(len(i.lines) for i in added)
            return Merged(
                added, f"all {_count(doc.lines)} original lines kept; the answer adds {count}"
            )
    given = read_doc(answer, doc.style is Style.TAGS)
    wanted = [(Part.PARAM, p.name) for p in missing.params] + [
        (Part.RAISES, e) for e in missing.raises
    ]
    wanted += [(Part.RETURNS, "")] if missing.returns else []
    described = {
        (part, name): entry.description
        for part, name in wanted
        for entry in given.entries
        if entry.part is part
        and entry.description
        and (part is Part.RETURNS or _same(entry.name, name))
    }
    why = (
        f"drops {len(dropped)} of the {_count(doc.lines)} original lines"
        if dropped
        else f"leaves {missing.describe()} undocumented"
    )
    if not described:
        first = f" (first: {dropped[0].strip()!r})" if dropped else ""
        raise ActionFailed(
            f"refused the model's doc comment: it {why}{first} and describes nothing of "
            f"what is missing ({missing.describe()})"
        )
    insertions = completion(doc, facts, missing, style, base, described, jsdoc)
    used = ", ".join(name or "the result" for _, name in described)
    return Merged(
        insertions,
        f"repaired: the answer {why}; the original is kept whole and only the answer's entries for {used} are added",
    )


def _count(lines: tuple[str, ...]) -> int:
    return sum(1 for line in lines if line.strip())


def _same(written: str, name: str) -> bool:
    return written.lstrip("*").rsplit(".", 1)[-1] == name.lstrip("*").rsplit(".", 1)[-1]


def _added_lines(doc: Doc, answer: list[str], base: str) -> tuple[tuple[Insertion, ...], list[str]]:
    """The answer's lines that are new, as insertions, and the original lines it drops."""
    # The blank lines around the text are where the quotes or ``/**``, ``*/`` stand: compared
    # without them, the answer's blank lines cannot pair with those and shift what it adds.
    low, high = _span(doc.lines)
    start, stop = _span(answer)
    old = [line.strip() for line in doc.lines[low:high]]
    new = [line.strip() for line in answer[start:stop]]
    matcher = difflib.SequenceMatcher(None, old, new, autojunk=False)
    added: list[Insertion] = []
    dropped: list[str] = []
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        if op in ("delete", "replace"):
            dropped += [line for line in doc.lines[low + i1 : low + i2] if line.strip()]
        if op in ("insert", "replace") and j2 > j1:
            lines = tuple(
                f"{base}{line}".rstrip() if line.strip() else ""
                for line in answer[start + j1 : start + j2]
            )
            added.append(Insertion(low + i1, lines))
    # The first line sits right after the opening quotes or ``/**``: nothing goes before it;
    # after the last one, a blank line would only stand before the closing ``*/`` or quotes.
    last = len(doc.lines)
    kept = [
        Insertion(max(i.index, 1), _trailing_trimmed(i.lines) if i.index >= last else i.lines)
        for i in added
    ]
    return tuple(i for i in kept if i.lines), dropped


def _span(lines: list[str] | tuple[str, ...]) -> tuple[int, int]:
    """The index of the first non-blank line and one past the last (0, 0 when all blank)."""
    filled = [i for i, line in enumerate(lines) if line.strip()]
    return (filled[0], filled[-1] + 1) if filled else (0, 0)


def _trailing_trimmed(lines: tuple[str, ...]) -> tuple[str, ...]:
    end = len(lines)
    while end and not lines[end - 1].strip():
        end -= 1
    return lines[:end]


def answer_lines(text: str) -> list[str]:
    """A docstring answer's lines, quotes removed, dedented as ``inspect.cleandoc`` does."""
    body = text.strip()
    for quote in ('"""', "'''"):
        if body.startswith(quote) and body.endswith(quote) and len(body) >= 6:
            body = body[3:-3]
    return inspect.cleandoc(body).split("\n")


def _place(doc: Doc, part: Part, style: Style, base: str) -> tuple[int, bool, str]:
    """Where ``part`` goes: the line index, whether a new section is needed, the indent."""
    fields = style in (Style.REST, Style.TAGS)
    same = [b for b in doc.blocks if b.part is part and b.shape != "doctest"]
    if same and (fields or same[-1].shape == "section"):
        return same[-1].end, False, same[-1].indent
    # New parts go before later sections or fields, never into running text or its examples.
    later = [b for b in doc.blocks if b.part > part and b.shape != "doctest"]
    if later:
        return later[0].start, not fields, later[0].indent if fields else base
    earlier = [b for b in doc.blocks if b.shape == "field"] if fields else []
    if earlier:
        return earlier[-1].end, False, earlier[-1].indent
    return doc.content_end(), True, base


def _render(
    style: Style,
    part: Part,
    entries: list[tuple[str, str | None, str]],
    indent: str,
    section: bool,
    yields: bool,
    jsdoc: bool,
) -> list[str]:
    if style is Style.REST:
        return [indent + _rest(part, name, text) for name, _, text in entries]
    if style is Style.TAGS:
        return [indent + _tag(part, name, kind, text, jsdoc) for name, kind, text in entries]
    if style is Style.NUMPY:
        header = "Yields" if part is Part.RETURNS and yields else _NUMPY_HEADERS[part]
        head = [indent + header, indent + "-" * len(header)] if section else []
        body = []
        for name, kind, text in entries:
            label = (kind or "") if part is Part.RETURNS else (f"{name} : {kind}" if kind else name)
            body += [indent + label if label else "", f"{indent}    {text}"]
        return head + [line for line in body if line]
    header = "Yields" if part is Part.RETURNS and yields else _GOOGLE_HEADERS[part]
    inner = f"{indent}    " if section else indent
    body = []
    for name, kind, text in entries:
        if part is Part.RETURNS:
            body.append(f"{inner}{kind + ': ' if kind and not yields else ''}{text}")
        else:
            body.append(
                f"{inner}{name}{f' ({kind})' if kind and part is Part.PARAM else ''}: {text}"
            )
    return ([f"{indent}{header}:"] if section else []) + body


def _rest(part: Part, name: str, text: str) -> str:
    if part is Part.PARAM:
        return f":param {name}: {text}"
    if part is Part.RETURNS:
        return f":returns: {text}"
    return f":raises {name}: {text}"


def _tag(part: Part, name: str, kind: str | None, text: str, jsdoc: bool) -> str:
    typed = f"{{{kind}}} " if jsdoc and kind else ""
    if part is Part.PARAM:
        return f"@param {typed}{name}{' -' if jsdoc else ''} {text}"
    if part is Part.RETURNS:
        return f"@{'returns' if jsdoc else 'return'} {typed}{text}"
    return f"@throws {{{name}}} {text}" if jsdoc else f"@throws {name} {text}"


def _grouped(
    doc: Doc, pieces: list[tuple[int, Part, list[str], bool]], style: Style
) -> tuple[Insertion, ...]:
    """One insertion per line index, new sections set apart by blank lines."""
    by_index: dict[int, list[tuple[Part, list[str], bool]]] = defaultdict(list)
    for index, part, piece, section in pieces:
        by_index[index].append((part, piece, section))
    end = doc.content_end()
    out: list[Insertion] = []
    for index in sorted(by_index):
        lines: list[str] = []
        before = doc.lines[index - 1] if 0 < index <= len(doc.lines) else ""
        sections = False
        for _, piece, section in sorted(by_index[index], key=lambda item: item[0]):
            previous = lines[-1] if lines else before
            # Sections are set apart; a field list (reST, tags) stays together.
            apart = section and (not lines or style not in (Style.REST, Style.TAGS))
            if apart and previous.strip():
                lines.append("")
            sections |= section
            lines += piece
        if sections and index < end and doc.lines[index].strip():
            lines.append("")
        out.append(Insertion(index, tuple(lines)))
    return tuple(out)
