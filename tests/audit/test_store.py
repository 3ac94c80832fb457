"""The SQLite store: gapless appends, append-only by API and by trigger, queries, many writers."""

from __future__ import annotations

import json
import sqlite3
import subprocess
import sys
import threading
from datetime import UTC, datetime, timedelta
from itertools import pairwise
from pathlib import Path

import pytest

from accord.audit.chain import GENESIS, Finding, digest
from accord.audit.events import EventDraft, EventType
from accord.audit.exceptions import StoreError
from accord.audit.store import AuditStore, EventFilter, read_log, verify_root

from .logs import draft, written_store


def test_appends_are_numbered_from_1_without_gaps_and_chained(tmp_path: Path) -> None:
    written_store(tmp_path, 12)
    rows = read_log(tmp_path).rows
    assert [row.seq for row in rows] == list(range(1, 13))
    assert rows[0].prev_hash == GENESIS
    assert all(later.prev_hash == earlier.hash for earlier, later in pairwise(rows))
    assert all(digest(row.body) == row.hash for row in rows)
    head = read_log(tmp_path).head
    assert head is not None and (head.seq, head.hash) == (12, rows[-1].hash)
    outcome = verify_root(tmp_path)
    assert outcome.ok and outcome.count == 12 and outcome.last_hash == rows[-1].hash


def test_append_returns_the_sealed_event(tmp_path: Path) -> None:
    store = AuditStore(tmp_path)
    first = store.append(draft(1))
    second = store.append(draft(2))
    assert (first.seq, second.seq) == (1, 2)
    assert store.events() == [first, second]


def test_the_database_is_in_wal_mode(tmp_path: Path) -> None:
    written_store(tmp_path, 1)
    connection = sqlite3.connect(tmp_path / ".accord" / "audit.db")
    assert connection.execute("PRAGMA journal_mode").fetchone() == ("wal",)
    connection.close()


@pytest.mark.parametrize(
    "statement",
    ["UPDATE events SET body = '{}' WHERE seq = 1", "DELETE FROM events WHERE seq = 2"],
)
def test_triggers_refuse_updates_and_deletes(tmp_path: Path, statement: str) -> None:
    written_store(tmp_path, 3)
    connection = sqlite3.connect(tmp_path / ".accord" / "audit.db")
    with pytest.raises(sqlite3.IntegrityError, match="append-only"):
        connection.execute(statement)
    connection.close()
    assert verify_root(tmp_path).ok


def test_a_failed_append_leaves_log_and_head_as_they_were(tmp_path: Path) -> None:
    store = written_store(tmp_path, 3)
    head = (tmp_path / ".accord" / "audit.head").read_text()
    connection = sqlite3.connect(tmp_path / ".accord" / "audit.db")
    connection.execute(
        "CREATE TRIGGER full BEFORE INSERT ON events BEGIN SELECT RAISE(ABORT, 'disk full'); END"
    )
    connection.close()
    with pytest.raises(StoreError, match="disk full"):
        store.append(draft(4))
    assert (tmp_path / ".accord" / "audit.head").read_text() == head
    assert verify_root(tmp_path).count == 3 and verify_root(tmp_path).ok


def test_an_unreadable_head_stops_an_append(tmp_path: Path) -> None:
    store = written_store(tmp_path, 2)
    (tmp_path / ".accord" / "audit.head").unlink()
    (tmp_path / ".accord" / "audit.head").mkdir()
    with pytest.raises(StoreError, match="cannot read the head"):
        store.append(draft(3))
    assert len(read_log(tmp_path).rows) == 2


def test_the_api_has_no_way_to_change_or_remove_an_event() -> None:
    public = {name for name in dir(AuditStore) if not name.startswith("_")}
    assert public == {"append", "events"}


def _clock(start: datetime) -> list[datetime]:
    return [start + timedelta(minutes=n) for n in range(10)]


@pytest.mark.parametrize(
    ("selection", "expected"),
    [
        (EventFilter(), list(range(1, 11))),
        (EventFilter(project="one"), [1, 3, 5, 7, 9]),
        (EventFilter(type=EventType.RISK_SCORED), [1]),
        (EventFilter(since=datetime(2026, 3, 1, 12, 7, tzinfo=UTC)), [8, 9, 10]),
        (EventFilter(limit=3), [8, 9, 10]),
        (EventFilter(project="two", limit=2), [8, 10]),
    ],
)
def test_events_are_selected_by_project_type_time_and_limit(
    tmp_path: Path, selection: EventFilter, expected: list[int]
) -> None:
    times = iter(_clock(datetime(2026, 3, 1, 12, 0, tzinfo=UTC)))
    store = AuditStore(tmp_path, clock=lambda: next(times))
    for n in range(1, 11):
        store.append(draft(n, project="one" if n % 2 else "two"))
    assert [event.seq for event in store.events(selection)] == expected


def test_threads_appending_keep_one_chain_and_a_verifier_meanwhile_sees_no_tampering(
    tmp_path: Path,
) -> None:
    AuditStore(tmp_path)
    seen: list[list[Finding]] = []
    done = threading.Event()

    def check() -> None:
        while not done.is_set():
            seen.append(verify_root(tmp_path).findings)

    def write(name: str) -> None:
        store = AuditStore(tmp_path)
        for n in range(40):
            store.append(
                EventDraft(type=EventType.MODE_CHANGED, actor=name, project="p", payload={"n": n})
            )

    verifier = threading.Thread(target=check)
    verifier.start()
    threads = [threading.Thread(target=write, args=(f"t{i}",)) for i in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    done.set()
    verifier.join()
    outcome = verify_root(tmp_path)
    assert outcome.findings == [] and outcome.count == 160
    assert len(seen) > 1 and all(findings == [] for findings in seen)


WRITER = """
import sys
from pathlib import Path
from accord.audit.events import EventDraft, EventType
from accord.audit.exceptions import StoreError
from accord.audit.store import AuditStore
store = AuditStore(Path(sys.argv[1]))
for n in range(int(sys.argv[2])):
    store.append(EventDraft(type=EventType.DECISION_MADE,
                            actor=sys.argv[3], project="p", payload={"n": n}))
"""


def test_two_processes_appending_keep_one_chain(tmp_path: Path) -> None:
    AuditStore(tmp_path)
    writers = [
        subprocess.Popen([sys.executable, "-c", WRITER, str(tmp_path), "60", f"proc{i}"])
        for i in range(3)
    ]
    assert [writer.wait(timeout=120) for writer in writers] == [0, 0, 0]
    outcome = verify_root(tmp_path)
    assert outcome.findings == [] and outcome.count == 180
    actors = [event.actor for event in AuditStore(tmp_path).events()]
    assert {actor: actors.count(actor) for actor in set(actors)} == {
        "proc0": 60,
        "proc1": 60,
        "proc2": 60,
    }


def test_a_malformed_head_is_reported_not_raised(tmp_path: Path) -> None:
    written_store(tmp_path, 2)
    (tmp_path / ".accord" / "audit.head").write_text(json.dumps({"seq": "two"}))
    [finding] = verify_root(tmp_path).findings
    assert finding.kind == "unanchored" and "audit.head" in finding.detail


def test_a_root_with_no_log_verifies_empty(tmp_path: Path) -> None:
    outcome = verify_root(tmp_path)
    assert outcome.ok and outcome.count == 0 and outcome.last_hash is None
    assert not (tmp_path / ".accord").exists()
