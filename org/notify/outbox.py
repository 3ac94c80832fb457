"""The notifier: writes notices to the outbox when approvals change or their deadline nears,
and delivers what is due, in the background, with retries — the approval flow never waits on
a webhook or an SMTP server.

Every step is recorded in the store (pending, delivered, failed; attempts; the last error), so
a restart, or another replica, carries on where this one stopped; a notice being delivered is
leased, so two workers do not send it twice.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from dataclasses import replace
from datetime import UTC, datetime, timedelta

from pydantic import ValidationError

from accord.policy.model import Policy
from accord.protocol.org import NotifyPrefs

from ..metrics import Metrics
from ..policies import PolicyBook
from ..projects import Project
from ..records import ApprovalRecord, User
from ..store import OrgStore
from ..store.outbox import OutboxItem
from .delivery import DeliveryFailed, post_webhook, send_email
from .messages import Notice
from .quiet import quiet_until
from .routing import change_items, reminder_items
from .settings import OrgNotify

__all__ = ["Notifier", "org_settings", "user_prefs"]

log = logging.getLogger(__name__)

BATCH = 20
"""Notices claimed at once by one worker."""
LEASE = timedelta(minutes=2)
"""How long a claimed notice is another worker's to leave alone (a worker that stopped
mid-delivery leaves it to the others after that)."""
MAX_BACKOFF = timedelta(hours=1)
REMIND_HORIZON = timedelta(days=7)
"""The longest reminder lead an organisation may set (``remind_before_minutes``)."""
REMIND_EVERY = 10.0
"""Seconds between two scans of open approvals for reminders due."""

Clock = Callable[[], datetime]


def _now() -> datetime:
    return datetime.now(UTC)


async def org_settings(store: OrgStore, org_id: str) -> OrgNotify:
    """The organisation's notification settings (defaults, with no channel, when unset or
    unreadable)."""
    raw = await store.notify_settings(org_id)
    try:
        return OrgNotify.model_validate(raw or {})
    except ValidationError:
        log.error("organisation %s: its notification settings do not validate; none used", org_id)
        return OrgNotify()


async def user_prefs(store: OrgStore, user_id: str) -> NotifyPrefs:
    """A user's notification preferences (the defaults when unset)."""
    raw = await store.notify_prefs(user_id)
    try:
        return NotifyPrefs.model_validate(raw or {})
    except ValidationError:
        return NotifyPrefs()


