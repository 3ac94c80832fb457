"""A Proposal: the edit an agent proposes (files and text edits) and why.

Positions are zero-based lines and columns counted in Unicode code points (Python ``str``
indices) of the file's text; the language server converts them to the client's encoding.
"""

from __future__ import annotations

import hashlib
import json
from enum import StrEnum
from uuid import UUID, uuid4

from pydantic import BaseModel, ConfigDict, Field

__all__ = ["Check", "CheckStatus", "FileEdit", "Position", "Proposal", "Range", "TextEdit"]


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True)


class Position(_Frozen):
    line: int = Field(ge=0)
    character: int = Field(ge=0)


class Range(_Frozen):
    start: Position
    end: Position

    @classmethod
    def of(cls, start_line: int, start_char: int, end_line: int, end_char: int) -> Range:
        """A range from four numbers."""
        return cls(
            start=Position(line=start_line, character=start_char),
            end=Position(line=end_line, character=end_char),
        )


class TextEdit(_Frozen):
    """Replace ``range`` of the file's text by ``new_text`` (an empty range inserts)."""

    range: Range
    new_text: str


class FileEdit(_Frozen):
    """The edits to one file; ``create`` makes a new file whose whole text is the one edit's."""

    path: str
    edits: tuple[TextEdit, ...] = ()
    create: bool = False


class CheckStatus(StrEnum):
    """How one assurance check of a proposal ended."""

    PASSED = "passed"
    FAILED = "failed"
    # The check could not run here (no interpreter, no test runner, no model): said, not hidden.
    SKIPPED = "skipped"


class Check(_Frozen):
    """One piece of a proposal's evidence: a check run before anyone sees it.

    ``name`` is short and stable (``parses``, ``finding gone``, ``tests pass``, ``kills a mutant``,
    ``keeps documentation``); ``detail`` is one line a person reads in the approval prompt.
    """

    name: str
    status: CheckStatus
    detail: str = ""


class Proposal(_Frozen):
    """What an agent proposes: edits to files (possibly none, as for Explain) and a rationale."""

    id: UUID = Field(default_factory=uuid4)
    action: str
    title: str
    rationale: str
    files: tuple[FileEdit, ...] = ()
    # Markdown meant to be read (Explain's answer); empty for actions that only edit.
    markdown: str = ""
    agent: str = ""
    provider: str = ""
    model: str = ""
    # What was checked before the proposal was shown, in the order it was checked.
    evidence: tuple[Check, ...] = ()
    # What making it cost at the providers (every call of the task; 0 offline).
    input_tokens: int = Field(default=0, ge=0)
    output_tokens: int = Field(default=0, ge=0)
    cost_usd: float = Field(default=0.0, ge=0)

    def content_hash(self) -> str:
        """SHA-256 of what the proposal would change (its files and edits, canonical JSON):
        an approval binds to it, so a changed proposal needs approving again."""
        files = [file.model_dump(mode="json") for file in self.files]
        text = json.dumps(files, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
        return hashlib.sha256(text.encode("utf-8")).hexdigest()
