"""One contract for every org store: the same tests on the SQLite file and on PostgreSQL.

Each test gets a fresh store (a new SQLite file; a new PostgreSQL schema). The concurrency
tests open several stores on the same data, as separate replicas would.
"""

from __future__ import annotations

import asyncio
import hashlib
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import AbstractAsyncContextManager, asynccontextmanager
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from accord.audit.chain import verify
from accord.audit.events import EventDraft, EventType
from accord.org.records import ApprovalRecord
from accord.org.signing import new_key, sign_checkpoint
from accord.org.store import AuditFilter, Conflict, OrgStore, StoredPolicy
from accord.org.store.opening import open_store
from accord.policy.approval import State, open_request
from accord.policy.loading import default_policy
from accord.protocol.org import ProposalSummary, RiskSummary

from .scaleout import postgres_schema

Opener = Callable[[], AbstractAsyncContextManager[str]]


@asynccontextmanager
async def _sqlite_url(tmp_path: Path) -> AsyncIterator[str]:
    yield f"sqlite:///{tmp_path / 'org.db'}"


@pytest.fixture(params=["sqlite", "postgresql"])
async def store_url(request: pytest.FixtureRequest, tmp_path: Path) -> AsyncIterator[str]:
    opener = _sqlite_url(tmp_path) if request.param == "sqlite" else postgres_schema()
    async with opener as url:
        yield url


@pytest.fixture
async def store(store_url: str) -> AsyncIterator[OrgStore]:
    opened = open_store(store_url)
    await opened.open()
    try:
        yield opened
    finally:
        await opened.close()


@asynccontextmanager
async def _replica(url: str) -> AsyncIterator[OrgStore]:
    """Another process's view of the same store."""
    opened = open_store(url)
    await opened.open()
    try:
        yield opened
    finally:
        await opened.close()


def _draft(n: int, project: str = "shop") -> EventDraft:
    return EventDraft(
        type=EventType.DECISION_MADE, actor="dev@acme.test", project=project, payload={"n": n}
    )


def _record(
    org_id: str, proposal: str = "p-1", content: str = "v1", deadline_in: timedelta | None = None
) -> ApprovalRecord:
    now = datetime.now(UTC)
    request = open_request(
        default_policy(),
        proposal,
        "dev@acme.test",
        "managed_development",
        {"db/m.sql": "0" * 64},
        now,
    )
    if deadline_in is not None:
        request = replace(request, deadline=now + deadline_in)
    return ApprovalRecord(
        id=f"a-{proposal}-{content}",
        org_id=org_id,
        project="shop",
        request=request,
        proposal=ProposalSummary(
            proposal_id=proposal,
            title="Fix",
            action="fix",
            content_hash=hashlib.sha256(content.encode()).hexdigest(),
        ),
        risk=RiskSummary(score=8, reasons="migration"),
        updated_at=now,
    )


async def test_settings_keep_the_first_value_stored(store: OrgStore) -> None:
    key = await store.signing_key()
    assert len(key) == 32 and await store.signing_key() == key
    assert await store.setting("cluster_id", b"one") == b"one"
    assert await store.setting("cluster_id", b"two") == b"one"


async def test_organisation_settings_are_per_organisation(store: OrgStore) -> None:
    acme, bob = await store.create_org("Acme"), await store.create_org("Bobco")
    sso = {"issuer": "https://idp.acme.test", "role_map": {"eng": ["developer"]}}
    assert await store.org_setting(acme.id, "sso") is None
    assert await store.put_org_setting(acme.id, "sso", sso)
    assert await store.put_org_setting(acme.id, "other", [1, "two"])
    assert await store.org_setting(acme.id, "sso") == sso
    assert await store.org_setting(bob.id, "sso") is None
    assert not await store.put_org_setting("no-such-org", "sso", sso)
    assert await store.put_org_setting(acme.id, "sso", None)
    assert await store.org_setting(acme.id, "sso") is None
    assert await store.org_setting(acme.id, "other") == [1, "two"]


