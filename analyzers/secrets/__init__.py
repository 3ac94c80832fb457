"""The secret detector: pure functions over text, shared by ACC003 and the provider gateway.

Three kinds of evidence make a secret:

- a *known format* (``rules.toml``): private key blocks, cloud access keys, tokens with issuer
  prefixes, passwords in URLs (``scheme://user:password@host``), recognised wherever they appear;
- a *value under a secret's name* (``password``, ``api_key``, ``client_secret``): a random one
  (at least ``min_length`` characters and ``min_entropy`` bits per character), or one shaped
  like a password (eight characters or more, mixing three of lower case, upper case, digits
  and symbols, such as ``Summer2024!``);
- a known format or credential hidden by its writing: string literals joined together
  (``"AKIA" + "..."``, a PEM split over lines) and base64-encoded literals are joined or
  decoded, then scanned again (``accord.analyzers.secrets.derived``).

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

from .patterns import (
    KNOWN_DUMMIES,
    name_words,
    placeholder_words,
    rules_by_keyword,
    secret_rules,
    shortest_known_secret,
)

__all__ = [
    "Secret",
    "find_direct_secrets",
    "find_known_secrets",
    "find_secrets",
    "is_named_secret_value",
    "is_password_like",
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


def find_known_secrets(text: str) -> list[Secret]:
    """Secrets of a known format in ``text`` (no name needed), in text order, not overlapping."""
    if len(text) < shortest_known_secret():
        return []
    lowered = text.lower()
    indexes = {
        index
        for keyword, positions in rules_by_keyword().items()
        if keyword in lowered
        for index in positions
    }
    if not indexes:
        return []
    rules = secret_rules()
    found: list[Secret] = []
    for rule in (rules[index] for index in sorted(indexes)):
        for match in rule.regex.finditer(text):
            group = "secret" if "secret" in rule.regex.groupindex else 0
            start, end = match.span(group)
            secret = match.group(group)
            if (
                _starts_word(text, match.start())
                and (rule.near is None or _near(rule.near, text, match.start()))
                and (not rule.entropy or shannon_entropy(secret) >= rule.entropy)
                and not rule.allowed(secret)
                and not _is_dummy(secret, group == "secret")
            ):
                found.append(Secret(rule.kind, start, end))
    return _without_overlaps(found)


def _near(pattern: re.Pattern[str], text: str, position: int) -> bool:
    line_start = max(text.rfind("\n", 0, position) + 1, position - 200)
    return pattern.search(text, line_start, position) is not None


def find_secrets(
    text: str, min_entropy: float = DEFAULT_MIN_ENTROPY, min_length: int = DEFAULT_MIN_LENGTH
) -> list[Secret]:
    """Every secret in plain ``text``: known formats, values assigned to a secret's name
    (``name = "value"``, ``name: value``, ``NAME=value``, ``"name": "value"``), and both again in
    joined and base64-decoded string literals.

    Made for text that is not parsed (prompts, logs, configuration files); in text order, the
    spans never overlap.
    """
    from .derived import hidden_secrets  # derived scans with this module's functions

    direct = find_direct_secrets(text, min_entropy, min_length)
    return _without_overlaps([*direct, *hidden_secrets(text, min_entropy, min_length)])


def find_direct_secrets(
    text: str, min_entropy: float = DEFAULT_MIN_ENTROPY, min_length: int = DEFAULT_MIN_LENGTH
) -> list[Secret]:
    """Known formats and named values in ``text`` as written (nothing joined or decoded)."""
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


# Marks of a documentation stand-in inside a token of a known format.
_DUMMY_MARKS = re.compile(
    r"(?i)x{5,}|\*{3}|\.\.\.|example|dummy|sample|placeholder|fake|your[_\-]|<[^<>]*>|\$\{|\{\{"
    r"|([a-z])\1{7,}"
)


def _is_dummy(value: str, whole: bool) -> bool:
    """Whether a known format's ``value`` is a stand-in; the generic placeholder test applies
    to ``whole`` values only (a token's fixed prefix may hold words such as ``test``)."""
    if value in KNOWN_DUMMIES or _DUMMY_MARKS.search(value) is not None:
        return True
    return whole and is_placeholder(value)


def _without_overlaps(secrets: list[Secret]) -> list[Secret]:
    """``secrets`` in text order, each dropped if it overlaps one listed before it."""
    kept: list[Secret] = []
    for secret in secrets:
        if not any(secret.start < other.end and other.start < secret.end for other in kept):
            kept.append(secret)
    return sorted(kept, key=lambda secret: secret.start)


# A separator then a quoted or a bare value; the name before it is looked at only for values
# that could be secrets, since most assignments hold short or plain values. A bare value runs to
# a blank, a quote or a comment.
_VALUE = re.compile(
    r"""(?::=|=>|[:=])[ \t]*(?:(?P<quote>["'`])(?P<quoted>[^"'`\n]*)(?P=quote)"""
    r"""|(?P<bare>[^\s"'`#;,(){}\[\]<>][^\s"'`;,(){}\[\]<>]*))"""
)
# The name just before a separator, possibly quoted (JSON, YAML) or a TOML/ini key.
_NAME_BEFORE = re.compile(r"""(?P<name>[A-Za-z_][\w.\-]*)["']?[ \t]*$""")
# A value between XML tags named as a secret: <password>value</password>.
_XML_VALUE = re.compile(r"<(?P<name>[\w.\-:]{2,64})>(?P<value>[^<>\s]{6,256})</(?P=name)>")
# A line that introduces an example ("Example: api_key='...'"), in documentation.
_EXAMPLE = re.compile(r"(?i)\b(?:example|e\.g\.|for instance|such as)\b")
# A bare value that is code (a dotted name), not a literal.
_DOTTED = re.compile(r"[A-Za-z_]\w*(?:\.[A-Za-z_]\w*)+")


def _assigned_secrets(text: str, min_entropy: float, min_length: int) -> Iterator[Secret]:
    for match in _VALUE.finditer(text):
        group = "quoted" if match.group("quote") else "bare"
        value = match.group(group)
        if group == "bare" and _DOTTED.fullmatch(value):
            continue
        if not is_named_secret_value(value, min_entropy, min_length):
            continue
        line_start = max(text.rfind("\n", 0, match.start()) + 1, match.start() - 200)
        name = _NAME_BEFORE.search(text, line_start, match.start())
        if (
            name is not None
            and is_secret_name(name.group("name"))
            and not _EXAMPLE.search(text, line_start, match.start())
        ):
            yield Secret("secret assigned to a name", match.start(group), match.end(group))
    if "</" in text:
        for match in _XML_VALUE.finditer(text):
            value = match.group("value")
            if is_secret_name(match.group("name")) and is_named_secret_value(
                value, min_entropy, min_length
            ):
                yield Secret("secret assigned to a name", match.start("value"), match.end("value"))


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
        and not _CODE_LIKE.search(value)
        and not _UUID.fullmatch(value)
        and not _looks_like_words(value)
        and not is_placeholder(value)
    )


