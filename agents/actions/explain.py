"""Explain: a markdown account of a function, class or selection.

It states the signature, parameters, result, raised errors, cyclomatic complexity (the ACC001
count), branches and loops, the calls made, and the analyzer findings inside the target. The
answer is the markdown itself (one fenced ```markdown block around it is unwrapped).
"""

from __future__ import annotations

import re
from collections import Counter

import tree_sitter

from accord.agents.actions.doc_styles import facts_of
from accord.agents.actions.outline import Outline, Source, outline_at, source_of
from accord.agents.exceptions import ActionFailed
from accord.agents.providers.types import Message
from accord.agents.tasks import ActionKind, Task
from accord.analyzers.complexity.counting import function_complexities
from accord.analyzers.engine import DocumentAnalysis
from accord.analyzers.languages import language_for, load_query
from accord.analyzers.source import SourceDocument
from accord.config import Settings
from accord.protocol import Proposal

__all__ = ["CAPABILITY", "EXPERTISE", "KIND", "local_answer", "prompt", "to_proposal"]

KIND = ActionKind.EXPLAIN
CAPABILITY = "analysis"
EXPERTISE = "problem_solving"

_SYSTEM = (
    "You explain source code to a developer: what it does, its inputs and outputs, the errors "
    "it raises, its control flow and anything risky in it. Be concise and concrete."
)
_WRAPPED = re.compile(r"\A\s*```(?:markdown|md)\n(?P<body>.*)\n```\s*\Z", re.DOTALL)


def prompt(task: Task) -> tuple[str, tuple[Message, ...]]:
    """Asks for a markdown explanation of the target."""
    target = task.target
    r = target.range
    request = (
        f"Explain the {target.kind.value} at lines {r.start.line + 1}-{r.end.line + 1} of "
        f"{target.path}{f' (`{target.symbol}`)' if target.symbol else ''}.\n{task.instructions}\n"
        "Reply in markdown only: a short summary, then its parameters, result, raised errors, "
        "control flow and any risks."
    )
    return _SYSTEM, (Message(role="user", content=request),)


def local_answer(task: Task) -> str:
    """The explanation the AST and the analyzers give."""
    source = source_of(task.target)
    outline = outline_at(source, task.target.range.start)
    sections = _definition(source, outline) if outline else ["### Selection"]
    sections.append(_findings(task, source, outline))
    return "\n\n".join(sections) + "\n"


def to_proposal(task: Task, answer: str) -> Proposal:
    """A proposal with no edits whose ``markdown`` is the answer.

    Raises:
        ActionFailed: the answer is empty.
    """
    wrapped = _WRAPPED.match(answer)
    markdown = (wrapped.group("body") if wrapped else answer).strip()
    if not markdown:
        raise ActionFailed("the answer is empty")
    name = task.target.symbol or task.target.path
    return Proposal(
        action=KIND.value,
        title=f"Explain {name}",
        rationale="An explanation; no edits.",
        markdown=markdown + "\n",
    )


def _definition(source: Source, outline: Outline) -> list[str]:
    facts = facts_of(outline)
    parts = [f"### {outline.kind.capitalize()} `{outline.name}`", f"```\n{outline.signature}\n```"]
    if facts.parameters:
        parts.append(
            "**Parameters**\n\n"
            + "\n".join(
                f"- `{p.name}`"
                + (f": `{p.type}`" if p.type else "")
                + (f" (default `{p.default}`)" if p.default else "")
                for p in facts.parameters
            )
        )
    result = (
        "yields values"
        if facts.yields
        else "returns a value"
        if facts.returns
        else "returns no value"
    )
    typed = f" of type `{outline.return_type}`" if outline.return_type and facts.returns else ""
    parts.append(f"**Result**: it {result}{typed}.")
    if outline.raises or outline.error_result:
        errors = ", ".join(f"`{e}`" for e in outline.raises) or "an error result"
        parts.append(f"**Errors**: {errors}.")
    if outline.kind == "function":
        parts.append(_flow(source, outline))
    if outline.calls:
        parts.append("**Calls**: " + ", ".join(f"`{c}`" for c in outline.calls) + ".")
    return parts


def _flow(source: Source, outline: Outline) -> str:
    """Cyclomatic complexity (as ACC001 counts it) and the decisions by kind."""
    measured = [
        m for m in function_complexities(source.language, outline.node) if m.node == outline.node
    ]
    complexity = measured[0].complexity if measured else 1
    decisions = Counter(_decisions(source, outline))
    listed = ", ".join(f"{count} × `{kind}`" for kind, count in sorted(decisions.items()))
    return f"**Control flow**: cyclomatic complexity {complexity}" + (
        f"; decisions: {listed}." if listed else "; no branches or loops."
    )


def _decisions(source: Source, outline: Outline) -> list[str]:
    """The node kinds of the complexity query's ``@decision`` captures inside the definition."""
    query = load_query(source.language, "complexity")
    if query is None:
        return []
    captured = tree_sitter.QueryCursor(query).captures(outline.node)
    return [node.type for node in captured.get("decision", [])]


def _findings(task: Task, source: Source, outline: Outline | None) -> str:
    spec = language_for(task.target.language, task.target.path)
    if spec is None:
        raise ActionFailed(f"no analyzers for language {task.target.language!r}")
    analysis = DocumentAnalysis(
        SourceDocument.from_text(spec, source.text), Settings(), task.target.path
    )
    start, end = (
        (outline.node.start_byte, outline.node.end_byte)
        if outline
        else (source.byte_at(task.target.range.start), source.byte_at(task.target.range.end))
    )
    inside = [f for f in analysis.findings if start <= f.start and f.end <= end]
    if not inside:
        return "**Findings**: none."
    return "**Findings**\n\n" + "\n".join(
        f"- line {source.position_of(f.start).line + 1}: `{f.code}` {f.message}" for f in inside
    )
