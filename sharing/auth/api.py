"""JSON routes for accounts and tokens."""

from flask import Blueprint, jsonify, request

from ..api import created, doc, parse, require_user
from ..extensions import csrf, limiter
from . import services
from .schemas import MeOut, ProfileIn, RegisterIn, TokenIn, TokenOut, UserOut

bp = Blueprint("auth_api", __name__, url_prefix="/api/v1")
csrf.exempt(bp)


def _auth_limit():
    from flask import current_app

    return current_app.config["AUTH_RATE_LIMIT"]


@bp.post("/users")
@doc("주민 가입", body=RegisterIn, response=UserOut, status=201, errors=(400, 409, 422))
def register():
    data = parse(RegisterIn())
    user = services.register(services.Registration(**data))
    return created(UserOut().dump(user))


@bp.post("/tokens")
@limiter.limit(_auth_limit)
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
