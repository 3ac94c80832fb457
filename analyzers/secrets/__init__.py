"""The secret detector: pure functions over text, shared by ACC003 and the provider gateway.

Two kinds of evidence make a secret:

- a *known format* (``KNOWN_FORMATS``): private key blocks, cloud access keys and tokens with
  issuer prefixes, recognised wherever they appear;
- a *random value under a secret's name*: a value of at least ``min_length`` characters and
  ``min_entropy`` bits of Shannon entropy per character, assigned to a name such as
  ``password``, ``api_key`` or ``client_secret``.

Placeholders (``changeme``, ``<your-token>``, ``xxxx``, ``${VAR}``, ``{{ token }}``, environment
lookups) and documented example values are never secrets. Offsets are character offsets into
the text given.
"""

from __future__ import annotations

import itertools
import math
import re
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass

from .patterns import KNOWN_DUMMIES, compiled_formats, prefix_regex

__all__ = [
    "Secret",
    "find_known_secrets",
    "find_secrets",
    "is_placeholder",
    "is_random_secret",
    "is_secret_name",
    "redact",
    "shannon_entropy",
]

DEFAULT_MIN_ENTROPY = 3.5
DEFAULT_MIN_LENGTH = 12


@dataclass(frozen=True, slots=True)
class Secret:
    """A secret found at characters ``[start, end)`` of a text; ``kind`` names what it is."""

    kind: str
    start: int
    end: int


_FORMATS = compiled_formats()
_PREFIXES = prefix_regex()
# Below this length one search for any prefix is cheaper than a search per format.
_SHORT_TEXT = 4096


def find_known_secrets(text: str) -> list[Secret]:
    """Secrets of a known format in ``text`` (no name needed), in text order, not overlapping."""
    if len(text) < _SHORT_TEXT and _PREFIXES.search(text) is None:
        return []
    found = [
        Secret(kind, match.start(), match.end())
        for kind, regex in _FORMATS
        for match in regex.finditer(text)
        if _starts_word(text, match.start()) and not _is_dummy(match.group())
    ]
    return _without_overlaps(found)


def find_secrets(
    text: str, min_entropy: float = DEFAULT_MIN_ENTROPY, min_length: int = DEFAULT_MIN_LENGTH
) -> list[Secret]:
    """Every secret in plain ``text``: known formats, and random values assigned to a secret's
    name (``name = "value"``, ``name: value``, ``NAME=value``, ``"name": "value"``).

    Made for text that is not parsed (prompts, logs, configuration files); in text order, the
    spans never overlap.
    """
    known = find_known_secrets(text)
    return _without_overlaps([*known, *_assigned_secrets(text, min_entropy, min_length)])


def redact(
    text: str,
    mask: str = "[REDACTED]",
    min_entropy: float = DEFAULT_MIN_ENTROPY,
    min_length: int = DEFAULT_MIN_LENGTH,
) -> str:
    """``text`` with every secret that ``find_secrets`` finds replaced by ``mask``."""
    pieces: list[str] = []
    position = 0
    for secret in find_secrets(text, min_entropy, min_length):
        pieces.extend((text[position : secret.start], mask))
        position = secret.end
    pieces.append(text[position:])
    return "".join(pieces)


def _starts_word(text: str, start: int) -> bool:
    """Whether a match at ``start`` is not the tail of a longer word."""
    if start == 0 or not _is_word_char(text[start]):
        return True
    return not _is_word_char(text[start - 1])


def _is_word_char(char: str) -> bool:
    return char.isalnum() or char == "_"


def _is_dummy(value: str) -> bool:
    return value in KNOWN_DUMMIES or is_placeholder(value)


def _without_overlaps(secrets: list[Secret]) -> list[Secret]:
    """``secrets`` in text order, each dropped if it overlaps one listed before it."""
    kept: list[Secret] = []
    for secret in secrets:
        if not any(secret.start < other.end and other.start < secret.end for other in kept):
            kept.append(secret)
    return sorted(kept, key=lambda secret: secret.start)


# A separator then a quoted or a bare value; the name before it is looked at only for values
# that look random, since most assignments in code hold short or plain values.
_VALUE = re.compile(
    r"""(?::=|=>|[:=])[ \t]*(?:(?P<quote>["'`])(?P<quoted>[^"'`\n]*)(?P=quote)"""
    r"""|(?P<bare>[A-Za-z0-9+/_\-.~][A-Za-z0-9+/=_\-.~]*))"""
)
# The name just before a separator, possibly quoted (JSON, YAML) or a TOML/ini key.
_NAME_BEFORE = re.compile(r"""(?P<name>[A-Za-z_][\w.\-]*)["']?[ \t]*$""")


