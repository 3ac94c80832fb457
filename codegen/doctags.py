"""Documentation comments carrying tags: ``The id. @minimum 1 @format uuid``.

Where a platform has no native place for a default, a constraint or a precise scalar type
(TypeScript ``number`` for int and float, Go's missing decimal), the value travels in its doc
comment as a JSDoc-style tag, the convention typescript-json-schema reads. Tags are one word
after ``@`` at the start of a word; the value runs to the next such tag or the end of the
line.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

__all__ = ["Doc", "comment_text", "doc_above"]

_TAG = re.compile(r"(?:^|\s)@(\w+)[ \t]*(.*?)(?=\s@\w|$)", re.MULTILINE)
# Comment markers stripped from each line of a doc comment, longest first.
_MARKERS = ("///", "//", "/**", "*/", "/*", "*", "#:", "#")


@dataclass(frozen=True, slots=True)
class Doc:
    """A doc comment's prose and its tags, in order."""

    text: str = ""
    tags: dict[str, str] = field(default_factory=dict)

    @classmethod
    def parse(cls, raw: str) -> Doc:
        """Split the prose (before the first tag) from the tags."""
        match = _TAG.search(raw)
        prose = raw if match is None else raw[: match.start()]
        tags = {m.group(1): m.group(2).strip() for m in _TAG.finditer(raw)}
        lines = [line.strip() for line in prose.strip().splitlines()]
        return cls(" ".join(line for line in lines if line), tags)

    def lines(self) -> list[str]:
        """The prose then one ``@tag value`` line per tag; empty when there is nothing."""
        tags = [f"@{name} {value}".rstrip() for name, value in self.tags.items()]
        return ([self.text] if self.text else []) + tags


def comment_text(comment: str) -> str:
    """The text of a comment without its markers (``///``, ``/** … */``, ``#``)."""
    lines = []
    for line in comment.strip().splitlines():
        line = line.strip()
        for marker in _MARKERS:
            if line.startswith(marker):
                line = line[len(marker) :]
                break
        lines.append(line.removesuffix("*/").strip())
    return "\n".join(lines).strip()


def doc_above(lines: list[str], row: int, column: int, prefixes: tuple[str, ...]) -> str:
    """The comment on the lines right above ``row`` (0-based), when the declaration there starts
    its line: consecutive lines starting with one of ``prefixes`` (``///``, ``/**``, ``*`` …)."""
    if lines[row][:column].strip():
        return ""
    top = row
    while top > 0 and lines[top - 1].strip().startswith(prefixes):
        top -= 1
    return comment_text("\n".join(lines[top:row]))
