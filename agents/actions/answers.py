"""Reading a model's answer: the first fenced code block it holds."""

from __future__ import annotations

import re

from accord.agents.exceptions import ActionFailed

__all__ = ["fenced", "first_block", "split_answer"]

# An opening fence (``` or ~~~, three or more) with an optional info string, then the body up to
# a closing fence of the same character and at least the same length, on a line of its own.
_BLOCK = re.compile(
    r"^[ \t]*(?P<fence>`{3,}|~{3,})[^\n`]*\n(?P<body>.*?)^[ \t]*(?P=fence)[`~]*[ \t]*$",
    re.MULTILINE | re.DOTALL,
)


def first_block(answer: str) -> str:
    """The body of the first fenced code block in ``answer`` (without its final newline).

    Raises:
        ActionFailed: the answer holds no complete fenced block.
    """
    match = _BLOCK.search(answer)
    if match is None:
        raise ActionFailed("the answer holds no fenced code block (```...```)")
    return match.group("body").removesuffix("\n")


def fenced(body: str, info: str = "text") -> str:
    """``body`` in a fenced block whose fence is longer than any backtick run inside it."""
    longest = max((len(run) for run in re.findall(r"`+", body)), default=0)
    fence = "`" * max(3, longest + 1)
    return f"{fence}{info}\n{body}\n{fence}"


def split_answer(answer: str) -> tuple[str, str]:
    """The first fenced block's body (ending in a newline) and the prose around it.

    Raises:
        ActionFailed: the answer holds no complete fenced block.
    """
    match = _BLOCK.search(answer)
    if match is None:
        raise ActionFailed("the answer holds no fenced code block (```...```)")
    body = match.group("body")
    prose = (answer[: match.start()] + answer[match.end() :]).strip()
    return (body if body.endswith("\n") else body + "\n"), prose
