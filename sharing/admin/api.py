"""JSON routes of the centre's console (/api/v1/admin/..., centre only) and residents' reports."""

from flask import Blueprint, jsonify

from ..core.extensions import csrf
from ..web.api import created, doc, page_args, page_response, paged, paginate, parse, parse_args, require_user
from . import services
from .schemas import (
    AdminFounderOut,
    AdminOrganizationOut,
    AdminOrganizationQuery,
    AdminReportGroupOut,
    AdminReportQuery,
    AdminSummaryOut,
    AdminUserOut,
    AdminUserPatch,
    AdminUserQuery,
    AuditEntryOut,
    AuditQuery,
    ReportIn,
    ReportOut,
    ResolveIn,
    ResolveOut,
)

bp = Blueprint("admin_api", __name__, url_prefix="/api/v1")
csrf.exempt(bp)


@bp.post("/reports")
@doc("신고하기", body=ReportIn, response=ReportOut, status=201, errors=(400, 401, 404, 409, 422), auth=True)
def create_report():
    user = require_user()
    data = parse(ReportIn())
    report = services.create_report(user, **data)
    return created(ReportOut().dump(report))


@bp.get("/admin/summary")
@doc("관리 대시보드 요약 (센터)", response=AdminSummaryOut, errors=(401, 403), auth=True)
def summary():
    return jsonify(AdminSummaryOut().dump(services.dashboard(require_user())))


@bp.get("/admin/organizations")
@doc(
    "인증 대기 조직 목록 (센터)",
    query=AdminOrganizationQuery,
    response=AdminOrganizationOut,
    many=True,
    errors=(401, 403, 422),
    auth=True,
)
def organizations():
    user = require_user()
    args = parse_args(AdminOrganizationQuery)
    stmt = services.organizations(
        user, status=args.get("status"), kind=args.get("kind"), dong=args.get("dong")
    )
    page, per_page = page_args()
    orgs, total = paginate(stmt, page=page, per_page=per_page)
    founders = services.founders(orgs)
    items = []
    for org in orgs:
        item = AdminOrganizationOut(exclude=("founder",)).dump(org)
        founder = founders.get(org.id)
        item["founder"] = AdminFounderOut().dump(founder) if founder else None
        items.append(item)
    return jsonify({"items": items, "page": page, "per_page": per_page, "total": total})


@bp.get("/admin/reports")
@doc(
    "신고 처리 대기열: 대상별로 묶은 신고 (센터)",
    query=AdminReportQuery,
    response=AdminReportGroupOut,
    many=True,
    errors=(401, 403, 422),
    auth=True,
)
def reports():
    user = require_user()
    args = parse_args(AdminReportQuery)
    page, per_page = page_args()
    groups, total = services.report_queue(
        user,
        status=args.get("status", "open"),
        target_type=args.get("target_type"),
        page=page,
        per_page=per_page,
    )
    return page_response(groups, total, page, per_page, AdminReportGroupOut())


@bp.post("/admin/reports/<int:report_id>/resolve")
@doc(
    "신고 처리: hide | restore | dismiss | suspend (센터)",
    body=ResolveIn,
    response=ResolveOut,
    errors=(400, 401, 403, 404, 409, 422),
    auth=True,
)
def resolve_report(report_id: int):
    user = require_user()
    data = parse(ResolveIn())
    resolution = services.resolve(user, report_id, data["action"], data.get("note", ""))
    return jsonify(ResolveOut().dump(resolution))


@bp.get("/admin/users")
@doc(
    "사용자 목록: 이름·이메일 검색, 역할 필터 (센터)",
    query=AdminUserQuery,
    response=AdminUserOut,
    many=True,
    errors=(401, 403, 422),
    auth=True,
)
def users():
    user = require_user()
    args = parse_args(AdminUserQuery)
    stmt = services.search_users(user, q=args.get("q"), role=args.get("role"), status=args.get("status"))
    return paged(stmt, AdminUserOut())


@bp.patch("/admin/users/<int:user_id>")
@doc(
    "주민 계정 정지·정지 해제 (센터; 센터 계정은 운영자 명령으로만 만들고 바꿉니다)",
    body=AdminUserPatch,
    response=AdminUserOut,
    errors=(400, 401, 403, 404, 409, 422),
    auth=True,
)
def update_user(user_id: int):
    actor = require_user()
    data = parse(AdminUserPatch())
    user = services.update_user(actor, user_id, suspended=data["suspended"])
    return jsonify(AdminUserOut().dump(user))


@bp.get("/admin/audit-log")
@doc(
    "감사 기록: 센터의 모든 조치 (센터)",
    query=AuditQuery,
    response=AuditEntryOut,
    many=True,
    errors=(401, 403, 422),
    auth=True,
)
def audit_log():
    user = require_user()
    args = parse_args(AuditQuery)
    stmt = services.audit_log(
        user,
        action=args.get("action"),
        actor_id=args.get("actor_id"),
        target_type=args.get("target_type"),
        who=args.get("who"),
    )
    return paged(stmt, AuditEntryOut())
