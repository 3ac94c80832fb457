"""What an instruction in the user's words asks for, when it is one Accord performs offline.

The operations and their phrasings are data (``instructions.toml``): ``parse`` matches an
instruction against every operation's patterns and returns the first that matches the whole
text, with its named groups as parameters; ``needs_a_model`` is the answer for anything else,
listing what can be done offline.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, field
from functools import cache
from importlib import resources

__all__ = ["Instruction", "Operation", "needs_a_model", "operations", "parse"]


@dataclass(frozen=True, slots=True)
class Operation:
    """One offline operation: its name, what it does in a line, and how users ask for it."""

    name: str
    summary: str
    patterns: tuple[re.Pattern[str], ...]


@dataclass(frozen=True, slots=True)
class Instruction:
    """An instruction recognised as ``operation``, with the parameters it named."""

    operation: str
    parameters: dict[str, str] = field(default_factory=dict)


@cache
def operations() -> tuple[Operation, ...]:
    """The operations of ``instructions.toml``, in file order."""
    text = resources.files(__package__).joinpath("instructions.toml").read_text("utf-8")
    return tuple(
        Operation(
            name,
            str(table["summary"]),
            tuple(re.compile(p, re.IGNORECASE | re.DOTALL) for p in table["patterns"]),
        )
        for name, table in tomllib.loads(text).items()
    )


def parse(text: str) -> Instruction | None:
    """The offline operation ``text`` asks for, or None when it is none of them."""
    words = " ".join(text.split())
    for operation in operations():
        for pattern in operation.patterns:
            if match := pattern.fullmatch(words):
                found = {k: v for k, v in match.groupdict().items() if v is not None}
                return Instruction(operation.name, found)
    return None


def needs_a_model(text: str) -> str:
    """The answer to an instruction no offline operation performs: what would do, and how."""
    can = "\n".join(f"- {operation.summary}" for operation in operations())
    return (
        f"This needs a model: {text.strip()!r} is not an instruction Accord performs offline. "
        "Configure an anthropic or litellm provider in accord.toml for it, or ask for one of "
        f"these, which work offline:\n{can}"
    )
