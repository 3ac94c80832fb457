"""ACC004: calls that run text as code, shell commands or SQL, where the text is computed.

The sinks are per-language queries (``injection.scm``): each pattern captures the call, its
callee, and the arguments that must be computed for the call to be reported; its ``message``
setting names the sink and the safe alternative. A finding covers the call, or only the callee
where the call holds a function (a callback), so that no finding spans a function.

In Python the rule follows values within the function (``accord.analyzers.injection.flow``):
a sink is reported when a computed value reaches its argument, through assignments, ``+=``,
f-strings, ``%``, ``.format``, ``.join`` and ``.replace``, and its message names what reaches
it. It also resolves import aliases (``from subprocess import check_output as co``), reads
``shell=`` values as Python does (``shell=1``, ``shell='True'``), sees shells wrapped in
argument lists (``["sh", "-c", cmd]``), and reports SQL text built from computed values where it
is built (as bandit's B608 does). Elsewhere an argument is computed when it holds a name.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator

import tree_sitter

from ..findings import Finding
from ..injection.flow import Reaching, reaching
from ..injection.python import (
    aliases,
    is_truthy,
    sink_kind,
    sql_constructions,
    wrapped_command,
)
from ..languages import load_query
from ..syntax import contains_kind, is_constant, node_text
from . import RuleContext, checked, matches_within, outermost_function

__all__ = ["RULE"]

CODE = "ACC004"
# How many computed values a message names.
_NAMED = 3
_ALIAS_MESSAGES = {
    "code": "eval()/exec() of a computed string runs whatever it holds: parse data with "
    "ast.literal_eval or json.loads, or dispatch through a dict of allowed functions",
    "shell": "A shell command built from computed text lets the shell interpret it: use "
    "subprocess.run([...]) with an argument list",
}
# The captures of injection.scm's patterns that are not sinks (Python's): calls, and
# expressions that may build SQL.
_CALLS = "any_call"
_BUILT = "built"
_SQL_MESSAGE = (
    "SQL built from values can be injected: keep the values out of the SQL text and pass them "
    "separately, e.g. cursor.execute(sql, params)"
)


def check(node: tree_sitter.Node, context: RuleContext) -> Iterator[Finding]:
    """The injection-prone calls inside ``node``, one finding per call."""
    spec = context.document.spec
    query = load_query(spec.name, "injection")
    if query is None:
        return
    python = spec.name == "python"
    reported: set[tuple[int, int]] = set()
    candidates: dict[str, list[tree_sitter.Node]] = {_CALLS: [], _BUILT: []}
    for pattern, captures in matches_within(query, node):
        if _CALLS in captures or _BUILT in captures:
            for name, nodes in captures.items():
                candidates[name].extend(nodes)
            continue
        if "shell" in captures and not is_truthy(captures["shell"][0]):
            continue
        settings = query.pattern_settings(pattern)
        arguments = _arguments(captures)
        call = captures["call"][0]
        if arguments is None and "wrapped" in captures:
            continue  # an argument list that wraps no shell
        if python:
            found = _reaching(arguments, call, spec.functions)
            if not _reportable(found, arguments, settings.get("kind")):
                continue
            what = _describe(found)
        else:
            if arguments is not None and all(is_constant(a) for a in arguments):
                continue
            what = ""
        anchor = _anchor(call, captures["callee"][0], spec.functions)
        if (anchor.start_byte, anchor.end_byte) not in reported:
            reported.add((anchor.start_byte, anchor.end_byte))
            message = settings.get("message") or "Injection-prone call"
            yield Finding(CODE, f"{message}{what}.", anchor.start_byte, anchor.end_byte)
    if python:
        yield from _python_extras(context, reported, candidates)


def _arguments(captures: dict[str, list[tree_sitter.Node]]) -> list[tree_sitter.Node] | None:
    """The arguments to judge: the captured ones (a shell-wrapped command in place of its list),
    less ``params=`` values, which are the safe way to pass values."""
    if "wrapped" in captures:
        command = wrapped_command(captures["wrapped"][0])
        return None if command is None else [command]
    if "arg" not in captures:
        return None
    found = [_past_comments(arg) for arg in captures["arg"]]
    return [arg for arg in found if arg is not None and not _is_params(arg)]


def _past_comments(node: tree_sitter.Node) -> tree_sitter.Node | None:
    """``node``, or the first argument after it when it is a comment (``eval(  # why``)."""
    current: tree_sitter.Node | None = node
    while current is not None and "comment" in current.type:
        current = current.next_named_sibling
    return current


def _is_params(node: tree_sitter.Node) -> bool:
    parent = node.parent
    name = parent.child_by_field_name("name") if parent is not None else None
    return (
        parent is not None
        and parent.type == "keyword_argument"
        and (name is not None and node_text(name) == "params")
    )


def _reaching(
    arguments: list[tree_sitter.Node] | None, call: tree_sitter.Node, functions: frozenset[str]
) -> Reaching:
    if arguments is None:
        return Reaching(("a computed value",))
    scope = outermost_function(call, functions)
    found = Reaching()
    for argument in arguments:
        found |= reaching(argument, scope)
    return found


def _reportable(
    found: Reaching, arguments: list[tree_sitter.Node] | None, kind: str | None
) -> bool:
    if not found.sources:
        return False
    if kind != "sql":
        return True
    # SQL built in a variable is reported where it is built (``_python_extras``).
    direct = arguments is not None and any(a.type != "identifier" for a in arguments)
    return found.built and (direct or not found.sql)


def _describe(found: Reaching) -> str:
    names = [f"`{_short(source)}`" for source in found.sources[:_NAMED]]
    more = len(found.sources) - _NAMED
    listed = ", ".join(names) + (f" and {more} more" if more > 0 else "")
    verb = "reaches" if len(found.sources) == 1 else "reach"
    return f" ({listed} {verb} it)" if names else ""


def _short(text: str, limit: int = 40) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= limit else flat[: limit - 1] + "…"


def _python_extras(
    context: RuleContext,
    reported: set[tuple[int, int]],
    candidates: dict[str, list[tree_sitter.Node]],
) -> Iterator[Finding]:
    """Aliased sinks among the calls, and SQL built from computed values outside any reported
    call (``candidates``: the ``@any_call`` and ``@built`` nodes of ``injection.scm``)."""
    functions = context.document.spec.functions
    names = context.imports
    if names is None:
        names = aliases(context.document.tree.root_node)
    for call in candidates[_CALLS]:
        callee = call.child_by_field_name("function")
        arguments = call.child_by_field_name("arguments")
        if callee is None or arguments is None:
            continue
        kind = sink_kind(callee, names)
        first = next((a for a in arguments.named_children if a.type != "comment"), None)
        if kind not in _ALIAS_MESSAGES or first is None:
            continue
        found = reaching(first, outermost_function(call, functions))
        anchor = _anchor(call, callee, functions)
        if found.sources and (anchor.start_byte, anchor.end_byte) not in reported:
            reported.add((anchor.start_byte, anchor.end_byte))
            message = f"{_ALIAS_MESSAGES[kind]}{_describe(found)}."
            yield Finding(CODE, message, anchor.start_byte, anchor.end_byte)
    for built, _ in sql_constructions(_distinct(candidates[_BUILT]), None):
        if any(start <= built.start_byte and built.end_byte <= end for start, end in reported):
            continue
        found = reaching(built, outermost_function(built, functions))
        if found.sources:
            yield Finding(
                CODE, f"{_SQL_MESSAGE}{_describe(found)}.", built.start_byte, built.end_byte
            )


def _distinct(nodes: Iterable[tree_sitter.Node]) -> list[tree_sitter.Node]:
    """``nodes`` without repeats (an f-string with two interpolations matches twice)."""
    return list({(node.start_byte, node.end_byte, node.type): node for node in nodes}.values())


def _anchor(
    call: tree_sitter.Node, callee: tree_sitter.Node, functions: frozenset[str]
) -> tree_sitter.Node:
    """The call, or its callee where the call holds a function or a lambda of any kind."""
    return callee if contains_kind(call, functions, _LAMBDA) else call


# Lambdas in grammars that do not count them as functions (Python's ``lambda``, Kotlin's and
# Swift's ``lambda_literal``).
_LAMBDA = "lambda"


RULE = checked(CODE, check)
