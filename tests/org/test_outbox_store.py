"""The notification outbox in both stores (SQLite, PostgreSQL): each notice is written once,
claimed by one worker at a time, settled after each attempt, listed per organisation."""

from __future__ import annotations

import asyncio
from dataclasses import replace
from datetime import UTC, datetime, timedelta

from accord.org.store.opening import opened_store
from accord.org.store.outbox import OutboxItem


def _item(org_id: str, n: int, now: datetime, approval: str = "a-1") -> OutboxItem:
    return OutboxItem(
        id=f"{org_id[:8]}-{n}",
        org_id=org_id,
        approval_id=approval,
        kind="requested",
        channel="email",
        recipient=f"user{n}@acme.test",
        dedupe=f"{approval}:requested:email:user{n}@acme.test",
        body="{}",
        next_at=now,
        created_at=now,
    )


async def test_notices_are_written_once_claimed_once_and_settled(any_store_url: str) -> None:
    one, other = await opened_store(any_store_url), await opened_store(any_store_url)
    try:
        acme = await one.create_org("Acme")
        bobco = await one.create_org("Bobco")
        now = datetime.now(UTC)
        items = [_item(acme.id, n, now) for n in range(10)]
        assert await one.enqueue_notices(items) == 10
        again = [replace(i, id=i.id + "x") for i in items[:3]]
        assert await other.enqueue_notices(again) == 0  # the same notices, seen again
        assert await one.enqueue_notices([_item(bobco.id, 0, now)]) == 1

        lease = now + timedelta(minutes=2)
        first, second = await asyncio.gather(
            one.claim_notices(now, lease, 6), other.claim_notices(now, lease, 6)
        )
        claimed = [i.id for i in first] + [i.id for i in second]
        assert len(claimed) == len(set(claimed)) == 11  # every one, by one replica only
        assert await one.claim_notices(now, lease, 20) == []  # leased

        ours = [i for i in (*first, *second) if i.org_id == acme.id]
        failed = replace(ours[0], attempts=1, next_at=now + timedelta(seconds=30))
        await one.settle_notice(failed)
        done = replace(ours[1], status="delivered", attempts=1)
        await other.settle_notice(done)
        assert [i.id for i in await one.claim_notices(now, lease, 20)] == []  # not due yet
        due = await one.claim_notices(now + timedelta(seconds=31), lease, 20)
        assert [i.id for i in due] == [failed.id] and due[0].attempts == 1

        listed = {i.id: i for i in await one.notices(acme.id)}
        assert len(listed) == 10 and all(i.org_id == acme.id for i in listed.values())
        assert (listed[done.id].status, listed[done.id].attempts) == ("delivered", 1)
        assert listed[failed.id].status == "pending"
        assert [i.org_id for i in await one.notices(bobco.id)] == [bobco.id]
        assert await one.notices(acme.id, "another-approval") == []
    finally:
        await one.close()
        await other.close()


async def test_settings_and_preferences_live_beside_the_organisation_and_user(
    any_store_url: str,
) -> None:
    store = await opened_store(any_store_url)
    try:
        org = await store.create_org("Acme")
        user = await store.add_user(org.id, "lead@acme.test", ("tech_lead",))
        assert await store.notify_settings(org.id) is None
        await store.set_notify_settings(org.id, {"base_url": "https://a.test"})
        await store.set_notify_prefs(user.id, {"channels": []})
        assert await store.notify_settings(org.id) == {"base_url": "https://a.test"}
        assert await store.notify_prefs(user.id) == {"channels": []}
        assert (await store.get_user(user.id)) == user  # nothing else about them changed
    finally:
        await store.close()
