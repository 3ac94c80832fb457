"""Re-parsing only the statements an edit lands in, where blocks are indented (Python).

tree-sitter reparses incrementally by reusing the old tree's unchanged subtrees, but the reuse
fails at some positions: one line inserted in a class of a hundred methods can cost a whole
parse (15 ms for the 6,400 lines of ``_pydecimal.py``). Where blocks are indented, statements at
the top level or in the body of a class (a kind in ``indented_bodies``) parse alone as they do
in their file, once the parser also reads the header lines of the classes around them. So an
edit among such statements re-parses only them: the parser reads the headers and the
statements (``included_ranges``), and the nodes it returns keep their offsets in the document.

The result is taken only where it equals a parse of the whole file: the file parsed without
errors before; the statements parse without errors, stay in their body and start their lines at
its column; and none of them, before or after, is an import (rules read the file's imports).
Otherwise the caller reparses the whole file.

Lines typed unindented inside a top-level class end the class there: a whole parse takes the
class's statements after them as top-level statements, each as it was (``reparse_unindented``).
Only the new lines are parsed then; the statements after them keep their findings.

Until the whole file is reparsed, its tree is out of date in the spans re-parsed alone: a
``Region`` records each, so that the next edit there re-parses the whole region.
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Sequence
from dataclasses import dataclass

import tree_sitter

from .languages import LanguageSpec
from .positions import LineIndex

__all__ = ["LocalParse", "Region", "reparse_statements", "reparse_unindented"]

# Spans re-parsed alone longer than this share of the file, and than a few pages, are left to
# tree-sitter's incremental reparse, which reuses what it can.
_MOST = 1 / 3
_PAGES = 16_384


@dataclass(frozen=True, slots=True)
class Region:
    """Bytes ``[start, end)``: whole statements of one body, re-parsed alone since the file's
    tree was; ``column`` is the body's indentation."""

    start: int
    end: int
    column: int


@dataclass(frozen=True, slots=True)
class LocalParse:
    """Statements re-parsed alone: the ``tree`` of the fragment, its ``statements``, the
    ``span`` they were parsed from, and the ``region`` where the file's tree is now out of
    date (the span, or more where the edit moved statements out of a class)."""

    region: Region
    tree: tree_sitter.Tree
    statements: list[tree_sitter.Node]
    span: tuple[int, int]


@dataclass(frozen=True, slots=True)
class _Body:
    """A body of statements in the file's tree: the root or a class body, with its classes and
    the spans of their header lines (outermost first), and its statements and comments near
    the edit (``_near``)."""

    node: tree_sitter.Node
    classes: tuple[tree_sitter.Node, ...]
    headers: tuple[tuple[int, int], ...]
    near: list[tree_sitter.Node]


def reparse_statements(
    parser: tree_sitter.Parser,
    tree: tree_sitter.Tree,
    lines: LineIndex,
    spec: LanguageSpec,
    regions: Sequence[Region],
    edited: tuple[int, int],
) -> LocalParse | None:
    """Re-parse the statements holding the ``edited`` span of the current text, alone.

    ``tree`` is the file's last whole tree, carried through the edits since (``Tree.edit``),
    and out of date inside ``regions``. Returns the span re-parsed, the tree ``parser`` made of
    it and its statements; or None where only a parse of the whole file is sure to be right.
    """
    low, high = _widened(edited, regions)
    body = _body_holding(tree.root_node, low, high, lines, spec, regions)
    span = _statements_span(body, low, high, lines, spec)
    if span is None or span[1] - span[0] > max(len(lines.data) * _MOST, _PAGES):
        return None
    start, end = span
    if any(
        r.start < end and r.end > start and not start <= r.start <= r.end <= end for r in regions
    ):
        return None
    column = _column(body, start, end, lines, spec, regions)
    parser.included_ranges = [
        tree_sitter.Range(lines.point(a), lines.point(b), a, b) for a, b in [*body.headers, span]
    ]
    fragment = parser.parse(lines.data)
    statements = _statements(fragment, body)
    if statements is None:
        return None
    if column is None:
        code = (s for s in statements if s.type not in spec.comments)
        column = next((lines.point(s.start_byte)[1] for s in code), 0)
    if not _fits(statements, start, end, column, lines, spec):
        return None
    if _joined_lines(fragment.root_node, start, end, lines, spec):
        return None
    if not _aligned(body, start, end, column, lines, spec, regions):
        return None
    if not body.classes and _imports(body, statements, start, end, spec):
        return None
    return LocalParse(Region(start, end, column), fragment, statements, (start, end))


