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

import csv
import io
from dataclasses import dataclass, field
from datetime import date, datetime, time

from flask_babel import gettext as _
from sqlalchemy import select, text

from ..admin.log import record_action
from ..auth.services import require_centre
from ..db import transaction, utcnow
from ..errors import BadRequest, Invalid, TooLarge
from ..extensions import db
from ..orgs.models import Organization
from ..schemas import SEOUL
from ..vocab import RESOURCE_CATEGORIES
from . import revisions, services
from .export import COLUMNS, confirmed_on, unescape_cell
from .models import Resource
from .vocab import RESOURCE_KINDS

MAX_BYTES = 5 * 1024 * 1024
MAX_ROWS = 20_000
REQUIRED_COLUMNS = ("kind", "category", "name", "dong")
DERIVED_COLUMNS = ("zone", "organization_name")
ALLOWED_COLUMNS = (*COLUMNS, "contact")
ALIASES = {
    "아이디": "id",
    "번호": "id",
    "외부id": "external_id",
    "관리번호": "external_id",
    "유형": "kind",
    "자원유형": "kind",
    "분야": "category",
    "이름": "name",
    "명칭": "name",
    "자원명": "name",
    "설명": "description",
    "소개": "description",
    "행정동": "dong",
    "권역": "zone",
    "태그": "tags",
    "이용안내": "availability",
    "운영시간": "availability",
    "연락처": "contact",
    "조직번호": "organization_id",
    "조직명": "organization_name",
    "확인일": "confirmed_on",
}
CHUNK = 500


@dataclass
class RowResult:
    row: int
    action: str  # created | updated | unchanged | rejected
    name: str = ""
    id: int | None = None
    reasons: list[str] = field(default_factory=list)
    changed: list[str] = field(default_factory=list)

    def as_dict(self) -> dict:
        return {
            "row": self.row,
            "action": self.action,
            "id": self.id,
            "name": self.name,
            "reasons": self.reasons,
            "changed": self.changed,
        }


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


# --- Reading the file -------------------------------------------------------------------------


def decode(data: bytes) -> str:
    """UTF-8 (BOM or not), else CP949 (a superset of EUC-KR); anything else is a 422."""
    if b"\x00" not in data:
        for encoding in ("utf-8-sig", "cp949"):
            try:
                return data.decode(encoding)
            except UnicodeDecodeError:
                continue
    raise Invalid(
        _("파일 인코딩을 읽을 수 없습니다. UTF-8 또는 EUC-KR(CP949)로 저장해 주세요."),
        code="unsupported_encoding",
        fields={"file": [_("UTF-8 또는 EUC-KR(CP949) CSV 파일이어야 합니다.")]},
    )


def _header(cells: list[str]) -> list[str]:
    names = []
    for cell in cells:
        raw = cell.strip().lstrip("\ufeff").strip()
        key = raw.lower().replace(" ", "")
        names.append(ALIASES.get(key, ALIASES.get(raw, raw.lower())))
    unknown = [c for c, n in zip(cells, names, strict=True) if n not in ALLOWED_COLUMNS]
    missing = [c for c in REQUIRED_COLUMNS if c not in names]
    repeated = sorted({n for n in names if names.count(n) > 1 and n in ALLOWED_COLUMNS})
    problems = []
    if missing:
        problems.append(_("빠진 열: %(c)s", c=", ".join(missing)))
    if unknown:
        problems.append(_("알 수 없는 열: %(c)s", c=", ".join(u.strip() or "(빈 이름)" for u in unknown)))
    if repeated:
        problems.append(_("두 번 나온 열: %(c)s", c=", ".join(repeated)))
    if problems:
        raise Invalid(
            _("CSV 머리글이 올바르지 않습니다. %(p)s", p=" ".join(problems)),
            code="invalid_header",
            fields={"header": problems, "missing": missing, "unknown": unknown},
        )
    return names


