"""ACC003's rule set, kept as data in ``rules.toml``: the secret formats recognisable on their
own, the words that name a secret, and the values that only stand for one.

Each format opens with literal text, which Python's ``re`` searches for quickly; a text is
searched with a format's expression only when it holds one of the format's keywords, looked for
in the lower-cased text (``rules_by_keyword``: substring search in C, several times faster than
one case-insensitive alternation in ``re``).
"""

from __future__ import annotations

import base64
import binascii
import json
import re
import re._parser as re_parser  # the minimum width of an expression
import tomllib
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any

__all__ = [
    "KNOWN_DUMMIES",
    "SecretRule",
    "is_text_candidate",
    "name_words",
    "placeholder_words",
    "rules_by_keyword",
    "secret_rules",
    "shortest_known_secret",
]

# Values published as examples by their issuers' documentation; never real credentials.
KNOWN_DUMMIES: frozenset[str] = frozenset(
    {"AKIAIOSFODNN7EXAMPLE", "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"}
)


@dataclass(frozen=True, slots=True)
class SecretRule:
    """One format: ``regex`` finds it (its ``secret`` group, if any, is the secret itself)."""

    id: str
    kind: str
    keywords: tuple[str, ...]
    regex: re.Pattern[str]
    entropy: float = 0.0
    near: re.Pattern[str] | None = None
    allow: tuple[re.Pattern[str], ...] = ()
    check: Callable[[str], bool] | None = None

    def allowed(self, secret: str) -> bool:
        """Whether ``secret`` is no leak: it matches an allow-list expression, or fails the
        rule's structural check."""
        if self.check is not None and not self.check(secret):
            return True
        return any(pattern.search(secret) for pattern in self.allow)


def _is_jwt(token: str) -> bool:
    """Whether ``token``'s first part is a base64url JSON object (a JWT header)."""
    header = token.split(".", 1)[0]
    try:
        decoded = base64.urlsafe_b64decode(header + "=" * (-len(header) % 4))
        return isinstance(json.loads(decoded), dict)
    except (binascii.Error, ValueError):
        return False


# Structural checks a rule may name (``check = "jwt"``).
_CHECKS: dict[str, Callable[[str], bool]] = {"jwt": _is_jwt}


@cache
def _data() -> dict[str, Any]:
    text = resources.files(__package__).joinpath("rules.toml").read_text("utf-8")
    return tomllib.loads(text)


@cache
def secret_rules() -> tuple[SecretRule, ...]:
    """Every format of ``rules.toml``, compiled, in file order (earlier wins an overlap)."""
    return tuple(_rule(entry) for entry in _data()["rule"])


def _rule(entry: dict[str, Any]) -> SecretRule:
    near = entry.get("near")
    return SecretRule(
        id=entry["id"],
        kind=entry["kind"],
        keywords=tuple(keyword.lower() for keyword in entry["keywords"]),
        regex=re.compile(entry["pattern"]),
        entropy=float(entry.get("entropy", 0.0)),
        near=re.compile(near, re.IGNORECASE) if near else None,
        allow=tuple(re.compile(pattern) for pattern in entry.get("allow", ())),
        check=_CHECKS[entry["check"]] if "check" in entry else None,
    )


@cache
def shortest_known_secret() -> int:
    """The fewest characters any format's expression can match: a shorter text holds none."""
    return min(int(re_parser.parse(rule.regex.pattern).getwidth()[0]) for rule in secret_rules())


@cache
def rules_by_keyword() -> dict[str, tuple[int, ...]]:
    """For each keyword, the positions in ``secret_rules()`` of the rules it belongs to."""
    found: dict[str, list[int]] = {}
    for index, rule in enumerate(secret_rules()):
        for keyword in rule.keywords:
            found.setdefault(keyword, []).append(index)
    return {keyword: tuple(indexes) for keyword, indexes in found.items()}


@cache
def name_words() -> tuple[frozenset[str], frozenset[tuple[str, str]], frozenset[str]]:
    """The words naming a secret, the word pairs naming one, and the last words that do not."""
    names = _data()["names"]
    pairs = frozenset((first, second) for first, second in names["pairs"])
    return frozenset(names["words"]), pairs, frozenset(names["not_the_secret"])


@cache
def placeholder_words() -> frozenset[str]:
    """Whole values (lower case) that stand for a secret without being one."""
    return frozenset(word.lower() for word in _data()["placeholders"]["words"])


@cache
def _binary_suffixes() -> frozenset[str]:
    return frozenset(suffix.lower() for suffix in _data()["files"]["binary_suffixes"])


def is_text_candidate(name: str) -> bool:
    """Whether a file called ``name`` may hold text worth scanning (its suffix is not one of a
    binary format)."""
    lowered = name.lower()
    dot = lowered.rfind(".")
    return dot < 0 or lowered[dot:] not in _binary_suffixes()
