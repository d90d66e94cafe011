"""The news feature's operations (마을 소식). Split by topic; this module is the front door.

- ``posts``: writing, editing, visibility, pinning, hiding and reports
- ``follows``: follows and notifying followers (``publish_due``)
- ``events``: upcoming events, the month calendar
- ``feeds``: Atom and iCalendar documents
- ``render``: Markdown to sanitised HTML
"""

from __future__ import annotations

from sqlalchemy import func, select

from ..core.db import is_sqlite
from ..core.extensions import db
from .events import ics_events, month, parse_month, upcoming_events
from .follows import follow, followers, follows_of, publish_due, unfollow
from .models import CATEGORIES, Follow, Post
from .moderation import report, set_post_hidden, set_post_pinned
from .posts import (
    can_manage,
    can_see,
    check_writer,
    create,
    delete,
    get,
    get_visible,
    is_public,
    public_clause,
    remove_cover,
    require_manager,
    search,
    set_cover,
    state,
    unpublished,
    update,
    writable_organizations,
)

# The centre's moderation queue calls these by target type (sharing.admin).
MODERATION = {"post": set_post_hidden}

__all__ = [
    "CATEGORIES",
    "MODERATION",
    "Follow",
    "Post",
    "can_manage",
    "can_see",
    "check_writer",
    "create",
    "delete",
    "describe_target",
    "follow",
    "followers",
    "follows_of",
    "get",
    "get_visible",
    "home_items",
    "ics_events",
    "is_public",
    "metrics",
    "month",
    "monthly_metrics",
    "parse_month",
    "public_clause",
    "publish_due",
    "remove_cover",
    "report",
    "require_manager",
    "search",
    "set_cover",
    "set_post_hidden",
    "set_post_pinned",
    "state",
    "unfollow",
    "unpublished",
    "upcoming_events",
    "update",
    "writable_organizations",
]


def home_items(limit: int = 4) -> list[Post]:
    """The latest public posts (pinned first) for the home page."""
    publish_due()
    return list(db.session.execute(search().limit(limit)).unique().scalars())


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


def describe_target(target_type: str, target_id: int) -> dict | None:
    """What the centre's moderation queue shows of a reported post (None when it is gone)."""
    from flask import url_for

    if target_type != "post":
        return None
    post = db.session.get(Post, target_id)
    if post is None:
        return None
    return {
        "title": post.title,
        "author_id": post.author_id,
        "url": url_for("news.show", post_id=post.id),
        "hidden": post.hidden_at is not None,
    }
