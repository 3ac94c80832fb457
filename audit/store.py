"""The append-only SQLite store of one root's audit log, and its anchored head.

``<root>/.accord/audit.db`` holds one row per event (the indexed columns and the sealed canonical
body); ``<root>/.accord/audit.head`` (see :mod:`accord.audit.head`) holds the seq and hash of the
last event appended. The API has no update or delete; triggers refuse them too (defence in depth:
whoever holds the file can drop them, which is what :func:`verify_root` is for).

Writers are serialised by SQLite: an append is one ``BEGIN IMMEDIATE`` transaction that reads the
tail, inserts the next event and rewrites the head file before it commits (so heads are written in
chain order); if the commit fails the old head is put back. A crash between the head write and the
commit leaves the head one event ahead, which :func:`verify_root` reports as a truncation: the
anchor fails closed. Verification reads rows and head under the same lock.

What the anchor proves: without a key, the head file detects deletion of the tail by anyone who
does not also rewrite the head file; whoever rewrites the database, every hash after the change and
the head file goes undetected from this root alone. With a key (kept outside the root), the head
carries an HMAC-SHA256 checkpoint, and rewriting it needs the key. The org server's copy of the
chain is the outside anchor for the rest.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from uuid import uuid4

from pydantic import ValidationError

from accord.audit.chain import (
    GENESIS,
    Finding,
    Head,
    StoredRow,
    head_mac,
    seal,
    verify,
    verify_unanchored,
)
from accord.audit.events import Event, EventDraft, EventType
from accord.audit.exceptions import StoreError
from accord.audit.head import head_text, put_head_back, read_head, write_head

__all__ = [
    "AuditStore",
    "EventFilter",
    "Snapshot",
    "Verification",
    "read_log",
    "verify_root",
]

FOLDER = ".accord"
DATABASE = "audit.db"
HEAD = "audit.head"

_SCHEMA = """
CREATE TABLE IF NOT EXISTS events (
    seq INTEGER NOT NULL,
    id TEXT NOT NULL,
    ts TEXT NOT NULL,
    type TEXT NOT NULL,
    project TEXT NOT NULL,
    hash TEXT NOT NULL,
    prev_hash TEXT NOT NULL,
    body TEXT NOT NULL
);
CREATE UNIQUE INDEX IF NOT EXISTS events_seq ON events (seq);
CREATE INDEX IF NOT EXISTS events_ts ON events (ts);
CREATE TRIGGER IF NOT EXISTS events_no_update BEFORE UPDATE ON events
BEGIN SELECT RAISE(ABORT, 'audit events are append-only'); END;
CREATE TRIGGER IF NOT EXISTS events_no_delete BEFORE DELETE ON events
BEGIN SELECT RAISE(ABORT, 'audit events are append-only'); END;
"""
_INSERT = "INSERT INTO events VALUES (?, ?, ?, ?, ?, ?, ?, ?)"
_INDEXED = ("id", "ts", "type", "project")
_COLUMNS = ("seq", "hash", "prev_hash", "body", *_INDEXED)
_TAIL = "SELECT seq, hash FROM events ORDER BY seq DESC LIMIT 1"


def _now() -> datetime:
    return datetime.now(UTC)


def _ts_key(ts: datetime) -> str:
    """The ``ts`` column: fixed-width UTC text, so text order is time order."""
    return ts.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


@dataclass(frozen=True)
class EventFilter:
    """Which events :meth:`AuditStore.events` returns; ``limit`` keeps the latest that many."""

    project: str | None = None
    type: EventType | None = None
    since: datetime | None = None
    limit: int | None = None


@dataclass(frozen=True)
class Verification:
    """The outcome of verifying a root: the rows read, the last row's hash, and every finding."""

    count: int
    last_hash: str | None
    findings: list[Finding]

    @property
    def ok(self) -> bool:
        return not self.findings