async def test_organisations_and_users(store: OrgStore) -> None:
    acme, bob = await store.create_org("Acme"), await store.create_org("Bobco")
    assert [o.name for o in await store.list_orgs()] == ["Acme", "Bobco"]
    assert (await store.get_org(acme.id)) == acme and await store.get_org("nope") is None
    dev = await store.add_user(acme.id, "dev@acme.test", ("developer",))
    with pytest.raises(Conflict):
        await store.add_user(acme.id, "dev@acme.test", ("admin",))
    with pytest.raises(Conflict):
        await store.add_user("no-such-org", "x@acme.test", ("admin",))
    await store.add_user(bob.id, "dev@acme.test", ("developer",))  # another tenant may
    assert await store.get_user(dev.id) == dev
    assert await store.user_by_email(acme.id, "dev@acme.test") == dev
    assert await store.user_by_email(acme.id, "nobody@acme.test") is None
    changed = replace(dev, roles=("tech_lead",), active=False, token_epoch=3)
    await store.update_user(changed)
    assert await store.get_user(dev.id) == changed
    assert [u.email for u in await store.list_users(acme.id)] == ["dev@acme.test"]


async def test_a_refresh_token_is_good_once_and_not_after_revocation(store: OrgStore) -> None:
    later = datetime.now(UTC) + timedelta(days=1)
    await store.save_refresh("r1", "u1", later)
    await store.save_refresh("r2", "u1", later)
    assert await store.consume_refresh("r1") is True
    assert await store.consume_refresh("r1") is False
    assert await store.consume_refresh("unknown") is False
    await store.revoke_token("r2", later)
    await store.revoke_token("r2", later)  # twice is fine
    assert await store.is_revoked("r2") and not await store.is_revoked("r1")
    assert await store.consume_refresh("r2") is False


async def test_policy_revisions_count_up_per_organisation(store: OrgStore) -> None:
    acme, bob = await store.create_org("Acme"), await store.create_org("Bobco")
    assert await store.policy(acme.id) is None
    assert await store.put_policy(acme.id, "a: 1", {"a": 1}) == 1
    assert await store.put_policy(acme.id, "a: 2", {"a": 2}) == 2
    assert await store.put_policy(bob.id, "b: 1", {"b": 1}) == 1
    assert await store.policy(acme.id) == StoredPolicy(2, {"a": 2})
    signed = await store.put_policy(acme.id, "a: 3", {"a": 3}, lambda rev: ("k1", f"sig{rev}"))
    assert await store.policy(acme.id) == StoredPolicy(signed, {"a": 3}, "k1", "sig3")


async def test_org_keys_keep_every_generation_and_one_wins_each(store: OrgStore) -> None:
    acme, bob = await store.create_org("Acme"), await store.create_org("Bobco")
    now = datetime.now(UTC)
    first = new_key(acme.id, None, now)
    assert await store.add_org_key(acme.id, first)
    assert not await store.add_org_key(acme.id, new_key(acme.id, None, now))  # lost the race
    second = new_key(acme.id, first, now)
    assert await store.add_org_key(acme.id, second)
    assert await store.org_keys(acme.id) == [first, second]
    assert await store.org_keys(bob.id) == []


async def test_checkpoints_keep_the_first_per_seq_and_answer_the_highest(
    store: OrgStore,
) -> None:
    org = await store.create_org("Acme")
    key = new_key(org.id, None, datetime.now(UTC))
    assert await store.checkpoint(org.id) is None
    one = sign_checkpoint(org.id, key, 1, "a" * 64, datetime.now(UTC))
    three = sign_checkpoint(org.id, key, 3, "c" * 64, datetime.now(UTC))
    for checkpoint in (one, three, sign_checkpoint(org.id, key, 3, "d" * 64, datetime.now(UTC))):
        await store.save_checkpoint(org.id, checkpoint)
    assert await store.checkpoint(org.id) == three


async def test_approvals_change_only_at_the_version_they_were_read(store: OrgStore) -> None:
    org = await store.create_org("Acme")
    record = _record(org.id)
    await store.insert_approval(record, [_draft(1)])
    with pytest.raises(Conflict):
        await store.insert_approval(replace(record, id="another"), [])  # same content again
    assert await store.get_approval(org.id, record.id) == record
    assert await store.get_approval("other-org", record.id) is None
    assert await store.find_approval(org.id, "p-1", record.proposal.content_hash) == record
    moved = replace(record, request=replace(record.request, state=State.REJECTED), version=2)
    await store.save_approval(moved, 1, [_draft(2)])
    with pytest.raises(Conflict):
        await store.save_approval(replace(moved, version=3), 1, [_draft(3)])
    assert (await store.get_approval(org.id, record.id)) == moved
    assert [e.payload["n"] for e in await store.audit_events(org.id, None, None, 0, 10)] == [1, 2]


