"""The conversation history of a project, kept in SQLite at ``<root>/.accord/accord.db``.

Each ``History`` is one session (a fresh id unless one is given); ``recent`` reads across every
session of the same project, so a new session starts with what was said before. The text is
stored as it was said; it passes the data guard (``accord.agents.guard.prepare_egress``, which
redacts secrets) whenever it is sent to a provider. Each call opens and closes its own
connection, so a ``History`` may be shared between threads.
"""

from __future__ import annotations

import sqlite3
import time
import uuid
from collections.abc import Iterator
from contextlib import closing, contextmanager
from pathlib import Path
from typing import Literal

from accord.agents.providers.types import ContextItem, ContextKind

from .budget import estimate_tokens

__all__ = ["DATABASE", "History"]

# The database, relative to the project root.
DATABASE = Path(".accord") / "accord.db"

_SCHEMA = """
CREATE TABLE IF NOT EXISTS conversations (
    session TEXT PRIMARY KEY,
    project TEXT NOT NULL,
    started REAL NOT NULL
);
CREATE TABLE IF NOT EXISTS messages (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    session TEXT NOT NULL REFERENCES conversations(session),
    project TEXT NOT NULL,
    role TEXT NOT NULL,
    content TEXT NOT NULL,
    ts REAL NOT NULL
);
CREATE INDEX IF NOT EXISTS messages_by_project ON messages (project, id);
"""

Role = Literal["user", "assistant", "teammate"]
"""``teammate``: a teammate's words, stored quoted (:mod:`.teammates`)."""


class History:
    """One session's view of a project's conversation history."""

    def __init__(self, root: Path, session: str | None = None, project: str | None = None) -> None:
        self.path = root / DATABASE
        self.session = session or uuid.uuid4().hex
        # Sessions of the same project share history; by default the project is its root.
        self.project = project or str(root.resolve())
        self.path.parent.mkdir(parents=True, exist_ok=True)
        with self._connect() as db:
            db.executescript(_SCHEMA)

    def append(self, role: Role, content: str) -> None:
        """Record one message of this session, now."""
        now = time.time()
        with self._connect() as db:
            db.execute(
                "INSERT OR IGNORE INTO conversations VALUES (?, ?, ?)",
                (self.session, self.project, now),
            )
            db.execute(
                "INSERT INTO messages (session, project, role, content, ts) VALUES (?, ?, ?, ?, ?)",
                (self.session, self.project, role, content, now),
            )

    def recent(
        self, project: str | None = None, limit: int = 50, tokens: int | None = None
    ) -> tuple[ContextItem, ...]:
        """The latest messages of ``project`` (this one by default) from any session, oldest
        first: at most ``limit`` of them and, if ``tokens`` is given, as many of the newest as
        fit in that many estimated tokens."""
        with self._connect() as db:
            rows = db.execute(
                "SELECT role, content FROM messages WHERE project = ? ORDER BY id DESC LIMIT ?",
                (project or self.project, limit),
            ).fetchall()
        items = [ContextItem(kind=ContextKind.HISTORY, text=f"{r}: {c}") for r, c in rows]
        return tuple(reversed(_within(items, tokens)))

    @contextmanager
    def _connect(self) -> Iterator[sqlite3.Connection]:
        """A connection that commits on success, rolls back on error, and is always closed."""
        with closing(sqlite3.connect(self.path, timeout=10)) as db, db:
            yield db


def _within(newest_first: list[ContextItem], tokens: int | None) -> list[ContextItem]:
    if tokens is None:
        return newest_first
    kept: list[ContextItem] = []
    for item in newest_first:
        tokens -= estimate_tokens(item.text)
        if tokens < 0:
            break
        kept.append(item)
    return kept