def _widened(edited: tuple[int, int], regions: Sequence[Region]) -> tuple[int, int]:
    """``edited`` grown over the regions it meets: a region re-parses whole or not at all."""
    low, high = edited
    for region in regions:
        if region.start <= high and region.end >= low:
            low, high = min(low, region.start), max(high, region.end)
    return low, high


def _body_holding(
    root: tree_sitter.Node,
    low: int,
    high: int,
    lines: LineIndex,
    spec: LanguageSpec,
    regions: Sequence[Region],
) -> _Body:
    """The innermost body holding ``[low, high]`` reached through containers only, and whose
    classes' headers lie outside every region (elsewhere the tree is out of date); the root
    where there is none."""
    chain: list[tree_sitter.Node] = []
    node: tree_sitter.Node | None = root.descendant_for_byte_range(low, high)
    while node is not None:
        chain.append(node)
        node = node.parent
    chain.reverse()
    # The classes passed on the way down, with their headers; the body is inside the first
    # ``depth`` of them.
    classes, headers = [], []
    body, depth = root, 0
    for parent, child in zip(chain, chain[1:], strict=False):
        if child.type not in spec.containers:
            break
        if child.type in spec.indented_bodies:
            header = _header(child, lines)
            if header is None or any(r.start < header[1] and r.end > header[0] for r in regions):
                break
            classes.append(child)
            headers.append(header)
        if parent.type in spec.indented_bodies and child == parent.child_by_field_name("body"):
            body, depth = child, len(classes)
    near = _near(body, low, high, spec)
    return _Body(body, tuple(classes[:depth]), tuple(headers[:depth]), near)


def _near(
    body: tree_sitter.Node, low: int, high: int, spec: LanguageSpec
) -> list[tree_sitter.Node]:
    """The body's statements and comments from two statements before ``[low, high]`` to
    three after it: all that the checks here read, without reading each child of a long body.
    (Listing the children is cheap; tree-sitter's sibling steps can crash on an edited tree.)"""
    children = body.named_children
    first = bisect_left(children, low, key=lambda child: child.end_byte)
    begin, before = first, 0
    while begin > 0 and before < 2:
        begin -= 1
        before += children[begin].type not in spec.comments
    end, after = first, 0
    while end < len(children) and after < 3:
        after += children[end].type not in spec.comments and children[end].start_byte > high
        end += 1
    return children[begin:end]


def _statements_span(
    body: _Body, low: int, high: int, lines: LineIndex, spec: LanguageSpec
) -> tuple[int, int] | None:
    """Whole lines from the first statement ``[low, high]`` touches through the statement
    after the last (which an edit may join to it, or move), up to the next one, comments
    between included; None where statements share a line there."""
    children = body.near
    code = [c for c in children if c.type not in spec.comments]
    touched = [i for i, c in enumerate(code) if c.start_byte <= high and c.end_byte >= low]
    if not touched:
        touched = [i for i, c in enumerate(code) if c.end_byte <= low][-1:]
    if touched:
        low = min(low, code[touched[0]].start_byte)
        high = max(high, code[touched[-1]].end_byte)
    if touched and touched[0] > 0 and _comment_first(low, lines):
        # Comments before the first statement may join the one before it (if indented more).
        touched.insert(0, touched[0] - 1)
        low = code[touched[0]].start_byte
    following = code[touched[-1] + 1 :] if touched else code
    if following:
        high = max(high, following[0].end_byte)
    start = lines.line_start(lines.point(low)[0])
    if len(following) > 1:
        end = lines.line_start(following[1].start_point.row)
    elif body.classes:
        end = max(high, body.node.end_byte)
        if not _dedents_after(end, lines.point(body.node.start_byte)[1], lines):
            return None
    else:
        end = len(lines.data)
    if end < high:
        return None
    for child in children:
        if child.start_byte < start < child.end_byte or child.start_byte < end < child.end_byte:
            return None
    return start, end


def _comment_first(offset: int, lines: LineIndex, most: int = 200) -> bool:
    """Whether the first line that is not blank, from ``offset``'s line on, is a comment."""
    row = lines.point(offset)[0]
    for following in range(row, min(lines.line_count, row + most)):
        text = lines.line_bytes(following).strip()
        if text:
            return text.startswith(b"#")
    return True


