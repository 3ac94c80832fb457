"""Statement-local reparsing: an edit among a body's statements re-parses only them, and what it
gives is what a parse of the whole file gives, or else the whole file is reparsed.

The differential tests edit real standard-library modules the way people do (lines typed,
deleted, pasted, indented, unindented; several edits before one reparse; many reparses before
the whole tree is rebuilt) and compare each statement re-parsed alone with the same statement
in a fresh parse of the whole text, and the findings with a full analysis.
"""

from __future__ import annotations

import random
import sysconfig
from collections.abc import Iterator
from pathlib import Path

import pytest
import tree_sitter
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from accord.analyzers.engine import DocumentAnalysis
from accord.analyzers.languages import all_languages, ts_language
from accord.analyzers.source import Reparsed, SourceDocument
from accord.config import Settings, validated

PYTHON = all_languages()["python"]
STDLIB = Path(sysconfig.get_paths()["stdlib"])
STRICT = validated(
    Settings,
    {"complexity": {"threshold": 0}, "size": {"max-function-lines": 3, "max-file-lines": 12}},
)

SHOP = '''import subprocess as sp


class Shop:
    """A shop."""

    def total(self, items):
        result = 0
        for item in items:
            result += item
        return result

    # The command runner.
    def run(self, cmd):
        return sp.run(cmd, shell=True)

    def last(self):
        return None


def helper(x):
    return eval(x)
'''


def _shape(node: tree_sitter.Node) -> list[tuple[str, int, int, tuple[int, int], tuple[int, int]]]:
    """Every node under ``node``: kind, bytes and points, in order."""
    found, stack = [], [node]
    while stack:
        current = stack.pop()
        start, end = current.start_point, current.end_point
        found.append((current.type, current.start_byte, current.end_byte, tuple(start), tuple(end)))
        stack.extend(reversed(current.children))
    return found


def assert_as_whole(document: SourceDocument, reparsed: Reparsed) -> None:
    """Each statement re-parsed alone is the statement a fresh parse of the text has there,
    node for node; and the fresh parse has no other statement of that body in the span."""
    assert reparsed.statements is not None
    fresh = tree_sitter.Parser(ts_language("python")).parse(document.data).root_node
    assert not fresh.has_error
    (start, end), body = reparsed.changed[0], None
    for statement in reparsed.statements:
        node = fresh.descendant_for_byte_range(statement.start_byte, statement.end_byte)
        while node is not None and (node.type, node.byte_range) != (
            statement.type,
            statement.byte_range,
        ):
            node = node.parent
        assert node is not None, f"no {statement.type} at {statement.start_point} as a whole"
        assert _shape(node) == _shape(statement)
        body = node.parent
    if body is not None:
        whole = [
            c.byte_range for c in body.named_children if c.start_byte < end and c.end_byte > start
        ]
        assert whole == [s.byte_range for s in reparsed.statements]


def _edit(document: SourceDocument, start: int, end: int, new: str) -> Reparsed:
    document.edit(start, end, new.encode("utf-8"))
    return document.reparse()


def test_an_edit_in_a_method_reparses_that_method_and_the_next() -> None:
    document = SourceDocument.from_text(PYTHON, SHOP)
    at = SHOP.index("result += item") + len("result += item")
    reparsed = _edit(document, at, at, " * 2")
    assert reparsed.statements is not None
    assert [s.type for s in reparsed.statements] == ["function_definition", "comment"] + [
        "function_definition"
    ]
    assert_as_whole(document, reparsed)
    assert str(document.tree.root_node) == str(SourceDocument(PYTHON, document.data).tree.root_node)


@pytest.mark.parametrize(
    ("text", "old", "new"),
    [
        (SHOP.replace("\n", "\r\n"), "result += item", "result += item * 2"),
        (SHOP.replace("\n", "\r\n"), "return None", "return 1\r\n        x = 2"),
        (SHOP.replace("\n", "\r\n"), "def helper(x):", "        # c\r\ndef helper(x):"),
        (SHOP.replace("    ", "\t"), "return None", "x = 1\n\t\treturn None"),
    ],
    ids=["crlf-type", "crlf-line", "crlf-comment", "tabs"],
)
def test_crlf_and_tab_indented_files_reparse_alone_as_a_whole_parse_does(
    text: str, old: str, new: str
) -> None:
    document = SourceDocument.from_text(PYTHON, text)
    at = text.index(old)
    assert_as_whole(document, _edit(document, at, at + len(old), new))


