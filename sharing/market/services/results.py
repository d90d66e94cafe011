"""Pages of search results, read fast (the results page and the API's list): three small Core queries instead of ORM entities.

A results page needs each listing's own columns, its owner's name, its organisation's name and
whether that is verified, and its photos. Loading full ``Listing``/``User``/``Organization`` entities
(with their relationship loaders) and dumping them through marshmallow cost most of a list request;
here the page's ids come from the search statement itself, the rows and photos come in one query
each, and the API item is built as a plain dict with exactly ``ListingOut``'s fields (a test keeps
the two identical).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import bindparam, select

from ...auth.models import User
from ...core.cache import Cache
from ...core.extensions import db
from ...core.media import media_url
from ...core.time import seoul
from ...orgs.models import Organization
from ..models import Listing, ListingFacts, ListingPhoto

_COLUMNS = (
    Listing.id,
    Listing.title,
    Listing.description,
    Listing.kind,
    Listing.category,
    Listing.dong,
    Listing.condition,
    Listing.price,
    Listing.price_per_day,
    Listing.deposit,
    Listing.status,
    Listing.hidden_at,
    Listing.organization_id,
    Listing.owner_id,
    Listing.cover_thumb_key,
    Listing.photo_count,
    Listing.rating_sum,
    Listing.rating_count,
    Listing.created_at,
    Listing.updated_at,
)


_KEYS = tuple(c.key for c in _COLUMNS)


def _seoul(value: datetime | None) -> str | None:
    return None if value is None else seoul(value).isoformat()


@dataclass(frozen=True)
class OrgRef:
    id: int
    name: str
    verified: bool


@dataclass(frozen=True)
class OwnerRef:
    id: int
    name: str


@dataclass(frozen=True)
class ListingRow(ListingFacts):
    """A listing as a results page reads it (the attributes the page's cards and the API dump read)."""

    id: int
    title: str
    description: str
    kind: str
    category: str
    dong: str
    condition: str
    price: int | None
    price_per_day: int | None
    deposit: str | None
    status: str
    hidden_at: datetime | None
    organization_id: int | None
    cover_thumb_key: str | None
    photo_count: int
    rating_sum: int
    rating_count: int
    created_at: datetime
    updated_at: datetime
    owner: OwnerRef
    organization: OrgRef | None
    photos: tuple = ()

    def as_api(self) -> dict:
        """The same fields and values as ``ListingOut().dump(listing)``."""
        org = self.organization
        return {
            "id": self.id,
            "title": self.title,
            "description": self.description,
            "kind": self.kind,
            "category": self.category,
            "dong": self.dong,
            "condition": self.condition,
            "price": self.price,
            "price_per_day": self.price_per_day,
            "deposit": self.deposit,
            "status": self.status,
            "hidden": self.hidden,
            "card_payment": self.card_rental,
            "organization_id": self.organization_id,
            "organization": {"id": org.id, "name": org.name, "verified": org.verified} if org else None,
            "owner": {"id": self.owner.id, "name": self.owner.name},
            "photos": [
                {
                    "id": p.id,
                    "url": media_url(p.key),
                    "thumb_url": media_url(p.thumb_key),
                    "width": p.width,
                    "height": p.height,
                    "content_type": p.content_type,
                }
                for p in self.photos
            ],
            "rating": {"average": self.rating_average, "count": self.rating_count},
            "created_at": _seoul(self.created_at),
            "updated_at": _seoul(self.updated_at),
        }


_ROW_STATEMENTS: dict[int, tuple] = {}
_GROUPS: dict[int, tuple] = {}
_LIMIT, _OFFSET = bindparam("cards_limit"), bindparam("cards_offset")


def _per_statement(store: dict, stmt, build):
    """``build(stmt)``, kept per statement object: search statements are reused (see
    ``search._search``), so a page view neither rebuilds its queries nor re-derives their compiled
    form. Holding ``stmt`` in the entry keeps its id from being reused by another object."""
    held = store.get(id(stmt))
    if held is not None and held[0] is stmt:
        return held[1]
    value = build(stmt)
    if len(store) > 2000:
        store.clear()
    store[id(stmt)] = (stmt, value)
    return value


def _page_query(stmt):
    """``stmt``'s page query: its own filters and order, with the owner's and organisation's names,
    the page bounds as parameters. Outer joins keep SQLite reading listings first (an inner join to
    users let it start from the few users and sort every listing)."""
    return (
        stmt.with_only_columns(*_COLUMNS, User.name, Organization.name, Organization.verified_at)
        .outerjoin(User, User.id == Listing.owner_id)
        .outerjoin(Organization, Organization.id == Listing.organization_id)
        .limit(_LIMIT)
        .offset(_OFFSET)
    )


def _title_groups(stmt) -> tuple:
    """The two groups of a title-first search statement, each newest first."""
    options = stmt.get_execution_options()
    title_first, newest = options["market_title_first"], options["market_newest"].desc()
    base = stmt.order_by(None)
    return base.where(title_first != 0).order_by(newest), base.where(title_first == 0).order_by(newest)


def _rows(stmt, limit: int, offset: int) -> list:
    """One query for a page of ``stmt``, read as Core rows (no ORM result machinery)."""
    return (
        db.session.connection()
        .execute(
            _per_statement(_ROW_STATEMENTS, stmt, _page_query), {"cards_limit": limit, "cards_offset": offset}
        )
        .all()
    )


def page_of(stmt, *, page: int, per_page: int, photos: bool = True) -> list[ListingRow]:
    """One page of the search statement ``stmt`` (ordered ``select(Listing)``) as ListingRows."""
    offset = (page - 1) * per_page
    options = stmt.get_execution_options()
    title_first = options.get("market_title_first")
    if title_first is None:
        rows = _rows(stmt, per_page, offset)
    else:
        # ``stmt`` is ordered by (title does not contain q, newest first): the listings whose title
        # contains q come first, then the others. Read the first group up to the end of the page;
        # only if it runs out, the rest from the second group (same rows, same order).
        in_title_stmt, others_stmt = _per_statement(_GROUPS, stmt, _title_groups)
        rows = _rows(in_title_stmt, offset + per_page, 0)
        in_title = len(rows)
        rows = rows[offset:]
        if in_title < offset + per_page:
            rows += _rows(others_stmt, per_page - len(rows), max(offset - in_title, 0))
    if not rows:
        return []
    with_photos = [r.id for r in rows if r.photo_count] if photos else []
    by_listing: dict[int, list] = {}
    if with_photos:
        for photo in db.session.execute(
            select(ListingPhoto)
            .where(ListingPhoto.listing_id.in_(with_photos))
            .order_by(ListingPhoto.position, ListingPhoto.id)
        ).scalars():
            by_listing.setdefault(photo.listing_id, []).append(photo)
    cards = []
    width = len(_COLUMNS)
    for row in rows:
        values = dict(zip(_KEYS, row[:width], strict=True))
        owner_name, org_name, org_verified_at = row[width:]
        org = (
            OrgRef(values["organization_id"], org_name, org_verified_at is not None)
            if values["organization_id"] is not None and org_name is not None
            else None
        )
        owner = OwnerRef(values.pop("owner_id"), owner_name)
        cards.append(
            ListingRow(
                **values, owner=owner, organization=org, photos=tuple(by_listing.get(values["id"], ()))
            )
        )
    return cards


# --- Counting -----------------------------------------------------------------------------------
# Counting 20,000 visible listings costs more than reading the page itself. Large totals (the
# unfiltered market, broad searches) are kept per process for a few seconds: "about 20,012" may lag
# a new listing by COUNT_TTL seconds, while small totals (where one more row is visible) are exact.

COUNT_TTL = 10.0
COUNT_CACHE_MIN = 1000
_counts = Cache(ttl=COUNT_TTL, maxsize=512)


def _count_key(stmt) -> tuple:
    """The statement's identity: its structure (SQLAlchemy's cache key, what ``execute`` computes
    anyway; far cheaper than compiling to SQL text) and its bound values."""
    cache_key = stmt._generate_cache_key()
    if cache_key is None:  # not cacheable: fall back to the SQL text
        compiled = stmt.compile(db.engine)
        return (str(compiled), repr(sorted(compiled.params.items(), key=str)))
    return (cache_key.key, repr([b.effective_value for b in cache_key.bindparams]))


def count(stmt) -> int:
    """The total of the count statement ``stmt``; totals of COUNT_CACHE_MIN or more are kept."""
    key = (db.engine.url.render_as_string(), *_count_key(stmt))
    return _counts.get_or_compute(
        key, lambda: db.session.execute(stmt).scalar_one(), keep=lambda total: total >= COUNT_CACHE_MIN
    )
