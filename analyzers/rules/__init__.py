"""The rule registry: every analyzer rule, its code, its scope and its check.

Scopes decide when a rule runs:

- ``chunk``: ``check(node, context)`` reports on what lies inside ``node``: the root (a full
  analysis), a top-level statement or an outermost function. Its findings must lie inside ``node`` and must not depend
  on where the chunk boundaries fall (a class checked whole reports exactly what its methods
  checked one by one report), so that an edit re-runs it only on the chunks it touched.
- ``file``: ``check(root, context)`` reports on the whole file from its text
  (``context.document.lines``); it re-runs after every edit and must be cheap. ``root`` is the
  root of the latest parse, which after a statement-local reparse holds only the statements
  re-parsed (``accord.analyzers.local_parse``).
- ``workspace``: findings that relate several files (ACC002); kept by an index outside this
  registry.

Every rule's identity (code, name, summary, default severity, first scope) is in ``IDENTITIES``
below, so reports and editors know the rules without importing their checks. A rule module
exports ``RULE``, or ``RULES`` when one rule checks in several scopes (ACC005: function length
per chunk, file length per file), made with ``checked(code, check)`` from its identity.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, replace
from functools import cache
from typing import TYPE_CHECKING, Literal

import tree_sitter

from ..findings import Finding, Severity

if TYPE_CHECKING:
    from accord.config import Settings

    from ..source import SourceDocument

__all__ = [
    "RuleContext",
    "DUPLICATION",
    "RuleInfo",
    "TEXT_RULE",
    "all_rules",
    "checked",
    "matches_within",
    "nodes_within",
    "outermost_function",
    "rule_checks",
]

Scope = Literal["chunk", "file", "workspace"]


@dataclass(frozen=True, slots=True)
class RuleContext:
    """What a rule's check sees besides the node: the document and the resolved settings,
    and the names the file imports (local name to qualified name) where the analysis keeps
    them (None: a rule that needs them reads them from the document's tree)."""

    document: SourceDocument
    settings: Settings
    imports: Mapping[str, str] | None = None


Check = Callable[[tree_sitter.Node, RuleContext], Iterable[Finding]]


@dataclass(frozen=True, slots=True)
class RuleInfo:
    """A rule's identity and behaviour; ``anchor`` is its section in docs/rules.md."""

    code: str
    name: str
    summary: str
    default_severity: Severity
    scope: Scope
    check: Check | None = None

    @property
    def anchor(self) -> str:
        return f"{self.code.lower()}-{self.name}"


# The modules that define rules' checks, each exporting RULE or RULES; their order is the
# report order.
RULE_MODULES = ("complexity", "duplication", "secrets", "injection", "size")

# The rule that reads every text file, of a supported language or of none (secrets).
TEXT_RULE = "ACC003"
# The cross-file rule: its findings come from an index over every file's fingerprint.
DUPLICATION = "ACC002"

# Every rule's identity, in report order.
IDENTITIES = (
    RuleInfo(
        "ACC001",
        "complexity",
        "Function more complex than the threshold (cyclomatic complexity, as mccabe/lizard).",
        Severity.WARNING,
        "chunk",
    ),
    RuleInfo(
        "ACC002",
        "duplication",
        "Blocks of lines repeated in a file or across files, same tokens or same shape.",
        Severity.WARNING,
        "workspace",
    ),
    RuleInfo(
        "ACC003",
        "secrets",
        "Hard-coded secret: a private key, cloud access key, token or password in any file.",
        Severity.ERROR,
        "chunk",
    ),
    RuleInfo(
        "ACC004",
        "injection",
        "Injection-prone call: eval, a shell command or SQL built from computed text.",
        Severity.WARNING,
        "chunk",
    ),
    RuleInfo(
        "ACC005",
        "size",
        "Function or file longer than the configured limit.",
        Severity.INFO,
        "chunk",
    ),
)


def checked(code: str, check: Check | None = None, scope: Scope | None = None) -> RuleInfo:
    """Rule ``code``'s identity with its ``check`` (in ``scope``, by default its first)."""
    identity = all_rules()[code]
    return replace(identity, check=check, scope=scope or identity.scope)


@cache
def rule_checks() -> tuple[RuleInfo, ...]:
    """Every check of every rule, in report order; a rule checked in several scopes appears
    once per scope. Imports every rule module."""
    checks: list[RuleInfo] = []
    for name in RULE_MODULES:
        module = importlib.import_module(f"{__name__}.{name}")
        checks.extend(getattr(module, "RULES", None) or (module.RULE,))
    return tuple(checks)


@cache
def all_rules() -> dict[str, RuleInfo]:
    """Every rule by code: its identity, without its check (no rule module is imported)."""
    return {rule.code: rule for rule in IDENTITIES}


def nodes_within(
    query: tree_sitter.Query, node: tree_sitter.Node, capture: str
) -> Iterator[tree_sitter.Node]:
    """Nodes captured as ``capture`` by ``query`` that lie wholly inside ``node``."""
    cursor = tree_sitter.QueryCursor(query)
    cursor.set_byte_range(node.start_byte, node.end_byte)
    for found in cursor.captures(node).get(capture, []):
        if found.start_byte >= node.start_byte and found.end_byte <= node.end_byte:
            yield found


def matches_within(
    query: tree_sitter.Query, node: tree_sitter.Node
) -> Iterator[tuple[int, dict[str, list[tree_sitter.Node]]]]:
    """``query``'s matches, as (pattern index, captures), whose captures lie inside ``node``."""
    cursor = tree_sitter.QueryCursor(query)
    cursor.set_byte_range(node.start_byte, node.end_byte)
    for pattern, captures in cursor.matches(node):
        if all(
            found.start_byte >= node.start_byte and found.end_byte <= node.end_byte
            for nodes in captures.values()
            for found in nodes
        ):
            yield pattern, captures


def outermost_function(
    node: tree_sitter.Node, functions: frozenset[str]
) -> tree_sitter.Node | None:
    """The outermost function-like node containing ``node`` (``node`` itself included)."""
    outermost = None
    current: tree_sitter.Node | None = node
    while current is not None:
        if current.type in functions:
            outermost = current
        current = current.parent
    return outermost