# Shortest and longest password-shaped value worth a finding under a secret's name.
_PASSWORD_LENGTHS = (8, 64)


def is_password_like(value: str) -> bool:
    """Whether ``value`` is shaped like a chosen password: one word of 8 to 64 characters with
    a digit, mixing lower or upper case with a symbol other than a separator (``Summer2024!``),
    or lower case, upper case and digits with no separator (``Tr0ub4dor``). Identifiers, header
    names, versions and UUIDs (``X-Access-Token``, ``RSA_4096``, ``realtime_v1``) are not."""
    shortest, longest = _PASSWORD_LENGTHS
    if not shortest <= len(value) <= longest or any(char.isspace() for char in value):
        return False
    if not any(char.isdigit() for char in value):
        return False
    lower = any(char.islower() for char in value)
    upper = any(char.isupper() for char in value)
    symbols = {char for char in value if _is_symbol(char)}
    shaped = bool(symbols - _SEPARATORS) and (lower or upper) if symbols else lower and upper
    return (
        shaped
        and not _PATH_OR_URL.match(value)
        and not _CODE_LIKE.search(value)
        and not _looks_like_words(value)
        and not is_placeholder(value)
    )


def _is_symbol(char: str) -> bool:
    return not char.isalnum() and not char.isspace()


# Symbols that join the words of identifiers, versions and paths.
_SEPARATORS = frozenset("-_./:")
# Text that is code or markup rather than a secret: calls, indexing, escapes, regular
# expressions, format fields.
_CODE_LIKE = re.compile(
    r"\w\(|\)$|\[|\\|^[-.]|[-.]$|^\w+\.\w+\.|::|->|\(\?|\{\d*,\d*\}|\|\||&&|==|\?\."
)
_PIECE = re.compile(r"[A-Z]?[a-z]+|[A-Z]+(?![a-z])|[0-9]+")
_VOWEL = re.compile(r"[aeiouyAEIOUY]")


def _looks_like_words(value: str) -> bool:
    """Whether ``value`` is words joined (``DefaultAzureCredential``, ``m2m-client-credentials``,
    ``Proxy-Authorization``): two or more letter runs, and three quarters of its letters in runs
    of four or more holding a vowel. Random text switches case and digits too often for that."""
    letters = [piece for piece in _PIECE.findall(value) if piece.isalpha()]
    if len(letters) < 2:
        return False
    total = sum(map(len, letters))
    wordy = sum(len(p) for p in letters if len(p) >= 4 and _VOWEL.search(p))
    return wordy * 4 >= total * 3


# A UUID: an identifier (request, change or idempotency token), not a credential.
_UUID = re.compile(r"[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}")


def is_named_secret_value(
    value: str, min_entropy: float = DEFAULT_MIN_ENTROPY, min_length: int = DEFAULT_MIN_LENGTH
) -> bool:
    """Whether ``value``, given to a secret's name, is a secret: random or password-shaped."""
    return is_random_secret(value, min_entropy, min_length) or is_password_like(value)


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
    return (
        len(set(stripped.lower())) <= 1
        or stripped.lower() in placeholder_words()
        or _PLACEHOLDER.search(stripped) is not None
    )


# Words that make a token something other than a credential (paging, requests, changes).
_QUALIFIERS = frozenset(
    {
        "next",
        "continuation",
        "pagination",
        "page",
        "request",
        "idempotency",
        "change",
        "lifecycle",
        "input",
        "output",
        "max",
        "min",
        "num",
        "count",
        "cost",
        "usage",
        "limit",
    }
)
_WORD = re.compile(r"[A-Z]+(?![a-z])|[A-Z]?[a-z]+|[0-9]+")


def is_secret_name(name: str) -> bool:
    """Whether a variable, field, key or parameter ``name`` names a secret (``password``,
    ``API_KEY``, ``clientSecret``, ``self.auth_token``; not ``token_url`` or ``author``)."""
    last = re.split(r"\.|->|::", name.strip("\"'`@$ "))[-1]
    words = [word.lower() for word in _WORD.findall(last)]
    secret_words, secret_pairs, not_the_secret = name_words()
    if not words or words[-1] in not_the_secret or not _QUALIFIERS.isdisjoint(words):
        return False
    return any(word in secret_words for word in words) or any(
        pair in secret_pairs for pair in itertools.pairwise(words)
    )
