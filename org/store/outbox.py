"""The notification outbox in the org store: notices waiting, delivered or failed, each with
its attempts; and the notification settings of organisations and users.

A notice is written once (its ``dedupe`` key is unique in its organisation, so a change seen
twice, or by two replicas, is told once), claimed by one worker at a time (a lease, so a worker
that dies mid-delivery leaves it to another after the lease), and settled after each attempt.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Literal, Protocol

from pydantic import JsonValue

__all__ = ["COLUMNS", "NotifyStore", "OutboxItem", "SettingsInJson"]

COLUMNS = (
    "id, organization_id, approval_id, kind, channel, recipient, dedupe, body, next_at, "
    "created_at, status, attempts, last_error, updated_at"
)
"""The outbox table's columns, in the order of :meth:`OutboxItem.values`."""

Channel = Literal["email", "webhook"]
Status = Literal["pending", "delivered", "failed"]


@dataclass(frozen=True, slots=True)
class OutboxItem:
    """One notice to one recipient (an e-mail address, or a webhook's name) on one channel."""

    id: str
    org_id: str
    approval_id: str
    kind: str
    channel: Channel
    recipient: str
    dedupe: str
    body: str
    """The notice (:class:`accord.org.notify.messages.Notice`) as JSON."""
    next_at: datetime
    created_at: datetime
    status: Status = "pending"
    attempts: int = 0
    last_error: str = ""
    updated_at: datetime | None = None

    def values(self) -> tuple[object, ...]:
        """Its values in the order of :data:`COLUMNS`."""
        return (
            self.id,
            self.org_id,
            self.approval_id,
            self.kind,
            self.channel,
            self.recipient,
            self.dedupe,
            self.body,
            self.next_at,
            self.created_at,
            self.status,
            self.attempts,
            self.last_error,
            self.updated_at or self.created_at,
        )


class NotifyStore(Protocol):
    """What notifications need from the store."""

    async def notify_settings(self, org_id: str) -> dict[str, JsonValue] | None:
        """The organisation's notification settings (None: never set)."""
        ...

    async def set_notify_settings(self, org_id: str, settings: dict[str, JsonValue]) -> None: ...

    async def notify_prefs(self, user_id: str) -> dict[str, JsonValue] | None:
        """A user's notification preferences (None: never set)."""
        ...

    async def set_notify_prefs(self, user_id: str, prefs: dict[str, JsonValue]) -> None: ...

    async def enqueue_notices(self, items: list[OutboxItem]) -> int:
        """Store the items whose dedupe key is new in their organisation; returns how many."""
        ...

    async def claim_notices(
        self, now: datetime, lease_until: datetime, limit: int
    ) -> list[OutboxItem]:
        """Pending items due by ``now`` that no live lease holds, leased until ``lease_until``."""
        ...

    async def settle_notice(self, item: OutboxItem) -> None:
        """Record an attempt's outcome (status, attempts, next time, error) and end the lease."""
        ...

    async def notices(
        self, org_id: str, approval_id: str | None = None, limit: int = 100
    ) -> list[OutboxItem]:
        """The organisation's notices (of one approval), newest first."""
        ...


class SettingsInJson:
    """Organisations' and users' notification settings as the ``notify`` member of their JSON
    column (``organizations.settings``, ``users.preferences``); a store supplies the reading
    and writing of that member."""

    if TYPE_CHECKING:

        async def _json_of(
            self, table: str, column: str, id_: str
        ) -> dict[str, JsonValue] | None: ...

        async def _set_json(self, table: str, column: str, id_: str, value: JsonValue) -> None: ...

    async def notify_settings(self, org_id: str) -> dict[str, JsonValue] | None:
        return await self._json_of("organizations", "settings", org_id)

    async def set_notify_settings(self, org_id: str, settings: dict[str, JsonValue]) -> None:
        await self._set_json("organizations", "settings", org_id, settings)

    async def notify_prefs(self, user_id: str) -> dict[str, JsonValue] | None:
        return await self._json_of("users", "preferences", user_id)

    async def set_notify_prefs(self, user_id: str, prefs: dict[str, JsonValue]) -> None:
        await self._set_json("users", "preferences", user_id, prefs)
