"""Proposals routed to the org and not settled: kept on disk, found by approval, dropped."""

from __future__ import annotations

from pathlib import Path
from uuid import uuid4

import pytest

from accord.server.pending_queue import PendingQueue


def test_entries_survive_a_new_queue_and_are_found_by_approval(tmp_path: Path) -> None:
    queue = PendingQueue(tmp_path / "pending")
    assert queue.entries() == []
    first, second = uuid4(), uuid4()
    queue.save(first, {"proposal": "one", "approval_id": None})
    queue.save(second, {"proposal": "two", "approval_id": "a-2"})
    again = PendingQueue(tmp_path / "pending")
    assert sorted(e["proposal"] for e in again.entries()) == ["one", "two"]
    assert again.by_approval("a-2") == {"proposal": "two", "approval_id": "a-2"}
    assert again.by_approval("a-9") is None
    again.save(first, {"proposal": "one", "approval_id": "a-1"})
    assert queue.by_approval("a-1") is not None
    queue.drop(first)
    queue.drop(first)  # twice is fine
    assert [e["proposal"] for e in queue.entries()] == ["two"]


def test_an_unreadable_entry_is_left_alone_and_logged(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    queue = PendingQueue(tmp_path)
    (tmp_path / "broken.json").write_text("{not json", "utf-8")
    queue.save(uuid4(), {"approval_id": None})
    assert len(queue.entries()) == 1
    assert "unreadable pending proposal" in caplog.text
    assert (tmp_path / "broken.json").exists()
