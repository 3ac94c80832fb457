"""The tamper-evident audit trail: events, the hash chain over them, and their SQLite store.

``events`` defines what is recorded, ``chain`` seals and verifies (pure), ``store`` appends to and
reads ``<root>/.accord/audit.db``, ``head`` anchors the last event in ``<root>/.accord/audit.head``
(optionally with an HMAC checkpoint).

Recording an event (from any thread or process; each append is one transaction)::

    store = AuditStore(root)
    store.append(EventDraft(type=EventType.RISK_SCORED, actor=user, project=name,
                            proposal_id=proposal.id, payload={"score": 7.5, "reasons": [...]}))

Agent steps carry the seed §7 fields in ``agent_action=AgentAction(...)``.
"""

from __future__ import annotations

from accord.audit.chain import Finding, FindingKind, Head, StoredRow, verify
from accord.audit.events import AgentAction, Event, EventDraft, EventType
from accord.audit.exceptions import AuditError, StoreError
from accord.audit.store import AuditStore, EventFilter, Verification, verify_root

__all__ = [
    "AgentAction",
    "AuditError",
    "AuditStore",
    "Event",
    "EventDraft",
    "EventFilter",
    "EventType",
    "Finding",
    "FindingKind",
    "Head",
    "StoreError",
    "StoredRow",
    "Verification",
    "verify",
    "verify_root",
]
