"""The hash chain: sealing events and verifying a stored log. Pure: no I/O.

Canonical form (what is hashed): ``json.dumps(value, sort_keys=True, separators=(",", ":"),
ensure_ascii=False, allow_nan=False)`` encoded as UTF-8 — object keys sorted by code point, no
whitespace, non-ASCII characters as themselves, control characters as ``\\uXXXX`` escapes, NaN and
infinities refused. This is RFC 8785 (JCS) in everything the events hold (strings, integers,
booleans, null, objects, arrays) except two corners: keys are sorted by code point, not UTF-16
unit (they differ only between astral and U+E000..U+FFFF characters), and floats are written by
Python's ``repr`` (the same shortest round-trip digits as ECMAScript, but ``1e-05`` where JCS
writes ``0.00001``). Verification hashes the stored bytes, so neither corner can break it.

``hash_n = SHA-256(canonical(event_n))`` where ``event_n`` includes ``seq`` and ``prev_hash =
hash_{n-1}`` (:data:`GENESIS`, 64 zeros, for ``n = 1``).

:func:`verify` names each problem once, with the seq where it is and its kind; problems that one
tampering causes downstream (a broken link after a deleted row, say) are not reported twice.
"""

from __future__ import annotations

import hashlib
import hmac
import json
from collections import defaultdict
from collections.abc import Sequence
from collections.abc import Set as AbstractSet
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from pydantic import JsonValue

from accord.audit.events import Event

__all__ = [
    "GENESIS",
    "Finding",
    "FindingKind",
    "Head",
    "StoredRow",
    "canonical_json",
    "digest",
    "head_mac",
    "seal",
    "verify",
    "verify_unanchored",
]

GENESIS = "0" * 64
"""The ``prev_hash`` of the first event."""


def canonical_json(value: JsonValue) -> str:
    """The canonical text of a JSON value (see the module docs); raises ValueError on NaN/inf."""
    return json.dumps(
        value, sort_keys=True, separators=(",", ":"), ensure_ascii=False, allow_nan=False
    )


def digest(body: str) -> str:
    """SHA-256 of the UTF-8 bytes of ``body``, as 64 lowercase hex digits."""
    return hashlib.sha256(body.encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class StoredRow:
    """One row of the log as stored: the chain columns, the sealed canonical body, and the
    (name, value) pairs of the columns the store indexes for queries (checked against the body)."""

    seq: int
    hash: str
    prev_hash: str
    body: str
    index: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True)
class Head:
    """The anchored head: the seq and hash of the last event the writer appended, and the
    checkpoint MAC over them when the writer holds a key (see :func:`head_mac`)."""

    seq: int
    hash: str
    mac: str | None = None


class FindingKind(StrEnum):
    """What is wrong at a place in the log."""

    EDITED = "edited"
    DELETED = "deleted"
    INSERTED = "inserted"
    REORDERED = "reordered"
    TRUNCATED = "truncated"
    UNANCHORED = "unanchored"


@dataclass(frozen=True)
class Finding:
    """One problem: its kind, the seq it is at, and a sentence saying what was found."""

    kind: FindingKind
    seq: int
    detail: str

    def __str__(self) -> str:
        return f"seq {self.seq}: {self.kind.value}: {self.detail}"


def head_mac(key: bytes, seq: int, hash_: str) -> str:
    """The checkpoint of a head: HMAC-SHA256 under ``key`` of ``canonical({"hash", "seq"})``."""
    message = canonical_json({"seq": seq, "hash": hash_}).encode("utf-8")
    return hmac.new(key, message, hashlib.sha256).hexdigest()


def seal(event: Event) -> StoredRow:
    """The stored row of an event: its canonical body and that body's hash."""
    body = canonical_json(event.model_dump(mode="json"))
    return StoredRow(event.seq, digest(body), event.prev_hash, body)


def verify(rows: Sequence[StoredRow], head: Head | None, key: bytes | None = None) -> list[Finding]:
    """Every problem in a stored log (rows in any order), given the anchored head if there is one.

    An empty list means the log is intact: gapless from seq 1, each row hashing to its hash, each
    linked to the one before, and ending at the anchored head. With a ``key``, the head must
    carry its checkpoint MAC under that key, or it is not trusted as an anchor.
    """
    if key is not None and head is not None and not _signed(head, key):
        reason = "the head's checkpoint does not verify under the key (the head was rewritten)"
        return verify_unanchored(rows, head.seq, reason)
    per_row = [_row_findings(row) for row in rows]
    flagged = {index for index, found in enumerate(per_row) if found}
    findings = [finding for found in per_row for finding in found]
    walk = _Walk(rows, flagged, head)
    findings += walk.run()
    findings += _head_findings(walk.accepted, head, walk.flagged_seqs)
    return sorted(findings, key=lambda finding: finding.seq)