def test_findings_after_local_reparses_equal_a_full_analysis() -> None:
    document = SourceDocument.from_text(PYTHON, SHOP)
    analysis = DocumentAnalysis(document, STRICT)
    text = SHOP
    for old, new in [
        ("return result", "return result or eval(result)"),
        ("return None", "return sp.call(cmd, shell=True)"),
        ("        result = 0\n", ""),
        ("    def last(self):", '    password = "s3cr3t-Pa55w0rd-9f8e7d6c"\n\n    def last(self):'),
    ]:
        at = text.index(old)
        change = document.edit(at, at + len(old.encode()), new.encode())
        reparsed = document.reparse()
        assert reparsed.statements is not None, old
        analysis.update([change], reparsed)
        text = text[:at] + new + text[at + len(old) :]
        assert (
            analysis.findings
            == DocumentAnalysis(SourceDocument(PYTHON, document.data), STRICT).findings
        )


@pytest.mark.parametrize(
    ("old", "new", "why"),
    [
        ("import subprocess as sp", "import os as sp", "an import changes what every rule reads"),
        ("    def last(self):", "    @property\n", "a decorator with nothing to decorate"),
        ('    """A shop."""', '    """A shop.', "an unterminated string"),
        ("def helper(x):", "a, b,\nc = 1\n\n\ndef helper(x):", "lines joined by a trailing comma"),
        ("        result = 0", "        result = 0 +\n1", "lines joined by an operator"),
    ],
)
def test_an_edit_that_may_change_more_than_its_statements_reparses_the_whole_file(
    old: str, new: str, why: str
) -> None:
    document = SourceDocument.from_text(PYTHON, SHOP)
    at = SHOP.index(old)
    reparsed = _edit(document, at, at + len(old), new)
    assert reparsed.statements is None, why
    assert str(document.tree.root_node) == str(SourceDocument(PYTHON, document.data).tree.root_node)


def test_a_comment_typed_before_a_statement_is_parsed_with_the_statement_before_it() -> None:
    """An indented comment after a class belongs to the class: the class comes along."""
    document = SourceDocument.from_text(PYTHON, SHOP)
    at = SHOP.index("def helper(x):")
    reparsed = _edit(document, at, at, "        # note\n")
    assert_as_whole(document, reparsed)
    assert reparsed.statements is not None
    assert reparsed.statements[0].type == "class_definition"
    assert reparsed.statements[0].end_point.row == SHOP[:at].count("\n")


def test_a_body_tree_sitter_accepts_misindented_is_reparsed_alone_as_the_whole_file_parses_it() -> (
    None
):
    document = SourceDocument.from_text(PYTHON, SHOP)
    at = SHOP.index("        return None")
    reparsed = _edit(document, at, at + 4, "")
    assert_as_whole(document, reparsed)


def test_a_line_typed_unindented_in_a_class_ends_it_and_is_parsed_alone() -> None:
    """tree-sitter takes the methods after an unindented line as top-level functions, without
    an error and node for node as they were: only the new line is parsed, and every finding
    stands."""
    document = SourceDocument.from_text(PYTHON, SHOP)
    analysis = DocumentAnalysis(document, STRICT)
    at = SHOP.index("    def last(self):")
    change = document.edit(at, at, b"x = 1\n")
    reparsed = document.reparse()
    analysis.update([change], reparsed)
    assert reparsed.changed == [(at, at + len("x = 1\n"))]
    assert [s.type for s in (reparsed.statements or [])] == ["expression_statement"]
    assert_as_whole(document, reparsed)
    fresh = SourceDocument(PYTHON, document.data)
    moved = [c for c in fresh.tree.root_node.named_children if c.type == "function_definition"]
    assert [c.start_point.row for c in moved] == [17, 21]  # last, helper
    assert analysis.findings == DocumentAnalysis(fresh, STRICT).findings


