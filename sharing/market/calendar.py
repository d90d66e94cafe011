"""The availability calendar of a listing: a month grid, server-rendered (no script needed)."""

from __future__ import annotations

import calendar as _calendar
from dataclasses import dataclass
from datetime import date


@dataclass(frozen=True)
class Day:
    day: date
    booked: bool
    past: bool
    today: bool


def parse_month(value: str | None, default: date) -> date:
    """``YYYY-MM`` → the first of that month; anything else → the default's month."""
    try:
        year, month = (int(p) for p in (value or "").split("-", 1))
        if 2000 <= year <= 2100 and 1 <= month <= 12:
            return date(year, month, 1)
    except ValueError:
        pass
    return default.replace(day=1)


def shift(first: date, months: int) -> date:
    index = first.year * 12 + first.month - 1 + months
    return date(index // 12, index % 12 + 1, 1)


def month_bounds(first: date) -> tuple[date, date]:
    last = _calendar.monthrange(first.year, first.month)[1]
    return first, first.replace(day=last)


def month_grid(first: date, booked: list[tuple[date, date]], today: date) -> list[list[Day | None]]:
    """Weeks (Sunday first, as Korean calendars do) of Day cells, None outside the month."""
    cal = _calendar.Calendar(firstweekday=6)
    weeks = []
    for week in cal.monthdatescalendar(first.year, first.month):
        row = []
        for d in week:
            if d.month != first.month:
                row.append(None)
                continue
            taken = any(start <= d <= end for start, end in booked)
            row.append(Day(d, taken, d < today, d == today))
        weeks.append(row)
    return weeks
