"""What the language server's org link believes of its org server, and why.

- A policy revision (pushed, fetched or read back from the on-disk cache) is adopted only when it
  is signed with a key pinned at ``accord login`` (or a successor that a pinned key endorsed,
  learnt from ``org.keys``), for this organisation and revision; anything else is refused and the
  last good revision stays in force.
- The org's audit checkpoints never go back: the last one seen is kept in
  ``<root>/.accord/org/checkpoint.json``, and a later one with fewer events (or another hash at
  the same seq) is a truncated or rewritten chain.

The checks themselves are pure (:mod:`accord.org.signing`, :mod:`accord.org.checkpoints`); this
module reads the pins and the remembered checkpoint and writes them back.
"""

from __future__ import annotations

import logging
from datetime import datetime
from pathlib import Path

from accord.org.checkpoints import from_wire, rollback
from accord.org.credentials import LoginError, load_login, pin_keys
from accord.org.signing import (
    Checkpoint,
    PublicKey,
    b64,
    checkpoint_valid,
    endorsed,
    policy_problem,
    unb64,
)
from accord.protocol.org import AuditCheckpoint, OrgKeys, PolicyDocument

from .durable import read_json, write_json

__all__ = ["OrgTrust"]

log = logging.getLogger(__name__)


class OrgTrust:
    """The pinned keys and remembered checkpoint of one org link (``url``, files in ``folder``)."""

    def __init__(self, url: str, folder: Path) -> None:
        self.url, self.folder = url, folder

    def pins(self) -> tuple[str, dict[str, bytes]]:
        """The pinned organisation id and its keys (key id to raw public key)."""
        try:
            login = load_login(self.url)
        except (LoginError, KeyError, ValueError):
            return "", {}
        keys: dict[str, bytes] = {}
        for key_id, text in login.keys.items():
            try:
                keys[key_id] = unb64(text)
            except ValueError:
                log.warning("pinned key %s of %s is not base64; ignored", key_id, self.url)
        return login.org_id, keys

    def learn(self, offered: OrgKeys) -> None:
        """Pin the offered keys that a pinned key endorses (after ``accord org keys rotate``)."""
        org_id, pinned = self.pins()
        if offered.org_id != org_id or not pinned:
            return
        keys = []
        for view in offered.keys:
            try:
                public = unb64(view.public_key)
            except ValueError:
                continue
            keys.append(PublicKey(view.key_id, public, view.generation, view.endorsement))
        grown = endorsed(org_id, pinned, keys)
        fresh = {key_id: b64(public) for key_id, public in grown.items() if key_id not in pinned}
        if fresh:
            pin_keys(self.url, fresh)

    def policy_problem(self, document: PolicyDocument) -> str | None:
        """Why ``document`` must not be adopted; None when the org signed it."""
        org_id, keys = self.pins()
        if not keys:
            return f"no org key is pinned for {self.url}: run `accord login {self.url}` again"
        if document.policy is None:
            return f"revision {document.revision} came without its policy"
        return policy_problem(
            org_id, keys, document.revision, document.policy, document.key_id, document.signature
        )

    def checkpoint_problem(self, message: AuditCheckpoint) -> str | None:
        """Check a checkpoint against the pins and the last one seen (remembering it when it is
        newer); returns what is wrong, or None."""
        org_id, keys = self.pins()
        checkpoint = from_wire(message)
        if message.org_id != org_id or not checkpoint_valid(org_id, keys, checkpoint):
            return "the org server's audit checkpoint is not signed with the org's key"
        seen = self._seen()
        if seen is not None:
            problem = rollback(seen, checkpoint)
            if problem is not None:
                return problem
        if seen is None or checkpoint.seq > seen.seq:
            self._remember(checkpoint)
        return None

    def _path(self) -> Path:
        return self.folder / "checkpoint.json"

    def _seen(self) -> Checkpoint | None:
        try:
            data = read_json(self._path())
            return Checkpoint(
                int(data["seq"]),
                str(data["hash"]),
                datetime.fromisoformat(str(data["ts"])),
                str(data["key_id"]),
                str(data["signature"]),
            )
        except (OSError, ValueError, KeyError, TypeError):
            return None

    def _remember(self, checkpoint: Checkpoint) -> None:
        data = {
            "seq": checkpoint.seq,
            "hash": checkpoint.hash,
            "ts": checkpoint.ts.isoformat(),
            "key_id": checkpoint.key_id,
            "signature": checkpoint.signature,
        }
        write_json(self._path(), data)
