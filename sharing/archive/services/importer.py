"""The centre's CSV import: public lists (e.g. the district's social enterprises) into the archive.

A file is read whole (UTF-8 with or without BOM, else CP949/EUC-KR), its header checked, then every row
is planned: created, updated, unchanged or rejected (with the reasons). A dry run stops there; a commit
writes everything in one transaction, or nothing when any row is rejected. Re-importing the same file
changes nothing.

Rows are matched by a stable key, in this order: ``id`` (this platform's id, as the export writes it;
an id that does not exist any more re-creates the entry with that id, so an export restores into an
empty archive byte for byte), ``external_id`` (the source list's own key), else ``name`` + ``dong``.
Columns are those of :mod:`.export` plus ``contact``; ``zone`` and ``organization_name`` are derived and
ignored. A column the file does not have is left as it is on update. Korean headers (이름, 유형, 분야,
행정동 ...) and Korean kind/category labels (공간, 돌봄 ...) are accepted too.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time

from flask_babel import gettext as _
from sqlalchemy import text

from ...auth.services import require_centre
from ...core.db import transaction, utcnow
from ...core.errors import Invalid
from ...core.extensions import db
from ...core.time import SEOUL
from ...records.log import record_action
from ..models import Resource
from . import resources, revisions
from .export import confirmed_on
from .import_file import (  # noqa: F401  (re-exported: the pages, the API, staging and the tests use them)
    ALIASES,
    ALLOWED_COLUMNS,
    DERIVED_COLUMNS,
    MAX_BYTES,
    MAX_ROWS,
    REQUIRED_COLUMNS,
    decode,
    read,
)
from .import_plan import RowResult, plan


@dataclass
class ImportResult:
    dry_run: bool
    rows: list[RowResult]

    def count(self, action: str) -> int:
        return sum(1 for r in self.rows if r.action == action)

    def as_dict(self) -> dict:
        return {
            "dry_run": self.dry_run,
            "created": self.count("created"),
            "updated": self.count("updated"),
            "unchanged": self.count("unchanged"),
            "rejected": self.count("rejected"),
            "rows": [r.as_dict() for r in self.rows if r.action != "unchanged"],
        }


def _seoul_midnight(day: date) -> datetime:
    return datetime.combine(day, time(), tzinfo=SEOUL)


# --- Running ----------------------------------------------------------------------------------


def run_import(actor, data: bytes, *, commit: bool, strict: bool = True) -> ImportResult:
    """Plan the file; with ``commit``, write every good row in one transaction.

    ``strict`` (the import page, and the API's ``?strict=1``): any bad row refuses the whole file
    (422 ``import_rejected``). Otherwise (the API's default, as the contract answers 201 with the
    counts created, updated and rejected) the bad rows are reported and skipped, and the good rows
    are written all together or not at all.
    """
    require_centre(actor)
    header, rows = read(data)
    if not commit:
        planned = plan(header, rows)
        return ImportResult(dry_run=True, rows=[p[0] for p in planned])
    with transaction():
        planned = plan(header, rows)
        result = ImportResult(dry_run=False, rows=[p[0] for p in planned])
        rejected = [r for r in result.rows if r.action == "rejected"]
        if rejected and strict:
            raise Invalid(
                _("%(n)s개 행에 문제가 있어 아무것도 가져오지 않았습니다.", n=len(rejected)),
                code="import_rejected",
                fields={"rows": {str(r.row): r.reasons for r in rejected}},
            )
        # Entries with their own id first, then the sequence moves past them, then the others.
        explicit = [p for p in planned if p[0].action == "created" and p[0].id is not None]
        for row_result, _target, cleaned, day in explicit:
            _create(actor, row_result.id, cleaned, day)
        if explicit and db.engine.dialect.name == "postgresql":
            db.session.execute(
                text(
                    "SELECT setval(pg_get_serial_sequence('resources', 'id'), "
                    "(SELECT coalesce(max(id), 1) FROM resources))"
                )
            )
        for row_result, target, cleaned, day in planned:
            if row_result.action == "created" and row_result.id is None:
                row_result.id = _create(actor, None, cleaned, day).id
            elif row_result.action == "updated":
                _update(actor, target, cleaned, day)
        record_action(
            actor,
            "resource.import",
            "resource",
            None,
            created=result.count("created"),
            updated=result.count("updated"),
            unchanged=result.count("unchanged"),
        )
    return result


def _create(actor, resource_id: int | None, cleaned: dict, day: date | None) -> Resource:
    values = {"description": "", "contact": "", "availability": "", **cleaned}
    tags = values.pop("tags", [])
    resource = Resource(
        id=resource_id,
        owner_id=actor.id,
        confirmed_at=_seoul_midnight(day) if day is not None else utcnow(),
    )
    resources.apply_values(resource, values)
    db.session.add(resource)
    db.session.flush()
    resources.set_tags(resource, tags)
    db.session.flush()
    revisions.record(resource, actor, "import", revisions.diff({}, revisions.snapshot(resource)))
    return resource


def _update(actor, resource: Resource, cleaned: dict, day: date | None) -> None:
    before = revisions.snapshot(resource)
    resources.apply_values(resource, cleaned)
    changes = revisions.diff(before, revisions.snapshot(resource))
    new_confirmed = _seoul_midnight(day) if day is not None else (utcnow() if changes else None)
    if new_confirmed is not None and (day is None or day.isoformat() != confirmed_on(resource)):
        changes["confirmed_at"] = [resource.confirmed_at, new_confirmed]
        resource.confirmed_at = new_confirmed
    revisions.record(resource, actor, "import", changes)
