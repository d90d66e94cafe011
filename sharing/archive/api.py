"""JSON routes for the resource archive (API.md, "Resource archive")."""

from flask import Blueprint, jsonify, request
from flask_babel import gettext as _

from ..auth.services import require_centre
from ..core.errors import BadRequest
from ..core.extensions import csrf
from ..core.time import seoul
from ..core.vocab import RESOURCE_CATEGORIES
from ..web.api import PAGE_MAX, api_user, created, doc, load, page_args, parse, parse_args, require_user
from . import services
from .schemas import (
    ImportOut,
    ImportQuery,
    ResourceIn,
    ResourceOut,
    ResourcePatch,
    ResourceQuery,
    resource_out,
)
from .services import importer, queries
from .vocab import RESOURCE_KINDS, zone_code, zone_label

bp = Blueprint("archive_api", __name__, url_prefix="/api/v1")
csrf.exempt(bp)


@bp.post("/resources")
@doc(
    "자원 등록",
    body=ResourceIn,
    response=ResourceOut,
    status=201,
    errors=(400, 401, 403, 409, 422),
    auth=True,
)
def create():
    user = require_user()
    resource = services.create(user, parse(ResourceIn()))
    return created(resource_out(user).dump(resource))


# --- The list's items, dumped fast -----------------------------------------------------------
# Marshmallow cost most of a list request; a page's items are built as plain dicts with exactly
# ``ResourceOut``'s fields and values (the schema is used whenever its fields differ from these).

_ITEM_FIELDS = (
    "id",
    "kind",
    "kind_label",
    "category",
    "category_label",
    "name",
    "description",
    "dong",
    "zone",
    "tags",
    "contact",
    "availability",
    "external_id",
    "organization_id",
    "organization_name",
    "owner_id",
    "owner_name",
    "status",
    "confirmed_at",
    "created_at",
    "updated_at",
)


def _seoul(value):
    return seoul(value).isoformat() if value is not None else None


class _Labels(dict):
    """A code's label, translated once per page (lazy strings cost a translation lookup each)."""

    def __init__(self, labeller):
        super().__init__()
        self.labeller = labeller

    def __missing__(self, code):
        self[code] = value = self.labeller(code)
        return value


def _item(r, contact: bool, kinds: _Labels, categories: _Labels, zones: _Labels) -> dict:
    item = {
        "id": r.id,
        "kind": r.kind,
        "kind_label": kinds[r.kind],
        "category": r.category,
        "category_label": categories[r.category],
        "name": r.name,
        "description": r.description,
        "dong": r.dong,
        "zone": zones[r.dong],
        "tags": r.tag_list,
        "contact": r.contact,
        "availability": r.availability,
        "external_id": r.external_id,
        "organization_id": r.organization_id,
        "organization_name": r.organization_name,
        "owner_id": r.owner_id,
        "owner_name": r.owner_name,
        "status": r.status,
        "confirmed_at": _seoul(r.confirmed_at),
        "created_at": _seoul(r.created_at),
        "updated_at": _seoul(r.updated_at),
    }
    if not contact:
        del item["contact"]
    return item


def list_items(user, rows) -> list[dict]:
    """``resource_out(user).dump(rows, many=True)``, without marshmallow when the fields match."""
    if tuple(ResourceOut._declared_fields) != _ITEM_FIELDS:
        return resource_out(user).dump(rows, many=True)
    kinds = _Labels(lambda code: str(RESOURCE_KINDS.get(code, code)))
    categories = _Labels(lambda code: str(RESOURCE_CATEGORIES.get(code, code)))
    zones = _Labels(lambda dong: zone_label(zone_code(dong)))
    return [_item(r, user is not None, kinds, categories, zones) for r in rows]


@bp.get("/resources")
@doc("자원 찾기 (q: 한글 부분 일치)", query=ResourceQuery, response=ResourceOut, many=True, errors=(422,))
def index():
    args = parse_args(ResourceQuery)
    filters = queries.Filters.from_mapping(args)
    page, per_page = page_args()
    total = queries.total(filters)
    rows = queries.page(filters, min(page, PAGE_MAX + 1), per_page) if total else []
    body = {
        "items": list_items(api_user(), rows),
        "page": page,
        "per_page": per_page,
        "total": total,
    }
    if args.get("facets"):
        body["facets"] = queries.facets_json(filters)
    return jsonify(body)


@bp.get("/resources/<int:resource_id>")
@doc("자원 정보", response=ResourceOut, errors=(404,))
def show(resource_id: int):
    user = api_user()
    return jsonify(resource_out(user).dump(services.get_visible(user, resource_id)))


@bp.patch("/resources/<int:resource_id>")
@doc(
    "자원 수정 (등록한 사람 또는 센터)",
    body=ResourcePatch,
    response=ResourceOut,
    errors=(400, 401, 403, 404, 409, 422),
    auth=True,
)
def update(resource_id: int):
    user = require_user()
    resource = services.update(user, resource_id, parse(ResourcePatch(), partial=True))
    return jsonify(resource_out(user).dump(resource))


@bp.delete("/resources/<int:resource_id>")
@doc("자원 삭제 (등록한 사람 또는 센터)", status=204, errors=(401, 403, 404), auth=True)
def delete(resource_id: int):
    services.delete_resource(require_user(), resource_id)
    return "", 204


@bp.post("/resources/import")
@doc(
    "CSV 가져오기 (센터): 본문이 CSV이거나 multipart의 file. ?dry_run=1이면 미리보기(200), "
    "?strict=1이면 문제 행이 하나라도 있을 때 아무것도 쓰지 않음(422)",
    query=ImportQuery,
    response=ImportOut,
    status=201,
    errors=(200, 400, 401, 403, 413, 422),  # 200: the dry run's preview (the same body)
    auth=True,
    multipart=True,
)
def import_csv():
    user = require_user()
    require_centre(user)
    args = load(ImportQuery(), {k: v for k, v in request.args.items() if k in ("dry_run", "strict")})
    dry_run = args["dry_run"]
    upload = request.files.get("file")
    data = upload.read() if upload is not None else request.get_data(cache=False)
    if not data and not request.files:
        raise BadRequest(_("CSV 본문이나 multipart의 file이 필요합니다."))
    result = importer.run_import(user, data, commit=not dry_run, strict=args["strict"])
    body = ImportOut().dump(result.as_dict())
    return (jsonify(body), 200) if dry_run else created(body)