def read(data: bytes) -> tuple[list[str], list[tuple[int, list[str]]]]:
    """(column names, [(row number, cells)]); row 1 is the header, blank lines are skipped."""
    if len(data) > MAX_BYTES:
        raise TooLarge(_("CSV 파일은 5MB까지 가져올 수 있습니다."))
    text = decode(data)
    if not text.strip():
        raise Invalid(_("빈 파일입니다."), code="empty_file", fields={"file": [_("빈 파일입니다.")]})
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        lines = list(reader)
    except csv.Error as err:
        raise BadRequest(_("CSV 형식이 올바르지 않습니다: %(e)s", e=str(err))) from None
    header = _header(lines[0])
    rows = []
    for number, cells in enumerate(lines[1:], start=2):
        if not any(c.strip() for c in cells):
            continue
        rows.append((number, cells))
    if len(rows) > MAX_ROWS:
        raise TooLarge(_("한 번에 %(n)s행까지 가져올 수 있습니다.", n=f"{MAX_ROWS:,}"))
    return header, rows


# --- Planning ---------------------------------------------------------------------------------


def _code(mapping: dict, value: str) -> str:
    """A kind or category code from its code or its Korean label."""
    if value in mapping:
        return value
    for code, label in mapping.items():
        source = getattr(label, "_args", None)
        if value == str(label) or (source and value == source[0]):
            return code
    return value


def _fields(header: list[str], cells: list[str]) -> tuple[dict, list[str]]:
    values: dict = {}
    reasons: list[str] = []
    for name, cell in zip(header, cells, strict=True):
        if name in DERIVED_COLUMNS:
            continue
        value = unescape_cell(cell)
        if name == "id":
            value = value.strip()
            if value and not (value.isdigit() and int(value) > 0):
                reasons.append(_("id: 양의 정수여야 합니다."))
            values[name] = int(value) if value.isdigit() and int(value) > 0 else None
        elif name == "organization_id":
            value = value.strip()
            if value and not value.isdigit():
                reasons.append(_("organization_id: 정수여야 합니다."))
            values[name] = int(value) if value.isdigit() else None
        elif name == "confirmed_on":
            value = value.strip()
            try:
                values[name] = date.fromisoformat(value) if value else None
            except ValueError:
                reasons.append(_("confirmed_on: 날짜는 YYYY-MM-DD 형식이어야 합니다."))
        elif name == "kind":
            values[name] = _code(RESOURCE_KINDS, value.strip())
        elif name == "category":
            values[name] = _code(RESOURCE_CATEGORIES, value.strip())
        elif name == "dong":
            values[name] = value.strip()
        else:
            values[name] = value
    return values, reasons


def _load(rows_values: list[dict]) -> dict:
    """Existing entries and organisations the file may refer to, in a few queries."""

    def fetch(column, keys):
        found = []
        keys = sorted(keys)
        for i in range(0, len(keys), CHUNK):
            found += db.session.execute(select(Resource).where(column.in_(keys[i : i + CHUNK]))).scalars()
        return found

    ids = {v["id"] for v in rows_values if v.get("id")}
    externals = {v["external_id"].strip() for v in rows_values if (v.get("external_id") or "").strip()}
    names = {" ".join(str(v.get("name") or "").split()) for v in rows_values}
    org_ids = sorted({v["organization_id"] for v in rows_values if v.get("organization_id")})
    by_name: dict[tuple[str, str], list[Resource]] = {}
    for r in fetch(Resource.name, names):
        by_name.setdefault((r.name, r.dong), []).append(r)
    return {
        "id": {r.id: r for r in fetch(Resource.id, ids)},
        "external": {r.external_id: r for r in fetch(Resource.external_id, externals)},
        "name": by_name,
        "orgs": set(db.session.execute(select(Organization.id).where(Organization.id.in_(org_ids))).scalars())
        if org_ids
        else set(),
    }


def _seoul_midnight(day: date) -> datetime:
    return datetime.combine(day, time(), tzinfo=SEOUL)


