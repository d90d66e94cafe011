"""Open data: every public entry as CSV (UTF-8 with BOM) or JSON, streamed in id order.

Columns (stable; the CSV header and the JSON keys, in this order):

``id``                this platform's resource id (the page is ``/archive/<id>``)
``external_id``       the key of the entry in its source list (empty when registered here)
``kind``              person | space | equipment | organization | program
``category``          the plan's field code (food, clothing, housing, education, culture, health, care,
                      environment, safety, parking, repair, safety_net, public_service, other)
``name``              name, at most 100 characters
``description``       description, at most 5,000 characters (may span lines)
``dong``              administrative dong, in Korean
``zone``              regeneration zone (권역) of the dong, or ``권역 외``; derived, ignored on import
``tags``              tags joined by ``", "`` (a JSON list in the JSON export)
``availability``      opening times or availability note
``organization_id``   linked organisation's id, or empty (null)
``organization_name`` linked organisation's name; derived, ignored on import
``confirmed_on``      the date (Asia/Seoul, ``YYYY-MM-DD``) the entry was last confirmed

Contacts are not exported: they are shown to signed-in residents only. In the CSV, a text cell that
starts with ``=``, ``+``, ``-``, ``@``, a tab, a carriage return or ``'`` gets a leading ``'`` so a
spreadsheet never runs it as a formula; the importer removes that one ``'`` again, so an export
imported into an empty archive exports byte for byte the same.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from functools import partial

from sqlalchemy import select
from sqlalchemy.orm import lazyload

from ...core import csv as csvfile
from ...core.extensions import db
from ...core.time import seoul
from ..models import Resource
from ..vocab import zone_code, zone_label
from .queries import public_filter

COLUMNS = (
    "id",
    "external_id",
    "kind",
    "category",
    "name",
    "description",
    "dong",
    "zone",
    "tags",
    "availability",
    "organization_id",
    "organization_name",
    "confirmed_on",
)
BATCH = 500


def confirmed_on(resource: Resource) -> str:
    return seoul(resource.confirmed_at).date().isoformat()


def row(resource: Resource) -> dict:
    return {
        "id": resource.id,
        "external_id": resource.external_id or "",
        "kind": resource.kind,
        "category": resource.category,
        "name": resource.name,
        "description": resource.description or "",
        "dong": resource.dong,
        "zone": zone_label(zone_code(resource.dong)),
        "tags": resource.tag_list,
        "availability": resource.availability or "",
        "organization_id": resource.organization_id,
        "organization_name": resource.organization_name,
        "confirmed_on": confirmed_on(resource),
    }


def batch(after: int, size: int = BATCH) -> list[Resource]:
    """The next public entries with an id above ``after`` (keyset paging: never all in memory)."""
    stmt = (
        public_filter(select(Resource))
        .where(Resource.id > after)
        .order_by(Resource.id)
        .limit(size)
        .options(lazyload(Resource.owner), lazyload(Resource.tags))
    )
    return list(db.session.execute(stmt).scalars())


def csv_cells(data: dict) -> list:
    """An entry's cells in column order (the shared writer makes them formula-safe)."""
    return [", ".join(data[c]) if c == "tags" else data[c] for c in COLUMNS]


def csv_header() -> str:
    return csvfile.BOM + csvfile.line(COLUMNS)


def csv_text(resources) -> str:
    return "".join(csvfile.line(csv_cells(row(r))) for r in resources)


def json_text(resources, *, first: bool) -> str:
    parts = [json.dumps(row(r), ensure_ascii=False) for r in resources]
    return ("\n" if first else ",\n") + ",\n".join(parts) if parts else ""


def chunks(kind: str, run=lambda step: step()) -> Iterator[str]:
    """The export in chunks of ``BATCH`` entries. ``run(step)`` calls each database step (the
    streaming view runs each one in an app context of its own, opened and closed between yields)."""
    yield csv_header() if kind == "csv" else "["
    last, first = 0, True
    while True:
        rows = run(partial(_rendered, kind, last, first))
        if rows is None:
            break
        text, last = rows
        first = False
        yield text
    if kind == "json":
        yield "\n]\n"


def _rendered(kind: str, after: int, first: bool):
    rows = batch(after)
    if not rows:
        return None
    text = csv_text(rows) if kind == "csv" else json_text(rows, first=first)
    return text, rows[-1].id
