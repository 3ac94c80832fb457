"""The secret formats recognisable on their own, without a name beside them: one table of
``(kind, literal prefix, rest of the regular expression)``. Each expression matches the secret
itself, and only in shapes that real issuers produce (fixed prefixes, lengths and alphabets), so that prose, identifiers
and documentation placeholders do not match.
"""

from __future__ import annotations

import re

__all__ = ["KNOWN_DUMMIES", "KNOWN_FORMATS", "compiled_formats", "prefix_regex"]

# One escaped (``\n``) or real line break or blank inside a PEM block, as code writes them.
_GAP = r"(?:\\[rn]|\s)"
_PEM_END = r"-----END [A-Z0-9 ]*PRIVATE KEY(?: BLOCK)?-----"
_BASE64 = "[A-Za-z0-9+/=]"

KNOWN_FORMATS: tuple[tuple[str, str, str], ...] = (
    # (kind, prefix: literal text every match opens with, rest of the expression)
    # A header followed by key material, through the footer when present (code that merely
    # names the header, such as a PEM parser, is not a leak).
    (
        "private key",
        "-----BEGIN ",
        (
            rf"[A-Z0-9 ]*PRIVATE KEY(?: BLOCK)?-----(?:{_GAP}*[A-Za-z-]+:[^\n\\]*)*"
            rf"{_GAP}*{_BASE64}{{40,}}(?:{_GAP}+{_BASE64}{{16,}})*"
            rf"(?:{_GAP}*(?:{_BASE64}+{_GAP}*)?{_PEM_END})?"
        ),
    ),
    ("AWS access key ID", "A(?:KIA|SIA|BIA|CCA|GPA|IDA|IPA|NPA|NVA|ROA|PKA)", r"[A-Z0-9]{16}\b"),
    ("Google API key", "AIza", r"[0-9A-Za-z_\-]{35}(?![0-9A-Za-z_\-])"),
    ("Azure storage account key", "AccountKey=", r"[A-Za-z0-9+/]{80,}={0,2}"),
    ("Azure shared access key", "SharedAccessKey=", r"[A-Za-z0-9+/]{40,}={0,2}"),
    ("GitHub token", "gh[pousr]_", r"[A-Za-z0-9]{36,255}\b"),
    ("GitHub token", "github_pat_", r"[A-Za-z0-9]{22}_[A-Za-z0-9]{59}\b"),
    ("Slack token", "xox[abpr]-", r"[0-9]{6,}-[0-9A-Za-z-]{8,}"),
    ("Stripe secret key", "sk_live_", r"[0-9A-Za-z]{20,}\b"),
    ("Stripe restricted key", "rk_live_", r"[0-9A-Za-z]{20,}\b"),
    # Anthropic before OpenAI: both open with ``sk-``.
    ("Anthropic API key", "sk-ant-", r"[a-z]+\d*-[A-Za-z0-9_\-]{40,}"),
    ("OpenAI API key", "sk-", r"(?:proj|svcacct|admin)-[A-Za-z0-9_\-]{40,}"),
    ("OpenAI API key", "sk-", r"[A-Za-z0-9]{20}T3BlbkFJ[A-Za-z0-9]{20}\b"),
    ("OpenAI API key", "sk-", r"[A-Za-z0-9]{48}\b"),
    ("npm token", "npm_", r"[A-Za-z0-9]{36}\b"),
    ("JSON Web Token", "eyJ", r"[A-Za-z0-9_\-]{10,}\.eyJ[A-Za-z0-9_\-]{10,}\.[A-Za-z0-9_\-]{16,}"),
)

# Values published as examples by their issuers' documentation; never real credentials.
KNOWN_DUMMIES: frozenset[str] = frozenset(
    {
        "AKIAIOSFODNN7EXAMPLE",
        "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
        # jwt.io's sample token
        (
            "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIxMjM0NTY3ODkwIiwibmFtZSI6IkpvaG4gRG9lIiwia"
            "WF0IjoxNTE2MjM5MDIyfQ.SflKxwRJSMeKKF2QT4fwpMeJf36POk6yJV_adQssw5c"
        ),
    }
)


def compiled_formats() -> tuple[tuple[str, re.Pattern[str]], ...]:
    """``KNOWN_FORMATS`` compiled, as ``(kind, expression)``.

    Each expression opens with its literal prefix, which Python's ``re`` searches for quickly;
    so it has no leading ``\\b``, and the caller checks the left word boundary itself.
    """
    return tuple((kind, re.compile(f"(?:{prefix}){rest}")) for kind, prefix, rest in KNOWN_FORMATS)


def prefix_regex() -> re.Pattern[str]:
    """An expression matching wherever any known format could start (a cheap first look)."""
    return re.compile("|".join(dict.fromkeys(prefix for _, prefix, _ in KNOWN_FORMATS)))
