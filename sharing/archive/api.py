"""JSON routes for the resource archive (API.md, "Resource archive")."""

from flask import Blueprint, jsonify, request
from flask_babel import gettext as _

from ..api import api_user, created, doc, load, page_args, paginate, parse, parse_args, require_user
from ..errors import BadRequest
from ..extensions import csrf
from . import importer, queries, services
from .schemas import (
    ImportOut,
    ImportQuery,
    ResourceIn,
    ResourceOut,
    ResourcePatch,
    ResourceQuery,
    resource_out,
)

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


@bp.get("/resources")
@doc("자원 찾기 (q: 한글 부분 일치)", query=ResourceQuery, response=ResourceOut, many=True, errors=(422,))
def index():
    args = parse_args(ResourceQuery())
    filters = queries.Filters.from_mapping(args)
    page, per_page = page_args()
    rows, total = paginate(
        queries.search(filters), page=page, per_page=per_page, count_stmt=queries.count(filters)
    )
    body = {
        "items": resource_out(api_user()).dump(rows, many=True),
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
    errors=(400, 401, 403, 413, 422),
    auth=True,
    multipart=True,
)
def import_csv():
    user = require_user()
    services.require_centre(user)
    args = load(ImportQuery(), {k: v for k, v in request.args.items() if k in ("dry_run", "strict")})
    dry_run = args["dry_run"]
    upload = request.files.get("file")
    data = upload.read() if upload is not None else request.get_data(cache=False)
    if not data and not request.files:
        raise BadRequest(_("CSV 본문이나 multipart의 file이 필요합니다."))
    result = importer.run_import(user, data, commit=not dry_run, strict=args["strict"])
    body = ImportOut().dump(result.as_dict())
    return (jsonify(body), 200) if dry_run else created(body)
