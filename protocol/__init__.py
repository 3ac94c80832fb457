"""Versioned models for everything that crosses a process boundary (editor, org server, providers)."""

from .envelope import PROTOCOL_VERSION, ActionStatus, AgentAction, AgentActionEnvelope
from .proposal import FileEdit, Position, Proposal, Range, TextEdit

__all__ = [
    "PROTOCOL_VERSION",
    "ActionStatus",
    "AgentAction",
    "AgentActionEnvelope",
    "FileEdit",
    "Position",
    "Proposal",
    "Range",
    "TextEdit",
]
