"""Differential property: edits applied incrementally give the tree and the findings that a
full parse and a full analysis of the final text give.

Where the final text has syntax errors, tree-sitter's incremental error recovery may settle on a
different (equally valid) tree than a parse from scratch; there the property is that the findings
updated edit by edit equal a full analysis of the document's own tree.
"""

from __future__ import annotations

import ast
import sysconfig
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from accord.analyzers import engine
from accord.analyzers.engine import DocumentAnalysis
from accord.analyzers.languages import all_languages
from accord.analyzers.source import SourceDocument
from accord.config import Settings, validated

STRICT = validated(
    Settings,
    {"complexity": {"threshold": 0}, "size": {"max-function-lines": 3, "max-file-lines": 12}},
)

SAMPLES = {
    "python": """import subprocess

API_TOKEN = "ghp_0123456789abcdefghijklmnopqrstuvwxyzAB"


class Shop:
    password = "s3cr3t-Pa55w0rd-9f8e7d6c"

    def total(self, items):
        result = 0
        for item in items:
            if item.price > 10 and item.count:
                result += item.price
            elif item.price:
                result -= 1
        return result

    def run(self, cmd):
        return subprocess.run(cmd, shell=True)


def helper(x):
    def inner(y):
        return y if y else x
    while x:
        x -= 1
    return inner(x)
""",
    "javascript": """const token = "ghp_0123456789abcdefghijklmnopqrstuvwxyzAB";

class Cart {
  total(items) {
    let result = 0;
    for (const item of items) {
      if (item.price > 10 && item.count) { result += item.price; }
      else if (item.price) { result -= 1; }
    }
    return result;
  }
  render(el, html) { el.innerHTML = html; }
}

function helper(x) {
  const inner = (y) => (y ? y : x);
  while (x) { x--; }
  return inner(x);
}
""",
    "go": """package shop

func Total(items []int) int {
	result := 0
	for _, item := range items {
		if item > 10 && item < 100 {
			result += item
		} else if item > 0 {
			result -= 1
		}
	}
	return result
}

func Helper(x int) int {
	switch x {
	case 1:
		return 1
	default:
		return 0
	}
}
""",
    "kotlin": """class Cart {
    val password = "s3cr3t-Pa55w0rd-9f8e7d6c"

    fun total(items: List<Int>): Int {
        var result = 0
        for (item in items) {
            if (item > 10 && item < 100) {
                result += item
            } else if (item > 0) {
                result -= 1
            }
        }
        return result
    }
}

fun helper(x: Int): Int = when (x) {
    1 -> 1
    else -> 0
}
""",
}

FRAGMENTS = [
    "\n",
    "    ",
    "if x:\n        ",
    "def f(a):\n    ",
    "return 1\n",
    "(",
    ")",
    "{",
    "}",
    '"',
    "'",
    "x",
    " and ",
    "&&",
    "for i in y:\n",
    "😀",
    "é",
    "class K:\n",
    "fun g() {",
    "# c",
    "// c",
    "/*",
    "*/",
    "elif z:\n",
    "} else {",
    "case 2:",
    'password = "hunter2-a9b8c7d6e5"',
]


@st.composite
def edit_sequences(draw: st.DrawFn, text: str) -> list[tuple[int, int, str]]:
    edits = []
    length = len(text)
    for _ in range(draw(st.integers(1, 8))):
        start = draw(st.integers(0, length))
        end = draw(st.integers(start, min(length, start + 40)))
        new = draw(st.lists(st.sampled_from(FRAGMENTS), max_size=3).map("".join))
        edits.append((start, end, new))
        length += len(new) - (end - start)
    return edits


def _apply(document: SourceDocument, analysis: DocumentAnalysis, text: str, edits) -> str:
    applied = []
    for start, end, new in edits:
        byte_start = len(text[:start].encode("utf-8"))
        byte_end = len(text[:end].encode("utf-8"))
        applied.append(document.edit(byte_start, byte_end, new.encode("utf-8")))
        text = text[:start] + new + text[end:]
    analysis.update(applied, document.reparse())
    return text


def _check(language: str, batches: list[list[tuple[int, int, str]]]) -> None:
    spec = all_languages()[language]
    text = SAMPLES[language]
    document = SourceDocument.from_text(spec, text)
    analysis = DocumentAnalysis(document, STRICT)
    for edits in batches:
        text = _apply(document, analysis, text, edits)
        fresh = SourceDocument.from_text(spec, text)
        assert document.data == fresh.data
        assert document.lines.starts == fresh.lines.starts
        assert analysis.findings == DocumentAnalysis(document, STRICT).findings
        if not fresh.tree.root_node.has_error:
            assert str(document.tree.root_node) == str(fresh.tree.root_node)
            assert analysis.findings == DocumentAnalysis(fresh, STRICT).findings


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data(), language=st.sampled_from(sorted(SAMPLES)))
def test_incremental_edits_match_a_full_analysis(data: st.DataObject, language: str) -> None:
    text = SAMPLES[language]
    batches = []
    for _ in range(data.draw(st.integers(1, 4))):
        batch = data.draw(edit_sequences(text))
        batches.append(batch)
        for start, end, new in batch:
            text = text[:start] + new + text[end:]
    _check(language, batches)


