"""Proposals routed to the org server and not settled yet, kept on disk.

One JSON file per proposal under ``.accord/org/pending``: a proposal queued while offline is
sent when the link comes back, and one waiting for approvers survives a restart of the language
server, so the requester's server can still apply it when the quorum is met.
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any
from uuid import UUID

from .durable import read_json, write_json

__all__ = ["PendingQueue"]

log = logging.getLogger(__name__)


class PendingQueue:
    """The pending proposals of one workspace, each an entry keyed by the proposal's id."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder

    def save(self, proposal_id: UUID, entry: dict[str, Any]) -> None:
        write_json(self.folder / f"{proposal_id}.json", entry)

    def drop(self, proposal_id: UUID) -> None:
        (self.folder / f"{proposal_id}.json").unlink(missing_ok=True)

    def entries(self) -> list[dict[str, Any]]:
        """Every readable entry, oldest name first; an unreadable file is logged and left."""
        entries = []
        for path in sorted(self.folder.glob("*.json")):
            try:
                entries.append(read_json(path))
            except (OSError, ValueError):
                log.warning("%s: unreadable pending proposal, left alone", path)
        return entries

    def by_approval(self, approval_id: str) -> dict[str, Any] | None:
        return next((e for e in self.entries() if e["approval_id"] == approval_id), None)