def plan(header: list[str], rows: list[tuple[int, list[str]]]):
    """[(RowResult, target Resource or None, cleaned values, confirmed date or None)]."""
    parsed = []
    for number, cells in rows:
        if len(cells) != len(header):
            parsed.append(
                (number, None, [_("열 개수(%(n)s)가 머리글(%(h)s)과 다릅니다.", n=len(cells), h=len(header))])
            )
            continue
        values, reasons = _fields(header, cells)
        parsed.append((number, values, reasons))
    known = _load([v for _n, v, _r in parsed if v is not None])
    today = utcnow().astimezone(SEOUL).date()
    seen: dict[tuple, int] = {}
    planned = []
    for number, values, reasons in parsed:
        result = RowResult(row=number, action="rejected", reasons=list(reasons))
        planned.append((result, None, {}, None))
        if values is None:
            continue
        result.name = str(values.get("name") or "")
        given_id = values.pop("id", None)
        day = values.pop("confirmed_on", None)
        if day is not None and day > today:
            result.reasons.append(_("confirmed_on: 미래의 날짜는 쓸 수 없습니다."))
        try:
            cleaned = services.clean(values)
        except Invalid as err:
            result.reasons += [f"{k}: {' '.join(map(str, v))}" for k, v in err.fields.items()]
            continue
        result.name = cleaned["name"]
        external = cleaned.get("external_id")
        org_id = cleaned.get("organization_id")
        if org_id is not None and org_id not in known["orgs"]:
            result.reasons.append(_("organization_id: 조직을 찾을 수 없습니다."))
        if given_id is not None:
            key, target = ("id", given_id), known["id"].get(given_id)
        elif external is not None:
            key, target = ("external_id", external), known["external"].get(external)
        else:
            key = ("name", cleaned["name"], cleaned["dong"])
            matches = known["name"].get((cleaned["name"], cleaned["dong"]), [])
            if len(matches) > 1:
                result.reasons.append(_("이름과 행정동이 같은 자원이 여럿입니다. id 열로 구분해 주세요."))
            target = matches[0] if len(matches) == 1 else None
        if external is not None:
            holder = known["external"].get(external)
            if holder is not None and (target is None or holder.id != target.id):
                result.reasons.append(_("external_id: 다른 자원이 이미 쓰고 있습니다."))
        keys = [key] + ([("target", target.id)] if target is not None else [])
        first = next((seen[k] for k in keys if k in seen), None)
        if first is not None:
            result.reasons.append(_("파일 안에서 중복된 행입니다(%(n)s행과 같은 자원).", n=first))
        for k in keys:
            seen.setdefault(k, number)
        if result.reasons:
            continue
        result.id = target.id if target is not None else given_id
        if target is None:
            result.action = "created"
        else:
            before = revisions.snapshot(target)
            changes = revisions.diff(before, {**before, **cleaned})
            if day is not None and day.isoformat() != confirmed_on(target):
                changes["confirmed_at"] = [confirmed_on(target), day.isoformat()]
            result.changed = sorted(changes)
            result.action = "updated" if changes else "unchanged"
        planned[-1] = (result, target, cleaned, day)
    return planned


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
    services.apply_values(resource, values)
    db.session.add(resource)
    db.session.flush()
    services.set_tags(resource, tags)
    db.session.flush()
    revisions.record(resource, actor, "import", revisions.diff({}, revisions.snapshot(resource)))
    return resource


def _update(actor, resource: Resource, cleaned: dict, day: date | None) -> None:
    before = revisions.snapshot(resource)
    services.apply_values(resource, cleaned)
    changes = revisions.diff(before, revisions.snapshot(resource))
    new_confirmed = _seoul_midnight(day) if day is not None else (utcnow() if changes else None)
    if new_confirmed is not None and (day is None or day.isoformat() != confirmed_on(resource)):
        changes["confirmed_at"] = [resource.confirmed_at, new_confirmed]
        resource.confirmed_at = new_confirmed
    revisions.record(resource, actor, "import", changes)
