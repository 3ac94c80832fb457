"""The admin commands around the org's key and the audit chain's signed checkpoint, and what
``accord login`` pins (the CLI in :mod:`accord.org.cli` only registers them)."""

from __future__ import annotations

from dataclasses import dataclass

from accord.audit.chain import verify
from accord.protocol.org import OrgKeys

from .checkpoints import checkpoint_findings, latest_checkpoint
from .keyring import KeyRing
from .signing import Checkpoint, PublicKey, checkpoint_valid, endorsed, key_id_of, unb64
from .store import OrgStore

__all__ = ["AuditReport", "audit_report", "keys_to_pin", "rotate_key"]


async def rotate_key(store: OrgStore, org_id: str) -> tuple[str, str]:
    """Make the organisation's next key; returns (previous key id, new key id)."""
    ring = KeyRing(store)
    previous = await ring.current(org_id)
    key = await ring.rotate(org_id)
    return previous.key_id, key.key_id


@dataclass(frozen=True, slots=True)
class AuditReport:
    count: int
    checkpoint: str
    """What the latest signed checkpoint covers ("none yet" when there is none)."""
    findings: tuple[str, ...]


async def audit_report(store: OrgStore, org_id: str) -> AuditReport:
    """The organisation's chain checked link by link, against its head and against its latest
    signed checkpoint (whose signature must verify with one of the org's keys). A chain found
    intact gets a checkpoint of its head signed now, the anchor of the next check."""
    rows = await store.audit_rows(org_id)
    findings = [str(f) for f in verify(rows, await store.audit_head(org_id))]
    ring = KeyRing(store)
    checkpoint = await store.checkpoint(org_id)
    if checkpoint is not None:
        keys = {k.key_id: k.public_key.public for k in await ring.keys(org_id)}
        if not checkpoint_valid(org_id, keys, checkpoint):
            findings.append(
                f"the checkpoint of seq {checkpoint.seq} is not signed with the org key"
            )
        findings += checkpoint_findings(rows, checkpoint)
    if findings:
        covered = "none" if checkpoint is None else _covers(checkpoint)
        return AuditReport(len(rows), covered, tuple(findings))
    return AuditReport(len(rows), _covers(await latest_checkpoint(store, ring, org_id)), ())


def _covers(checkpoint: Checkpoint) -> str:
    return f"seq {checkpoint.seq}, signed {checkpoint.ts.isoformat()}"


def keys_to_pin(offered: OrgKeys, fingerprint: str | None) -> dict[str, str]:
    """The keys ``accord login`` pins: the first generation (trusted on first use, or only when
    it has the key id ``fingerprint`` given out of band) and every successor it endorses."""
    keys = [
        PublicKey(k.key_id, unb64(k.public_key), k.generation, k.endorsement) for k in offered.keys
    ]
    roots = [k for k in keys if k.generation == min((k.generation for k in keys), default=1)]
    if not roots:
        raise ValueError("the org server offered no key")
    root = roots[0]
    if key_id_of(root.public) != root.key_id:
        raise ValueError(f"the org's first key does not have the id {root.key_id} it claims")
    if fingerprint is not None and root.key_id != fingerprint:
        raise ValueError(
            f"the org's first key is {root.key_id}, not {fingerprint}: not the expected org server"
        )
    trusted = endorsed(offered.org_id, {root.key_id: root.public}, keys)
    return {key_id: k.public_key for k in offered.keys if (key_id := k.key_id) in trusted}
