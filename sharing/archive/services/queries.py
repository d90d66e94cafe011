"""Reading the archive: search with facets, the classification counts, the indicators.

Facet counts are "disjunctive": each facet is counted under every filter except its own, so the
reader sees how many entries each other value would give (the selected value shows the current count).

Speed (20,000 entries): a page walks ``ix_resources_public_list`` (the public filter, then id) newest
first and stops after the page, instead of sorting every match. Counting and the facets cost more than
the page itself (a short Korean query scans the table; the tag facet groups every tag), so large
answers (at least ``CACHE_MIN`` entries) are kept per process for ``CACHE_TTL`` seconds, keyed on the
filters: "about 20,012" may lag a new entry by a few seconds, while small answers (where one more entry
is visible) are always exact.
"""

from __future__ import annotations

from dataclasses import dataclass, fields, replace

from sqlalchemy import Select, func, select

from ...core.cache import Cache
from ...core.extensions import db
from ...core.search import normalise_query
from ...core.vocab import DONGS, RESOURCE_CATEGORIES
from ..models import RESOURCE_SEARCH, Resource, ResourceTag
from ..vocab import RESOURCE_KINDS, ZONE_CODES, zone_code, zone_dongs, zone_label

TAG_FACET_LIMIT = 20
CACHE_TTL = 10.0
CACHE_MIN = 1000
_cache = Cache(ttl=CACHE_TTL, maxsize=500)


def _cached(kind: str, f: Filters, compute, size):
    """``compute()``, kept for ``CACHE_TTL`` seconds in this process when ``size(value)`` is large."""
    key = (str(db.engine.url), kind, f)
    return _cache.get_or_compute(key, compute, keep=lambda value: size(value) >= CACHE_MIN)


@dataclass(frozen=True)
class Filters:
    q: str = ""
    kind: str | None = None
    category: str | None = None
    dong: str | None = None
    zone: str | None = None
    tag: str | None = None

    @classmethod
    def from_mapping(cls, args) -> Filters:
        """Known values only (the pages ignore unknown ones; the API's schema rejects them first)."""
        get = args.get

        def pick(name, allowed):
            value = get(name) or None
            return value if value in allowed else None

        tag = " ".join((get("tag") or "").split())[:30] or None
        return cls(
            q=normalise_query(get("q")),
            kind=pick("kind", RESOURCE_KINDS),
            category=pick("category", RESOURCE_CATEGORIES),
            dong=pick("dong", DONGS),
            zone=pick("zone", ZONE_CODES),
            tag=tag,
        )

    def as_args(self) -> dict:
        return {f.name: getattr(self, f.name) for f in fields(self) if getattr(self, f.name)}

    @property
    def active(self) -> bool:
        return bool(self.as_args())


def public_filter(stmt: Select) -> Select:
    return stmt.where(Resource.archived_at.is_(None), Resource.hidden_at.is_(None))


def _dialect() -> str:
    return db.engine.dialect.name


def _where(stmt: Select, f: Filters, *, counting: bool = False) -> tuple[Select, object | None]:
    """``stmt`` under the filters, and the rank expression (None without a ranked search).

    ``counting``: no rank wanted. On SQLite a query of three or more characters then filters by
    ``id IN (matches)`` (the FTS query runs once) instead of the ranked join (fine for one page, but
    SQLite re-runs it for every entry when counting or grouping)."""
    stmt = public_filter(stmt)
    if f.kind:
        stmt = stmt.where(Resource.kind == f.kind)
    if f.category:
        stmt = stmt.where(Resource.category == f.category)
    if f.dong:
        stmt = stmt.where(Resource.dong == f.dong)
    if f.zone:
        stmt = stmt.where(Resource.dong.in_(zone_dongs(f.zone)))
    if f.tag:
        tagged = select(ResourceTag.resource_id).where(ResourceTag.tag == f.tag)
        stmt = stmt.where(Resource.id.in_(tagged))
    matches = RESOURCE_SEARCH.match_ids(normalise_query(f.q), dialect=_dialect()) if counting else None
    if matches is not None:
        return stmt.where(Resource.id.in_(matches)), None
    return RESOURCE_SEARCH.apply(stmt, Resource, f.q, dialect=_dialect())