def _dedents_after(offset: int, column: int, lines: LineIndex, most: int = 200) -> bool:
    """Whether the body ends at ``offset``: the rest of its line is blank or a comment, and
    the next line of code (within ``most`` lines) is indented less than ``column``, or none."""
    row, at = lines.point(offset)
    rest = lines.line_bytes(row)[at:].strip()
    if rest and not rest.startswith(b"#"):
        return False
    for following in range(row + 1, min(lines.line_count, row + 1 + most)):
        text = lines.line_bytes(following)
        code = text.lstrip()
        if code and not code.startswith(b"#"):
            return len(text) - len(code) < column
    return row + 1 + most >= lines.line_count


def _starts_line(offset: int, lines: LineIndex) -> bool:
    row, column = lines.point(offset)
    return column == 0 or not lines.line_bytes(row)[:column].strip()


def _header(cls: tree_sitter.Node, lines: LineIndex) -> tuple[int, int] | None:
    """The lines of a class's header, from its line's start through the line of its colon;
    None unless the class starts its line and its body starts on a later one."""
    body = cls.child_by_field_name("body")
    colons = [c for c in cls.children if c.type == ":"]
    if body is None or not colons or not _starts_line(cls.start_byte, lines):
        return None
    newline = lines.data.find(b"\n", colons[-1].end_byte)
    if newline < 0 or newline >= body.start_byte:
        return None
    return lines.line_start(cls.start_point.row), newline + 1


def _column(
    body: _Body,
    start: int,
    end: int,
    lines: LineIndex,
    spec: LanguageSpec,
    regions: Sequence[Region],
) -> int | None:
    """The body's indentation: its first statement's column, which the whole file's parse
    takes as the block's level (a statement more indented later is taken without an error, at
    the same level). From a region where that statement was re-parsed; None where it is
    re-parsed now (the new first statement's column is then the body's)."""
    if not body.classes:
        return 0
    first = next((c for c in body.node.named_children if c.type not in spec.comments), None)
    if first is None or start <= first.start_byte < end:
        return None
    holder = next((r for r in regions if r.start <= first.start_byte < r.end), None)
    return holder.column if holder is not None else lines.point(first.start_byte)[1]


def _aligned(
    body: _Body,
    start: int,
    end: int,
    column: int,
    lines: LineIndex,
    spec: LanguageSpec,
    regions: Sequence[Region],
) -> bool:
    """Whether the statements of the body re-parsed, and those either side, start at
    ``column``: tree-sitter accepts some misindented lines without an error (an indented
    ``def`` after a top-level statement), and a body like that must be parsed whole."""
    code = [c for c in body.near if c.type not in spec.comments]
    before = [c for c in code if c.end_byte <= start][-1:]
    inside = [c for c in code if start <= c.start_byte < end]
    after = [c for c in code if c.start_byte >= end][:1]
    for statement in [*before, *inside, *after]:
        stale = any(r.start <= statement.start_byte < r.end for r in regions)
        if not stale and lines.point(statement.start_byte)[1] != column:
            return False
    return True


def _statements(fragment: tree_sitter.Tree, body: _Body) -> list[tree_sitter.Node] | None:
    """The statements of the body in the tree of the fragment; None where it has errors or the
    statements left the body (a line unindented out of a class)."""
    node = fragment.root_node
    if node.has_error:
        return None
    for cls in body.classes:
        children = node.named_children
        if len(children) != 1 or (children[0].type, children[0].start_byte) != (
            cls.type,
            cls.start_byte,
        ):
            return None
        found = children[0].child_by_field_name("body")
        if found is None:
            return None
        node = found
    return node.named_children


def _joined_lines(
    root: tree_sitter.Node, start: int, end: int, lines: LineIndex, spec: LanguageSpec
) -> bool:
    """Whether a line break in ``[start, end)`` lies inside a simple statement or an expression
    without brackets, a string or a backslash around it. tree-sitter joins such lines rather
    than fail (``a, b,`` then ``c = 1`` on the next line is one assignment), and whether it
    does can depend on what comes before the statements: only a whole parse is sure."""
    first, last = lines.point(start)[0], lines.point(end)[0]
    for row in range(first, last):
        newline = lines.line_start(row + 1) - 1
        if newline < start or lines.data[max(0, newline - 2) : newline].rstrip(b"\r").endswith(
            b"\\"
        ):
            continue
        node = root.descendant_for_byte_range(newline, newline + 1)
        if node is not None and not _breakable(node, newline, spec):
            return True
    return False


