"""ACC003: hard-coded secrets, in the literals and comments of source files and anywhere in
every other text file (configuration, env files, infrastructure code, scripts, docs).

What counts as a secret is decided by ``accord.analyzers.secrets``; which nodes are literals,
comments, and literals given to a name is the per-language query ``secrets.scm``. A finding
covers the secret's own characters for a known format, the whole literal for a value under a
secret's name or a base64-encoded secret, and every literal of a run joined into a secret.
Files in no supported language are scanned as plain text (``check_text``).
"""

from __future__ import annotations

from collections.abc import Iterator

import tree_sitter

from accord.config import Settings

from ..findings import Finding
from ..languages import load_query
from ..secrets import (
    find_known_secrets,
    find_secrets,
    is_named_secret_value,
    is_secret_name,
)
from ..secrets.derived import decode_base64, hidden_secrets, secrets_in_decoded
from ..syntax import byte_offset, is_constant, literal_value, node_text
from . import TEXT_RULE, RuleContext, checked, matches_within

__all__ = ["RULE", "check_text"]

CODE = TEXT_RULE
_ADVICE = "move it to an environment variable or a secret store, and rotate it"
# Node kinds that join string literals into one value, in the ten grammars: a run of literals
# under one of these is joined and scanned again.
_JOINS = frozenset(
    {
        "binary_operator",
        "binary_expression",
        "concatenated_string",
        "additive_expression",
        "parenthesized_expression",
    }
)


def check(node: tree_sitter.Node, context: RuleContext) -> Iterator[Finding]:
    """Secrets in the literals and comments inside ``node``; one finding per place."""
    query = load_query(context.document.spec.name, "secrets")
    if query is None:
        return
    settings = context.settings.secrets
    known: list[Finding] = []
    named: list[Finding] = []
    joins: dict[tuple[int, int], tree_sitter.Node] = {}
    for _, captures in matches_within(query, node):
        for string in captures.get("string", ()):
            known.extend(_known_formats(string))
            known.extend(_encoded(string, settings.min_entropy, settings.min_length))
            join = _outermost_join(string, node)
            if join is not None:
                joins[(join.start_byte, join.end_byte)] = join
        for comment in captures.get("comment", ()):
            known.extend(_in_text(comment, settings.min_entropy, settings.min_length))
        if "name" in captures and "value" in captures:
            value = captures["value"][0]
            if _is_named_secret(
                captures["name"][0], value, settings.min_entropy, settings.min_length
            ):
                named.append(_named_finding(captures["name"][0], value))
    for join in joins.values():
        named.extend(_joined(join, settings.min_entropy, settings.min_length))
    yield from _distinct(known, named)


def check_text(data: bytes, settings: Settings) -> list[Finding]:
    """ACC003's findings in a file read as plain text (no language of its own)."""
    text = data.decode("utf-8", errors="surrogateescape")
    found = find_secrets(text, settings.secrets.min_entropy, settings.secrets.min_length)
    return [_finding(secret.kind, text, secret.start, secret.end) for secret in found]


def message(kind: str) -> str:
    """A finding's message for a secret of ``kind``."""
    return f"Hard-coded {kind}: {_ADVICE}."


def _finding(kind: str, text: str, start: int, end: int, base: int = 0) -> Finding:
    return Finding(
        CODE, message(kind), base + byte_offset(text, start), base + byte_offset(text, end)
    )


def _known_formats(node: tree_sitter.Node) -> Iterator[Finding]:
    text = node_text(node)
    for secret in find_known_secrets(text):
        yield _finding(secret.kind, text, secret.start, secret.end, node.start_byte)


def _in_text(node: tree_sitter.Node, min_entropy: float, min_length: int) -> Iterator[Finding]:
    """Everything ``find_secrets`` finds in a comment (written as text, not code)."""
    text = node_text(node)
    for secret in find_secrets(text, min_entropy, min_length):
        yield _finding(secret.kind, text, secret.start, secret.end, node.start_byte)


def _encoded(node: tree_sitter.Node, min_entropy: float, min_length: int) -> Iterator[Finding]:
    """The literal, when its value is base64 text holding a secret."""
    decoded = decode_base64(literal_value(node))
    if decoded is None:
        return
    kinds = secrets_in_decoded(decoded, min_entropy, min_length)
    if kinds:
        yield Finding(CODE, message(f"{kinds[0]} (base64-encoded)"), node.start_byte, node.end_byte)


def _outermost_join(string: tree_sitter.Node, chunk: tree_sitter.Node) -> tree_sitter.Node | None:
    """The outermost joining expression around ``string`` inside ``chunk``, if any."""
    join = None
    current = string.parent
    while (
        current is not None
        and current.type in _JOINS
        and current.start_byte >= chunk.start_byte
        and current.end_byte <= chunk.end_byte
    ):
        join = current
        current = current.parent
    return join


def _joined(join: tree_sitter.Node, min_entropy: float, min_length: int) -> Iterator[Finding]:
    text = node_text(join)
    for secret in hidden_secrets(text, min_entropy, min_length):
        if "joined" in secret.kind:
            yield _finding(secret.kind, text, secret.start, secret.end, join.start_byte)


def _is_named_secret(
    name: tree_sitter.Node, value: tree_sitter.Node, min_entropy: float, min_length: int
) -> bool:
    return (
        is_secret_name(node_text(name))
        and is_constant(value)
        and is_named_secret_value(literal_value(value), min_entropy, min_length)
    )


def _named_finding(name: tree_sitter.Node, value: tree_sitter.Node) -> Finding:
    message = f"Hard-coded secret in '{literal_value(name)}': {_ADVICE}."
    return Finding(CODE, message, value.start_byte, value.end_byte)


def _distinct(known: list[Finding], named: list[Finding]) -> Iterator[Finding]:
    """Each place once: a string nested in another (an f-string's part) is scanned twice, and a
    literal holding a known format needs no second finding for its name or its join."""
    spans: set[tuple[int, int]] = set()
    for finding in known:
        if (finding.start, finding.end) not in spans:
            spans.add((finding.start, finding.end))
            yield finding
    for finding in named:
        if not any(start < finding.end and finding.start < end for start, end in spans):
            spans.add((finding.start, finding.end))
            yield finding


RULE = checked(CODE, check)
