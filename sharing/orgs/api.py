"""JSON routes for organisations."""

from flask import Blueprint, jsonify, request

from ..core.extensions import csrf
from ..web.api import created, doc, load, paged, parse, require_user
from . import services
from .schemas import (
    CardPolicyIn,
    InviteIn,
    OrganizationIn,
    OrganizationOut,
    OrganizationQuery,
    VerifyOut,
)

bp = Blueprint("orgs_api", __name__, url_prefix="/api/v1")
csrf.exempt(bp)


@bp.post("/organizations")
@doc(
    "조직 등록", body=OrganizationIn, response=OrganizationOut, status=201, errors=(400, 401, 422), auth=True
)
def create():
    user = require_user()
    org = services.create(user, services.OrganizationInput(**parse(OrganizationIn())))
    return created(OrganizationOut().dump(org))


@bp.get("/organizations")
@doc("조직 목록", query=OrganizationQuery, response=OrganizationOut, many=True, errors=(422,))
def index():
    # Empty parameters (``?kind=&dong=``, a filter form sent as it is) mean no filter.
    args = load(OrganizationQuery(), {k: v for k, v in request.args.items() if v != ""})
    stmt = services.search(kind=args.get("kind"), dong=args.get("dong"), verified=args.get("verified"))
    return paged(stmt, OrganizationOut())


@bp.get("/organizations/<int:org_id>")
@doc("조직 정보", response=OrganizationOut, errors=(404,))
def show(org_id: int):
    return jsonify(OrganizationOut().dump(services.get(org_id)))


@bp.post("/organizations/<int:org_id>/verify")
@doc("조직 인증 (센터)", response=VerifyOut, errors=(401, 403, 404), auth=True)
def verify(org_id: int):
    org = services.set_verified(require_user(), org_id, True)
    return jsonify(VerifyOut().dump(org))


@bp.post("/organizations/<int:org_id>/unverify")
@doc("조직 인증 취소 (센터)", response=VerifyOut, errors=(401, 403, 404), auth=True)
def unverify(org_id: int):
    org = services.set_verified(require_user(), org_id, False)
    return jsonify(VerifyOut().dump(org))


@bp.patch("/organizations/<int:org_id>/card-policy")
@doc(
    "카드 할인·마일리지 정책 (센터)",
    body=CardPolicyIn,
    response=OrganizationOut,
    errors=(400, 401, 403, 404, 422),
    auth=True,
)
def card_policy(org_id: int):
    user = require_user()
    data = parse(CardPolicyIn())
    return jsonify(OrganizationOut().dump(services.set_card_policy(user, org_id, **data)))


@bp.post("/organizations/<int:org_id>/members")
@doc("구성원 초대", body=InviteIn, status=201, errors=(400, 401, 403, 404, 409, 422), auth=True)
def invite(org_id: int):
    user = require_user()
    membership = services.invite(user, org_id, parse(InviteIn())["email"])
    return created({"organization_id": org_id, "user_id": membership.user_id})
