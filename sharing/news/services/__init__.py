"""The news feature's operations (마을 소식): the surface its pages and API, and other features
(the home page, the plan's indicators, the centre's moderation queue), call. Topics:

- ``posts`` (with ``validate``): writing, editing, visibility, covers
- ``moderation``: pinning, hiding, reports, and what the moderation queue shows of a post
- ``follows``: follows and notifying followers (``publish_due``)
- ``events``: upcoming events, the month calendar
- ``feeds``: Atom and iCalendar documents
- ``figures``: the home page's latest posts, the site search's preview and the plan's counts
- ``rows``: pages of the public list as plain rows (``public_page``)

Markdown to sanitised HTML is ``sharing.news.render`` (the templates use it too).
"""

from __future__ import annotations

from ..models import CATEGORIES, Follow, Post
from . import feeds
from .events import ics_events, month, parse_month, upcoming_events
from .figures import home_items, metrics, monthly_metrics, search_preview
from .follows import follow, followers, follows_of, publish_due, unfollow
from .moderation import describe_target, report, set_post_hidden, set_post_pinned
from .posts import (
    can_manage,
    can_see,
    check_writer,
    create,
    delete,
    get,
    get_visible,
    is_public,
    matching,
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
from .rows import PostRow
from .rows import page as public_page

# The centre's moderation queue calls these by target type (sharing.admin).
MODERATION = {"post": set_post_hidden}

__all__ = [
    "CATEGORIES",
    "MODERATION",
    "Follow",
    "Post",
    "PostRow",
    "can_manage",
    "can_see",
    "check_writer",
    "create",
    "delete",
    "describe_target",
    "feeds",
    "follow",
    "followers",
    "follows_of",
    "get",
    "get_visible",
    "home_items",
    "ics_events",
    "is_public",
    "matching",
    "metrics",
    "month",
    "monthly_metrics",
    "parse_month",
    "public_clause",
    "public_page",
    "publish_due",
    "remove_cover",
    "report",
    "require_manager",
    "search",
    "search_preview",
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
