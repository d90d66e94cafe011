"""JSON routes of the basic plan (centre only)."""

from flask import Blueprint, jsonify

from ..core.extensions import csrf
from ..web.api import created, doc, parse, require_user
from . import services
from .schemas import PlanOut, ProjectOut, ResultIn, ResultOut
from .services import results

bp = Blueprint("plan_api", __name__, url_prefix="/api/v1/plan")
csrf.exempt(bp)


@bp.get("")
@doc("사회적경제 기본계획 전체 (센터)", response=PlanOut, errors=(401, 403, 404), auth=True)
def show():
    return jsonify(PlanOut().dump(services.overview(require_user())))


@bp.get("/projects/<code>")
@doc(
    "세부사업 (센터): 추진방향, 내용, 연도별 목표, 예산, 실적; 3-1은 플랫폼 지표",
    response=ProjectOut,
    errors=(401, 403, 404),
    auth=True,
)
def project(code: str):
    return jsonify(ProjectOut().dump(services.project_detail(require_user(), code)))


@bp.post("/projects/<code>/results")
@doc(
    "세부사업 실적 기록 (센터)",
    body=ResultIn,
    response=ResultOut,
    status=201,
    errors=(400, 401, 403, 404, 422),
    auth=True,
)
def record(code: str):
    user = require_user()
    services.plan_for(user)  # 403 before the body is looked at
    data = parse(ResultIn())
    result = results.record_result(user, code, **data)
    return created(ResultOut().dump(result))
