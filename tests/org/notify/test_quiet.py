"""Quiet hours: when an e-mail due now waits until."""

from __future__ import annotations

from datetime import UTC, datetime

from accord.org.notify.quiet import quiet_until
from accord.protocol.org import QuietHours

NIGHT = QuietHours(start="22:00", end="07:00", timezone="Europe/Paris")


def test_a_night_across_midnight_holds_mail_until_the_morning_in_the_users_zone() -> None:
    late = datetime(2026, 1, 15, 22, 30, tzinfo=UTC)  # 23:30 in Paris (UTC+1 in winter)
    assert quiet_until(NIGHT, late) == datetime(2026, 1, 16, 6, 0, tzinfo=UTC)
    early = datetime(2026, 1, 16, 5, 0, tzinfo=UTC)  # 06:00 in Paris
    assert quiet_until(NIGHT, early) == datetime(2026, 1, 16, 6, 0, tzinfo=UTC)
    day = datetime(2026, 1, 16, 12, 0, tzinfo=UTC)
    assert quiet_until(NIGHT, day) is None
    summer = datetime(2026, 7, 1, 4, 30, tzinfo=UTC)  # 06:30 in Paris (UTC+2)
    assert quiet_until(NIGHT, summer) == datetime(2026, 7, 1, 5, 0, tzinfo=UTC)


def test_hours_within_a_day_and_none_at_all() -> None:
    lunch = QuietHours(start="12:00", end="13:30")
    assert quiet_until(lunch, datetime(2026, 3, 2, 12, 45, tzinfo=UTC)) == datetime(
        2026, 3, 2, 13, 30, tzinfo=UTC
    )
    assert quiet_until(lunch, datetime(2026, 3, 2, 13, 30, tzinfo=UTC)) is None
    assert quiet_until(None, datetime(2026, 3, 2, 12, 45, tzinfo=UTC)) is None
    same = QuietHours(start="09:00", end="09:00")
    assert quiet_until(same, datetime(2026, 3, 2, 9, 0, tzinfo=UTC)) is None
