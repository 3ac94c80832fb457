"""Logs to test against: sealed rows built in memory, and stores written through the API."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path
from uuid import UUID

from accord.audit.chain import GENESIS, Head, StoredRow, seal
from accord.audit.events import AgentAction, Event, EventDraft, EventType
from accord.audit.store import AuditStore

START = datetime(2026, 1, 1, tzinfo=UTC)
# The ten kinds these tests were written with (org-only kinds left out, so seqs stay put).
TYPES = [
    t
    for t in EventType
    if t not in {EventType.POLICY_CHANGED, EventType.SECURITY_REFUSED, EventType.PROJECT_CHANGED}
]


def draft(n: int, project: str = "demo") -> EventDraft:
    """The n-th event of a sample log: every type in turn, agent actions with the §7 fields."""
    kind = TYPES[n % len(TYPES)]
    action = None
    if kind is EventType.AGENT_ACTION:
        action = AgentAction(action_type="document", input_data={"n": n}, execution_time_ms=n)
    return EventDraft(
        type=kind,
        actor=f"user{n % 3}",
        project=project,
        session_id="s1",
        proposal_id=f"p{n // 4}",
        payload={"n": n, "note": "é✓"},
        agent_action=action,
    )


def sealed_log(length: int) -> list[StoredRow]:
    """A valid chain of ``length`` rows, built without a store."""
    rows: list[StoredRow] = []
    previous = GENESIS
    for seq in range(1, length + 1):
        event = Event.place(
            draft(seq), seq, UUID(int=seq), START + timedelta(seconds=seq), previous
        )
        rows.append(seal(event))
        previous = rows[-1].hash
    return rows


def head_of(rows: list[StoredRow]) -> Head:
    return Head(rows[-1].seq, rows[-1].hash)


def written_store(root: Path, length: int) -> AuditStore:
    """A store under ``root`` with ``length`` events appended through the API."""
    store = AuditStore(root)
    for n in range(1, length + 1):
        store.append(draft(n))
    return store