def _stdlib_module(name: str) -> str:
    return (Path(sysconfig.get_paths()["stdlib"]) / f"{name}.py").read_text("utf-8")


def _edit_text(
    document: SourceDocument, analysis: DocumentAnalysis, start: int, end: int, new: str
):
    change = document.edit(start, end, new.encode("utf-8"))
    analysis.update([change], document.reparse())


PASTED = "def pasted(values):\n    total = 0\n    for v in values:\n        if v:\n            total += v\n    return total\n\n"


@pytest.mark.parametrize("module", ["fractions", "argparse"])
def test_moved_code_is_taken_from_memory_and_matches_a_full_analysis(module: str) -> None:
    """A class broken by an unindented line and mended, a function pasted and removed: the
    units that only moved are not re-checked (the break checks only the new line, the mend
    nothing; the paste and its removal take what was found before from memory), and the
    findings equal a full analysis."""
    text = _stdlib_module(module)
    spec = all_languages()["python"]
    document = SourceDocument.from_text(spec, text)
    analysis = DocumentAnalysis(document, STRICT)
    tree = ast.parse(text)
    largest = max(
        (n for n in tree.body if isinstance(n, ast.ClassDef)),
        key=lambda c: (c.end_lineno or 0) - c.lineno,
    )
    method = next(n for n in largest.body[1:] if isinstance(n, ast.FunctionDef))
    top = next(n for n in tree.body[1:] if isinstance(n, ast.FunctionDef | ast.ClassDef))
    starts = document.lines.starts
    inside, before_top = starts[method.lineno - 1], starts[top.lineno - 1]
    steps = [
        (inside, inside, "x\n", False),
        (inside, inside + 2, "", False),
        (before_top, before_top, PASTED, True),
        (before_top, before_top + len(PASTED), "", True),
    ]
    for start, end, new, remembered in steps:
        hits = analysis._memo.hits if analysis._memo else 0
        _edit_text(document, analysis, start, end, new)
        assert analysis.findings == DocumentAnalysis(document, STRICT, incremental=False).findings
        assert analysis._memo is not None and (analysis._memo.hits > hits) == remembered
    assert document.data == text.encode("utf-8")


@pytest.mark.parametrize(
    ("before", "after"),
    [("import sys as o", "import os as o"), ("import os as o", "import sys as o")],
)
def test_an_edited_import_rechecks_the_code_that_uses_its_name(before: str, after: str) -> None:
    """ACC004 reads the file's import aliases: `o.system(x)` is a shell call only while `o` is
    `os`, so changing the import changes the finding in a function the edit did not touch."""
    text = f"{before}\n\n\ndef run(command):\n    return o.system(command)\n"
    spec = all_languages()["python"]
    document = SourceDocument.from_text(spec, text)
    analysis = DocumentAnalysis(document, STRICT)
    _edit_text(document, analysis, 0, len(before), after)
    fresh = DocumentAnalysis(SourceDocument.from_text(spec, text.replace(before, after)), STRICT)
    assert analysis.findings == fresh.findings
    assert ("ACC004" in {f.code for f in fresh.findings}) == (after == "import os as o")

    # Undone: the edit's whole tree is taken back; the imports it holds were read with it.
    _edit_text(document, analysis, 0, len(after), before)
    assert (
        analysis.findings == DocumentAnalysis(SourceDocument.from_text(spec, text), STRICT).findings
    )


def test_an_edit_back_to_the_last_whole_text_does_not_read_the_imports_again(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A comment typed and deleted: the deletion takes back the tree last parsed whole, whose
    imports the analysis read then, so they are not read again (a walk over every top-level
    statement of a long file)."""
    text = "import os as o\n\n\ndef run(command):\n    return o.system(command)\n"
    spec = all_languages()["python"]
    document = SourceDocument.from_text(spec, text)
    analysis = DocumentAnalysis(document, STRICT)
    read: list[object] = []
    real = engine.file_imports
    monkeypatch.setattr(engine, "file_imports", lambda doc: read.append(doc) or real(doc))
    end = len(text) - 1
    _edit_text(document, analysis, end, end, "  # x")
    _edit_text(document, analysis, end, end + 5, "")
    assert read == []
    assert (
        analysis.findings == DocumentAnalysis(SourceDocument.from_text(spec, text), STRICT).findings
    )
