"""Signed checkpoints of an organisation's audit head.

The head (seq and hash of the last event) is kept beside the chain, so whoever can write the
database could truncate both together. A checkpoint is that head signed with the org key
(:mod:`accord.org.signing`); the server keeps the ones it signs, language servers remember the
last one they saw, and ``accord org audit verify`` checks the chain against the latest one. A
chain shorter than a checkpoint, or with another hash at its seq, was truncated or rewritten.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime

from accord.audit.chain import GENESIS, StoredRow
from accord.protocol.org import AuditCheckpoint

from .keyring import KeyRing
from .signing import Checkpoint, sign_checkpoint
from .store import Conflict, OrgStore

__all__ = [
    "RolledBack",
    "checkpoint_findings",
    "from_wire",
    "latest_checkpoint",
    "rollback",
    "to_wire",
]


class RolledBack(Conflict):
    """(Answered as a conflict.) The chain is behind (or off) a checkpoint signed before: it was truncated or rewritten."""


def rollback(seen: Checkpoint, now: Checkpoint) -> str | None:
    """What is wrong when a chain once at ``seen`` is now at ``now`` (None when nothing is)."""
    if now.seq < seen.seq:
        return (
            f"the audit chain went back from {seen.seq} events (signed {seen.ts:%Y-%m-%d %H:%M} "
            f"UTC) to {now.seq}: it was truncated"
        )
    if now.seq == seen.seq and now.hash != seen.hash:
        return f"the audit chain's event {now.seq} changed since it was signed: it was rewritten"
    return None


def checkpoint_findings(rows: Sequence[StoredRow], checkpoint: Checkpoint) -> list[str]:
    """Problems of a stored chain against a signed checkpoint of it."""
    if checkpoint.seq == 0:
        return []
    at = {row.seq: row for row in rows}.get(checkpoint.seq)
    if at is None:
        last = max((row.seq for row in rows), default=0)
        return [
            f"truncated: the chain ends at seq {last}, but the checkpoint signed "
            f"{checkpoint.ts.isoformat()} covers seq {checkpoint.seq}"
        ]
    if at.hash != checkpoint.hash:
        return [f"rewritten: event {checkpoint.seq} does not hash as its signed checkpoint says"]
    return []


async def latest_checkpoint(store: OrgStore, keys: KeyRing, org_id: str) -> Checkpoint:
    """A signed checkpoint of the current head (the stored one when the head has not moved);
    raises :class:`RolledBack` when the head is behind the last signed checkpoint."""
    head = await store.audit_head(org_id)
    seq, hash_ = (head.seq, head.hash) if head is not None else (0, GENESIS)
    last = await store.checkpoint(org_id)
    if last is not None:
        problem = rollback(last, Checkpoint(seq, hash_, datetime.now(UTC), "", ""))
        if problem is not None:
            raise RolledBack(problem)
        if last.seq == seq:
            return last
    signed = sign_checkpoint(org_id, await keys.current(org_id), seq, hash_, datetime.now(UTC))
    await store.save_checkpoint(org_id, signed)
    return signed


def to_wire(org_id: str, checkpoint: Checkpoint) -> AuditCheckpoint:
    return AuditCheckpoint(
        org_id=org_id,
        seq=checkpoint.seq,
        hash=checkpoint.hash,
        ts=checkpoint.ts,
        key_id=checkpoint.key_id,
        signature=checkpoint.signature,
    )


def from_wire(message: AuditCheckpoint) -> Checkpoint:
    return Checkpoint(message.seq, message.hash, message.ts, message.key_id, message.signature)
