"""An Ask answer: the files' new texts and why, as JSON; and the minimal edits they amount to.

The offline ``local`` provider answers in this form, and the tool loop turns a model's
``propose`` call into it, so both reach a Proposal the same way::

    {"rationale": "…", "files": [{"path": "pkg/mod.py", "content": "…whole new text…"}]}
"""

from __future__ import annotations

import difflib
import json
import re
from dataclasses import dataclass

from accord.agents.exceptions import ActionFailed
from accord.protocol import Position, Range, TextEdit

__all__ = ["Answer", "line_edits", "read_answer", "write_answer"]

_LINE = re.compile(r"[^\r\n]*(?:\r\n|\r|\n)|[^\r\n]+\Z")
_FENCED = re.compile(r"```(?:json)?\s*\n(.*?)```", re.DOTALL)


@dataclass(frozen=True, slots=True)
class Answer:
    """What an Ask task proposes: a rationale, and each changed file's path and new text."""

    rationale: str
    files: tuple[tuple[str, str], ...] = ()


def write_answer(answer: Answer) -> str:
    files = [{"path": path, "content": content} for path, content in answer.files]
    return json.dumps({"rationale": answer.rationale, "files": files}, ensure_ascii=False)


def read_answer(text: str) -> Answer:
    """The answer in ``text`` (bare JSON, or JSON in a fenced block).

    Raises:
        ActionFailed: no JSON object of the expected shape.
    """
    fenced = _FENCED.search(text)
    body = fenced.group(1) if fenced else text[text.find("{") : text.rfind("}") + 1]
    try:
        data = json.loads(body)
        files = tuple((str(f["path"]), str(f["content"])) for f in data.get("files", ()))
        return Answer(str(data.get("rationale", "")), files)
    except (ValueError, TypeError, KeyError, AttributeError) as error:
        raise ActionFailed(f"the answer holds no proposal: {text[:200]!r}") from error


def line_edits(before: str, after: str) -> tuple[TextEdit, ...]:
    """The fewest whole-line edits that turn ``before`` into ``after``."""
    old, new = _lines(before), _lines(after)
    matcher = difflib.SequenceMatcher(a=old, b=new, autojunk=False)
    return tuple(
        TextEdit(
            range=Range(start=_at(old, i1), end=_at(old, i2)),
            new_text="".join(new[j1:j2]),
        )
        for tag, i1, i2, j1, j2 in matcher.get_opcodes()
        if tag != "equal"
    )


def _lines(text: str) -> list[str]:
    """Lines with their endings, broken as LSP breaks them (not at form feeds)."""
    return _LINE.findall(text)


def _at(lines: list[str], index: int) -> Position:
    """The start of line ``index``, or the text's very end past its last line."""
    if index < len(lines) or not lines or lines[-1].endswith(("\n", "\r")):
        return Position(line=index, character=0)
    return Position(line=len(lines) - 1, character=len(lines[-1]))
