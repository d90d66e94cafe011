"""A model row as plain JSON values: what a resident's data download is made of."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import inspect, select

from .extensions import db


def plain(value):
    """A column value as a JSON value: dates and datetimes in ISO 8601, the rest unchanged."""
    if isinstance(value, datetime | date):
        return value.isoformat()
    return value


def row_dict(obj, skip=()) -> dict:
    """Every column of ``obj`` (but those in ``skip``) by name."""
    return {c.key: plain(getattr(obj, c.key)) for c in inspect(obj).mapper.column_attrs if c.key not in skip}


def owned_rows(model, column, user_id: int, skip=()) -> list[dict]:
    """The rows of ``model`` whose ``column`` names the user, oldest first, as plain dicts."""
    rows = db.session.execute(select(model).where(column == user_id).order_by(model.id)).scalars()
    return [row_dict(r, skip) for r in rows]
