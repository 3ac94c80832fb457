"""The room cursor: each event once and in order, gaps seen, lost positions re-synced."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from accord.protocol.org import RoomEvent, RoomJoined
from accord.server.room_cursor import RoomCursor, load_cursor, save_cursor


def event(offset: int, epoch: str = "e1") -> RoomEvent:
    when = datetime(2026, 1, 1, tzinfo=UTC)
    return RoomEvent(project="p", epoch=epoch, offset=offset, kind="k", actor="a", ts=when)


def joined(offset: int, recovered: bool = True, epoch: str = "e1") -> RoomJoined:
    return RoomJoined(project="p", epoch=epoch, offset=offset, recovered=recovered)


@given(st.lists(st.integers(1, 30), max_size=60))
def test_events_in_any_order_and_repeated_are_delivered_once_and_in_order(
    offsets: list[int],
) -> None:
    cursor = RoomCursor("e1", 0)
    delivered = []
    for offset in offsets:
        if cursor.fresh(event(offset)):
            delivered.append(offset)
            cursor.moved_to("e1", offset)
    assert delivered == sorted(set(delivered))


@pytest.mark.parametrize(
    ("cursor", "incoming", "fresh", "gap"),
    [
        (RoomCursor("e1", 4), event(5), True, False),
        (RoomCursor("e1", 4), event(7), True, True),
        (RoomCursor("e1", 4), event(4), False, False),
        (RoomCursor("e1", 4), event(5, "e2"), False, False),
        (RoomCursor(), event(1), False, False),
    ],
)
def test_fresh_and_gap(cursor: RoomCursor, incoming: RoomEvent, fresh: bool, gap: bool) -> None:
    assert (cursor.fresh(incoming), cursor.gap_before(incoming)) == (fresh, gap)


def test_a_lost_position_moves_to_the_room_and_asks_for_a_resync() -> None:
    cursor = RoomCursor("e1", 9)
    outcome = cursor.absorb(joined(3, recovered=False, epoch="e2"))
    assert (outcome.recovered, outcome.resync) == (False, True)
    assert (cursor.epoch, cursor.offset) == ("e2", 3)
    first = RoomCursor()
    assert first.absorb(joined(5, recovered=False)).resync is False  # nothing was lost


def test_a_first_join_takes_the_rooms_position_and_a_resume_keeps_ours() -> None:
    cursor = RoomCursor()
    assert cursor.absorb(joined(5)).recovered
    assert (cursor.epoch, cursor.offset) == ("e1", 5)
    cursor.moved_to("e1", 7)
    cursor.absorb(joined(9))
    assert cursor.offset == 7  # the events it carried move it, one by one


def test_saved_and_loaded_and_a_broken_file_is_a_fresh_start(tmp_path: Path) -> None:
    path = tmp_path / "org" / "room.json"
    assert load_cursor(path) == RoomCursor()
    save_cursor(path, RoomCursor("e1", 12))
    assert load_cursor(path) == RoomCursor("e1", 12)
    path.write_text('{"epoch": "e1"', "utf-8")
    assert load_cursor(path) == RoomCursor()