def count(f: Filters) -> Select:
    """The number of entries :func:`search` finds (counted on the narrow index, not the rows)."""
    stmt, _rank = _where(select(func.count()).select_from(Resource), f, counting=True)
    return stmt


def total(f: Filters) -> int:
    """What :func:`count` answers (large numbers kept a few seconds)."""
    return _cached("total", f, lambda: db.session.execute(count(f)).scalar_one(), lambda n: n)


def page(f: Filters, page: int, per_page: int) -> list[Resource]:
    stmt = search(f).limit(per_page).offset((page - 1) * per_page)
    return list(db.session.execute(stmt).scalars())


def search(f: Filters) -> Select:
    """Public entries matching the filters: by relevance when searching, else newest first."""
    stmt, rank = _where(select(Resource), f)
    if rank is not None:
        return stmt.order_by(rank, Resource.id.desc())
    return stmt.order_by(Resource.id.desc())


def _grouped(f: Filters) -> list[tuple[str, str, str, int]]:
    """Counts by (kind, category, dong) under the search and tag filters only; the facets apply the
    kind, category, dong and zone filters in Python, each facet leaving out its own."""
    base = replace(f, kind=None, category=None, dong=None, zone=None)
    columns = (Resource.kind, Resource.category, Resource.dong)
    stmt, _rank = _where(select(*columns, func.count()).select_from(Resource), base, counting=True)
    return [tuple(row) for row in db.session.execute(stmt.group_by(*columns)).all()]


def _keep(f: Filters, kind: str, category: str, dong: str, *, skip: str) -> bool:
    return (
        (skip == "kind" or not f.kind or kind == f.kind)
        and (skip == "category" or not f.category or category == f.category)
        and (skip == "dong" or not f.dong or dong == f.dong)
        and (skip == "zone" or not f.zone or zone_code(dong) == f.zone)
    )


def facets(f: Filters) -> dict:
    """``{facet: [(value, label, count), ...]}`` for kind, category, zone, dong and tag (the
    ``TAG_FACET_LIMIT`` most used tags, as the page shows), and ``total``: the number of entries
    under every filter (what :func:`count` would answer). Large answers are kept a few seconds."""
    return dict(_cached("facets", f, lambda: _facets(f), lambda value: value["total"]))


def _facets(f: Filters) -> dict:
    counts: dict[str, dict[str, int]] = {"kind": {}, "category": {}, "dong": {}, "zone": {}}
    total = 0
    for kind, category, dong, n in _grouped(f):
        if _keep(f, kind, category, dong, skip=""):
            total += n
        values = {"kind": kind, "category": category, "dong": dong, "zone": zone_code(dong)}
        for facet, bucket in counts.items():
            if _keep(f, kind, category, dong, skip=facet):
                bucket[values[facet]] = bucket.get(values[facet], 0) + n
    ids, _rank = _where(select(Resource.id), replace(f, tag=None), counting=True)
    tag_rows = db.session.execute(
        select(ResourceTag.tag, func.count())
        .where(ResourceTag.resource_id.in_(ids.scalar_subquery()))
        .group_by(ResourceTag.tag)
        .order_by(func.count().desc(), ResourceTag.tag)
        .limit(TAG_FACET_LIMIT)
    ).all()
    tags = [(t, t, n) for t, n in tag_rows]
    if f.tag and f.tag not in {t for t, _l, _n in tags}:
        tags.append((f.tag, f.tag, 0))
    return {
        "kind": [(c, str(lbl), counts["kind"].get(c, 0)) for c, lbl in RESOURCE_KINDS.items()],
        "category": [(c, str(lbl), counts["category"].get(c, 0)) for c, lbl in RESOURCE_CATEGORIES.items()],
        "zone": [(z, zone_label(z), counts["zone"].get(z, 0)) for z in ZONE_CODES],
        "dong": [(d, d, counts["dong"].get(d, 0)) for d in DONGS],
        "tag": tags,
        "total": total,
    }


