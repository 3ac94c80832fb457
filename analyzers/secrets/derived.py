"""Secrets hidden by how they are written: string literals joined together, and literals that
are base64 text. The literals are joined or decoded, and what comes out is scanned again; a
secret found that way is reported over the literals that hold it.
"""

from __future__ import annotations

import base64
import binascii
import re
from collections.abc import Iterator

from . import (
    DEFAULT_MIN_ENTROPY,
    DEFAULT_MIN_LENGTH,
    Secret,
    find_direct_secrets,
    is_named_secret_value,
    is_secret_name,
)

__all__ = ["decode_base64", "hidden_secrets", "joined_literals", "secrets_in_decoded"]

# One quoted literal on one line, with an optional prefix (r, b, f, u).
_LITERAL = r"""(?:[rbfuRBFU]{0,2}(?:"(?:[^"\\\n]|\\.)*"|'(?:[^'\\\n]|\\.)*'))"""
# What joins two literals: +, . or .. (PHP, Lua), & (VB), a line continuation, or nothing but
# blanks (Python's and C's implicit concatenation).
_JOIN = r"""(?:\s*(?:\+|\.\.?|&|\\\n)?\s*)"""
_RUN = re.compile(rf"{_LITERAL}(?:{_JOIN}{_LITERAL})+")
_PART = re.compile(_LITERAL)
_QUOTES = re.compile(r"""^[rbfuRBFU]{0,2}(["'])(?P<body>.*)\1$""", re.DOTALL)
# The name a joined run is given to, just before it on its line.
_NAME_BEFORE = re.compile(r"""(?P<name>[A-Za-z_][\w.\-]*)["']?\s*(?::=|=>|[:=])\s*\(?\s*$""")

# A base64 (or base64url) token long enough to hold a credential.
_BASE64 = re.compile(r"(?<![A-Za-z0-9+/=_\-])[A-Za-z0-9+/_\-]{16,}={0,2}(?![A-Za-z0-9+/=_\-])")
# ``user:password``, as HTTP basic credentials encode it.
_USER_PASSWORD = re.compile(r"[\w.\-@+]{1,64}:(?P<password>\S{6,128})")
# The RFCs' example credentials (RFC 6749 §2.3.1, RFC 7617 §2), quoted by OAuth libraries' docs.
_DOCUMENTED_EXAMPLES = frozenset({"s6BhdRkqt3:gX1fBat3bV", "Aladdin:open sesame"})


def joined_literals(text: str) -> Iterator[tuple[int, int, str]]:
    """Each run of two or more literals joined in ``text``: its span and its joined content."""
    for run in _RUN.finditer(text):
        bodies = []
        for part in _PART.finditer(run.group()):
            quoted = _QUOTES.match(part.group())
            bodies.append(quoted.group("body") if quoted else "")
        yield run.start(), run.end(), "".join(bodies)


def decode_base64(value: str) -> str | None:
    """``value`` decoded, when it is base64 or base64url of printable text; otherwise None."""
    if len(value) < 16 or not _BASE64.fullmatch(value):
        return None
    padded = value + "=" * (-len(value) % 4)
    try:
        raw = base64.b64decode(padded.replace("-", "+").replace("_", "/"), validate=True)
        decoded = raw.decode("utf-8")
    except (binascii.Error, UnicodeDecodeError, ValueError):
        return None
    if not decoded or not all(char.isprintable() or char in "\r\n\t" for char in decoded):
        return None
    return decoded


def secrets_in_decoded(
    decoded: str, min_entropy: float = DEFAULT_MIN_ENTROPY, min_length: int = DEFAULT_MIN_LENGTH
) -> list[str]:
    """The kinds of secret in text that was encoded: any found in it, or ``user:password``."""
    kinds = [secret.kind for secret in find_direct_secrets(decoded, min_entropy, min_length)]
    if decoded.strip() in _DOCUMENTED_EXAMPLES:
        return kinds
    pair = _USER_PASSWORD.fullmatch(decoded.strip())
    if not kinds and pair and is_named_secret_value(pair.group("password")):
        kinds.append("credentials")
    return kinds


def hidden_secrets(
    text: str, min_entropy: float = DEFAULT_MIN_ENTROPY, min_length: int = DEFAULT_MIN_LENGTH
) -> Iterator[Secret]:
    """Secrets in ``text``'s joined literals and base64 tokens, each over the text holding it."""
    for start, end, joined in joined_literals(text):
        kinds = [secret.kind for secret in find_direct_secrets(joined, min_entropy, min_length)]
        if not kinds and is_named_secret_value(joined, min_entropy, min_length):
            line_start = max(text.rfind("\n", 0, start) + 1, start - 200)
            name = _NAME_BEFORE.search(text, line_start, start)
            if name is not None and is_secret_name(name.group("name")):
                kinds.append("secret assigned to a name")
        if kinds:
            yield Secret(f"{kinds[0]} (joined from string literals)", start, end)
    for token in _BASE64.finditer(text):
        decoded = decode_base64(token.group())
        if decoded is None:
            continue
        kinds = secrets_in_decoded(decoded, min_entropy, min_length)
        if kinds:
            yield Secret(f"{kinds[0]} (base64-encoded)", token.start(), token.end())
