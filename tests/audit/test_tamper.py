"""The tamper suite: write a log through the store, then change the SQLite file as an attacker
would (a raw connection, triggers and the unique index dropped) and check that verification
names each change: the right kind at the right seq, and nothing else."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Callable
from pathlib import Path

import pytest

from accord.audit.chain import FindingKind, canonical_json, digest
from accord.audit.store import AuditStore, verify_root

from .logs import draft, written_store

E, D, I, R, T, U = (
    FindingKind.EDITED,
    FindingKind.DELETED,
    FindingKind.INSERTED,
    FindingKind.REORDERED,
    FindingKind.TRUNCATED,
    FindingKind.UNANCHORED,
)
LENGTH = 8
Attack = Callable[[sqlite3.Connection, Path], None]


def _body(db: sqlite3.Connection, seq: int) -> dict[str, object]:
    (body,) = db.execute("SELECT body FROM events WHERE seq = ?", (seq,)).fetchone()
    return json.loads(body)  # type: ignore[no-any-return]


def _hash(db: sqlite3.Connection, seq: int) -> str:
    (value,) = db.execute("SELECT hash FROM events WHERE seq = ?", (seq,)).fetchone()
    return str(value)


def edit_payload(db: sqlite3.Connection, _: Path) -> None:
    db.execute("UPDATE events SET body = replace(body, '\"n\":3', '\"n\":30') WHERE seq = 3")


def _reseal(db: sqlite3.Connection, seq: int) -> None:
    body = canonical_json({**_body(db, seq), "payload": {"approved": "by nobody"}})  # type: ignore[dict-item]
    db.execute("UPDATE events SET body = ?, hash = ? WHERE seq = ?", (body, digest(body), seq))


def edit_payload_and_rehash(db: sqlite3.Connection, _: Path) -> None:
    _reseal(db, 3)


def edit_last_payload_and_rehash(db: sqlite3.Connection, _: Path) -> None:
    _reseal(db, LENGTH)


def edit_type_column(db: sqlite3.Connection, _: Path) -> None:
    db.execute("UPDATE events SET type = 'mode.changed' WHERE seq = 5")


def delete_middle_row(db: sqlite3.Connection, _: Path) -> None:
    db.execute("DELETE FROM events WHERE seq = 4")


def delete_first_rows(db: sqlite3.Connection, _: Path) -> None:
    db.execute("DELETE FROM events WHERE seq <= 2")


def _forge(db: sqlite3.Connection, seq: int, source: int) -> None:
    """Insert a forged copy of event ``source`` at ``seq``, linked to the event before it and
    properly hashed, with index columns that agree with its body."""
    fields = {**_body(db, source), "actor": "mallory", "seq": seq, "prev_hash": _hash(db, seq - 1)}
    body = canonical_json(fields)  # type: ignore[arg-type]
    db.execute(
        "INSERT INTO events SELECT ?, id, ts, type, project, ?, ?, ? FROM events WHERE seq = ?",
        (seq, digest(body), fields["prev_hash"], body, source),
    )


def insert_forged_row(db: sqlite3.Connection, _: Path) -> None:
    _forge(db, 5, source=5)


def insert_forged_row_making_room(db: sqlite3.Connection, _: Path) -> None:
    db.execute("UPDATE events SET seq = seq + 1 WHERE seq >= 5")
    _forge(db, 5, source=6)


def append_forged_row(db: sqlite3.Connection, _: Path) -> None:
    _forge(db, LENGTH + 1, source=LENGTH)


def swap_two_seqs(db: sqlite3.Connection, _: Path) -> None:
    db.execute("UPDATE events SET seq = CASE seq WHEN 3 THEN 6 ELSE 3 END WHERE seq IN (3, 6)")


def truncate_last_rows(db: sqlite3.Connection, _: Path) -> None:
    db.execute("DELETE FROM events WHERE seq > 5")


def truncate_everything(db: sqlite3.Connection, _: Path) -> None:
    db.execute("DELETE FROM events")


def delete_head_file(_: sqlite3.Connection, root: Path) -> None:
    (root / ".accord" / "audit.head").unlink()


@pytest.mark.parametrize(
    ("attack", "expected"),
    [
        (edit_payload, {(E, 3)}),
        (edit_payload_and_rehash, {(E, 3)}),
        (edit_last_payload_and_rehash, {(E, LENGTH)}),
        (edit_type_column, {(E, 5)}),
        (delete_middle_row, {(D, 4)}),
        (delete_first_rows, {(D, 1)}),
        (insert_forged_row, {(I, 5)}),
        (insert_forged_row_making_room, {(I, 5), (R, 6), (R, 7), (R, 8), (R, 9), (I, 9)}),
        (append_forged_row, {(I, LENGTH + 1)}),
        (swap_two_seqs, {(R, 3), (R, 6)}),
        (truncate_last_rows, {(T, 6)}),
        (truncate_everything, {(T, 1)}),
        (delete_head_file, {(U, LENGTH)}),
    ],
)
def test_verify_names_each_tampering(
    tmp_path: Path, attack: Attack, expected: set[tuple[FindingKind, int]]
) -> None:
    written_store(tmp_path, LENGTH)
    assert verify_root(tmp_path).ok
    db = sqlite3.connect(tmp_path / ".accord" / "audit.db", isolation_level=None)
    db.executescript(
        "DROP TRIGGER events_no_update; DROP TRIGGER events_no_delete; DROP INDEX events_seq;"
    )
    attack(db, tmp_path)
    db.close()
    outcome = verify_root(tmp_path)
    assert {(finding.kind, finding.seq) for finding in outcome.findings} == expected
    assert all(finding.detail for finding in outcome.findings)


def _cover_up_truncation(root: Path) -> None:
    """Delete the last three events and rewrite the head file to match, as an attacker would."""
    db = sqlite3.connect(root / ".accord" / "audit.db", isolation_level=None)
    db.executescript("DROP TRIGGER events_no_delete; DELETE FROM events WHERE seq > 5;")
    head = {"seq": 5, "hash": _hash(db, 5)}
    db.close()
    (root / ".accord" / "audit.head").write_text(json.dumps(head))


def test_a_covered_up_truncation_needs_the_checkpoint_key_to_be_seen(tmp_path: Path) -> None:
    key = b"kept outside the project root"
    store = AuditStore(tmp_path, key=key)
    for n in range(1, LENGTH + 1):
        store.append(draft(n))
    assert verify_root(tmp_path, key).ok
    _cover_up_truncation(tmp_path)
    # The head file alone cannot tell: the attacker rewrote it. The checkpoint can.
    assert verify_root(tmp_path).ok
    [finding] = verify_root(tmp_path, key).findings
    assert (finding.kind, finding.seq) == (U, 5) and "checkpoint" in finding.detail


def test_a_head_without_a_checkpoint_is_not_trusted_when_a_key_is_expected(tmp_path: Path) -> None:
    written_store(tmp_path, 3)
    [finding] = verify_root(tmp_path, b"key").findings
    assert (finding.kind, finding.seq) == (U, 3)
