"""ACC003: hard-coded secrets in string literals and comments.

What counts as a secret is decided by ``accord.analyzers.secrets``; which nodes are literals,
comments, and literals given to a name is the per-language query ``secrets.scm``. A finding
covers the secret's own characters for a known format, or the whole literal for a random value
under a secret's name.
"""

from __future__ import annotations

from collections.abc import Iterator

import tree_sitter

from ..findings import Finding, Severity
from ..languages import load_query
from ..secrets import find_known_secrets, is_random_secret, is_secret_name
from ..syntax import byte_offset, is_constant, literal_value, node_text
from . import RuleContext, RuleInfo, matches_within

__all__ = ["RULE"]

CODE = "ACC003"
_ADVICE = "move it to an environment variable or a secret store, and rotate it"


def check(node: tree_sitter.Node, context: RuleContext) -> Iterator[Finding]:
    """Secrets in the literals and comments inside ``node``; one finding per place."""
    query = load_query(context.document.spec.name, "secrets")
    if query is None:
        return
    settings = context.settings.secrets
    known: list[Finding] = []
    named: list[Finding] = []
    for _, captures in matches_within(query, node):
        for scanned in (*captures.get("string", ()), *captures.get("comment", ())):
            known.extend(_known_formats(scanned))
        if "name" in captures and "value" in captures:
            value = captures["value"][0]
            if _is_named_secret(
                captures["name"][0], value, settings.min_entropy, settings.min_length
            ):
                named.append(_named_finding(captures["name"][0], value))
    yield from _distinct(known, named)


def _known_formats(node: tree_sitter.Node) -> Iterator[Finding]:
    text = node_text(node)
    for secret in find_known_secrets(text):
        start = node.start_byte + byte_offset(text, secret.start)
        end = node.start_byte + byte_offset(text, secret.end)
        yield Finding(CODE, f"Hard-coded {secret.kind}: {_ADVICE}.", start, end)


def _is_named_secret(
    name: tree_sitter.Node, value: tree_sitter.Node, min_entropy: float, min_length: int
) -> bool:
    return (
        is_secret_name(node_text(name))
        and is_constant(value)
        and is_random_secret(literal_value(value), min_entropy, min_length)
    )


def _named_finding(name: tree_sitter.Node, value: tree_sitter.Node) -> Finding:
    message = f"Hard-coded secret in '{literal_value(name)}': {_ADVICE}."
    return Finding(CODE, message, value.start_byte, value.end_byte)


def _distinct(known: list[Finding], named: list[Finding]) -> Iterator[Finding]:
    """Each place once: a string nested in another (an f-string's part) is scanned twice, and a
    literal holding a known format needs no second finding for its name."""
    spans: set[tuple[int, int]] = set()
    for finding in known:
        if (finding.start, finding.end) not in spans:
            spans.add((finding.start, finding.end))
            yield finding
    for finding in named:
        if not any(finding.start <= start and end <= finding.end for start, end in spans):
            yield finding


RULE = RuleInfo(
    code=CODE,
    name="secrets",
    summary="Hard-coded secret: a private key, cloud access key, token or password in the source.",
    default_severity=Severity.ERROR,
    scope="chunk",
    check=check,
)
