"""Planning an import: every row of the file is matched to an entry (by ``id``, ``external_id``, else
``name`` + ``dong``) and marked created, updated, unchanged or rejected (with the reasons)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from flask_babel import gettext as _
from sqlalchemy import select

from ...core.csv import unescape_cell
from ...core.errors import Invalid
from ...core.extensions import db
from ...core.time import seoul_today
from ...core.vocab import RESOURCE_CATEGORIES
from ...orgs.models import Organization
from ...web.schemas import ID_MAX
from ..models import Resource
from ..vocab import RESOURCE_KINDS
from . import resources, revisions
from .export import confirmed_on
from .import_file import DERIVED_COLUMNS

CHUNK = 500
# The largest id a file may give a *new* entry. Entries without an id are numbered after the largest
# id in the table, so a new entry at 2^31-1 would leave no number for the next one (every later
# creation would fail); this keeps over a billion numbers free after any imported id.
NEW_ID_MAX = 1_000_000_000


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


def _code(mapping: dict, value: str) -> str:
    """A kind or category code from its code or its Korean label."""
    if value in mapping:
        return value
    for code, label in mapping.items():
        source = getattr(label, "_args", None)
        if value == str(label) or (source and value == source[0]):
            return code
    return value


def _id_cell(name: str, cell: str, reasons: list[str]) -> int | None:
    """An id column's cell: empty, or a number the id columns can hold (1..2^31-1). A larger one
    overflowed PostgreSQL's integer (a 500), and on SQLite was stored, pushing every later id past
    what a URL can name."""
    value = cell.strip()
    if not value:
        return None
    if value.isascii() and value.isdigit() and len(value) <= len(str(ID_MAX)) and 1 <= int(value) <= ID_MAX:
        return int(value)
    reasons.append(_("%(name)s: 1에서 %(max)s 사이의 정수여야 합니다.", name=name, max=ID_MAX))
    return None


def _fields(header: list[str], cells: list[str]) -> tuple[dict, list[str]]:
    values: dict = {}
    reasons: list[str] = []
    for name, cell in zip(header, cells, strict=True):
        if name in DERIVED_COLUMNS:
            continue
        value = unescape_cell(cell)
        if name in ("id", "organization_id"):
            values[name] = _id_cell(name, value, reasons)
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
    today = seoul_today()
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
            cleaned = resources.clean(values)
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
        if target is None and given_id is not None and given_id > NEW_ID_MAX:
            result.reasons.append(
                _(
                    "id: 새 자원의 번호는 %(max)s 이하여야 합니다(뒤에 만들 자원의 번호가 남도록). "
                    "비워 두면 새 번호를 붙입니다.",
                    max=f"{NEW_ID_MAX:,}",
                )
            )
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
