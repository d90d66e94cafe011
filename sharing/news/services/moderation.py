"""The centre's moderation of posts: pinning, hiding (the moderation queue's action), reports."""

from __future__ import annotations

from flask import url_for
from flask_babel import gettext as _

from ...core.db import transaction
from ...core.errors import Forbidden, Unauthorized
from ...core.extensions import db
from ...core.time import now
from ...records.log import add_report, record_action
from ..models import Post
from . import follows
from .posts import get_for_update, get_visible, is_public


def _require_centre(actor) -> None:
    if actor is None:
        raise Unauthorized()
    if not actor.is_centre:
        raise Forbidden(_("마을사회적경제센터 담당자만 할 수 있습니다."))


def set_post_pinned(actor, post_id: int, pinned: bool) -> Post:
    """Pin (or unpin) a post at the top of the list. Centre only; written to the audit log."""
    _require_centre(actor)
    with transaction():
        post = get_for_update(post_id)
        post.pinned_at = (post.pinned_at or now()) if pinned else None
        record_action(actor, "post.pin" if pinned else "post.unpin", "post", post.id)
    return post


def set_post_hidden(actor, target_id: int, hidden: bool) -> Post:
    """Hide (or show again) a post: the moderation queue's action. Centre only; audit-logged."""
    _require_centre(actor)
    with transaction():
        post = get_for_update(target_id)
        post.hidden_at = (post.hidden_at or now()) if hidden else None
        record_action(actor, "post.hide" if hidden else "post.unhide", "post", post.id)
        db.session.flush()
        if not hidden and is_public(post) and post.notified_at is None:
            follows.fan_out(post, now())
    return post


def report(user, post_id: int, reason: str, comment: str = ""):
    """A resident reports a post to the centre's moderation queue."""
    if user is None:
        raise Unauthorized()
    with transaction():
        post = get_visible(user, post_id)
        return add_report(user, "post", post.id, reason, comment or "")


def describe_target(target_type: str, target_id: int) -> dict | None:
    """What the centre's moderation queue shows of a reported post (None when it is gone)."""
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
