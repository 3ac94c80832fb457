"""The secret formats recognisable on their own, without a name beside them: one table of
``(kind, regular expression)``. Each expression matches the secret itself, and only in shapes
that real issuers produce (fixed prefixes, lengths and alphabets), so that prose, identifiers
and documentation placeholders do not match.
"""

from __future__ import annotations

import re

__all__ = ["KNOWN_FORMATS", "KNOWN_DUMMIES", "compiled_formats"]

# One escaped (``\n``) or real line break or blank inside a PEM block, as code writes them.
_GAP = r"(?:\\[rn]|\s)"
_PEM_BEGIN = r"-----BEGIN [A-Z0-9 ]*PRIVATE KEY(?: BLOCK)?-----"
_PEM_END = r"-----END [A-Z0-9 ]*PRIVATE KEY(?: BLOCK)?-----"
_BASE64 = "[A-Za-z0-9+/=]"

KNOWN_FORMATS: tuple[tuple[str, str], ...] = (
    # A header followed by key material, through the footer when present (code that merely
    # names the header, such as a PEM parser, is not a leak).
    ("private key", rf"{_PEM_BEGIN}(?:{_GAP}*[A-Za-z-]+:[^\n\\]*)*{_GAP}*{_BASE64}{{40,}}"
                    rf"(?:{_GAP}+{_BASE64}{{16,}})*(?:{_GAP}*(?:{_BASE64}+{_GAP}*)?{_PEM_END})?"),
    ("AWS access key ID", r"\b(?:AKIA|ASIA|ABIA|ACCA|AGPA|AIDA|AIPA|ANPA|ANVA|AROA|APKA)"
                          r"[A-Z0-9]{16}\b"),
    ("Google API key", r"\bAIza[0-9A-Za-z_\-]{35}(?![0-9A-Za-z_\-])"),
    ("Azure storage account key", r"\bAccountKey=[A-Za-z0-9+/]{80,}={0,2}"),
    ("Azure shared access key", r"\bSharedAccessKey=[A-Za-z0-9+/]{40,}={0,2}"),
    ("GitHub token", r"\bgh[pousr]_[A-Za-z0-9]{36,255}\b"),
    ("GitHub token", r"\bgithub_pat_[A-Za-z0-9]{22}_[A-Za-z0-9]{59}\b"),
    ("Slack token", r"\bxox[abpr]-[0-9]{6,}-[0-9A-Za-z-]{8,}"),
    ("Stripe secret key", r"\bsk_live_[0-9A-Za-z]{20,}\b"),
    ("Stripe restricted key", r"\brk_live_[0-9A-Za-z]{20,}\b"),
    # Anthropic before OpenAI: both begin with ``sk-``.
    ("Anthropic API key", r"\bsk-ant-[a-z]+\d*-[A-Za-z0-9_\-]{40,}"),
    ("OpenAI API key", r"\bsk-(?:proj|svcacct|admin)-[A-Za-z0-9_\-]{40,}"),
    ("OpenAI API key", r"\bsk-[A-Za-z0-9]{20}T3BlbkFJ[A-Za-z0-9]{20}\b"),
    ("OpenAI API key", r"\bsk-[A-Za-z0-9]{48}\b"),
    ("npm token", r"\bnpm_[A-Za-z0-9]{36}\b"),
    ("JSON Web Token", r"\beyJ[A-Za-z0-9_\-]{10,}\.eyJ[A-Za-z0-9_\-]{10,}\.[A-Za-z0-9_\-]{16,}"),
)

# Values published as examples by their issuers' documentation; never real credentials.
KNOWN_DUMMIES: frozenset[str] = frozenset({
    "AKIAIOSFODNN7EXAMPLE",
    "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
    # jwt.io's sample token
    "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIxMjM0NTY3ODkwIiwibmFtZSI6IkpvaG4gRG9lIiwia"
    "WF0IjoxNTE2MjM5MDIyfQ.SflKxwRJSMeKKF2QT4fwpMeJf36POk6yJV_adQssw5c",
})


def compiled_formats() -> tuple[tuple[str, re.Pattern[str]], ...]:
    """``KNOWN_FORMATS`` compiled, each without its leading ``\\b``.

    Python's ``re`` searches fast only for an expression that opens with literal text, so the
    caller checks the left word boundary of each match itself.
    """
    return tuple((kind, re.compile(regex.removeprefix(r"\b"))) for kind, regex in KNOWN_FORMATS)