class Notifier:
    """Fills the outbox and empties it."""

    def __init__(
        self,
        store: OrgStore,
        policies: PolicyBook,
        metrics: Metrics | None = None,
        clock: Clock = _now,
    ) -> None:
        self._store, self._policies, self._clock = store, policies, clock
        self._metrics = metrics
        self._background: set[asyncio.Task[None]] = set()
        self._scanned: datetime | None = None

    # --- filling ------------------------------------------------------------------------

    def approval_changed(
        self, policy: Policy, record: ApprovalRecord, project: Project | None = None
    ) -> None:
        """Queue what the change calls for, in the background (the caller does not wait);
        ``project`` is the record's registered project, whose roles route it."""
        task = asyncio.create_task(self._queue_change(policy, record, project))
        self._background.add(task)
        task.add_done_callback(self._background.discard)

    async def settled(self) -> None:
        """Wait until the changes handed over so far are queued."""
        while self._background:
            await asyncio.gather(*self._background, return_exceptions=True)

    async def _queue_change(
        self, policy: Policy, record: ApprovalRecord, project: Project | None
    ) -> None:
        try:
            settings = await org_settings(self._store, record.org_id)
            if not settings.webhooks and settings.email is None:
                return
            users = await self._members(record.org_id)
            now = self._clock()
            items = change_items(policy, record, settings, users, now, project)
            items += reminder_items(policy, record, settings, users, now, project)
            if items:
                await self._store.enqueue_notices(items)
        except Exception:
            log.exception("queueing the notices of approval %s failed", record.id)

    async def _members(self, org_id: str) -> list[tuple[User, NotifyPrefs]]:
        users = [u for u in await self._store.list_users(org_id) if u.active]
        return [(user, await user_prefs(self._store, user.id)) for user in users]

    async def remind(self) -> int:
        """Queue the reminders that open approvals' deadlines call for now; returns how many.
        (A change queues its own reminder when its deadline is near already.)"""
        now = self._clock()
        queued = 0
        orgs: dict[str, tuple[OrgNotify, list[tuple[User, NotifyPrefs]]]] = {}
        for record in await self._store.open_approvals(due_before=now + REMIND_HORIZON):
            if record.org_id not in orgs:
                settings = await org_settings(self._store, record.org_id)
                quiet = not settings.webhooks and settings.email is None
                orgs[record.org_id] = (
                    settings,
                    [] if quiet else await self._members(record.org_id),
                )
            settings, users = orgs[record.org_id]
            if not settings.webhooks and settings.email is None:
                continue
            policy = (await self._policies.current(record.org_id)).policy
            project = await self._store.get_project(record.org_id, record.project)
            items = reminder_items(policy, record, settings, users, now, project)
            if items:
                queued += await self._store.enqueue_notices(items)
        return queued

    # --- emptying -----------------------------------------------------------------------

    async def tick(self) -> int:
        """Queue due reminders (every :data:`REMIND_EVERY` seconds), then deliver what is due;
        returns how many were attempted."""
        now = self._clock()
        if self._scanned is None or now - self._scanned >= timedelta(seconds=REMIND_EVERY):
            self._scanned = now
            await self.remind()
        return await self.deliver_due()

    async def deliver_due(self) -> int:
        """Attempt every notice due now (a batch at a time, concurrently within a batch)."""
        attempted = 0
        while True:
            now = self._clock()
            claimed = await self._store.claim_notices(now, now + LEASE, BATCH)
            if not claimed:
                return attempted
            await asyncio.gather(*(self._attempt(item) for item in claimed))
            attempted += len(claimed)

    async def _attempt(self, item: OutboxItem) -> None:
        settings = await org_settings(self._store, item.org_id)
        now = self._clock()
        try:
            notice = Notice.model_validate_json(item.body)
            if item.channel == "email":
                if (later := await self._quiet(item, now)) is not None:
                    await self._store.settle_notice(replace(item, next_at=later, updated_at=now))
                    self._count(item, "held")
                    return
                await self._send_email(settings, notice, item.recipient)
            else:
                await self._post(settings, notice, item.recipient)
        except (DeliveryFailed, ValidationError) as error:
            await self._settle(self._failed(item, settings, str(error), now))
            return
        except Exception as error:
            log.exception("delivering notice %s failed", item.id)
            reason = f"{type(error).__name__} (see the server's log)"
            await self._settle(self._failed(item, settings, reason, now))
            return
        await self._settle(
            replace(
                item, status="delivered", attempts=item.attempts + 1, last_error="", updated_at=now
            )
        )

    async def _settle(self, item: OutboxItem) -> None:
        await self._store.settle_notice(item)
        self._count(item, "retry" if item.status == "pending" else item.status)

    def _count(self, item: OutboxItem, outcome: str) -> None:
        if self._metrics is not None:
            self._metrics.notifications.labels(channel=item.channel, outcome=outcome).inc()

    async def _quiet(self, item: OutboxItem, now: datetime) -> datetime | None:
        """When an e-mail due now must wait for its recipient's quiet hours to end."""
        user = await self._store.user_by_email(item.org_id, item.recipient)
        if user is None:
            return None
        return quiet_until((await user_prefs(self._store, user.id)).quiet_hours, now)

    @staticmethod
    def _failed(item: OutboxItem, settings: OrgNotify, reason: str, now: datetime) -> OutboxItem:
        attempts = item.attempts + 1
        policy = settings.delivery
        if attempts >= policy.attempts:
            return replace(
                item, status="failed", attempts=attempts, last_error=reason, updated_at=now
            )
        wait = min(timedelta(seconds=policy.backoff_seconds * 2 ** (attempts - 1)), MAX_BACKOFF)
        return replace(
            item, attempts=attempts, next_at=now + wait, last_error=reason, updated_at=now
        )

    @staticmethod
    async def _send_email(settings: OrgNotify, notice: Notice, to: str) -> None:
        if settings.email is None:
            raise DeliveryFailed("the organisation has no SMTP server configured any more")
        await send_email(settings.email, notice, to, settings.delivery.timeout_seconds)

    @staticmethod
    async def _post(settings: OrgNotify, notice: Notice, name: str) -> None:
        hook = settings.webhook(name)
        if hook is None:
            raise DeliveryFailed(f"the organisation has no webhook {name!r} any more")
        await post_webhook(hook, notice, settings.delivery.timeout_seconds)
