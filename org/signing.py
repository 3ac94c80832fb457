"""The organisation's signatures (Ed25519), pure: keys, what is signed, and how it is checked.

Anchor: OPA's signed bundles. What the org server pushes is signed by the organisation's key,
and a client checks it against the keys it pinned at ``accord login``:

- a **policy revision**: ``canonical_json({"type": "accord.policy", "org_id", "revision",
  "policy"})``, so a signature cannot be moved to another organisation or revision;
- an **audit checkpoint**: ``canonical_json({"type": "accord.checkpoint", "org_id", "seq",
  "hash", "ts"})``, the head of the organisation's chain at a moment;
- a **key endorsement**: ``canonical_json({"type": "accord.key", "org_id", "key_id",
  "public_key"})`` signed by the key of the previous generation, so a client that pinned an old
  key trusts its successors (``accord org keys rotate``) and nothing else.

A key id is the first 16 hex digits of the SHA-256 of the raw public key. Signatures and public
keys travel as standard base64. Nothing here does I/O; the clock is passed in.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat
from pydantic import JsonValue

from accord.audit.chain import canonical_json

__all__ = [
    "Checkpoint",
    "b64",
    "unb64",
    "OrgKey",
    "PublicKey",
    "checkpoint_payload",
    "checkpoint_valid",
    "endorsed",
    "key_id_of",
    "new_key",
    "policy_payload",
    "policy_problem",
    "sign",
    "sign_checkpoint",
    "verify",
]


@dataclass(frozen=True, slots=True)
class PublicKey:
    """One generation of an organisation's key as clients see it."""

    key_id: str
    public: bytes
    """The raw 32-byte Ed25519 public key."""
    generation: int
    endorsement: str = ""
    """The previous generation's signature over this key ("" for the first generation)."""


@dataclass(frozen=True, slots=True)
class OrgKey:
    """One generation of an organisation's key as the store keeps it (with the private half)."""

    public_key: PublicKey
    private: bytes
    """The raw 32-byte Ed25519 private key."""
    created_at: datetime

    @property
    def key_id(self) -> str:
        return self.public_key.key_id


@dataclass(frozen=True, slots=True)
class Checkpoint:
    """The head of an organisation's audit chain at ``ts``, signed with the org key."""

    seq: int
    hash: str
    ts: datetime
    key_id: str
    signature: str


def sign_checkpoint(org_id: str, key: OrgKey, seq: int, hash_: str, now: datetime) -> Checkpoint:
    """A checkpoint of the head (``seq``, ``hash_``) at ``now``, signed with ``key``."""
    signature = sign(key.private, checkpoint_payload(org_id, seq, hash_, now))
    return Checkpoint(seq, hash_, now, key.key_id, signature)


def checkpoint_valid(org_id: str, keys: Mapping[str, bytes], checkpoint: Checkpoint) -> bool:
    """Whether one of ``keys`` (key id to raw public key) signed ``checkpoint``."""
    public = keys.get(checkpoint.key_id)
    payload = checkpoint_payload(org_id, checkpoint.seq, checkpoint.hash, checkpoint.ts)
    return public is not None and verify(public, payload, checkpoint.signature)


def policy_problem(
    org_id: str,
    keys: Mapping[str, bytes],
    revision: int,
    policy: JsonValue,
    key_id: str,
    signature: str,
) -> str | None:
    """Why a policy revision must not be adopted (None when one of ``keys`` signed it)."""
    if not signature:
        return f"revision {revision} is not signed"
    public = keys.get(key_id)
    if public is None:
        return f"revision {revision} is signed with key {key_id or '(none)'}, which is not pinned"
    if not verify(public, policy_payload(org_id, revision, policy), signature):
        return f"revision {revision} does not match its signature (key {key_id})"
    return None


def key_id_of(public: bytes) -> str:
    """The id of a raw public key."""
    return hashlib.sha256(public).hexdigest()[:16]


def b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def unb64(text: str) -> bytes:
    """Decode standard base64; raises ValueError on anything else."""
    try:
        return base64.b64decode(text.encode("ascii"), validate=True)
    except (binascii.Error, UnicodeEncodeError) as error:
        raise ValueError(f"not base64: {error}") from None


def new_key(org_id: str, previous: OrgKey | None, now: datetime) -> OrgKey:
    """A fresh key, one generation after ``previous`` and endorsed by it (when there is one)."""
    private = Ed25519PrivateKey.generate()
    public = private.public_key().public_bytes(Encoding.Raw, PublicFormat.Raw)
    key_id = key_id_of(public)
    endorsement = ""
    if previous is not None:
        endorsement = sign(previous.private, _endorsement_payload(org_id, key_id, public))
    generation = previous.public_key.generation + 1 if previous else 1
    return OrgKey(
        PublicKey(key_id, public, generation, endorsement),
        private.private_bytes_raw(),
        now,
    )


def sign(private: bytes, payload: bytes) -> str:
    """The base64 Ed25519 signature of ``payload`` by the raw private key ``private``."""
    return b64(Ed25519PrivateKey.from_private_bytes(private).sign(payload))


def verify(public: bytes, payload: bytes, signature: str) -> bool:
    """Whether ``signature`` (base64) is the raw public key's signature of ``payload``."""
    try:
        Ed25519PublicKey.from_public_bytes(public).verify(unb64(signature), payload)
    except (InvalidSignature, ValueError):
        return False
    return True


def _payload(kind: str, org_id: str, **fields: JsonValue) -> bytes:
    body: dict[str, JsonValue] = {"type": kind, "org_id": org_id, **fields}
    return canonical_json(body).encode("utf-8")


def policy_payload(org_id: str, revision: int, policy: JsonValue) -> bytes:
    """What a policy revision's signature covers."""
    return _payload("accord.policy", org_id, revision=revision, policy=policy)


def checkpoint_payload(org_id: str, seq: int, hash_: str, ts: datetime) -> bytes:
    """What an audit checkpoint's signature covers."""
    return _payload("accord.checkpoint", org_id, seq=seq, hash=hash_, ts=ts.isoformat())


def _endorsement_payload(org_id: str, key_id: str, public: bytes) -> bytes:
    return _payload("accord.key", org_id, key_id=key_id, public_key=b64(public))


def endorsed(
    org_id: str, pinned: Mapping[str, bytes], offered: Iterable[PublicKey]
) -> dict[str, bytes]:
    """``pinned`` grown by every offered key that a trusted key endorses (a key is trusted when
    pinned or endorsed by a trusted key of the previous generation); the rest are ignored."""
    trusted = dict(pinned)
    by_generation = sorted(offered, key=lambda k: k.generation)
    previous: PublicKey | None = None
    for key in by_generation:
        genuine = key_id_of(key.public) == key.key_id
        if genuine and key.key_id not in trusted and previous is not None:
            signer = trusted.get(previous.key_id)
            payload = _endorsement_payload(org_id, key.key_id, key.public)
            if signer is not None and verify(signer, payload, key.endorsement):
                trusted[key.key_id] = key.public
        previous = key
    return trusted
