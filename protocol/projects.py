"""The org protocol's project messages: which project a workspace is (by its git remote)."""

from __future__ import annotations

from pydantic import Field

from .org import Message

__all__ = ["ProjectResolve", "ProjectResolved"]


class ProjectResolve(Message):
    """Which project is the workspace whose ``origin`` remote (or path) is ``remote``?"""

    remote: str = Field(min_length=1, max_length=2_000)


class ProjectResolved(Message):
    """The registered project that recognises the remote (None: none does), and the caller's
    membership and roles in it."""

    project: str | None = None
    member: bool = False
    roles: tuple[str, ...] = ()
