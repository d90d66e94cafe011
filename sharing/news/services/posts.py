"""Posts: visibility, who may write, creating, editing, scheduling, covers and deleting.

Field checks are in ``validate``, the centre's moderation in ``moderation``.
"""

from __future__ import annotations

from datetime import datetime

from flask_babel import gettext as _
from sqlalchemy import and_, or_, select

from ...auth.verification import require_can_act
from ...core.db import is_sqlite, transaction
from ...core.errors import Forbidden, Invalid, NotFound, Unauthorized
from ...core.extensions import db
from ...core.media import kept, release, save_image, track
from ...core.search import contains, normalise_query
from ...core.time import aware, now
from ...orgs.models import Membership, Organization
from ...orgs.services import get_verified, is_member
from ...records.log import record_action
from .. import render
from ..models import POST_SEARCH, Post
from . import follows
from .validate import CONTENT, validate

# --- Visibility -----------------------------------------------------------------------------------


def public_clause(at: datetime | None = None):
    """Posts everyone may read: published, their time has come (``at``: a time, or a bound
    parameter given when the statement runs), not hidden by the centre."""
    at = now() if at is None else at
    return and_(Post.status == "published", Post.publish_at <= at, Post.hidden_at.is_(None))


def is_public(post: Post, at: datetime | None = None) -> bool:
    at = at or now()
    return (
        post.status == "published"
        and post.publish_at is not None
        and aware(post.publish_at) <= at
        and post.hidden_at is None
    )


def state(post: Post, at: datetime | None = None) -> str:
    """``draft``, ``scheduled`` or ``published`` (hiding is separate: ``post.hidden_at``)."""
    if post.status == "draft":
        return "draft"
    if post.publish_at is None or aware(post.publish_at) > (at or now()):
        return "scheduled"
    return "published"


def can_manage(user, post: Post) -> bool:
    """Edit and delete: the centre, or a member of the post's organisation (for a centre post, the centre)."""
    if user is None or not getattr(user, "is_authenticated", True):
        return False
    if user.is_centre:
        return True
    return post.organization_id is not None and is_member(user, post.organization_id)


def can_see(user, post: Post) -> bool:
    return is_public(post) or can_manage(user, post)


def ordered(stmt):
    """Pinned first, then newest first (by publication time), the id breaking ties.

    The keys are exactly those of the ``ix_news_posts_order`` index (and of the per-category, -dong
    and -organisation ones), so a page is read in index order: no sort of every public post."""
    return stmt.order_by(
        Post.pinned_at.is_(None),
        Post.pinned_at.desc(),
        Post.publish_at.desc(),
        Post.id.desc(),
    )


def matching(stmt, q: str | None):
    """``stmt`` narrowed to posts whose title or body contains ``q`` (case-insensitive; ``%`` and
    ``_`` are literal). Unchanged when ``q`` is empty.

    Three or more characters go through the text index first (FTS5 on SQLite, pg_trgm on
    PostgreSQL), so a rare word reads its few posts instead of every post; one or two characters
    (a trigram index cannot serve them) are checked post by post in the list's order."""
    condition = contains((Post.title, Post.body), q)
    if condition is None:
        return stmt
    served = POST_SEARCH.served(Post, normalise_query(q), dialect=db.engine.dialect.name)
    return stmt.where(condition) if served is None else stmt.where(served, condition)


def search(*, q=None, category=None, dong=None, organization_id=None, at=None):
    """The public list (a select, for paging); ``q``: words in the title or body."""
    stmt = matching(select(Post).where(public_clause(at)), q)
    if category:
        stmt = stmt.where(Post.category == category)
    if dong:
        stmt = stmt.where(Post.dong == dong)
    if organization_id:
        stmt = stmt.where(Post.organization_id == organization_id)
    return ordered(stmt)