def test_deleting_the_line_that_broke_a_class_restores_the_tree_without_a_parse() -> None:
    """Edits that bring the text back to what was last parsed whole (here the line that broke
    the class, deleted) take that tree back: only the edited span is checked again."""
    document = SourceDocument.from_text(PYTHON, SHOP)
    analysis = DocumentAnalysis(document, STRICT)
    at = SHOP.index("    def last(self):")
    for start, end, text in ((at, at, b"x\n"), (at, at + 2, b"")):
        change = document.edit(start, end, text)
        reparsed = document.reparse()
        analysis.update([change], reparsed)
    assert reparsed.statements is None
    assert reparsed.changed == [(at, at)]
    assert _shape(document.tree.root_node) == _shape(
        SourceDocument.from_text(PYTHON, SHOP).tree.root_node
    )
    assert (
        analysis.findings
        == DocumentAnalysis(SourceDocument(PYTHON, document.data), STRICT).findings
    )


def test_once_the_class_is_parsed_broken_the_line_is_edited_and_deleted_alone() -> None:
    """With the whole tree parsed after the break (the methods after the line top-level and
    misindented), typing on the line re-parses only it, and deleting it lets the methods rejoin
    the class without a parse: each time the findings equal a full analysis."""
    document = SourceDocument.from_text(PYTHON, SHOP)
    analysis = DocumentAnalysis(document, STRICT)
    at = SHOP.index("    def run(self, cmd):")
    steps = [(at, at, b"x\n"), (at + 1, at + 1, b" = f(2)"), (at + 8, at + 8, b"  # why")]
    steps.append((at, at + len(b"x = f(2)  # why\n"), b""))
    for number, (start, end, text) in enumerate(steps):
        change = document.edit(start, end, text)
        reparsed = document.reparse()
        analysis.update([change], reparsed)
        assert reparsed.statements is not None, number
        fresh = SourceDocument(PYTHON, document.data)
        assert analysis.findings == DocumentAnalysis(fresh, STRICT).findings, number
        if number < 3:
            assert_as_whole(document, reparsed)
        assert str(document.tree.root_node) == str(fresh.tree.root_node), number
    assert document.data == SHOP.encode()


@pytest.mark.parametrize(
    ("before", "new", "why"),
    [
        ("    def last(self):", "x\n", "a region already waits in the class"),
        ("    def last(self):", "import os\n", "an import, which every rule reads"),
        ('    """A shop."""', "x\n", "nothing is left in the class"),
        ("    def last(self):", "if x:\n", "a block with no body"),
    ],
)
def test_an_unindented_line_is_parsed_with_the_whole_file_where_the_rest_is_unsure(
    before: str, new: str, why: str
) -> None:
    document = SourceDocument.from_text(PYTHON, SHOP)
    if why.startswith("a region"):
        at = SHOP.index("result += item") + len("result += item")
        assert _edit(document, at, at, "  # c").statements is not None
    at = document.data.decode().index(before)
    reparsed = _edit(document, at, at, new)
    assert reparsed.statements is None, why
    assert str(document.tree.root_node) == str(SourceDocument(PYTHON, document.data).tree.root_node)


def test_regions_wait_for_the_whole_tree_and_merge_with_later_edits() -> None:
    text = (STDLIB / "fractions.py").read_text("utf-8")
    document = SourceDocument.from_text(PYTHON, text)
    for marker in ("    def limit_denominator", "    def __repr__", "    def _richcmp"):
        at = document.data.index(marker.encode()) + len(marker)
        assert_as_whole(document, _edit(document, at, at, "_x"))
    at = document.data.index(b"    def limit_denominator_x")
    reparsed = _edit(document, at + 8, at + 9, "L")  # inside the first region again
    assert_as_whole(document, reparsed)
    assert str(document.tree.root_node) == str(SourceDocument(PYTHON, document.data).tree.root_node)


