"""Time helpers: timestamps are stored in UTC, events are Seoul wall-clock dates and times."""

from __future__ import annotations

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

from .db import utcnow

SEOUL = ZoneInfo("Asia/Seoul")


def aware(value: datetime | None) -> datetime | None:
    """SQLite hands back naive UTC datetimes; make them aware (UTC)."""
    if value is None:
        return None
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value


def to_utc(value: datetime | None) -> datetime | None:
    """A timestamp from a reader (naive means Seoul time), in UTC for storage."""
    if value is None:
        return None
    if value.tzinfo is None:
        value = value.replace(tzinfo=SEOUL)
    return value.astimezone(UTC)


def seoul(value: datetime | None) -> datetime | None:
    value = aware(value)
    return value.astimezone(SEOUL) if value is not None else None


def seoul_now() -> datetime:
    return utcnow().astimezone(SEOUL)


def seoul_today() -> date:
    return seoul_now().date()


def now() -> datetime:
    return utcnow()