def _assigned_secrets(text: str, min_entropy: float, min_length: int) -> Iterator[Secret]:
    for match in _VALUE.finditer(text):
        group = "quoted" if match.group("quote") else "bare"
        if not is_random_secret(match.group(group), min_entropy, min_length):
            continue
        line_start = max(text.rfind("\n", 0, match.start()) + 1, match.start() - 200)
        name = _NAME_BEFORE.search(text, line_start, match.start())
        if name is not None and is_secret_name(name.group("name")):
            yield Secret("secret assigned to a name", match.start(group), match.end(group))


def shannon_entropy(value: str) -> float:
    """Bits per character of ``value``'s character distribution (0 for the empty string)."""
    if not value:
        return 0.0
    total = len(value)
    return -sum(count / total * math.log2(count / total) for count in Counter(value).values())


def is_random_secret(
    value: str, min_entropy: float = DEFAULT_MIN_ENTROPY, min_length: int = DEFAULT_MIN_LENGTH
) -> bool:
    """Whether ``value`` looks like a generated secret: long and random enough, one word, with
    at least two of lower case, upper case and digits, and no placeholder."""
    if len(value) < min_length or any(char.isspace() for char in value):
        return False
    classes = sum(
        any(test(char) for char in value) for test in (str.islower, str.isupper, str.isdigit)
    )
    return (
        classes >= 2
        and shannon_entropy(value) >= min_entropy
        and not _PATH_OR_URL.match(value)
        and not is_placeholder(value)
    )


_PATH_OR_URL = re.compile(r"(?:[a-z][a-z0-9+.\-]*://(?![^/\s]*@)|\.{0,2}/|[A-Za-z]:\\)")

_PLACEHOLDER = re.compile(
    r"changeme|change[_\-.]me|placeholder|example|dummy|sample|fake|mock|redacted|test"
    r"|your[_\-.]|<[^<>]*>|xxxx|\*\*\*|\.\.\."  # <your-token>, xxxx…, ***, ...
    r"|\$\{|\$\(|^\$\w+$|(?-i:\$[A-Z_][A-Z0-9_]{2,}\b)"  # ${VAR} $(cmd) $var $ENV_VAR
    r"|\{\{|\{\w*\}|%\(|%[sd]|\#\{"  # {{ jinja }} {0} %(name)s %s #{ruby}
    r"|process\.env|environ|getenv",
    re.IGNORECASE,
)


def is_placeholder(value: str) -> bool:
    """Whether ``value`` is a stand-in rather than a secret: empty, one repeated character, a
    template or environment reference, or a word such as ``changeme``, ``example``, ``dummy``."""
    stripped = value.strip()
    return len(set(stripped.lower())) <= 1 or _PLACEHOLDER.search(stripped) is not None


# Words naming a secret; a name holds one of these words, or one of the pairs below.
_SECRET_WORDS = frozenset(
    {
        "password",
        "passwd",
        "passphrase",
        "secret",
        "token",
        "apikey",
        "accesskey",
        "privatekey",
        "credential",
        "credentials",
        "auth",
        "secretkey",
        "clientsecret",
    }
)
_SECRET_PAIRS = frozenset(
    {
        ("api", "key"),
        ("access", "key"),
        ("private", "key"),
        ("secret", "key"),
        ("signing", "key"),
        ("encryption", "key"),
        ("master", "key"),
    }
)
# A name ending in one of these words holds something about a secret, not the secret.
_NOT_THE_SECRET = frozenset(
    {
        "url",
        "uri",
        "endpoint",
        "path",
        "file",
        "filename",
        "dir",
        "name",
        "type",
        "kind",
        "label",
        "field",
        "prompt",
        "message",
        "msg",
        "hint",
        "header",
        "env",
        "var",
        "id",
        "length",
        "len",
        "size",
        "count",
        "format",
        "pattern",
        "regex",
        "policy",
        "scheme",
        "method",
        "mode",
        "class",
    }
)

_WORD = re.compile(r"[A-Z]+(?![a-z])|[A-Z]?[a-z]+|[0-9]+")


def is_secret_name(name: str) -> bool:
    """Whether a variable, field, key or parameter ``name`` names a secret (``password``,
    ``API_KEY``, ``clientSecret``, ``self.auth_token``; not ``token_url`` or ``author``)."""
    last = re.split(r"\.|->|::", name.strip("\"'`@$ "))[-1]
    words = [word.lower() for word in _WORD.findall(last)]
    if not words or words[-1] in _NOT_THE_SECRET:
        return False
    return any(word in _SECRET_WORDS for word in words) or any(
        pair in _SECRET_PAIRS for pair in itertools.pairwise(words)
    )
