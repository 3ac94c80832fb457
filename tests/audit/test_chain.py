"""The pure hash chain: canonical JSON, sealing, and verification of in-memory logs."""

from __future__ import annotations

import dataclasses
import hashlib
import hmac
import json
from collections.abc import Callable
from uuid import UUID

import pytest
from hypothesis import given
from hypothesis import strategies as st

from accord.audit.chain import (
    GENESIS,
    FindingKind,
    Head,
    StoredRow,
    canonical_json,
    digest,
    head_mac,
    seal,
    verify,
)
from accord.audit.events import Event, EventDraft, EventType

from .logs import START, head_of, sealed_log

E, D, I, R, T, U = (
    FindingKind.EDITED,
    FindingKind.DELETED,
    FindingKind.INSERTED,
    FindingKind.REORDERED,
    FindingKind.TRUNCATED,
    FindingKind.UNANCHORED,
)


@pytest.mark.parametrize(
    ("value", "text"),
    [
        ({"b": 1, "a": [True, None, "x"]}, '{"a":[true,null,"x"],"b":1}'),
        ({"é": "✓", "z": {"y": 2, "x": 1}}, '{"z":{"x":1,"y":2},"é":"✓"}'),
        ({"tab": "\t", "nul": "\u0000"}, '{"nul":"\\u0000","tab":"\\t"}'),
        ([1.5, -0, 10**20], "[1.5,0,100000000000000000000]"),
    ],
)
def test_canonical_json(value: object, text: str) -> None:
    assert canonical_json(value) == text  # type: ignore[arg-type]


def test_canonical_json_refuses_nan() -> None:
    with pytest.raises(ValueError, match="not JSON compliant"):
        canonical_json({"score": float("nan")})


def test_a_row_is_its_canonical_body_and_the_sha256_of_it() -> None:
    first, second = sealed_log(2)
    assert first.prev_hash == GENESIS and second.prev_hash == first.hash
    assert first.hash == hashlib.sha256(first.body.encode()).hexdigest()
    assert json.loads(first.body)["prev_hash"] == GENESIS
    assert canonical_json(json.loads(second.body)) == second.body


def test_a_stored_body_parses_back_to_the_same_seal() -> None:
    for row in sealed_log(12):
        assert seal(Event.model_validate_json(row.body)) == row


@given(st.integers(min_value=0, max_value=30))
def test_an_untouched_log_verifies(length: int) -> None:
    rows = sealed_log(length)
    assert verify(rows, head_of(rows) if rows else None) == []


def test_an_empty_log_needs_no_head_but_a_log_does() -> None:
    assert verify([], None) == []
    [finding] = verify(sealed_log(3), None)
    assert (finding.kind, finding.seq) == (U, 3)


# A mutation takes a valid log and two numbers, and returns the tampered rows, the head the
# writer anchored, and the findings verification must report exactly: {(kind, seq)}.
Mutation = Callable[
    [list[StoredRow], int, int], tuple[list[StoredRow], set[tuple[FindingKind, int]]]
]


def _forged(row: StoredRow, **changes: object) -> StoredRow:
    """``row`` with its body's fields changed and its hash recomputed, as an attacker would."""
    body = canonical_json({**json.loads(row.body), **changes})  # type: ignore[dict-item]
    seq = changes.get("seq", row.seq)
    assert isinstance(seq, int)
    return StoredRow(seq, digest(body), row.prev_hash, body)


def edit_body(
    rows: list[StoredRow], i: int, _: int
) -> tuple[list[StoredRow], set[tuple[FindingKind, int]]]:
    body = rows[i].body[:-1] + ',"smuggled":true}'
    rows[i] = dataclasses.replace(rows[i], body=body)
    return rows, {(E, i + 1)}


def reseal(
    rows: list[StoredRow], i: int, _: int
) -> tuple[list[StoredRow], set[tuple[FindingKind, int]]]:
    rows[i] = _forged(rows[i], payload={"forged": True})
    return rows, {(E, i + 1)}


def edit_column(
    rows: list[StoredRow], i: int, j: int
) -> tuple[list[StoredRow], set[tuple[FindingKind, int]]]:
    column = ("hash", "prev_hash")[j % 2]
    rows[i] = dataclasses.replace(rows[i], **{column: digest(str(j))})
    return rows, {(E, i + 1)}


def delete(
    rows: list[StoredRow], i: int, _: int
) -> tuple[list[StoredRow], set[tuple[FindingKind, int]]]:
    last = i == len(rows) - 1
    del rows[i]
    return rows, {(T if last else D, i + 1)}


def truncate(
    rows: list[StoredRow], i: int, _: int
) -> tuple[list[StoredRow], set[tuple[FindingKind, int]]]:
    return rows[:i], {(T, i + 1)}


def insert_duplicate(
    rows: list[StoredRow], i: int, _: int
) -> tuple[list[StoredRow], set[tuple[FindingKind, int]]]:
    return [*rows, _forged(rows[i], actor="mallory")], {(I, i + 1)}


def append_past_head(
    rows: list[StoredRow], _: int, __: int
) -> tuple[list[StoredRow], set[tuple[FindingKind, int]]]:
    last = rows[-1]
    forged = _forged(last, seq=last.seq + 1, prev_hash=last.hash)
    forged = dataclasses.replace(forged, prev_hash=last.hash)
    return [*rows, forged], {(I, last.seq + 1)}


