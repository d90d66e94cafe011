"""What the home page and the plan's indicators read of the news: the latest posts, a search's first
few, the counts."""

from __future__ import annotations

from sqlalchemy import func, select

from ...core.db import is_sqlite
from ...core.extensions import db
from ...core.search import normalise_query
from ..models import Post
from .follows import publish_due
from .posts import matching, public_clause, search
from .rows import PostRow, latest


def home_items(limit: int = 4) -> list[PostRow]:
    """The latest public posts (pinned first) for the home page, as rows."""
    publish_due()
    return latest(limit)


def search_preview(q: str | None, limit: int = 3) -> tuple[list[Post], int]:
    """The first ``limit`` public posts whose title or body contains ``q`` (in the list's order), and
    how many there are in all: the site-wide search's news part. Nothing for an empty ``q``."""
    q = normalise_query(q)
    if not q:
        return [], 0
    publish_due()
    items = list(db.session.execute(search(q=q).limit(limit)).unique().scalars())
    total = db.session.execute(
        matching(select(func.count()).select_from(Post).where(public_clause()), q)
    ).scalar_one()
    return items, total


def metrics() -> dict:
    """Figures for the plan's project 3-1: published, visible posts."""
    count = db.session.execute(select(func.count()).select_from(Post).where(public_clause())).scalar_one()
    return {"posts": count}


def monthly_metrics() -> dict:
    """Public posts per month of publication (Seoul time): ``{"YYYY-MM": {"posts": n}}``."""
    if is_sqlite():
        month_expr = func.strftime("%Y-%m", Post.publish_at, "+9 hours")
    else:
        month_expr = func.to_char(func.timezone("Asia/Seoul", Post.publish_at), "YYYY-MM")
    rows = db.session.execute(
        select(month_expr.label("month"), func.count())
        .where(public_clause())
        .group_by(month_expr)
        .order_by(month_expr)
    ).all()
    return {month_key: {"posts": n} for month_key, n in rows}
