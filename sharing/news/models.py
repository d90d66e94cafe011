"""Village news (마을 소식): posts by verified organisations and the centre, and residents' follows."""

from __future__ import annotations

from datetime import date, datetime, time

from flask_babel import lazy_gettext as _l
from sqlalchemy import (
    CheckConstraint,
    Date,
    DateTime,
    ForeignKey,
    Index,
    String,
    Text,
    Time,
    UniqueConstraint,
    text,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..core.db import utcnow
from ..core.extensions import db
from ..core.search import SearchIndex

# The contract's post categories (API.md, "News feed").
CATEGORIES = {
    "social_economy": _l("사회적경제"),
    "education": _l("교육"),
    "culture": _l("문화"),
    "notice": _l("공지"),
    "market_day": _l("장터·행사"),
}
STATUSES = ("draft", "published")
FOLLOW_KINDS = ("category", "dong", "organization")

TITLE_MAX = 200
BODY_MAX = 20_000
PLACE_MAX = 200
ALT_MAX = 200
EXCERPT_MAX = 160


class Post(db.Model):
    """A news post. ``body`` is the author's Markdown; ``body_html`` the sanitised rendering of it.

    A post is public when ``status`` is ``published``, ``publish_at`` has passed and the centre has
    not hidden it. ``publish_at`` in the future makes it a scheduled post. ``notified_at`` records
    that followers were told (``publish_due`` is idempotent through it).
    """

    __tablename__ = "news_posts"

    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(String(TITLE_MAX))
    body: Mapped[str] = mapped_column(Text, default="")
    body_html: Mapped[str] = mapped_column(Text, default="")
    excerpt: Mapped[str] = mapped_column(String(EXCERPT_MAX + 10), default="")
    category: Mapped[str] = mapped_column(String(20), index=True)
    dong: Mapped[str | None] = mapped_column(String(10), index=True)  # None: the whole district
    organization_id: Mapped[int | None] = mapped_column(
        ForeignKey("organizations.id", ondelete="CASCADE"), index=True
    )  # None: the centre's own post
    author_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"), index=True)

    cover_key: Mapped[str | None] = mapped_column(String(100), index=True)  # who uses a file
    cover_thumb_key: Mapped[str | None] = mapped_column(String(100), index=True)
    cover_alt: Mapped[str] = mapped_column(String(ALT_MAX), default="")

    event_date: Mapped[date | None] = mapped_column(Date, index=True)
    event_time: Mapped[time | None] = mapped_column(Time)  # Asia/Seoul wall-clock time
    event_end_time: Mapped[time | None] = mapped_column(Time)
    event_place: Mapped[str | None] = mapped_column(String(PLACE_MAX))

    status: Mapped[str] = mapped_column(String(10), default="published")
    publish_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    notified_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    pinned_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    hidden_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    edited_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow, onupdate=utcnow)

    organization = relationship("Organization", lazy="joined")
    author = relationship("User", lazy="joined")

    __table_args__ = (
        CheckConstraint("status IN ('draft', 'published')", name="status_known"),
        # Posts whose followers are still to be told (``follows.publish_due``, on every list read):
        # a small partial index, not a scan of every published post.
        Index(
            "ix_news_posts_due",
            "publish_at",
            sqlite_where=text("notified_at IS NULL"),
            postgresql_where=text("notified_at IS NULL"),
        ),
    )

    @property
    def is_centre_post(self) -> bool:
        return self.organization_id is None

    @property
    def has_event(self) -> bool:
        return self.event_date is not None

    def __repr__(self) -> str:
        return f"<Post {self.id} {self.title!r}>"


# The public list's order (``posts.ordered``: pinned first, newest first), whole and under each filter
# of the list page, so that a page is read in index order however many posts there are.
_ORDER = (Post.pinned_at.is_(None), Post.pinned_at.desc(), Post.publish_at.desc(), Post.id.desc())
Index("ix_news_posts_order", *_ORDER)
for _column in (Post.category, Post.dong, Post.organization_id):
    Index(f"ix_news_posts_{_column.key}_order", _column, *_ORDER)

# Words in a post's title or body (three or more characters: ``posts.matching``).
POST_SEARCH = SearchIndex("news_posts", ("title", "body"))
POST_SEARCH.attach(Post)


class Follow(db.Model):
    """A resident follows a category, a dong or an organisation; new posts reach their inbox."""

    __tablename__ = "news_follows"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(20))  # category | dong | organization
    value: Mapped[str] = mapped_column(String(40))  # the category code, the dong, or the org id
    organization_id: Mapped[int | None] = mapped_column(
        ForeignKey("organizations.id", ondelete="CASCADE"), index=True
    )
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)

    organization = relationship("Organization", lazy="joined")

    __table_args__ = (
        UniqueConstraint("user_id", "kind", "value"),
        CheckConstraint("kind IN ('category', 'dong', 'organization')", name="kind_known"),
        Index("ix_news_follows_target", "kind", "value"),
    )
