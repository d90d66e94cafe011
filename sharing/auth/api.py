"""JSON routes for accounts and tokens."""

from flask import Blueprint, jsonify, request

from ..core.extensions import csrf
from ..web.api import created, doc, parse, require_user
from . import limits, privacy, services
from .schemas import DeleteAccountIn, ExportOut, MeOut, ProfileIn, RegisterIn, TokenIn, TokenOut, UserOut

bp = Blueprint("auth_api", __name__, url_prefix="/api/v1")
csrf.exempt(bp)


@bp.post("/users")
@limits.registration
@doc("주민 가입", body=RegisterIn, response=UserOut, status=201, errors=(400, 409, 422, 429))
def register():
    data = parse(RegisterIn())
    user = services.register(services.Registration(**data))
    return created(UserOut().dump(user))


@bp.post("/tokens")
@limits.sign_in_by_address
@limits.sign_in_by_account
@doc("토큰 발급", body=TokenIn, response=TokenOut, status=201, errors=(400, 401, 422, 429))
def issue_token():
    data = parse(TokenIn())
    user = services.authenticate(data["email"], data["password"])
    token, expires_at = services.issue_token(user)
    return created(TokenOut().dump({"token": token, "expires_at": expires_at}))


@bp.delete("/tokens/current")
@doc("현재 토큰 폐기", status=204, errors=(401,), auth=True)
def revoke_token():
    require_user()
    services.revoke_token(request.headers["Authorization"].partition(" ")[2].strip())
    return "", 204


@bp.get("/me")
@doc("내 정보", response=MeOut, errors=(401,), auth=True)
def me():
    return jsonify(MeOut().dump(require_user()))


@bp.patch("/me")
@doc("내 정보 수정", body=ProfileIn, response=MeOut, errors=(400, 401, 422), auth=True)
def update_me():
    user = require_user()
    data = parse(ProfileIn(), partial=True)
    return jsonify(MeOut().dump(services.update_profile(user, **data)))


@bp.get("/me/export")
@doc("내 데이터 내려받기 (JSON)", response=ExportOut, errors=(401,), auth=True)
def export_me():
    user = require_user()
    response = jsonify(privacy.export(user))
    response.headers["Content-Disposition"] = f'attachment; filename="sharing-user-{user.id}.json"'
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.post("/me/delete")
@doc(
    "탈퇴: 비밀번호로 확인, 카드 잔액과 진행 중인 대여가 없어야 함",
    body=DeleteAccountIn,
    status=204,
    errors=(400, 401, 409, 422),
    auth=True,
)
def delete_me():
    user = require_user()
    data = parse(DeleteAccountIn())
    privacy.delete_account(user, data["password"])
    return "", 204
