"""Explain: a Markdown explanation of a function, class or selection.

The local provider writes it from what Accord measures: the signature, parameters, returns and
raised errors (``outline``), the cyclomatic complexity (the same counting as ACC001), the
branches, loops and calls, and the analyzers' findings inside the target. A model is asked for
Markdown directly; either way the answer is shown, not applied.
"""

from __future__ import annotations

from collections import Counter

import tree_sitter
from accord.agents.providers.types import Message
from accord.agents.tasks import ActionKind, Task
from accord.analyzers.complexity.counting import function_complexities
from accord.analyzers.engine import DocumentAnalysis
from accord.analyzers.languages import all_languages
from accord.analyzers.source import SourceDocument
from accord.config import Settings
from accord.protocol import Proposal

from .generate_tests import FENCE
from .outline import Definition, definition_at

__all__ = ["CAPABILITY", "EXPERTISE", "KIND", "local_answer", "prompt", "to_proposal"]

KIND = ActionKind.EXPLAIN
CAPABILITY = "analysis"
EXPERTISE = "problem_solving"

_BRANCHES = ("if", "elif", "else", "case", "when", "switch", "match", "catch", "except", "?")
_LOOPS = ("for", "while", "loop", "do")


def prompt(task: Task) -> tuple[str, tuple[Message, ...]]:
    """Ask for a Markdown explanation of the target."""
    system = (
        "You are Accord's analyst agent. Explain the given code to a colleague in Markdown: "
        "what it does, its inputs and outputs, the errors it raises, and anything risky or "
        "hard to follow. Be concrete and brief."
    )
    user = (
        f"Explain this code from {task.target.path}:\n\n{FENCE}{task.target.language}\n"
        f"{_snippet(task)}\n{FENCE}"
    )
    return system, (Message(role="user", content=user),)


def local_answer(task: Task) -> str:
    """An explanation from measurements of the syntax tree."""
    target = task.target
    document = SourceDocument.from_text(all_languages()[target.language], target.source)
    start = _offset(document, target.range.start.line)
    end = _offset(document, target.range.end.line + 1)
    definition = definition_at(target.source, target.language, target.range.start.line)
    heading = (
        f"`{definition.name}`"
        if definition
        else f"lines {target.range.start.line + 1}-{target.range.end.line + 1} of {target.path}"
    )
    sections = [f"# {heading}", ""]
    if definition is not None:
        sections += _signature(definition)
    sections += _shape(document, start, end, target.language)
    sections += _findings(document, start, end, target.path)
    return "\n".join(sections).rstrip() + "\n"


def to_proposal(task: Task, answer: str) -> Proposal:
    """The explanation, to be shown (no edits)."""
    subject = task.target.symbol or "selection"
    return Proposal(
        action=KIND.value,
        title=f"Explain {subject}",
        rationale=f"An explanation of {subject}.",
        markdown=answer.strip() + "\n",
    )


def _signature(d: Definition) -> list[str]:
    lines = [
        f"A {d.kind} taking {len(d.parameters) or 'no'} parameter"
        f"{'' if len(d.parameters) == 1 else 's'}."
    ]
    lines += [
        f"- `{p.name}`{f': `{p.type}`' if p.type else ''}"
        f"{f' (default `{p.default}`)' if p.default else ''}"
        for p in d.parameters
    ]
    if d.yields:
        lines.append("\nIt is a generator: it yields values rather than returning one.")
    elif d.returns_value:
        lines.append(
            f"\nIt returns a value{f' of type `{d.return_type}`' if d.return_type else ''}."
        )
    if d.raises:
        lines.append(f"\nIt raises {', '.join(f'`{e}`' for e in d.raises)}.")
    return [*lines, ""]


def _shape(document: SourceDocument, start: int, end: int, language: str) -> list[str]:
    root = document.tree.root_node
    inside = [n for n in _descendants(root) if n.start_byte >= start and n.end_byte <= end]
    words = Counter(n.type for n in inside if not n.is_named)
    branches = sum(words[w] for w in _BRANCHES)
    loops = sum(words[w] for w in _LOOPS)
    calls = sorted({_callee(n) for n in inside if "call" in n.type and _callee(n)})
    measured = [
        f
        for f in function_complexities(language, root)
        if f.node.start_byte >= start and f.node.end_byte <= end
    ]
    lines = ["## Shape", "", f"- {branches} branches and {loops} loops"]
    lines += [
        f"- cyclomatic complexity of `{f.name or 'anonymous'}`: {f.complexity}"
        f"{' (above the threshold of 10)' if f.complexity > 10 else ''}"
        for f in measured
    ]
    if calls:
        lines.append(f"- calls: {', '.join(f'`{c}`' for c in calls[:20])}")
    return [*lines, ""]


def _findings(document: SourceDocument, start: int, end: int, path: str) -> list[str]:
    found = [
        f
        for f in DocumentAnalysis(document, Settings(), path).findings
        if f.start >= start and f.end <= end
    ]
    if not found:
        return ["No analyzer findings in it."]
    lines = ["## Findings", ""]
    lines += [
        f"- line {document.lines.point(f.start)[0] + 1}: **{f.code}** {f.message}" for f in found
    ]
    return lines


def _descendants(node: tree_sitter.Node) -> list[tree_sitter.Node]:
    found: list[tree_sitter.Node] = []
    cursor = node.walk()
    visited_children = False
    while True:
        if not visited_children:
            found.append(cursor.node)  # type: ignore[arg-type]
            if cursor.goto_first_child():
                continue
        if cursor.goto_next_sibling():
            visited_children = False
        elif cursor.goto_parent():
            visited_children = True
        else:
            return found


def _callee(node: tree_sitter.Node) -> str:
    target = (
        node.child_by_field_name("function")
        or node.child_by_field_name("name")
        or (node.named_children[0] if node.named_children else None)
    )
    text = target.text.decode("utf-8", errors="replace") if target and target.text else ""
    return text if len(text) <= 40 and "\n" not in text else ""


def _offset(document: SourceDocument, line: int) -> int:
    starts = document.lines.starts
    return starts[line] if line < len(starts) else len(document.data)


def _snippet(task: Task) -> str:
    lines = task.target.source.split("\n")
    return "\n".join(lines[task.target.range.start.line : task.target.range.end.line + 1])
