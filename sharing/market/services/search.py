"""Searching the market: the visible, active listings matching a query and filters, as statements the
results pages read (``results.page_of``, ``results.count``).

A query matches a listing's text (title and description, on the database's Korean substring index)
and also the listings of a category it names (공구 finds 전동드릴 and 사다리, listed as 공구), in the
reader's language or in Korean.
"""

from __future__ import annotations

import functools

from flask_babel.speaklater import LazyString
from sqlalchemy import and_, exists, func, or_, select

from ...core.extensions import db
from ...core.i18n import labels
from ...core.search import normalise_query
from ...core.vocab import LISTING_CATEGORIES
from ..models import BLOCKING_STATUSES, LISTING_SEARCH, Listing, Loan

# A category is named by two characters or more (한 글자 "구" would name 공구 and 가구 alike).
NAME_MIN = 2


def _korean(text) -> str:
    """A vocabulary label's Korean source text (the message id of a lazy translation)."""
    return str(text._args[0]) if isinstance(text, LazyString) else str(text)


_KOREAN_LABELS = {code: _korean(text) for code, text in LISTING_CATEGORIES.items()}


def categories_named(q: str) -> tuple[str, ...]:
    """The categories whose label, in Korean or in the reader's language, contains ``q``."""
    if len(q) < NAME_MIN:
        return ()
    needle = q.casefold()
    shown = labels(LISTING_CATEGORIES)
    return tuple(
        code
        for code, korean in _KOREAN_LABELS.items()
        if needle in korean.casefold() or needle in shown.get(code, "").casefold()
    )


def search(
    *,
    q: str | None = None,
    kind: str | None = None,
    category: str | None = None,
    dong: str | None = None,
    available_from=None,
    available_to=None,
    viewer=None,
    organization_id: int | None = None,
):
    """(statement, count statement) of the visible, active listings matching the filters: with ``q``,
    those whose title contains it first, then those where only the description does, newest first in
    each group; without, newest first.

    ``available_from``/``available_to``: no accepted or borrowed loan overlaps that range (a missing
    end is the same day as the other end). ``organization_id``: only that organisation's listings
    (its page links here).
    """
    q = normalise_query(q)
    return _search(
        q,
        categories_named(q),
        kind or None,
        category or None,
        dong or None,
        available_from,
        available_to,
        _viewer_key(viewer),
        db.engine.dialect.name,
        organization_id or None,
    )


def _viewer_key(viewer):
    """What of the viewer decides which hidden listings they see: nothing (anonymous), everything
    (the centre), or their own and their organisations' (a user id and organisation ids)."""
    if viewer is None:
        return None
    if viewer.is_centre:
        return "centre"
    return viewer.id, tuple(sorted(m.organization_id for m in viewer.memberships))


@functools.lru_cache(maxsize=512)
def _search(q, named, kind, category, dong, available_from, available_to, viewer, dialect, organization_id):
    # The same filters give the same statement objects, kept per process: building a statement,
    # computing its cache key and adapting a cached compilation to a new object cost more than
    # running it. Statements are immutable and hold no connection, so sharing them is safe.
    conditions = [Listing.status == "active"]
    if viewer == "centre":
        pass
    elif viewer is not None:
        viewer_id, org_ids = viewer
        mine = Listing.owner_id == viewer_id
        if org_ids:
            mine = or_(mine, Listing.organization_id.in_(org_ids))
        conditions.append(or_(Listing.hidden_at.is_(None), mine))
    else:
        conditions.append(Listing.hidden_at.is_(None))
    if kind:
        conditions.append(Listing.kind == kind)
    if category:
        conditions.append(Listing.category == category)
    if dong:
        conditions.append(Listing.dong == dong)
    if organization_id:
        conditions.append(Listing.organization_id == organization_id)
    if available_from or available_to:
        start, end = available_from or available_to, available_to or available_from
        busy = exists().where(
            Loan.listing_id == Listing.id,
            Loan.status.in_(BLOCKING_STATUSES),
            and_(Loan.start_date <= end, Loan.end_date >= start),
        )
        conditions.append(~busy)
    stmt = select(Listing).where(*conditions)
    if not q:
        return stmt.order_by(Listing.id.desc()), select(func.count()).select_from(Listing).where(*conditions)
    if named:  # q names categories: their listings match as well as those whose text contains q
        text_ids, _rank = LISTING_SEARCH.apply(select(Listing.id), Listing, q, dialect=dialect)
        conditions.append(or_(Listing.id.in_(text_ids), Listing.category.in_(named)))
        stmt, newest = select(Listing).where(*conditions), Listing.id
        count = select(func.count()).select_from(Listing).where(*conditions)
        return _title_first(stmt, q, newest, dialect), count
    stmt, newest = LISTING_SEARCH.matching(stmt, Listing, q, dialect=dialect)
    matches = LISTING_SEARCH.match_ids(q, dialect=dialect)
    if matches is not None:  # count through ``id IN (matches)``: no join, the text query runs once
        count = select(func.count()).select_from(Listing).where(*conditions, Listing.id.in_(matches))
    else:  # no join: count straight from the table (its index), not from a subquery
        count = select(func.count()).select_from(Listing).where(stmt.whereclause)
    return _title_first(stmt, q, newest, dialect), count


def _title_first(stmt, q: str, newest, dialect: str):
    """The order: listings whose title contains q first, then the others, newest first in each.
    ``results.page_of`` reads these options and fetches a page as two walks in that order which stop
    after the page, instead of sorting every match."""
    title_first = (func.strpos if dialect == "postgresql" else func.instr)(Listing.title, q)
    stmt = stmt.execution_options(market_title_first=title_first, market_newest=newest)
    return stmt.order_by(title_first == 0, newest.desc())


def search_stmt(**filters):
    return search(**filters)[0]


def search_preview(q: str | None, limit: int = 3) -> tuple[list[Listing], int]:
    """The first ``limit`` visible listings ``q`` finds (in the results page's order) and how many
    there are in all: the site-wide search's market part. Nothing for an empty ``q``."""
    q = normalise_query(q)
    if not q:
        return [], 0
    stmt, count = search(q=q)
    items = list(db.session.execute(stmt.limit(limit)).scalars())
    return items, db.session.execute(count).scalar_one()


def home_items(limit: int = 4):
    """The latest visible listings for the home page."""
    return db.session.execute(search_stmt().limit(limit)).scalars().all()
