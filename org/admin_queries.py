"""What an admin reads about an organisation, computed from the store: the usage and cost
summary, the policy history with who stored each revision, a policy diff, users.

Shared by the org server's ``admin.*`` handlers (:mod:`accord.org.admin`), the ``--store`` side
of ``accord org`` admin commands and the web console. The aggregation functions are pure.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable, Mapping

from pydantic import JsonValue

from accord.audit.events import EventType
from accord.protocol.org_admin import (
    PolicyEntry,
    UsageBucket,
    UsageKey,
    UsageSummary,
    UserView,
)

from .records import User
from .store import AuditFilter, OrgStore, UsageRow

__all__ = [
    "policy_diff",
    "policy_history",
    "usage_key",
    "usage_summary",
    "usage_series",
    "user_view",
]


def _number(value: JsonValue) -> float:
    return float(value) if isinstance(value, int | float) and not isinstance(value, bool) else 0.0


def usage_key(row: UsageRow, by: UsageKey, emails: Mapping[str, str]) -> str:
    """The bucket ``row`` falls in when grouping by ``by``."""
    if by == "user":
        return emails.get(row.user_id or "", row.user_id or "?")
    if by == "project":
        return row.project or "?"
    if by == "day":
        return f"{row.at:%Y-%m-%d}"
    value = row.data.get(by)
    return value if isinstance(value, str) and value else "?"


def usage_summary(
    rows: Iterable[UsageRow], by: UsageKey, emails: Mapping[str, str]
) -> UsageSummary:
    """Events, tokens and cost per bucket, largest cost first (then most events)."""
    totals: dict[str, list[float]] = {}
    for row in rows:
        bucket = totals.setdefault(usage_key(row, by, emails), [0, 0, 0, 0.0])
        bucket[0] += 1
        bucket[1] += _number(row.data.get("input_tokens"))
        bucket[2] += _number(row.data.get("output_tokens"))
        bucket[3] += _number(row.data.get("cost_usd"))
    buckets = [
        UsageBucket(
            key=key,
            events=int(t[0]),
            input_tokens=int(t[1]),
            output_tokens=int(t[2]),
            cost_usd=round(t[3], 6),
        )
        for key, t in totals.items()
    ]
    buckets.sort(key=lambda b: (-b.cost_usd, -b.events, b.key))
    return UsageSummary(by=by, buckets=tuple(buckets))


def usage_series(rows: Iterable[UsageRow]) -> list[tuple[str, float, int]]:
    """(day, cost, events) per day, oldest first: the console's cost chart."""
    days: dict[str, list[float]] = {}
    for row in rows:
        day = days.setdefault(f"{row.at:%Y-%m-%d}", [0.0, 0])
        day[0] += _number(row.data.get("cost_usd"))
        day[1] += 1
    return [(day, round(v[0], 6), int(v[1])) for day, v in sorted(days.items())]


async def policy_history(store: OrgStore, org_id: str) -> list[PolicyEntry]:
    """Every stored revision, newest first, with the actor its audit event names."""
    revisions = await store.policy_revisions(org_id)
    actors: dict[int, str] = {}
    after = 0
    while True:
        page = await store.audit_search(
            org_id, AuditFilter(type=EventType.POLICY_CHANGED.value), after, 1000
        )
        for event in page:
            revision = event.payload.get("revision")
            if isinstance(revision, int):
                actors[revision] = event.actor
        if len(page) < 1000:
            break
        after = page[-1].seq
    return [
        PolicyEntry(revision=r.revision, created_at=r.created_at, actor=actors.get(r.revision, ""))
        for r in revisions
    ]


def policy_diff(current: str, proposed: str, current_name: str, proposed_name: str) -> str:
    """A unified diff of two policy texts ("" when they are the same)."""
    lines = difflib.unified_diff(
        current.splitlines(keepends=True),
        proposed.splitlines(keepends=True),
        current_name,
        proposed_name,
    )
    return "".join(line if line.endswith("\n") else line + "\n" for line in lines)


def user_view(user: User) -> UserView:
    return UserView(
        email=user.email, roles=user.roles, active=user.active, created_at=user.created_at
    )