class AuditStore:
    """Append-only access to ``<root>/.accord/audit.db``; safe to share between threads and
    processes (each call opens its own connection)."""

    def __init__(
        self, root: Path, clock: Callable[[], datetime] = _now, key: bytes | None = None
    ) -> None:
        self.path = root / FOLDER / DATABASE
        self.head_path = root / FOLDER / HEAD
        self._clock = clock
        # The checkpoint key: when set, every head written carries its HMAC under it.
        self._key = key
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
        except OSError as error:
            raise StoreError(f"{self.path.parent}: cannot create ({error.strerror})") from None
        with self._connection() as connection:
            connection.executescript(_SCHEMA)

    def append(self, draft: EventDraft) -> Event:
        """Seal ``draft`` as the next event, store it and move the head, in one transaction."""
        with self._connection() as connection:
            connection.execute("BEGIN IMMEDIATE")
            anchored = head_text(self.head_path)
            try:
                event = self._insert(connection, draft)
                connection.execute("COMMIT")
            except BaseException:
                if connection.in_transaction:
                    connection.execute("ROLLBACK")
                put_head_back(self.head_path, anchored)
                raise
        return event

    def events(self, selection: EventFilter = EventFilter()) -> list[Event]:
        """The events that match ``selection``, in seq order."""
        sql, parameters = _select(selection)
        with self._connection() as connection:
            bodies = [body for (body,) in connection.execute(sql, parameters)]
        try:
            return [Event.model_validate_json(body) for body in reversed(bodies)]
        except ValidationError as error:
            raise StoreError(f"{self.path}: a stored event does not parse: {error}") from None

    def _insert(self, connection: sqlite3.Connection, draft: EventDraft) -> Event:
        tail = connection.execute(_TAIL).fetchone()
        seq, prev = (tail[0] + 1, tail[1]) if tail else (1, GENESIS)
        event = Event.place(draft, seq, uuid4(), self._clock(), prev)
        row = seal(event)
        columns = (seq, str(event.id), _ts_key(event.ts), event.type.value, event.project)
        connection.execute(_INSERT, (*columns, row.hash, row.prev_hash, row.body))
        mac = head_mac(self._key, seq, row.hash) if self._key is not None else None
        write_head(self.head_path, Head(seq, row.hash, mac))
        return event

    @contextmanager
    def _connection(self) -> Iterator[sqlite3.Connection]:
        try:
            connection = sqlite3.connect(self.path, timeout=30, isolation_level=None)
        except sqlite3.Error as error:
            raise StoreError(f"{self.path}: cannot open ({error})") from None
        try:
            connection.execute("PRAGMA journal_mode=WAL")
            connection.execute("PRAGMA synchronous=FULL")
            yield connection
        except sqlite3.Error as error:
            raise StoreError(f"{self.path}: {error}") from None
        finally:
            connection.close()


def _select(selection: EventFilter) -> tuple[str, list[object]]:
    """The query for ``selection``: newest first, so that LIMIT keeps the latest."""
    clauses: list[str] = []
    parameters: list[object] = []
    for clause, value in (
        ("project = ?", selection.project),
        ("type = ?", selection.type.value if selection.type else None),
        ("ts >= ?", _ts_key(selection.since) if selection.since else None),
    ):
        if value is not None:
            clauses.append(clause)
            parameters.append(value)
    where = f" WHERE {' AND '.join(clauses)}" if clauses else ""
    limit = " LIMIT ?" if selection.limit is not None else ""
    if selection.limit is not None:
        parameters.append(selection.limit)
    return f"SELECT body FROM events{where} ORDER BY seq DESC{limit}", parameters


@dataclass(frozen=True)
class Snapshot:
    """A log as read at one moment: its rows in storage order and its anchored head (None when
    there is no head file; ``head_error`` says why when there is one that cannot be read)."""

    rows: list[StoredRow]
    head: Head | None
    head_error: str | None = None


def read_log(root: Path) -> Snapshot:
    """The log under ``root``, rows and head read under the write lock so that no append lands
    between the two. Never creates the database; raises StoreError when it cannot be read."""
    path = root / FOLDER / DATABASE
    if not path.exists():
        return _with_head([], root)
    try:
        connection = sqlite3.connect(f"{path.resolve().as_uri()}?mode=rw", uri=True, timeout=30)
    except sqlite3.Error as error:
        raise StoreError(f"{path}: cannot open ({error})") from None
    try:
        connection.execute("BEGIN IMMEDIATE")
        found = connection.execute(f"SELECT {', '.join(_COLUMNS)} FROM events ORDER BY rowid")
        return _with_head([_row(values) for values in found], root)
    except sqlite3.Error as error:
        raise StoreError(f"{path}: cannot read the events ({error})") from None
    finally:
        connection.close()


def _with_head(rows: list[StoredRow], root: Path) -> Snapshot:
    try:
        return Snapshot(rows, read_head(root / FOLDER / HEAD))
    except StoreError as error:
        return Snapshot(rows, None, str(error))


def _row(values: tuple[object, ...]) -> StoredRow:
    seq, *texts = values
    if not isinstance(seq, int) or not all(isinstance(text, str) for text in texts):
        raise StoreError(f"a row has columns of the wrong types: seq={seq!r}")
    hash_, prev, body, *index = map(str, texts)
    return StoredRow(seq, hash_, prev, body, tuple(zip(_INDEXED, index, strict=True)))


def verify_root(root: Path, key: bytes | None = None) -> Verification:
    """Verify the log under ``root`` against its anchored head (whose checkpoint must verify
    under ``key`` when one is given). Raises StoreError when the database cannot be read."""
    log = read_log(root)
    last = max(log.rows, key=lambda row: row.seq).hash if log.rows else None
    if log.head_error is not None:
        return Verification(len(log.rows), last, verify_unanchored(log.rows, 0, log.head_error))
    return Verification(len(log.rows), last, verify(log.rows, log.head, key))
