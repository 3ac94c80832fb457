"""The language server's view of who is in its room: a snapshot kept current by deltas."""

from __future__ import annotations

from accord.protocol.org import PresenceDelta, RoomJoin
from accord.server.room_presence import RoomPresence


def test_deltas_apply_to_the_snapshot_and_a_wrong_count_asks_for_a_new_one() -> None:
    room = RoomPresence("shop")
    room.reset(("dev@acme.test",))
    came = PresenceDelta(project="shop", joined=("lead@acme.test", "mgr@acme.test"), count=3)
    assert room.apply(came)
    assert room.online == ("dev@acme.test", "lead@acme.test", "mgr@acme.test")
    assert room.apply(came)  # applying one twice changes nothing
    first = room.shown()
    assert first is not None and first.online == room.online
    assert room.shown() is None  # told already
    assert [(c.email, c.state) for c in first.changes] == [
        ("dev@acme.test", "joined"),
        ("lead@acme.test", "joined"),
        ("mgr@acme.test", "joined"),
    ]
    went = PresenceDelta(project="shop", left=("mgr@acme.test",), count=2)
    assert room.apply(went)
    single = room.shown()
    assert single is not None and (single.email, single.state, single.changes) == (
        "mgr@acme.test",
        "left",
        (),
    )
    missed = PresenceDelta(project="shop", joined=("sec@acme.test",), count=5)
    assert not room.apply(missed)  # two arrivals were missed: re-read the snapshot
    room.reset(("dev@acme.test", "lead@acme.test"))  # a resume's snapshot
    assert room.shown() is None  # the editor knows this list already


def test_a_join_without_deltas_is_sent_as_servers_before_deltas_take_it() -> None:
    assert "presence" not in RoomJoin(project="shop").model_dump(mode="json")
    asked = RoomJoin(project="shop", presence="delta").model_dump(mode="json")
    assert asked["presence"] == "delta"
    assert RoomJoin.model_validate(asked) == RoomJoin(project="shop", presence="delta")