def facets_json(f: Filters) -> dict:
    return {
        name: [{"value": v, "label": lbl, "count": n} for v, lbl, n in values]
        for name, values in facets(f).items()
        if name != "total"
    }


# --- Classification ---------------------------------------------------------------------------


def classification(kind: str | None = None) -> dict:
    """Counts of public entries by category x dong, by zone and by category (gaps show as 0)."""
    stmt = public_filter(
        select(Resource.category, Resource.dong, func.count()).group_by(Resource.category, Resource.dong)
    )
    if kind:
        stmt = stmt.where(Resource.kind == kind)
    cells: dict[tuple[str, str], int] = {}
    for category, dong, n in db.session.execute(stmt).all():
        cells[(category, dong)] = n
    by_dong = {d: sum(cells.get((c, d), 0) for c in RESOURCE_CATEGORIES) for d in DONGS}
    by_category = {c: sum(cells.get((c, d), 0) for d in DONGS) for c in RESOURCE_CATEGORIES}
    by_zone = {z: sum(by_dong[d] for d in zone_dongs(z)) for z in ZONE_CODES}
    return {
        "cells": cells,
        "by_dong": by_dong,
        "by_category": by_category,
        "by_zone": by_zone,
        "total": sum(by_dong.values()),
        "max_cell": max(cells.values(), default=0),
        "empty_cells": sum(1 for c in RESOURCE_CATEGORIES for d in DONGS if not cells.get((c, d))),
    }


def heat_level(n: int, maximum: int) -> int:
    """0 for none, else 1..4 by quarter of the largest cell (the number is always printed too)."""
    if n <= 0 or maximum <= 0:
        return 0
    return min(4, -(-4 * n // maximum))


# --- Indicators and the home page -------------------------------------------------------------


def metrics() -> dict:
    """The plan's indicator for project 3-1: public entries in the archive now."""
    n = db.session.execute(public_filter(select(func.count()).select_from(Resource))).scalar_one()
    return {"resources": n}


def monthly_metrics() -> dict:
    """Entries registered per month (Asia/Seoul), archived ones included: ``{"YYYY-MM": {...}}``."""
    if _dialect() == "postgresql":
        month = func.to_char(func.timezone("Asia/Seoul", Resource.created_at), "YYYY-MM")
    else:
        month = func.strftime("%Y-%m", Resource.created_at, "+9 hours")
    stmt = select(month, func.count()).where(Resource.hidden_at.is_(None)).group_by(month).order_by(month)
    return {m: {"resources": n} for m, n in db.session.execute(stmt).all()}


def resource_counts_by_kind_and_dong() -> dict:
    """``{kind: {dong: n}}`` of public entries, every kind and dong present (zeros included)."""
    stmt = public_filter(
        select(Resource.kind, Resource.dong, func.count()).group_by(Resource.kind, Resource.dong)
    )
    counts = {k: dict.fromkeys(DONGS, 0) for k in RESOURCE_KINDS}
    for kind, dong, n in db.session.execute(stmt).all():
        if kind in counts and dong in counts[kind]:
            counts[kind][dong] = n
    return counts


def search_preview(q: str | None, limit: int = 3) -> tuple[list[Resource], int]:
    """The first ``limit`` public entries ``q`` finds (by relevance, as the archive's search) and how
    many there are in all: the site-wide search's archive part. Nothing for an empty ``q``."""
    f = Filters(q=normalise_query(q))
    if not f.q:
        return [], 0
    return page(f, 1, limit), total(f)


def home_items(limit: int = 4) -> list[Resource]:
    stmt = public_filter(select(Resource)).order_by(Resource.id.desc()).limit(limit)
    return list(db.session.execute(stmt).scalars())