async def test_listing_and_open_approvals(store: OrgStore) -> None:
    org = await store.create_org("Acme")
    soon = _record(org.id, "p-1", deadline_in=timedelta(seconds=-1))
    later = _record(org.id, "p-2", deadline_in=timedelta(hours=1))
    closed = _record(org.id, "p-3")
    closed = replace(closed, request=replace(closed.request, state=State.REJECTED))
    for record in (soon, later, closed):
        await store.insert_approval(record, [])
        await asyncio.sleep(0.01)  # distinct creation times
    listed = await store.list_approvals(org.id, None, None, 10)
    assert [r.id for r in listed] == [closed.id, later.id, soon.id]
    assert [r.id for r in await store.list_approvals(org.id, "rejected", None, 10)] == [closed.id]
    assert await store.list_approvals(org.id, None, "other", 10) == []
    assert len(await store.list_approvals(org.id, None, "shop", 2)) == 2
    assert {r.id for r in await store.open_approvals()} == {soon.id, later.id}
    due = await store.open_approvals(due_before=datetime.now(UTC))
    assert [r.id for r in due] == [soon.id]


async def test_the_audit_chain_dedupes_origins_and_verifies(store: OrgStore) -> None:
    org = await store.create_org("Acme")
    assert await store.audit_head(org.id) is None
    sealed = await store.append_audit(org.id, [_draft(1), _draft(2, "web")], ["o1", None])
    assert [e.seq for e in sealed if e] == [1, 2]
    again = await store.append_audit(org.id, [_draft(1), _draft(3)], ["o1", "o3"])
    assert again[0] is None and again[1] is not None and again[1].seq == 3
    rows = await store.audit_rows(org.id)
    head = await store.audit_head(org.id)
    assert head is not None and head.seq == 3 and head.hash == rows[-1].hash
    assert verify(rows, head) == []
    assert [e.seq for e in await store.audit_events(org.id, "web", None, 0, 10)] == [2]
    assert [e.seq for e in await store.audit_events(org.id, None, None, 1, 1)] == [2]


async def test_rooms_number_events_and_keep_a_window(store: OrgStore) -> None:
    org = await store.create_org("Acme")
    fresh = await store.room_state(org.id, "shop")
    assert (fresh.offset, fresh.first) == (0, 1)
    for n in range(1, 8):
        event = await store.append_room_event(org.id, "shop", "note", "dev@acme.test", {"n": n}, 5)
        assert (event.offset, event.epoch) == (n, fresh.epoch)
    state = await store.room_state(org.id, "shop")
    assert (state.epoch, state.offset, state.first) == (fresh.epoch, 7, 3)
    assert [e.offset for e in await store.room_events(org.id, "shop", 4, 10)] == [5, 6, 7]
    assert await store.room_events(org.id, "other", 0, 10) == []


async def test_usage_and_performance_are_recorded(store: OrgStore) -> None:
    org = await store.create_org("Acme")
    first = await store.record_usage(org.id, "u1", "shop", "proposal", {"tokens": 3})
    second = await store.record_performance("accord-org", "latency_ms", 1.5, {"route": "x"})
    assert first != second and len(first) == 36


async def _together(count: int, work: Callable[[int], Awaitable[None]]) -> None:
    await asyncio.gather(*(work(n) for n in range(count)))


async def test_concurrent_appends_from_several_replicas_keep_one_chain(store_url: str) -> None:
    async with _replica(store_url) as first:
        org = await first.create_org("Acme")
        async with _replica(store_url) as second, _replica(store_url) as third:
            replicas = (first, second, third)

            async def append(n: int) -> None:
                await replicas[n % 3].append_audit(org.id, [_draft(n), _draft(n)])

            await _together(60, append)
            rows = await first.audit_rows(org.id)
            assert [r.seq for r in rows] == list(range(1, 121))
            assert verify(rows, await third.audit_head(org.id)) == []


async def test_concurrent_room_appends_from_several_replicas_are_gap_free(store_url: str) -> None:
    async with _replica(store_url) as first:
        org = await first.create_org("Acme")
        async with _replica(store_url) as second:
            replicas = (first, second)
            offsets: list[int] = []

            async def append(n: int) -> None:
                event = await replicas[n % 2].append_room_event(
                    org.id, "shop", "note", "dev@acme.test", {"n": n}, 1000
                )
                offsets.append(event.offset)

            await _together(80, append)
            assert sorted(offsets) == list(range(1, 81))
            stored = await second.room_events(org.id, "shop", 0, 100)
            assert [e.offset for e in stored] == list(range(1, 81))
            assert len({e.epoch for e in stored}) == 1


