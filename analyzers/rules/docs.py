"""Where each rule is documented: its section of ``rules.md``, shipped inside the package.

``rules.md`` is package data (in the source tree, a link to ``docs/rules.md``), so an installed
wheel links every diagnostic to its rule as a checkout does. A section starts at a
``## ACC00N name`` heading, whose GitHub anchor is the rule's ``anchor``.
"""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path

from . import RuleInfo

__all__ = ["RULES_DOC", "doc_section", "doc_uri"]

RULES_DOC = Path(__file__).resolve().with_name("rules.md").resolve()


def doc_uri(rule: RuleInfo) -> str | None:
    """A ``file:`` URI of the rule's section, where the docs are installed."""
    return f"{RULES_DOC.as_uri()}#{rule.anchor}" if RULES_DOC.is_file() else None


def doc_section(rule: RuleInfo) -> str | None:
    """The markdown of the rule's section, heading included."""
    return _sections().get(rule.code)


@cache
def _sections() -> dict[str, str]:
    if not RULES_DOC.is_file():
        return {}
    parts = re.split(r"^(?=## )", RULES_DOC.read_text("utf-8"), flags=re.MULTILINE)
    sections: dict[str, str] = {}
    for part in parts:
        if match := re.match(r"## (ACC\d+)\b", part):
            sections[match.group(1)] = part.strip()
    return sections