def unpublished(user, *, which: str = "all", organization_id=None):
    """Drafts, scheduled and hidden posts ``user`` may manage (the centre: all of them)."""
    if user is None:
        raise Unauthorized()
    at = now()
    stmt = select(Post)
    if not user.is_centre:
        mine = select(Membership.organization_id).where(Membership.user_id == user.id)
        stmt = stmt.where(Post.organization_id.in_(mine))
    conditions = {
        "draft": Post.status == "draft",
        "scheduled": and_(Post.status == "published", Post.publish_at > at, Post.hidden_at.is_(None)),
        "hidden": Post.hidden_at.is_not(None),
    }
    stmt = stmt.where(or_(*conditions.values())) if which == "all" else stmt.where(conditions[which])
    if organization_id:
        stmt = stmt.where(Post.organization_id == organization_id)
    return stmt.order_by(Post.updated_at.desc(), Post.id.desc())


def get(post_id: int) -> Post:
    post = db.session.get(Post, post_id)
    if post is None:
        raise NotFound(_("소식을 찾을 수 없습니다."), code="post_not_found")
    return post


def get_visible(user, post_id: int) -> Post:
    """A post ``user`` may read; drafts, scheduled and hidden posts are 404 to everyone else."""
    post = get(post_id)
    if not can_see(user, post):
        raise NotFound(_("소식을 찾을 수 없습니다."), code="post_not_found")
    return post


def get_for_update(post_id: int) -> Post:
    stmt = select(Post).where(Post.id == post_id).execution_options(populate_existing=True)
    if not is_sqlite():
        stmt = stmt.with_for_update(of=Post)
    post = db.session.execute(stmt).unique().scalar_one_or_none()
    if post is None:
        raise NotFound(_("소식을 찾을 수 없습니다."), code="post_not_found")
    return post


def require_manager(user, post: Post) -> None:
    if user is None:
        raise Unauthorized()
    if not can_see(user, post):
        raise NotFound(_("소식을 찾을 수 없습니다."), code="post_not_found")
    if not can_manage(user, post):
        raise Forbidden(_("글을 쓴 조직의 구성원과 마을사회적경제센터만 할 수 있습니다."))


# --- Who may write --------------------------------------------------------------------------------


def writable_organizations(user) -> list[Organization]:
    """The verified organisations ``user`` may post for (the centre: every verified one)."""
    if user is None:
        return []
    stmt = select(Organization).where(Organization.verified_at.is_not(None)).order_by(Organization.name)
    if not user.is_centre:
        stmt = stmt.join(Membership, Membership.organization_id == Organization.id).where(
            Membership.user_id == user.id
        )
    return list(db.session.execute(stmt).unique().scalars())


def check_writer(user, organization_id: int | None = None, *, need_org: bool = True) -> Organization | None:
    """The organisation a new post is published for (None: the centre's own). 401/403/404/422.

    Residents are refused (403); members of an organisation the centre has not verified yet get 403
    ``organization_not_verified``. ``need_org=False`` only asks whether ``user`` may write at all.
    """
    if user is None:
        raise Unauthorized()
    if user.is_centre:
        return get_verified(organization_id) if organization_id is not None else None
    org_ids = [m.organization_id for m in user.memberships]
    if not org_ids:
        raise Forbidden(
            _("마을소식은 인증된 사회적경제조직의 구성원과 마을사회적경제센터만 올릴 수 있습니다."),
            code="not_a_publisher",
        )
    if organization_id is None:
        if not need_org:
            if any(m.organization.verified for m in user.memberships):
                return None
            raise _not_verified()
        raise Invalid(fields={"organization_id": [_("어느 조직의 이름으로 올릴지 선택해 주세요.")]})
    org = db.session.get(Organization, organization_id)
    if org is None:
        raise NotFound(_("조직을 찾을 수 없습니다."), code="organization_not_found")
    if organization_id not in org_ids:
        raise Forbidden(
            _("이 조직의 구성원만 이 조직의 이름으로 소식을 올릴 수 있습니다."), code="not_member"
        )
    if not org.verified:
        raise _not_verified()
    return org


def _not_verified() -> Forbidden:
    return Forbidden(
        _("조직 인증을 기다리고 있습니다. 마을사회적경제센터의 인증이 끝나면 소식을 올릴 수 있습니다."),
        code="organization_not_verified",
    )


# --- Writing ----------------------------------------------------------------------------------------


def _render(post: Post) -> None:
    post.body_html = render.render_markdown(post.body)
    post.excerpt = render.excerpt(post.body_html)