MODULES = ["fractions", "_pydecimal", "argparse", "dataclasses", "textwrap", "_collections_abc"]


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(rng=st.randoms(use_true_random=False), module=st.sampled_from(MODULES))
def test_statements_reparsed_alone_are_as_a_whole_parse_gives_them(
    rng: random.Random, module: str
) -> None:
    document = SourceDocument(PYTHON, (STDLIB / f"{module}.py").read_bytes())
    analysis = DocumentAnalysis(document, STRICT)
    for _ in range(rng.randint(1, 12)):
        edits = 1 if rng.random() < 0.7 else 2
        changes = [document.edit(*_random_edit(rng, document.data)) for _ in range(edits)]
        reparsed = document.reparse()
        if reparsed.statements is not None:
            assert_as_whole(document, reparsed)
        analysis.update(changes, reparsed)
        if rng.random() < 0.5 and reparsed.statements is not None:
            continue
        fresh = SourceDocument(PYTHON, document.data)
        assert analysis.findings == DocumentAnalysis(fresh, STRICT).findings


def _random_edit(rng: random.Random, data: bytes) -> tuple[int, int, bytes]:
    """One edit as people make them, at a line of ``data``: a line copied in at this line's
    indentation, a line or a block of lines deleted, a few characters typed, a block pasted,
    a line indented or unindented, a line typed at column 0."""
    starts = [0, *(i + 1 for i, byte in enumerate(data) if byte == 10)]
    row = rng.randrange(max(1, len(starts) - 1))
    start, end = starts[row], starts[min(row + 1, len(starts) - 1)]
    line = data[start:end]
    indent = b" " * (len(line) - len(line.lstrip(b" ")))
    other = rng.randrange(max(1, len(starts) - 1))
    kind = rng.randrange(8)
    if kind == 7:  # an unindented line, which may end a class
        return start, start, rng.choice([b"x\n", b"x = f(1)\n", b"# c\nx\n", b"import os\n"])
    if kind == 0:
        copied = data[starts[other] : starts[min(other + 1, len(starts) - 1)]].lstrip(b" ")
        return start, start, indent + copied
    if kind == 1:
        return start, end, b""
    if kind == 2:
        at = start + rng.randrange(max(1, len(line)))
        return at, at, rng.choice([b"x", b"_", b" ", b"1", b"  # c", b"\n" + indent, b":"])
    if kind == 3:
        last = starts[min(len(starts) - 1, other + rng.randrange(1, 25))]
        return start, start, data[starts[other] : last]
    if kind == 4:
        return start, start, b"    "
    if kind == 5 and line.startswith(b"    "):
        return start, start + 4, b""
    return start, starts[min(len(starts) - 1, row + rng.randrange(1, 10))], b""


def stdlib_sources() -> Iterator[tuple[Path, bytes]]:
    """Each top-level stdlib module with its bytes, but those with CRs or under five lines."""
    for path in sorted(STDLIB.glob("*.py")):
        data = path.read_bytes()
        if b"\r" not in data and data.count(b"\n") >= 5:
            yield path, data


@pytest.mark.slow
def test_statements_reparsed_alone_across_the_standard_library() -> None:
    """Every top-level stdlib module, 30 rounds of one or two edits each: each statement-local
    reparse is what a whole parse gives, and the findings equal a full analysis whenever a
    syntax error sends the module back to its original text, and after its last round."""
    rng = random.Random(16)
    alone = 0
    for path, original in stdlib_sources():
        document = SourceDocument(PYTHON, original)
        if document.tree.root_node.has_error:
            continue
        analysis = DocumentAnalysis(document, STRICT)
        for _ in range(30):
            changes = [
                document.edit(*_random_edit(rng, document.data))
                for _ in range(1 if rng.random() < 0.8 else 2)
            ]
            reparsed = document.reparse()
            analysis.update(changes, reparsed)
            if reparsed.statements is not None:
                alone += 1
                assert_as_whole(document, reparsed)
            elif document.tree.root_node.has_error or document.data.count(b"\n") < 5:
                fresh = DocumentAnalysis(SourceDocument(PYTHON, document.data), STRICT)
                assert analysis.findings == fresh.findings, path.name
                document = SourceDocument(PYTHON, original)
                analysis = DocumentAnalysis(document, STRICT)
        fresh = DocumentAnalysis(SourceDocument(PYTHON, document.data), STRICT)
        assert analysis.findings == fresh.findings, path.name
    assert alone > 1000
