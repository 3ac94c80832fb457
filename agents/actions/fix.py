"""Fix: quick fixes for analyzer findings, where a sound rewrite exists.

- ACC003 (hard-coded secret): the literal becomes an environment lookup in any of the ten
  languages (plus the import it needs in Python, Go and C#);
- ACC004 (injection) in Python: SQL built by ``+``, an f-string, ``%`` or ``.format`` becomes a
  parameterised call.

The answer is the replacement for the fixed span (the secret's literal, or the flagged call) in
one fenced block; ``to_proposal`` puts it in place and adds a missing import.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import tree_sitter

from accord.agents.actions.answers import fenced, first_block
from accord.agents.actions.imports import import_edit
from accord.agents.actions.outline import Source, source_of
from accord.agents.actions.secret_env import LOOKUP, find_secret, lookup
from accord.agents.actions.sql_params import Parameterised, parameterise
from accord.agents.actions.sql_params_js import parameterise_js
from accord.agents.exceptions import ActionFailed
from accord.agents.providers.types import Message
from accord.agents.tasks import ActionKind, Target, TargetKind, Task
from accord.protocol import FileEdit, Proposal, Range, TextEdit

__all__ = ["CAPABILITY", "EXPERTISE", "KIND", "fixable", "local_answer", "prompt", "to_proposal"]

KIND = ActionKind.FIX
CAPABILITY = "code_generation"
EXPERTISE = "security"

# Finding code → languages it has a quick fix in.
_FIXABLE: dict[str, frozenset[str]] = {
    "ACC003": frozenset(LOOKUP),
    "ACC004": frozenset({"python", "javascript", "typescript", "tsx"}),
}
# Language → (call node kind, rewrite, the advice when the driver is guessed).
_SQL: dict[str, tuple[str, Callable[[tree_sitter.Node, str], Parameterised], str]] = {
    "python": ("call", parameterise, "`%s` for psycopg or MySQL drivers (`?` is sqlite3's style)"),
    **{
        language: ("call_expression", parameterise_js, "`$1`, `$2`, … for node-postgres")
        for language in ("javascript", "typescript", "tsx")
    },
}
_SYSTEM = "You fix security findings in source code with the smallest sound change."


@dataclass(frozen=True, slots=True)
class _Site:
    """The span the fix replaces, the local replacement, and what the rationale says."""

    span: tree_sitter.Node
    replacement: str
    rationale: str


def fixable(code: str, language: str) -> bool:
    """Whether Fix may have a quick fix for finding ``code`` in ``language`` (an analyzer
    language name); a particular finding can still turn out to have none."""
    return language in _FIXABLE.get(code, frozenset())


def prompt(task: Task) -> tuple[str, tuple[Message, ...]]:
    """Asks for the replacement text of the span the finding is about."""
    source, site = _site(task.target)
    start, end = source.position_of(site.span.start_byte), source.position_of(site.span.end_byte)
    request = (
        f"{task.target.path}: {task.target.code} {task.target.message or ''}\n"
        f"Flagged code (line {start.line + 1}, col {start.character + 1} to line {end.line + 1}, "
        f"col {end.character + 1}):\n{fenced(source.text[_char(source, site.span.start_byte) : _char(source, site.span.end_byte)])}\n"
        f"{task.instructions}\nFix it: {site.rationale}\n"
        "Reply with only the replacement for exactly the flagged code, in one ```text fenced block."
    )
    return _SYSTEM, (Message(role="user", content=request),)


def local_answer(task: Task) -> str:
    """The rewrite of the flagged span.

    Raises:
        ActionFailed: ``no sound fix`` for this finding.
    """
    return fenced(_site(task.target)[1].replacement)


def to_proposal(task: Task, answer: str) -> Proposal:
    """The answer in place of the flagged span, with the import it needs.

    Raises:
        ActionFailed: no fenced block, or the finding has no fixable span.
    """
    replacement = first_block(answer)
    source, site = _site(task.target)
    span = Range(
        start=source.position_of(site.span.start_byte), end=source.position_of(site.span.end_byte)
    )
    edits = [TextEdit(range=span, new_text=replacement)]
    extra = import_edit(source, replacement)
    edits = [extra, *edits] if extra is not None else edits
    return Proposal(
        action=KIND.value,
        title=f"Fix {task.target.code}",
        rationale=site.rationale,
        files=(FileEdit(path=task.target.path, edits=tuple(edits)),),
    )


def _site(target: Target) -> tuple[Source, _Site]:
    if target.kind is not TargetKind.DIAGNOSTIC or target.code is None:
        raise ActionFailed("Fix needs a diagnostic target with its finding code")
    source = source_of(target)
    if not fixable(target.code, source.language):
        raise ActionFailed(f"no sound fix for {target.code} in {source.language}")
    start, end = source.byte_at(target.range.start), source.byte_at(target.range.end)
    if target.code == "ACC003":
        secret = find_secret(source, start, end, target.message)
        why = f"Reads the secret from the environment variable {secret.variable} instead of the source; rotate the exposed value."
        return source, _Site(secret.literal, lookup(source.language, secret.variable), why)
    kind, rewrite, other = _SQL[source.language]
    call = _call_at(source, start, end, kind)
    rewritten = rewrite(call, source.text)
    why = f"Passes the values as query parameters ({rewritten.placeholder} placeholders), so they cannot change the SQL."
    if rewritten.guessed:
        why += f" The driver is not known from the imports: `?` is assumed; use {other}."
    return source, _Site(call, rewritten.text, why)


def _call_at(source: Source, start: int, end: int, kind: str) -> tree_sitter.Node:
    node: tree_sitter.Node | None = source.tree.root_node.descendant_for_byte_range(start, end)
    while node is not None and not (
        node.type == kind and node.start_byte <= start and end <= node.end_byte
    ):
        node = node.parent
    if node is None:
        raise ActionFailed("no sound fix: no call at the finding")
    return node


def _char(source: Source, byte: int) -> int:
    return len(source.data[:byte].decode("utf-8", errors="replace"))
