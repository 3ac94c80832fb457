"""ACC004: calls that run text as code, shell commands or SQL, where the text is computed.

The sinks are per-language queries (``injection.scm``): each pattern captures the call, its
callee, and the arguments that must hold a name for the call to be reported; its ``message``
setting names the sink and the safe alternative. A finding covers the call, or only the callee
where the call holds a function (a callback), so that no finding spans a function.
"""

from __future__ import annotations

from collections.abc import Iterator

import tree_sitter

from ..findings import Finding, Severity
from ..languages import load_query
from ..syntax import contains_kind, is_constant
from . import RuleContext, RuleInfo, matches_within

__all__ = ["RULE"]

CODE = "ACC004"


def check(node: tree_sitter.Node, context: RuleContext) -> Iterator[Finding]:
    """The injection-prone calls inside ``node``, one finding per call."""
    query = load_query(context.document.spec.name, "injection")
    if query is None:
        return
    functions = context.document.spec.functions
    reported: set[tuple[int, int]] = set()
    for pattern, captures in matches_within(query, node):
        if not _is_computed(captures.get("arg")):
            continue
        anchor = _anchor(captures["call"][0], captures["callee"][0], functions)
        if (anchor.start_byte, anchor.end_byte) not in reported:
            reported.add((anchor.start_byte, anchor.end_byte))
            message = query.pattern_settings(pattern).get("message") or "Injection-prone call"
            yield Finding(CODE, f"{message}.", anchor.start_byte, anchor.end_byte)


def _is_computed(arguments: list[tree_sitter.Node] | None) -> bool:
    """Whether the pattern's arguments make it a finding: it names none, or one holds a name."""
    return arguments is None or not all(is_constant(argument) for argument in arguments)


def _anchor(
    call: tree_sitter.Node, callee: tree_sitter.Node, functions: frozenset[str]
) -> tree_sitter.Node:
    """The call, or its callee where the call holds a function or a lambda of any kind."""
    return callee if contains_kind(call, functions, _LAMBDA) else call


# Lambdas in grammars that do not count them as functions (Python's ``lambda``, Kotlin's and
# Swift's ``lambda_literal``).
_LAMBDA = "lambda"


RULE = RuleInfo(
    code=CODE,
    name="injection",
    summary="Injection-prone call: eval, a shell command or SQL built from computed text.",
    default_severity=Severity.WARNING,
    scope="chunk",
    check=check,
)
