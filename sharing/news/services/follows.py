"""Following categories, dongs and organisations; telling followers about new posts.

A post reaches its followers once, when it becomes public: at once when published, at its time for
scheduled posts (``publish_due``: the cron command ``flask --app wsgi news publish-due``, and every
list read). ``Post.notified_at`` and the per-post-per-user ``dedupe_key`` make it idempotent.
"""

from __future__ import annotations

from datetime import UTC, datetime

from flask_babel import gettext as _
from sqlalchemy import and_, or_, select

from ...auth.models import User
from ...core.cache import Cache
from ...core.db import is_sqlite, transaction
from ...core.errors import Invalid, NotFound, Unauthorized
from ...core.extensions import db
from ...core.time import aware, now
from ...core.vocab import DONGS
from ...notify.services import notify
from ...orgs.services import get_verified
from ..models import CATEGORIES, Follow, Post


def follows_of(user) -> list[Follow]:
    if user is None:
        raise Unauthorized()
    return list(
        db.session.execute(
            select(Follow).where(Follow.user_id == user.id).order_by(Follow.kind, Follow.value, Follow.id)
        )
        .unique()
        .scalars()
    )


def _target(*, category=None, dong=None, organization_id=None) -> tuple[str, str, int | None]:
    given = [
        (kind, value)
        for kind, value in (("category", category), ("dong", dong), ("organization", organization_id))
        if value not in (None, "")
    ]
    if len(given) != 1:
        raise Invalid(
            fields={"follow": [_("분류(category), 행정동(dong), 조직(organization_id) 중 하나만 고르세요.")]}
        )
    kind, value = given[0]
    if kind == "category" and value not in CATEGORIES:
        raise Invalid(fields={"category": [_("알 수 없는 분류입니다.")]})
    if kind == "dong" and value not in DONGS:
        raise Invalid(fields={"dong": [_("성북구의 행정동이 아닙니다.")]})
    if kind == "organization":
        if not isinstance(value, int) or isinstance(value, bool):
            raise Invalid(fields={"organization_id": [_("정수를 입력해 주세요.")]})
        get_verified(value)
        return kind, str(value), value
    return kind, value, None


def follow(user, *, category=None, dong=None, organization_id=None) -> tuple[Follow, bool]:
    """Follow one thing. Returns (follow, created); following twice changes nothing."""
    if user is None:
        raise Unauthorized()
    kind, value, org_id = _target(category=category, dong=dong, organization_id=organization_id)
    with transaction():
        existing = db.session.execute(
            select(Follow).where(Follow.user_id == user.id, Follow.kind == kind, Follow.value == value)
        ).scalar_one_or_none()
        if existing is not None:
            return existing, False
        row = Follow(user_id=user.id, kind=kind, value=value, organization_id=org_id)
        db.session.add(row)
    return row, True


def unfollow(user, follow_id: int) -> None:
    if user is None:
        raise Unauthorized()
    with transaction():
        row = db.session.get(Follow, follow_id)
        if row is None or row.user_id != user.id:
            raise NotFound(_("구독을 찾을 수 없습니다."), code="follow_not_found")
        db.session.delete(row)


def followers(post: Post):
    """Active accounts following the post's category, dong or organisation (not its author)."""
    matches = [and_(Follow.kind == "category", Follow.value == post.category)]
    if post.dong:
        matches.append(and_(Follow.kind == "dong", Follow.value == post.dong))
    if post.organization_id:
        matches.append(and_(Follow.kind == "organization", Follow.organization_id == post.organization_id))
    subscribed = select(Follow.user_id).where(or_(*matches))
    stmt = select(User).where(User.id.in_(subscribed), User.suspended_at.is_(None)).order_by(User.id)
    if post.author_id is not None:
        stmt = stmt.where(User.id != post.author_id)
    return db.session.execute(stmt).unique().scalars()


def fan_out(post: Post, at: datetime) -> int:
    """Tell followers about a post that just became public (inside the caller's transaction)."""
    if post.notified_at is not None:
        return 0
    sent = 0
    where = post.organization.name if post.organization is not None else _("마을사회적경제센터")
    title = _("새 마을소식: %(title)s", title=post.title)
    body = f"{where} · {post.excerpt}"
    for user in followers(post):
        note = notify(
            user,
            "news.post",
            title,
            body,
            f"/news/{post.id}",
            dedupe_key=f"news:post:{post.id}:user:{user.id}",
        )
        sent += note is not None
    post.notified_at = at
    return sent


def _due(at: datetime):
    return select(Post.id).where(
        Post.status == "published",
        Post.publish_at <= at,
        Post.hidden_at.is_(None),
        Post.notified_at.is_(None),
    )


# When the next post not notified yet comes due (``publish_due`` on every list read): kept
# ``DUE_TTL`` seconds, and forgotten when this process writes a post. A post scheduled by another
# process reaches its followers at most ``DUE_TTL`` seconds late (it is public on time regardless).
DUE_TTL = 30
_NOTHING_PENDING = datetime.max.replace(tzinfo=UTC)
_next_due = Cache(ttl=DUE_TTL, maxsize=8, tables=("news_posts",))


def _next_due_at() -> datetime:
    """The publication time of the earliest public-to-be post whose followers are not told yet."""
    first = db.session.execute(
        select(Post.publish_at)
        .where(
            Post.status == "published",
            Post.publish_at.is_not(None),
            Post.hidden_at.is_(None),
            Post.notified_at.is_(None),
        )
        .order_by(Post.publish_at)
        .limit(1)
    ).scalar()
    return aware(first) if first is not None else _NOTHING_PENDING


def publish_due(at: datetime | None = None) -> int:
    """Notify followers of every post whose time has come. Idempotent; cheap when nothing is due (no
    query at all before the next scheduled post's time)."""
    at = at or now()
    if at < _next_due.get_or_compute(db.engine.url.render_as_string(), _next_due_at):
        return 0
    if db.session.execute(_due(at).limit(1)).first() is None:
        return 0
    count = 0
    with transaction():
        stmt = select(Post).where(Post.id.in_(_due(at))).order_by(Post.id)
        if not is_sqlite():
            stmt = stmt.with_for_update(of=Post, skip_locked=True)
        for post in db.session.execute(stmt).unique().scalars().all():
            if post.notified_at is None:
                fan_out(post, at)
                count += 1
    return count
