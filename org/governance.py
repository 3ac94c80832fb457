"""Who writes which audit events: a client its own activity, the server everything else (pure).

A client may append only :data:`~accord.protocol.org.CLIENT_EVENT_TYPES` (agent actions, applied
or stale edits, mode changes), and they are recorded as the authenticated caller's. Proposals,
risk scores, decisions, approvals, policy and security events are written by the org server
alone; a client's attempt is refused whole, and the refusal is itself a ``security.refused``
event written by the server.
"""

from __future__ import annotations

from collections.abc import Iterable

from accord.audit.events import EventDraft, EventType
from accord.protocol.org import CLIENT_EVENT_TYPES

__all__ = ["SERVER_ACTOR", "not_theirs", "refusal", "refusal_message"]

SERVER_ACTOR = "accord-org"
"""The actor of the events the org server writes on its own account."""


def not_theirs(types: Iterable[str]) -> tuple[str, ...]:
    """The event types, of ``types``, that a client may not write (sorted, once each)."""
    return tuple(sorted({t for t in types if t not in CLIENT_EVENT_TYPES}))


def refusal(email: str, method: str, types: tuple[str, ...]) -> EventDraft:
    """The security event recording that ``email`` tried to write ``types`` through ``method``."""
    return EventDraft(
        type=EventType.SECURITY_REFUSED,
        actor=SERVER_ACTOR,
        project="*",
        payload={
            "user": email,
            "method": method,
            "types": list(types),
            "reason": "governance events are written by the org server only",
        },
    )


def refusal_message(types: tuple[str, ...]) -> str:
    """What the refused client is told."""
    allowed = ", ".join(sorted(CLIENT_EVENT_TYPES))
    return (
        f"{', '.join(types)} events are written by the org server only; "
        f"a client may append {allowed}"
    )
