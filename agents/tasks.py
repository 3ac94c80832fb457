"""A Task: one thing a user asked an agent to do, on one target in one file."""

from __future__ import annotations

from enum import StrEnum
from uuid import UUID, uuid4

from pydantic import BaseModel, ConfigDict, Field

from accord.protocol import Range

__all__ = ["ActionKind", "Target", "TargetKind", "Task"]


class ActionKind(StrEnum):
    """The agent actions offered in the editor."""

    GENERATE_TESTS = "generate_tests"
    DOCUMENT = "document"
    FIX = "fix"
    EXTRACT_FUNCTION = "extract_function"
    EXPLAIN = "explain"
    TRANSLATE_MODEL = "translate_model"
    # A task in the user's own words (``instructions``) over a scope of files.
    ASK = "ask"


class TargetKind(StrEnum):
    FUNCTION = "function"
    CLASS = "class"
    SELECTION = "selection"
    DIAGNOSTIC = "diagnostic"
    FILE = "file"


class Target(BaseModel):
    """What the action is about: a range of a file, the file's text, and what the range is."""

    model_config = ConfigDict(frozen=True)

    path: str
    language: str
    source: str
    range: Range
    kind: TargetKind
    # The function or class name, when the target is one.
    symbol: str | None = None
    # The analyzer finding being fixed (ACC003, ACC004, …), for DIAGNOSTIC targets.
    code: str | None = None
    message: str | None = None


class Task(BaseModel):
    """A unit of work for an agent; sub-tasks of a multi-file request name their parent."""

    model_config = ConfigDict(frozen=True)

    id: UUID = Field(default_factory=uuid4)
    kind: ActionKind
    target: Target
    # The project's root folder (where tests go, where .accord/ lives); None outside a project.
    root: str | None = None
    # Free-text guidance from the user, added to the prompt.
    instructions: str = ""
    parent: UUID | None = None
    # The platforms a Translate model task emits for (kotlin, swift, typescript, …).
    targets: tuple[str, ...] = ()
    # Every file an Ask task may change, each with its text; empty means the target's file alone.
    scope: tuple[Target, ...] = ()
