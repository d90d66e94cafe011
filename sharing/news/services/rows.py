"""Pages of the public list read as plain rows (the list page, the home page's section, the API's
list): one Core query of the columns a list shows, instead of ``Post`` entities with their joined
organisation and author (whose loading cost most of a list request).

A :class:`PostRow` has the attributes of a ``Post`` that the list templates, ``state`` and the API's
list item read, with ``organization`` as an :class:`OrgRef` (or None for the centre's own posts).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time
from functools import lru_cache

from sqlalchemy import bindparam, func, select

from ...core.extensions import db
from ...core.search import normalise_query
from ...core.time import now
from ...orgs.models import Organization
from ...web.api import paginate
from ..models import Post
from .posts import search

_COLUMNS = (
    Post.id,
    Post.title,
    Post.excerpt,
    Post.category,
    Post.dong,
    Post.organization_id,
    Post.cover_key,
    Post.cover_thumb_key,
    Post.cover_alt,
    Post.event_date,
    Post.event_time,
    Post.event_end_time,
    Post.event_place,
    Post.status,
    Post.publish_at,
    Post.pinned_at,
    Post.hidden_at,
    Post.edited_at,
    Post.created_at,
)
_ORG_COLUMNS = (Organization.name, Organization.kind)


@dataclass(frozen=True, slots=True)
class OrgRef:
    id: int
    name: str
    kind: str


@dataclass(frozen=True, slots=True)
class PostRow:
    id: int
    title: str
    excerpt: str
    category: str
    dong: str | None
    organization_id: int | None
    cover_key: str | None
    cover_thumb_key: str | None
    cover_alt: str
    event_date: date | None
    event_time: time | None
    event_end_time: time | None
    event_place: str | None
    status: str
    publish_at: datetime | None
    pinned_at: datetime | None
    hidden_at: datetime | None
    edited_at: datetime | None
    created_at: datetime
    organization: OrgRef | None

    @property
    def is_centre_post(self) -> bool:
        return self.organization_id is None

    @property
    def has_event(self) -> bool:
        return self.event_date is not None


def _row(values) -> PostRow:
    *own, org_name, org_kind = values
    org_id = own[5]
    return PostRow(*own, OrgRef(org_id, org_name, org_kind) if org_id is not None else None)


def _as_rows(stmt):
    """``stmt`` (a ``select(Post)`` of ``search``) as a select of the list's columns, same order."""
    return (
        stmt.with_only_columns(*_COLUMNS, *_ORG_COLUMNS, maintain_column_froms=False)
        .select_from(Post)
        .outerjoin(Organization, Organization.id == Post.organization_id)
    )


# The time a post must have reached to be public, bound when the statement runs: the statements of
# each filter are built once per process and reused (immutable, they hold no connection).
_AT = bindparam("news_public_at", type_=Post.publish_at.type)


def _build(q, category, dong, organization_id):
    stmt = search(q=q, category=category, dong=dong, organization_id=organization_id, at=_AT)
    return _as_rows(stmt), select(func.count()).select_from(stmt.order_by(None).subquery())


# The filters' statements are kept; a keyword search's are built per request (the words vary: a
# cache would fill with them).
_statements = lru_cache(maxsize=512)(_build)


def page(
    *, page: int, per_page: int, q=None, category=None, dong=None, organization_id=None
) -> tuple[list[PostRow], int]:
    """One page of the public list under the filters of ``search`` (``q``: words in the title or
    body) as rows, and its total."""
    filters = (category or None, dong or None, organization_id or None)
    q = normalise_query(q)
    rows_stmt, count = _build(q, *filters) if q else _statements(None, *filters)
    rows, total = paginate(
        rows_stmt, page=page, per_page=per_page, count_stmt=count, scalars=False, params={_AT.key: now()}
    )
    return [_row(r) for r in rows], total


def latest(limit: int) -> list[PostRow]:
    """The newest public posts (pinned first), as rows."""
    return [_row(r) for r in db.session.execute(_as_rows(search()).limit(limit))]