def swap_seqs(
    rows: list[StoredRow], i: int, j: int
) -> tuple[list[StoredRow], set[tuple[FindingKind, int]]]:
    j = j % len(rows)
    if i == j:
        j = (i + 1) % len(rows)
    rows[i], rows[j] = (
        dataclasses.replace(rows[i], seq=j + 1),
        dataclasses.replace(rows[j], seq=i + 1),
    )
    return rows, {(R, i + 1), (R, j + 1)}


MUTATIONS = [edit_body, reseal, edit_column, delete, truncate, insert_duplicate, append_past_head]


@given(
    length=st.integers(min_value=1, max_value=25),
    mutation=st.sampled_from(MUTATIONS),
    position=st.integers(min_value=0),
    other=st.integers(min_value=0, max_value=100),
)
def test_any_single_mutation_is_found_where_it_is(
    length: int, mutation: Mutation, position: int, other: int
) -> None:
    rows = sealed_log(length)
    head = head_of(rows)
    tampered, expected = mutation(list(rows), position % length, other)
    found = {(finding.kind, finding.seq) for finding in verify(tampered, head)}
    assert found == expected


@given(length=st.integers(min_value=2, max_value=25), i=st.integers(0), j=st.integers(0))
def test_swapping_two_rows_seqs_is_a_reordering_of_both(length: int, i: int, j: int) -> None:
    rows = sealed_log(length)
    tampered, expected = swap_seqs(list(rows), i % length, j)
    found = {(finding.kind, finding.seq) for finding in verify(tampered, head_of(rows))}
    assert found == expected


@given(length=st.integers(min_value=1, max_value=25), seed=st.integers(0), where=st.integers(0))
def test_any_change_to_any_column_of_any_row_is_detected(
    length: int, seed: int, where: int
) -> None:
    rows = sealed_log(length)
    i = where % length
    field = ("seq", "hash", "prev_hash", "body")[seed % 4]
    old = getattr(rows[i], field)
    new = old + 1 + seed % 7 if field == "seq" else old[:-1] + chr(ord(old[-1]) ^ 1)
    tampered = [*rows[:i], dataclasses.replace(rows[i], **{field: new}), *rows[i + 1 :]]
    assert verify(tampered, head_of(rows)) != []


def test_a_row_linked_out_of_order_is_a_reordering() -> None:
    rows = sealed_log(5)
    # A resealed copy of event 2 that claims seq 4: it links after seq 1, but sits at seq 4.
    moved = _forged(rows[1], seq=4)
    tampered = [*rows[:3], moved, rows[4]]
    found = {(f.kind, f.seq) for f in verify(tampered, head_of(rows))}
    assert (R, 4) in found


def test_a_malformed_body_is_an_edit() -> None:
    rows = sealed_log(3)
    rows[1] = StoredRow(2, digest("[]"), rows[1].prev_hash, "[]")
    assert {(f.kind, f.seq) for f in verify(rows, head_of(sealed_log(3)))} == {(E, 2)}


def test_rows_below_seq_1_are_insertions() -> None:
    rows = sealed_log(3)
    forged = dataclasses.replace(rows[0], seq=0)
    assert (I, 0) in {(f.kind, f.seq) for f in verify([forged, *rows], head_of(rows))}


def test_findings_read_as_sentences() -> None:
    rows = sealed_log(4)
    del rows[1]
    [finding] = verify(rows, Head(4, sealed_log(4)[-1].hash))
    assert str(finding) == "seq 2: deleted: event 2 is missing (a gap between 1 and 3)"


def test_a_head_checkpoint_is_the_hmac_of_its_canonical_seq_and_hash() -> None:
    rows = sealed_log(3)
    key = b"k"
    mac = head_mac(key, 3, rows[-1].hash)
    message = f'{{"hash":"{rows[-1].hash}","seq":3}}'.encode()
    assert mac == hmac.new(key, message, hashlib.sha256).hexdigest()
    assert verify(rows, Head(3, rows[-1].hash, mac), key) == []
    forged = Head(3, rows[-1].hash, head_mac(b"guess", 3, rows[-1].hash))
    assert [(f.kind, f.seq) for f in verify(rows, forged, key)] == [(U, 3)]


JSON = st.recursive(
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(), inner, max_size=4),
    max_leaves=12,
)
DRAFTS = st.builds(
    EventDraft,
    type=st.sampled_from([t for t in EventType if t is not EventType.AGENT_ACTION]),
    actor=st.text(min_size=1),
    project=st.text(min_size=1),
    proposal_id=st.none() | st.text(),
    payload=st.dictionaries(st.text(), JSON, max_size=5),
)


def _chain(drafts: list[EventDraft]) -> list[StoredRow]:
    rows: list[StoredRow] = []
    for seq, event_draft in enumerate(drafts, start=1):
        previous = rows[-1].hash if rows else GENESIS
        event = Event.place(event_draft, seq, UUID(int=seq), START, previous)
        rows.append(seal(event))
    return rows


@given(st.lists(DRAFTS, min_size=1, max_size=8))
def test_random_logs_verify_and_their_bodies_parse_back_to_the_same_seal(
    drafts: list[EventDraft],
) -> None:
    rows = _chain(drafts)
    assert verify(rows, head_of(rows)) == []
    assert [seal(Event.model_validate_json(row.body)) for row in rows] == rows


@given(st.lists(DRAFTS, min_size=1, max_size=8), st.integers(0), st.sampled_from(MUTATIONS))
def test_any_single_mutation_of_a_random_log_is_detected(
    drafts: list[EventDraft], position: int, mutation: Mutation
) -> None:
    rows = _chain(drafts)
    tampered, expected = mutation(list(rows), position % len(rows), position)
    assert {(f.kind, f.seq) for f in verify(tampered, head_of(rows))} == expected
