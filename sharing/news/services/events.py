"""Events of public posts: the upcoming list, a month's calendar grid and the iCalendar selection."""

from __future__ import annotations

import calendar
from dataclasses import dataclass, field
from datetime import date, timedelta

from sqlalchemy import select

from ...core.extensions import db
from ...core.time import seoul_today
from ..models import Post
from .posts import public_clause

ICS_PAST_DAYS = 30  # subscribed calendars keep the last month's events instead of dropping them


def _events(start: date, end: date | None = None, limit: int | None = None) -> list[Post]:
    stmt = select(Post).where(public_clause(), Post.event_date.is_not(None), Post.event_date >= start)
    if end is not None:
        stmt = stmt.where(Post.event_date < end)
    stmt = stmt.order_by(Post.event_date, Post.event_time.is_(None).desc(), Post.event_time, Post.id)
    if limit:
        stmt = stmt.limit(limit)
    return list(db.session.execute(stmt).unique().scalars())


def upcoming_events(limit: int = 10) -> list[Post]:
    """Public posts with an event today or later, soonest first."""
    return _events(seoul_today(), limit=limit)


def ics_events(limit: int = 500) -> list[Post]:
    return _events(seoul_today() - timedelta(days=ICS_PAST_DAYS), limit=limit)


@dataclass
class Day:
    day: date
    in_month: bool
    is_today: bool
    events: list = field(default_factory=list)


@dataclass
class Month:
    year: int
    month: int
    weeks: list[list[Day]]
    events: list[Post]

    @property
    def first(self) -> date:
        return date(self.year, self.month, 1)

    @property
    def prev(self) -> str:
        d = self.first - timedelta(days=1)
        return f"{d.year:04d}-{d.month:02d}"

    @property
    def next(self) -> str:
        d = self.first + timedelta(days=32)
        return f"{d.year:04d}-{d.month:02d}"

    @property
    def key(self) -> str:
        return f"{self.year:04d}-{self.month:02d}"


def parse_month(value: str | None) -> tuple[int, int]:
    """``YYYY-MM`` (2000..2100), or the current month in Seoul for anything else."""
    today = seoul_today()
    try:
        year_s, month_s = (value or "").split("-")
        year, month = int(year_s), int(month_s)
        if 2000 <= year <= 2100 and 1 <= month <= 12:
            return year, month
    except ValueError:
        pass
    return today.year, today.month


def month(year: int, month_no: int) -> Month:
    """A month grid, weeks from Sunday (as Korean calendars print them), with the month's events."""
    cal = calendar.Calendar(firstweekday=6)
    days = list(cal.itermonthdates(year, month_no))
    first, last = days[0], days[-1]
    events = _events(first, last + timedelta(days=1))
    by_day: dict[date, list[Post]] = {}
    for post in events:
        by_day.setdefault(post.event_date, []).append(post)
    today = seoul_today()
    grid = [
        Day(d, d.month == month_no, d == today, by_day.get(d, []))
        for d in days  # itermonthdates gives whole weeks
    ]
    weeks = [grid[i : i + 7] for i in range(0, len(grid), 7)]
    in_month = [p for p in events if p.event_date.month == month_no and p.event_date.year == year]
    return Month(year, month_no, weeks, in_month)