def _store_cover(file_storage):
    return save_image(file_storage, field="cover") if file_storage is not None else None


def create(actor, data: dict, *, cover=None) -> Post:
    """A new post for ``data['organization_id']`` (or the centre). 201 fields; see the contract."""
    require_can_act(actor)  # a confirmed e-mail address, when required
    data = dict(data)
    organization_id = data.pop("organization_id", None)
    org = check_writer(actor, organization_id)
    data.setdefault("status", "published")
    clean = validate(data)
    image = _store_cover(cover)
    at = now()
    with kept(image), transaction():
        post = Post(
            **clean,
            organization_id=org.id if org else None,
            author_id=actor.id,
        )
        if post.status == "published" and (post.publish_at is None or aware(post.publish_at) < at):
            post.publish_at = at
        if image is not None:
            post.cover_key, post.cover_thumb_key = image.key, image.thumb_key
        _render(post)
        db.session.add(post)
        db.session.flush()
        if actor.is_centre:
            record_action(actor, "post.create", "post", post.id)
        if is_public(post, at):
            follows.fan_out(post, at)
    return post


def update(actor, post_id: int, changes: dict, *, cover=None) -> Post:
    """Edit a post (author's organisation or centre). A published post edited is marked 수정됨."""
    changes = dict(changes)
    current = get(post_id)
    require_manager(actor, current)  # before reading any upload: strangers never reach the disk
    if not actor.is_centre and current.organization is not None and not current.organization.verified:
        raise _not_verified()
    if "organization_id" in changes:
        raise Invalid(fields={"organization_id": [_("글을 쓴 조직은 바꿀 수 없습니다.")]})
    validate(changes, post=current)
    image = _store_cover(cover)
    replaced: tuple = ()
    with kept(image), transaction():
        post = get_for_update(post_id)
        require_manager(actor, post)
        clean = validate(changes, post=post)  # again, on the locked row
        at = now()
        was_public = is_public(post, at)
        content_changed = any(getattr(post, k) != v for k, v in clean.items() if k in CONTENT)
        going_live = clean.get("status") == "published" and post.status == "draft"
        for name, value in clean.items():
            setattr(post, name, value)
        if post.status == "published" and (
            post.publish_at is None or (aware(post.publish_at) < at and (going_live or "publish_at" in clean))
        ):
            post.publish_at = at
        if image is not None:
            replaced = (post.cover_key, post.cover_thumb_key)
            post.cover_key, post.cover_thumb_key = image.key, image.thumb_key
            content_changed = True
        if "body" in clean:
            _render(post)
        if was_public and content_changed:
            post.edited_at = at
        if actor.is_centre:
            record_action(actor, "post.edit", "post", post.id, fields=sorted(clean))
        db.session.flush()
        if is_public(post, at) and post.notified_at is None:
            follows.fan_out(post, at)
    release(*replaced)  # the old cover's files, unless another row (a photo, a cover) uses them
    return post


def set_cover(actor, post_id: int, file_storage, alt: str | None = None) -> Post:
    """Add or replace the cover photo (decoded, EXIF removed, size-limited by ``save_image``)."""
    require_manager(actor, get(post_id))
    if file_storage is None:
        raise Invalid(fields={"cover": [_("사진 파일을 선택해 주세요.")]})
    return update(actor, post_id, {"cover_alt": alt} if alt is not None else {}, cover=file_storage)


def remove_cover(actor, post_id: int) -> Post:
    with transaction():
        post = get_for_update(post_id)
        require_manager(actor, post)
        removed = (post.cover_key, post.cover_thumb_key)
        post.cover_key = post.cover_thumb_key = None
        post.cover_alt = ""
        if is_public(post):
            post.edited_at = now()
    release(*removed)
    return post


def delete(actor, post_id: int) -> None:
    with transaction():
        post = get_for_update(post_id)
        require_manager(actor, post)
        if actor.is_centre:
            record_action(actor, "post.delete", "post", post.id, title=post.title)
        removed = (post.cover_key, post.cover_thumb_key)
        db.session.delete(post)
    release(*removed)


track(Post, Post.cover_key, Post.cover_thumb_key, visible=lambda post, viewer: can_see(viewer, post))
