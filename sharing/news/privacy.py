"""The news' share of a resident's data: posts (hidden when the account goes) and follows (erased)."""

from __future__ import annotations

from sqlalchemy import delete, update

from ..core.extensions import db
from ..core.rows import owned_rows
from .models import Follow, Post


def export(user) -> dict:
    return {
        "posts": owned_rows(Post, Post.author_id, user.id),
        "follows": owned_rows(Follow, Follow.user_id, user.id),
    }


def erase(user, now) -> None:
    db.session.execute(
        update(Post).where(Post.author_id == user.id, Post.hidden_at.is_(None)).values(hidden_at=now)
    )
    db.session.execute(delete(Follow).where(Follow.user_id == user.id))
