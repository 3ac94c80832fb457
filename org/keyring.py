"""Each organisation's signing keys in the store: made on first need (or at ``accord org init``),
rotated by ``accord org keys rotate``; old generations stay, so what they signed stays
verifiable."""

from __future__ import annotations

from datetime import UTC, datetime

from accord.protocol.org import OrgKeys, OrgKeyView

from .signing import OrgKey, b64, new_key
from .store import Conflict, OrgStore

__all__ = ["KeyRing", "public_keys"]


class KeyRing:
    """Reads an organisation's keys from the store each time (the admin CLI may rotate them
    while servers run)."""

    def __init__(self, store: OrgStore) -> None:
        self._store = store

    async def keys(self, org_id: str) -> list[OrgKey]:
        """Every generation, oldest first; the first is made when there is none."""
        keys = await self._store.org_keys(org_id)
        if not keys:
            await self._store.add_org_key(org_id, new_key(org_id, None, datetime.now(UTC)))
            keys = await self._store.org_keys(org_id)
        return keys

    async def current(self, org_id: str) -> OrgKey:
        """The key that signs now."""
        return (await self.keys(org_id))[-1]

    async def rotate(self, org_id: str) -> OrgKey:
        """A new current key, endorsed by the previous one; raises :class:`Conflict` when
        another rotation won the race."""
        previous = await self.current(org_id)
        key = new_key(org_id, previous, datetime.now(UTC))
        if not await self._store.add_org_key(org_id, key):
            raise Conflict("another process rotated the key at the same time; try again")
        return key


def public_keys(org_id: str, keys: list[OrgKey]) -> OrgKeys:
    """What clients are told of ``keys`` (never the private halves)."""
    return OrgKeys(
        org_id=org_id,
        keys=tuple(
            OrgKeyView(
                key_id=k.key_id,
                public_key=b64(k.public_key.public),
                generation=k.public_key.generation,
                endorsement=k.public_key.endorsement,
            )
            for k in keys
        ),
    )