def _breakable(node: tree_sitter.Node | None, offset: int, spec: LanguageSpec) -> bool:
    """Whether a line may break at ``offset`` in ``node``: between statements, after a compound
    statement's colon, in a string, or in brackets of ``node`` or of what holds it up to its
    statement."""
    while node is not None:
        parent = node.parent
        if parent is None or node.type in spec.containers or node.type in spec.multiline_tokens:
            return True
        if _bracket_depth(node, offset) > 0:
            return True
        children = node.children
        if any(c.type == "block" for c in children) and any(
            c.type == ":" and c.end_byte <= offset for c in children
        ):
            return True
        if parent.type in spec.containers or parent.parent is None:
            return False  # ``node`` is the statement: no bracket around the break
        node = parent
    return True


def _bracket_depth(node: tree_sitter.Node, offset: int) -> int:
    """How many of ``node``'s own brackets are open at ``offset``."""
    depth = 0
    for child in node.children:
        if child.start_byte >= offset:
            break
        depth += (child.type in "([{") - (child.type in ")]}")
    return depth


def _fits(
    statements: list[tree_sitter.Node],
    start: int,
    end: int,
    column: int,
    lines: LineIndex,
    spec: LanguageSpec,
) -> bool:
    """Whether the statements lie in ``[start, end]``, each starting its line at ``column``."""
    for statement in statements:
        if statement.start_byte < start or statement.end_byte > end:
            return False
        if statement.type in spec.comments:
            continue
        if not _starts_line(statement.start_byte, lines):
            return False
        if lines.point(statement.start_byte)[1] != column:
            return False
    return True


def _imports(
    body: _Body, statements: list[tree_sitter.Node], start: int, end: int, spec: LanguageSpec
) -> bool:
    """Whether an import is among the top-level statements re-parsed, before or after."""
    before = (c for c in body.near if start <= c.start_byte < end)
    return any(s.type in spec.imports for s in [*statements, *before])


def reparse_unindented(
    parser: tree_sitter.Parser,
    tree: tree_sitter.Tree,
    lines: LineIndex,
    spec: LanguageSpec,
    regions: Sequence[Region],
    edited: tuple[int, int],
) -> LocalParse | None:
    """Re-parse, alone, lines typed at column 0 that end a top-level class.

    Typed inside the class's body, they end the class there, and a whole parse takes the
    class's statements after them as top-level statements without an error, each node for node
    as it was: their findings stand. So only the new lines are parsed; the region returned runs
    to the class's end, where the file's tree is out of date. Typed (or edited) where the whole
    tree already holds such misindented top-level statements after them, those stay as they
    are. None where the edit is not such lines, or where a whole parse might take the
    statements differently (a region there, an import, statements not at the body's column, a
    block at the end of the lines).
    """
    low, high = _widened(edited, regions)
    start, end = _whole_lines(low, high, lines)
    parser.included_ranges = [tree_sitter.Range(lines.point(start), lines.point(end), start, end)]
    fragment = parser.parse(lines.data)
    new = fragment.root_node.named_children
    if fragment.root_node.has_error or not _fits(new, start, end, 0, lines, spec):
        return None
    code = [s for s in new if s.type not in spec.comments]
    if not code:
        rejoined = _rejoining(tree.root_node, start, end, lines, spec, regions)
        return LocalParse(rejoined, fragment, new, (start, end)) if rejoined else None
    if any(s.type in spec.imports for s in code) or _ends_in_block(code[-1], spec):
        return None
    if _joined_lines(fragment.root_node, start, end, lines, spec):
        return None
    found = _class_around(tree.root_node, start, end, spec)
    if found is not None:
        top, body = found
        if any(r.start < top.end_byte and r.end > top.start_byte for r in regions):
            return None
        if not _leaves_the_class(body, start, end, lines, spec):
            return None
        return LocalParse(Region(start, max(end, top.end_byte), 0), fragment, new, (start, end))
    if _misindented_after(tree.root_node, start, end, lines, spec, regions):
        return LocalParse(Region(start, end, 0), fragment, new, (start, end))
    return None


def _rejoining(
    root: tree_sitter.Node,
    start: int,
    end: int,
    lines: LineIndex,
    spec: LanguageSpec,
    regions: Sequence[Region],
) -> Region | None:
    """Where lines ``[start, end)``, left without code, let the misindented top-level
    statements after them rejoin the class before them (the line that ended it deleted): the
    region from the class through those statements, all at the class body's column and none
    an import; None elsewhere."""
    children = root.named_children
    found = _top_level_within(children, start, end, spec)
    if found is None:
        return None
    first, index = found
    before = [c for c in children[:first] if c.type not in spec.comments][-1:]
    body = _class_body(before[0], spec) if before else None
    if body is None:
        return None
    top = before[0]
    code = (c for c in body.named_children if c.type not in spec.comments)
    column = next((lines.point(c.start_byte)[1] for c in code), 0)
    moved: list[tree_sitter.Node] = []
    for child in children[index:]:
        at = lines.point(child.start_byte)[1]
        if child.type in spec.comments:
            continue
        if at == 0:
            break
        if at != column or child.type in spec.imports:
            return None
        moved.append(child)
    if not moved or column == 0:
        return None
    region = Region(lines.line_start(top.start_point.row), moved[-1].end_byte, 0)
    if any(
        r.start < region.end and r.end > region.start and not start <= r.start <= r.end <= end
        for r in regions
    ):
        return None
    return region


