"""The tamper-evident audit trail: events, the hash chain over them, and their SQLite store.

``events`` defines what is recorded, ``chain`` seals and verifies (pure), ``store`` appends to and
reads ``<root>/.accord/audit.db``, ``head`` anchors the last event in ``<root>/.accord/audit.head``
(optionally with an HMAC checkpoint).
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
