"""Where a definition's existing doc comment is in the source, and how lines are inserted in it.

``doc_site`` finds a Python docstring (the body's first statement, a string) or the comment
right above a declaration. Its ``doc`` is the comment's content lines as ``doc_parts`` reads
them (inside the quotes; after ``/**`` and ``*``); ``edits`` turns ``Insertion``s into text edits
that only insert, so no character of the original changes. A one-line docstring or ``/** … */``
is opened up by inserting before its closing quotes or ``*/``; a docstring in single quotes gets
two more quote characters at each end, by insertion too.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from accord.agents.actions.doc_completion import Insertion, answer_lines
from accord.agents.actions.doc_parts import Doc, Style, read_doc
from accord.agents.actions.outline import Outline, Source
from accord.protocol import Position, Range, TextEdit

__all__ = ["DocSite", "doc_site", "existing_comment_line"]

# Languages whose ``/** */`` comments are completed tag by tag; True: JSDoc (types in braces).
_TAGGED = {"javascript": True, "typescript": True, "tsx": True, "java": False, "kotlin": False}
# How a doc comment's first line starts, per language (others: ``/**`` or ``///``); the lines
# that may continue one.
_DOC_OPENERS: dict[str, tuple[str, ...]] = {"go": ("//",)}
_DOC_LINES = ("///", "//", "/**", "*")
_PREFIX = re.compile(r"^[ \t]*(?:/\*\*|\*(?!/))?[ \t]?")


@dataclass(frozen=True, slots=True)
class DocSite:
    """An existing doc comment: its language, lines as read, where they are, how to add to it.

    ``first`` is the source line of content line 0; ``close`` where lines are added after the
    last one (at the closing quotes, or after the text before ``*/``), ``closing`` what then
    precedes the closing quotes or ``*/``; ``prefix`` what starts a new comment line
    (``"   * "``; empty for a docstring); ``quote`` the docstring's quote when it is not triple
    (``"`` or ``'``, opened after ``opening``), else empty.
    """

    language: str
    doc: Doc
    style: Style
    base: str
    first: int
    close: Position
    closing: str
    prefix: str
    quote: str
    opening: Position
    completable: bool

    @property
    def jsdoc(self) -> bool:
        return _TAGGED.get(self.language, False)

    def edits(self, insertions: tuple[Insertion, ...]) -> tuple[TextEdit, ...]:
        """Text edits that insert ``insertions``, each line with its indentation or prefix."""
        edits: list[TextEdit] = []
        last = len(self.doc.lines)
        for insertion in insertions:
            lines = [self._line(line) for line in insertion.lines]
            index = min(max(insertion.index, 1), last)
            if index == last and last > 1 and not self.doc.lines[-1].strip():
                # The closing quotes or ``*/`` have a line of their own: add before it.
                index = last - 1
            if index < last:
                at = Position(line=self.first + index, character=0)
                text = "".join(f"{line}\n" for line in lines)
            else:
                at = self.close
                text = "\n" + "\n".join(lines) + "\n" + self.closing
            edits.append(TextEdit(range=Range(start=at, end=at), new_text=text))
        if self.quote and edits:
            edits = _tripled(edits, self.quote * 2, self.opening, self.close)
        return tuple(edits)

    def lines_of(self, comment: str) -> list[str]:
        """A model's comment as content lines, comparable with ``doc.lines``."""
        if self.prefix:
            return [
                _PREFIX.sub("", line, count=1).removesuffix("*/").rstrip()
                for line in comment.split("\n")
            ]
        return answer_lines(comment)

    def answer(self, lines: list[str]) -> str:
        """Content lines as an answer in the format the prompt asks for."""
        if not self.prefix:
            return "\n".join(
                [lines[0].strip(), *(line.removeprefix(self.base).rstrip() for line in lines[1:])]
            ).strip("\n")
        body = [f" * {line}".rstrip() for line in lines[1:-1]]
        head = f"/** {lines[0].strip()}".rstrip() if lines[0].strip() else "/**"
        tail = (
            [f" * {lines[-1].strip()}", " */"] if len(lines) > 1 and lines[-1].strip() else [" */"]
        )
        return "\n".join([head, *body, *tail])

    def _line(self, line: str) -> str:
        if not self.prefix:
            return line
        return f"{self.prefix}{line}".rstrip() if line.strip() else self.prefix.rstrip()


def _tripled(
    edits: list[TextEdit], more: str, opening: Position, close: Position
) -> list[TextEdit]:
    """``edits`` plus the quotes that make a one-quote docstring triple-quoted."""
    edits = [
        e.model_copy(update={"new_text": e.new_text + more}) if e.range.start == close else e
        for e in edits
    ]
    if all(e.range.start != close for e in edits):
        edits.append(TextEdit(range=Range(start=close, end=close), new_text=more))
    return [TextEdit(range=Range(start=opening, end=opening), new_text=more), *edits]


def doc_site(source: Source, outline: Outline) -> DocSite | None:
    """The definition's existing doc comment, or None when it has none."""
    if source.language == "python":
        return _docstring(source, outline)
    return _comment(source, outline)


def existing_comment_line(source: Source, outline: Outline) -> int:
    """The first line of the doc comment right above the declaration (its line when none)."""
    lines = source.text.split("\n")
    top = outline.line
    while top > 0 and lines[top - 1].strip().startswith(_DOC_LINES):
        top -= 1
    openers = _DOC_OPENERS.get(source.language, ("/**", "///"))
    while top < outline.line and not lines[top].strip().startswith(openers):
        top += 1
    return top


def _docstring(source: Source, outline: Outline) -> DocSite | None:
    body = outline.body
    if body is None or not body.named_children:
        return None
    first = body.named_children[0]
    strings = list(first.named_children)
    if first.type != "expression_statement" or [c.type for c in strings] != ["string"]:
        return None
    node = strings[0]
    text = source.text[_char(source, node.start_byte) : _char(source, node.end_byte)]
    prefix = len(text) - len(text.lstrip("rRuUbB"))
    triple = text[prefix : prefix + 3] in ('"""', "'''")
    width = 3 if triple else 1
    start = source.position_of(node.start_byte)
    end = source.position_of(node.end_byte)
    lines = text[prefix + width : len(text) - width].split("\n")
    line_text = source.text.split("\n")[start.line]
    indent = line_text[: len(line_text) - len(line_text.lstrip())]
    filled = [line for line in lines[1:] if line.strip()]
    base = min((_indent(line) for line in filled), key=len) if filled else indent
    doc = read_doc(lines)
    return DocSite(
        language="python",
        doc=doc,
        style=doc.style if doc.style is not Style.PLAIN else prevailing_style(source.text),
        base=base,
        first=start.line,
        close=Position(line=end.line, character=end.character - width),
        closing=base,
        prefix="",
        quote="" if triple else text[prefix],
        opening=Position(line=start.line, character=start.character + prefix + 1),
        completable=True,
    )


def prevailing_style(text: str) -> Style:
    """The docstring style a Python file already uses (Google when it shows none)."""
    if re.search(r"^\s*:(param|returns?|raises?)\b", text, re.MULTILINE):
        return Style.REST
    if re.search(r"^\s*(Parameters|Returns)\s*\n\s*-{3,}\s*$", text, re.MULTILINE):
        return Style.NUMPY
    return Style.GOOGLE


def _comment(source: Source, outline: Outline) -> DocSite | None:
    top = existing_comment_line(source, outline)
    if top >= outline.line:
        return None
    lines = source.text.split("\n")
    if not lines[top].strip().startswith("/**"):
        # ``///`` and ``//`` doc comments are kept as they are (nothing is completed in them).
        doc = read_doc(lines[top : outline.line], tags=True)
        at = Position(line=top, character=0)
        return DocSite(source.language, doc, Style.TAGS, "", top, at, "", "", "", at, False)
    stop = next((i for i in range(top, outline.line) if "*/" in lines[i]), outline.line - 1)
    raw = lines[top : stop + 1]
    content = [_PREFIX.sub("", line, count=1) for line in raw]
    content[-1] = content[-1][: content[-1].rfind("*/")] if "*/" in content[-1] else content[-1]
    content = [line.rstrip() for line in content]
    middle = next((line for line in raw[1:] if re.match(r"^\s*\*(?!/)", line)), None)
    indent = _indent(raw[0])
    prefix = _indent(middle) + "* " if middle is not None else indent + " * "
    before_close = raw[-1][: raw[-1].rfind("*/")] if "*/" in raw[-1] else raw[-1]
    close = Position(line=stop, character=len(before_close.rstrip()))
    return DocSite(
        language=source.language,
        doc=read_doc(content, tags=True),
        style=Style.TAGS,
        base="",
        first=top,
        close=close,
        closing=indent,
        prefix=prefix,
        quote="",
        opening=close,
        completable=source.language in _TAGGED,
    )


def _indent(line: str) -> str:
    return line[: len(line) - len(line.lstrip())]


def _char(source: Source, byte: int) -> int:
    return len(source.data[:byte].decode("utf-8", errors="replace"))