def _whole_lines(low: int, high: int, lines: LineIndex) -> tuple[int, int]:
    """The lines holding ``[low, high]``; none where it is empty at a line's start (lines
    deleted)."""
    first_row, (last_row, at) = lines.point(low)[0], lines.point(high)
    if at == 0:
        if high == low:
            return low, low
        last_row -= 1
    start = lines.line_start(first_row)
    end = lines.line_start(last_row + 1) if last_row + 1 < lines.line_count else len(lines.data)
    return start, end


def _top_level_within(
    children: list[tree_sitter.Node], start: int, end: int, spec: LanguageSpec
) -> tuple[int, int] | None:
    """The indices of the first top-level statement in ``[start, end)`` (or emptied there, by
    a deletion) and of the first after them; None where one sticks out of it or is an import."""
    first = index = bisect_left(children, start, key=lambda child: child.end_byte)
    while index < len(children) and (
        children[index].start_byte < end or children[index].end_byte <= end
    ):
        child = children[index]
        if child.start_byte < start or child.end_byte > end or child.type in spec.imports:
            return None
        index += 1
    return first, index


def _leaves_the_class(
    body: tree_sitter.Node, start: int, end: int, lines: LineIndex, spec: LanguageSpec
) -> bool:
    """Whether lines ``[start, end)`` lie between statements of the class ``body``, after one
    at least, with the statements after them at the body's column and none an import."""
    code = [c for c in body.named_children if c.type not in spec.comments]
    kept = [c for c in code if c.end_byte <= start]
    moved = [c for c in code if c.start_byte >= end]
    if not kept or len(kept) + len(moved) != len(code):
        return False
    column = lines.point(kept[0].start_byte)[1]
    return not any(c.type in spec.imports or lines.point(c.start_byte)[1] != column for c in moved)


def _misindented_after(
    root: tree_sitter.Node,
    start: int,
    end: int,
    lines: LineIndex,
    spec: LanguageSpec,
    regions: Sequence[Region],
) -> bool:
    """Whether lines ``[start, end)`` hold whole top-level statements (none an import), and
    the top-level statement after them is indented: a class ended before them, its statements
    taken as top-level. Lines at column 0 there leave those statements as they are."""
    children = root.named_children
    found = _top_level_within(children, start, end, spec)
    if found is None:
        return False
    after = next((c for c in children[found[1] :] if c.type not in spec.comments), None)
    if after is None or lines.point(after.start_byte)[1] == 0:
        return False
    return not any(r.start < after.end_byte and r.end > end for r in regions)


def _class_around(
    root: tree_sitter.Node, start: int, end: int, spec: LanguageSpec
) -> tuple[tree_sitter.Node, tree_sitter.Node] | None:
    """The top-level statement holding ``[start, end)`` inside the body of the class it is
    (or decorates), and that body; None elsewhere."""
    children = root.named_children
    index = bisect_left(children, start + 1, key=lambda child: child.end_byte)
    if index == len(children) or children[index].start_byte >= start:
        return None
    top = children[index]
    body = _class_body(top, spec)
    if body is None or not body.start_byte < start or body.end_byte < end:
        return None
    return top, body


def _class_body(top: tree_sitter.Node, spec: LanguageSpec) -> tree_sitter.Node | None:
    """The body of the class a top-level statement is (or decorates); None for others."""
    cls = top.child_by_field_name("definition") if top.type == "decorated_definition" else top
    if cls is None or cls.type not in spec.indented_bodies:
        return None
    return cls.child_by_field_name("body")


def _ends_in_block(statement: tree_sitter.Node, spec: LanguageSpec) -> bool:
    """Whether ``statement`` ends in a block (``if x:`` alone parses without an error, with an
    empty one): the indented statements after it might join that block."""
    node: tree_sitter.Node | None = statement
    while node is not None:
        if node.type in spec.blocks:
            return True
        node = node.children[-1] if node.children else None
    return False
