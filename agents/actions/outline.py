"""The outline of the definition around a range: what the agent actions need to know about it.

Language knowledge lives in ``analyzers/queries/<language>/outline.scm``, whose captures are:
``@function`` / ``@class`` a definition, with ``@name``, ``@parameters``, ``@return_type`` and
``@body``; ``@param`` one parameter with ``@param.name``, ``@param.type``, ``@param.default``;
``@raise`` an exception type thrown; ``@return`` a return with a value; ``@yield`` a yield;
``@error_result`` a declared error result (Go's ``error``, Rust's ``Result``, Swift's ``throws``);
``@call`` the callee of a call.

Typical use::

    source = parse("python", text)
    found = outline_at(source, Position(line=3, character=4))   # None outside any definition
    found.name, found.parameters, found.raises, found.returns_value, found.indent

Facts found inside a nested definition belong to that one, not to the enclosing definition.
Lines are zero-based; columns and ``indent`` are in code points of the text.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

import tree_sitter

from accord.agents.exceptions import ActionFailed
from accord.agents.tasks import Target
from accord.analyzers.languages import language_for, load_query, ts_language
from accord.analyzers.syntax import node_text
from accord.protocol import Position

__all__ = [
    "Outline",
    "Parameter",
    "Source",
    "outline_at",
    "parse",
    "source_of",
    "split_words",
    "target_outline",
]

QUERY_NAME = "outline"


@dataclass(frozen=True, slots=True)
class Source:
    """A parsed text: its language (an analyzer language name), text, bytes and tree."""

    language: str
    text: str
    data: bytes
    tree: tree_sitter.Tree

    def byte_at(self, position: Position) -> int:
        """The byte offset of a code-point ``position`` (clamped to its line's end)."""
        lines = self.text.split("\n")
        row = min(position.line, len(lines) - 1)
        before = sum(len(line.encode()) + 1 for line in lines[:row])
        return before + len(lines[row][: position.character].encode())

    def position_of(self, byte: int) -> Position:
        """The code-point position of a byte offset."""
        head = self.data[:byte].decode("utf-8", errors="replace")
        line = head.count("\n")
        return Position(line=line, character=len(head) - (head.rfind("\n") + 1))


@dataclass(frozen=True, slots=True)
class Parameter:
    """One declared parameter: its name, and its type and default value as written (or None)."""

    name: str
    type: str | None = None
    default: str | None = None


@dataclass(frozen=True, slots=True)
class Outline:
    """The definition enclosing a range.

    ``kind`` is ``"function"`` or ``"class"``; ``line`` the zero-based line where the declaration
    starts (its annotations, modifiers or ``export`` included); ``indent`` that line's leading
    whitespace; ``raises`` the distinct exception types thrown in it, in source order;
    ``returns_value`` whether a ``return`` carries a value; ``error_result`` whether the signature
    declares an error result; ``calls`` the distinct callees, as written, in source order.
    """

    kind: str
    name: str
    node: tree_sitter.Node
    body: tree_sitter.Node | None
    parameters: tuple[Parameter, ...]
    return_type: str | None
    raises: tuple[str, ...]
    returns_value: bool
    yields: bool
    error_result: bool
    calls: tuple[str, ...]
    line: int
    indent: str

    @property
    def signature(self) -> str:
        """The declaration's text up to its body (or its first line when it has none)."""
        text = node_text(self.node)
        if self.body is None or self.body.start_byte <= self.node.start_byte:
            return text.split("\n", 1)[0].strip()
        head = (
            self.node.text[: self.body.start_byte - self.node.start_byte] if self.node.text else b""
        )
        return " ".join(head.decode("utf-8", errors="replace").split()).rstrip(" {:")


def parse(language: str, text: str) -> Source:
    """``text`` parsed with ``language``'s grammar."""
    data = text.encode()
    return Source(language, text, data, tree_sitter.Parser(ts_language(language)).parse(data))


def source_of(target: Target) -> Source:
    """The target's file parsed with its language.

    Raises:
        ActionFailed: Accord does not know the target's language.
    """
    spec = language_for(target.language, target.path)
    if spec is None:
        raise ActionFailed(f"no grammar for language {target.language!r} ({target.path})")
    return parse(spec.name, target.source)


def target_outline(target: Target) -> tuple[Source, Outline]:
    """The target's parsed file and the definition its range starts in.

    Raises:
        ActionFailed: unknown language, or the range is not inside a function or class.
    """
    source = source_of(target)
    found = outline_at(source, target.range.start)
    if found is None:
        raise ActionFailed(f"{target.path}: the selection is not inside a function or class")
    return source, found


def outline_at(source: Source, position: Position) -> Outline | None:
    """The innermost definition containing ``position``; None outside every definition or for a
    language without an outline query."""
    query = load_query(source.language, QUERY_NAME)
    if query is None:
        return None
    captures = _captures(query, source.tree.root_node)
    offset = source.byte_at(position)
    around = [
        (node, kind)
        for kind in ("function", "class")
        for node in captures[kind]
        if node.start_byte <= offset <= node.end_byte
    ]
    if not around:
        return None
    node, kind = min(around, key=lambda pair: pair[0].end_byte - pair[0].start_byte)
    return _outline(source, node, kind, captures)


def split_words(name: str) -> list[str]:
    """The words of an identifier: ``parse_config_file`` and ``parseConfigFile`` give
    ``["parse", "config", "file"]``; acronyms stay whole (``HTTPServer`` → ``http``, ``server``)."""
    words: list[str] = []
    for chunk in name.replace("-", "_").split("_"):
        current = ""
        for index, char in enumerate(chunk):
            following = chunk[index + 1] if index + 1 < len(chunk) else ""
            boundary = (
                char.isupper() and current and (not current[-1].isupper() or following.islower())
            )
            if boundary:
                words.append(current)
                current = ""
            current += char
        if current:
            words.append(current)
    return [word.lower() for word in words]


def _captures(
    query: tree_sitter.Query, root: tree_sitter.Node
) -> dict[str, list[tree_sitter.Node]]:
    """Every capture of ``query`` under ``root``, by name; parameters keep their match's parts."""
    found: dict[str, list[tree_sitter.Node]] = defaultdict(list)
    for _, match in tree_sitter.QueryCursor(query).matches(root):
        for name, nodes in match.items():
            found[name].extend(node for node in nodes if node not in found[name])
    return found


def _outline(
    source: Source, node: tree_sitter.Node, kind: str, captures: dict[str, list[tree_sitter.Node]]
) -> Outline:
    definitions = [*captures["function"], *captures["class"]]

    def own(name: str) -> list[tree_sitter.Node]:
        return [found for found in captures[name] if _owner(found, definitions) == node]

    def part(name: str) -> tree_sitter.Node | None:
        return next(iter(own(name)), None)

    line = node.start_point.row
    line_text = source.text.split("\n")[line]
    return Outline(
        kind=kind,
        name=_text(part("name")) or "",
        node=node,
        body=part("body"),
        parameters=_parameters(part("parameters") or node, captures) if kind == "function" else (),
        return_type=_text(part("return_type")),
        raises=tuple(dict.fromkeys(node_text(found) for found in own("raise"))),
        returns_value=bool(own("return")),
        yields=bool(own("yield")),
        error_result=bool(own("error_result")),
        calls=tuple(dict.fromkeys(node_text(found) for found in own("call"))),
        line=line,
        indent=line_text[: len(line_text) - len(line_text.lstrip())],
    )


def _owner(node: tree_sitter.Node, definitions: list[tree_sitter.Node]) -> tree_sitter.Node | None:
    """The innermost definition containing ``node``."""
    containing = [
        d for d in definitions if d.start_byte <= node.start_byte and node.end_byte <= d.end_byte
    ]
    return min(containing, key=lambda d: d.end_byte - d.start_byte, default=None)


def _parameters(
    parameters: tree_sitter.Node, captures: dict[str, list[tree_sitter.Node]]
) -> tuple[Parameter, ...]:
    """The ``@param`` children of ``parameters`` (the list, or the definition where a grammar
    puts parameters directly in it)."""
    own = [p for p in captures["param"] if p.parent == parameters]
    return tuple(
        Parameter(
            name=_text(_inside(p, captures["param.name"])) or "",
            type=_text(_inside(p, captures["param.type"])),
            default=_text(_inside(p, captures["param.default"])),
        )
        for p in sorted(own, key=lambda p: p.start_byte)
    )


def _inside(parent: tree_sitter.Node, nodes: list[tree_sitter.Node]) -> tree_sitter.Node | None:
    """The outermost of ``nodes`` inside ``parent``: the first to start, the widest on a tie
    (a parameter's own name, not that of a function type or arrow function within it)."""
    inside = [
        n for n in nodes if parent.start_byte <= n.start_byte and n.end_byte <= parent.end_byte
    ]
    return min(inside, key=lambda n: (n.start_byte, -n.end_byte), default=None)


def _text(node: tree_sitter.Node | None) -> str | None:
    return node_text(node) if node is not None else None
