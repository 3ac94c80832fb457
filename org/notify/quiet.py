"""Quiet hours: when a user's e-mail waits (pure)."""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo

from accord.protocol.org import QuietHours

__all__ = ["quiet_until"]


def _clock(text: str) -> time:
    hours, minutes = text.split(":")
    return time(int(hours), int(minutes))


def quiet_until(quiet: QuietHours | None, now: datetime) -> datetime | None:
    """When the quiet hours that ``now`` falls in end (UTC); None when it falls in none."""
    if quiet is None or quiet.start == quiet.end:
        return None
    zone = ZoneInfo(quiet.timezone)
    local = now.astimezone(zone)
    start, end = _clock(quiet.start), _clock(quiet.end)
    today = local.date()
    for day in (today - timedelta(days=1), today):
        begins = datetime.combine(day, start, zone)
        ends_day = day if end > start else day + timedelta(days=1)
        ends = datetime.combine(ends_day, end, zone)
        if begins <= local < ends:
            return ends.astimezone(UTC)
    return None