async def test_two_replicas_saving_one_approval_version_one_wins(store_url: str) -> None:
    async with _replica(store_url) as first, _replica(store_url) as second:
        org = await first.create_org("Acme")
        record = _record(org.id)
        await first.insert_approval(record, [])
        expired = replace(record, request=replace(record.request, state=State.EXPIRED), version=2)
        outcomes = await asyncio.gather(
            *(s.save_approval(expired, 1, [_draft(9)]) for s in (first, second, first, second)),
            return_exceptions=True,
        )
        assert sum(o is None for o in outcomes) == 1
        assert all(isinstance(o, Conflict) for o in outcomes if o is not None)
        assert len(await second.audit_rows(org.id)) == 1


async def test_projects_hold_members_in_their_own_roles_per_organisation(store: OrgStore) -> None:
    acme, bob = await store.create_org("Acme"), await store.create_org("Bobco")
    dev = await store.add_user(acme.id, "dev@acme.test", ("developer",))
    lead = await store.add_user(acme.id, "lead@acme.test", ("developer",))
    shop = await store.create_project(
        acme.id, "shop", ("git@github.com:acme/shop.git",), {"mode": "guidance"}, "ann"
    )
    with pytest.raises(Conflict):
        await store.create_project(acme.id, "shop", (), {}, "ann")
    await store.create_project(bob.id, "shop", (), {}, "bob")  # another organisation's shop
    await store.set_project_member(shop, dev.id, ("developer",), False)
    await store.set_project_member(shop, lead.id, ("developer",), False)
    await store.set_project_member(shop, lead.id, ("tech_lead",), True)  # replaced, not added

    found = await store.get_project(acme.id, "shop")
    assert found is not None and found.id == shop.id
    assert found.repositories == ("git@github.com:acme/shop.git",)
    assert found.settings == {"mode": "guidance"}
    assert [(m.email, m.roles, m.owner) for m in found.members] == [
        ("dev@acme.test", ("developer",), False),
        ("lead@acme.test", ("tech_lead",), True),
    ]
    theirs = await store.get_project(bob.id, "shop")
    assert theirs is not None and theirs.members == ()
    assert await store.remove_project_member(shop, dev.id)
    assert not await store.remove_project_member(shop, dev.id)
    assert [p.name for p in await store.list_projects(acme.id)] == ["shop"]
    assert await store.get_project(acme.id, "billing") is None


async def test_admin_reads_policy_history_audit_search_and_usage(store: OrgStore) -> None:
    acme, bob = await store.create_org("Acme"), await store.create_org("Bob")
    dev = await store.add_user(acme.id, "dev@acme.test", ("developer",))
    for text in ("a: 1\n", "a: 2\n"):
        await store.put_policy(acme.id, text, {"a": text})
    await store.put_policy(bob.id, "b: 1\n", {"b": 1})
    revisions = await store.policy_revisions(acme.id)
    assert [(r.revision, r.yaml) for r in revisions] == [(2, "a: 2\n"), (1, "a: 1\n")]

    drafts = [
        EventDraft(type=EventType.POLICY_CHANGED, actor=actor, project=project)
        for actor, project in (("ann@x", "web"), ("bo@x", "api"), ("ann@x", "api"))
    ]
    await store.append_audit(acme.id, drafts)
    await store.append_audit(bob.id, drafts[:1])
    middle = (await store.audit_events(acme.id, None, None, 1, 1))[0].ts

    async def seqs(**where: object) -> list[int]:
        found = await store.audit_search(acme.id, AuditFilter(**where), 0, 10)  # type: ignore[arg-type]
        return [event.seq for event in found]

    assert await seqs() == [1, 2, 3]
    assert await seqs(actor="ann@x") == [1, 3]
    assert await seqs(actor="ann@x", project="api") == [3]
    assert await seqs(since=middle) == [2, 3]
    assert await seqs(until=middle) == [1]
    assert await seqs(type="approval.recorded") == []
    assert [e.seq for e in await store.audit_search(acme.id, AuditFilter(), 1, 1)] == [2]

    await store.record_usage(acme.id, dev.id, "shop", "agent.proposal", {"cost_usd": 0.5})
    await store.record_usage(bob.id, dev.id, "shop", "agent.proposal", {"cost_usd": 9.0})
    [usage] = await store.usage_events(acme.id, None)
    assert usage.user_id == dev.id and usage.project == "shop" and usage.data == {"cost_usd": 0.5}
    assert await store.usage_events(acme.id, datetime.now(UTC) + timedelta(hours=1)) == []