def verify_unanchored(rows: Sequence[StoredRow], seq: int, reason: str) -> list[Finding]:
    """:func:`verify` with no head to trust, led by the reason there is none (at ``seq``)."""
    rest = [f for f in verify(rows, None) if f.kind is not FindingKind.UNANCHORED]
    return [Finding(FindingKind.UNANCHORED, seq, reason), *rest]


def _signed(head: Head, key: bytes) -> bool:
    expected = head_mac(key, head.seq, head.hash)
    return head.mac is not None and hmac.compare_digest(head.mac, expected)


def _sealed(body: str) -> tuple[int, str, dict[str, object]] | None:
    """The seq, prev_hash and fields a body was sealed with; None when it is not a sealed event."""
    try:
        data = json.loads(body)
    except ValueError:
        return None
    if not isinstance(data, dict):
        return None
    seq, prev = data.get("seq"), data.get("prev_hash")
    if isinstance(seq, int) and not isinstance(seq, bool) and isinstance(prev, str):
        return seq, prev, data
    return None


def _row_findings(row: StoredRow) -> list[Finding]:
    """Problems visible in one row alone: its body against its own hash and columns."""
    if digest(row.body) != row.hash:
        detail = "hash mismatch: the stored event does not hash to its recorded hash"
        return [Finding(FindingKind.EDITED, row.seq, detail)]
    sealed = _sealed(row.body)
    if sealed is None:
        return [Finding(FindingKind.EDITED, row.seq, "the body is not a sealed event")]
    seq, prev, fields = sealed
    if seq != row.seq:
        detail = f"stored at seq {row.seq} but sealed as seq {seq}"
        return [Finding(FindingKind.REORDERED, row.seq, detail)]
    if prev != row.prev_hash:
        detail = "the prev_hash column differs from the prev_hash the event was sealed with"
        return [Finding(FindingKind.EDITED, row.seq, detail)]
    return [
        Finding(FindingKind.EDITED, row.seq, f"the {name} column differs from the sealed event")
        for name, value in row.index
        if not _same(name, value, fields.get(name))
    ]


def _same(name: str, column: str, sealed: object) -> bool:
    """Whether an index column holds what the event was sealed with (times compared as times)."""
    if name != "ts" or not isinstance(sealed, str):
        return column == sealed
    try:
        return datetime.fromisoformat(column) == datetime.fromisoformat(sealed)
    except ValueError:
        return False


class _Walk:
    """One walk up the log in seq order, following the prev_hash links."""

    def __init__(self, rows: Sequence[StoredRow], flagged: set[int], head: Head | None) -> None:
        # The rows at each seq, as indexes into ``rows``, in storage order.
        self.groups: dict[int, list[int]] = defaultdict(list)
        for index, row in enumerate(rows):
            self.groups[row.seq].append(index)
        self.rows = rows
        self.flagged = flagged
        self.head = head
        # Which seq each hash is stored at: a link to one of them out of order is a reordering.
        self.seq_of_hash = {row.hash: row.seq for row in rows}
        # Every hash some row links to, by its prev_hash column or by the prev_hash it sealed.
        self.linked = {row.prev_hash for row in rows} | {
            sealed[1] for sealed in map(_sealed, (row.body for row in rows)) if sealed is not None
        }
        # The row taken as the event at each seq.
        self.accepted: dict[int, StoredRow] = {}
        # The seqs at which some problem was already reported.
        self.flagged_seqs = {rows[index].seq for index in flagged}

    def run(self) -> list[Finding]:
        findings: list[Finding] = []
        previous: int | None = None
        for seq in sorted(self.groups):
            if seq < 1:
                findings += self._out_of_range(seq)
                continue
            chosen = self._pick(seq)
            findings += self._step(seq, previous, chosen)
            previous = chosen
        return findings

    def _out_of_range(self, seq: int) -> list[Finding]:
        detail = f"a row at seq {seq}: seqs count from 1"
        return [Finding(FindingKind.INSERTED, seq, detail) for _ in self.groups[seq]]

    def _step(self, seq: int, previous: int | None, chosen: int) -> list[Finding]:
        """Findings at ``seq``, coming from the accepted row ``previous`` (None: from genesis)."""
        findings = self._extras(seq, chosen)
        self.accepted[seq] = self.rows[chosen]
        before = 0 if previous is None else self.rows[previous].seq
        if seq > before + 1:
            where = (
                f"the log starts at seq {seq}"
                if before == 0
                else f"a gap between {before} and {seq}"
            )
            detail = f"{_events(before + 1, seq - 1)} missing ({where})"
            return findings + [Finding(FindingKind.DELETED, before + 1, detail)]
        if chosen in self.flagged or (previous is not None and previous in self.flagged):
            return findings + self._unlinked(previous, chosen)
        return findings + self._link(seq, previous, chosen)

    def _pick(self, seq: int) -> int:
        """The row taken as the event at ``seq``: the one the chain goes through."""
        following = {self.rows[i].prev_hash for i in self.groups.get(seq + 1, [])}
        if self.head is not None and self.head.seq == seq:
            following.add(self.head.hash)

        def score(index: int) -> tuple[bool, bool]:
            return self.rows[index].hash in following, index not in self.flagged

        return max(self.groups[seq], key=score)

    def _extras(self, seq: int, chosen: int) -> list[Finding]:
        detail = f"an extra row at seq {seq} that the chain does not go through"
        extras = [index for index in self.groups[seq] if index != chosen]
        self.flagged.update(extras)
        return [Finding(FindingKind.INSERTED, seq, detail) for _ in extras]

    def _link(self, seq: int, previous: int | None, chosen: int) -> list[Finding]:
        """A finding if the chosen row does not link to the previous one."""
        row = self.rows[chosen]
        expected = GENESIS if previous is None else self.rows[previous].hash
        if row.prev_hash == expected:
            return []
        self.flagged_seqs.add(seq)
        elsewhere = self.seq_of_hash.get(row.prev_hash)
        if elsewhere is not None and elsewhere != seq - 1:
            detail = f"chained after seq {elsewhere} but stored at seq {seq}"
            return [Finding(FindingKind.REORDERED, seq, detail)]
        if previous is None:
            return [Finding(FindingKind.EDITED, seq, "the first event does not link to genesis")]
        self.flagged_seqs.add(seq - 1)
        detail = (
            f"its hash is not the prev_hash that seq {seq} recorded "
            "(the event was rewritten and its hash recomputed)"
        )
        return [Finding(FindingKind.EDITED, seq - 1, detail)]

    def _unlinked(self, previous: int | None, chosen: int) -> list[Finding]:
        """An unflagged previous row that nothing links to, when its successor is flagged."""
        if previous is None or previous in self.flagged or chosen not in self.flagged:
            return []
        row = self.rows[previous]
        if row.hash in self.linked:
            return []
        self.flagged_seqs.add(row.seq)
        detail = "no event links to it: a row the log's writer did not append"
        return [Finding(FindingKind.INSERTED, row.seq, detail)]


def _head_findings(
    accepted: dict[int, StoredRow], head: Head | None, flagged_seqs: AbstractSet[int]
) -> list[Finding]:
    """Problems at the tail: the log against its anchored head."""
    last = max(accepted, default=0)
    if head is None:
        detail = "no anchored head: truncation of the tail cannot be ruled out"
        return [Finding(FindingKind.UNANCHORED, last, detail)] if accepted else []
    findings: list[Finding] = []
    if last < head.seq:
        missing = _events(last + 1, head.seq)
        detail = f"{missing} missing at the tail (the head is anchored at seq {head.seq})"
        findings.append(Finding(FindingKind.TRUNCATED, last + 1, detail))
    elif head.seq not in flagged_seqs and _moved(accepted.get(head.seq), head):
        detail = "its hash differs from the anchored head's (rewritten, hash recomputed)"
        findings.append(Finding(FindingKind.EDITED, head.seq, detail))
    if last > head.seq:
        detail = f"{_events(head.seq + 1, last)} past the anchored head at seq {head.seq}"
        findings.append(Finding(FindingKind.INSERTED, head.seq + 1, detail))
    return findings


def _moved(row: StoredRow | None, head: Head) -> bool:
    """Whether the row at the head's seq is there but is not the one the head anchored."""
    return row is not None and row.hash != head.hash


def _events(first: int, last: int) -> str:
    """``event 3 is`` or ``events 3..5 are``."""
    return f"event {first} is" if first == last else f"events {first}..{last} are"
