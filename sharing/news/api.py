"""JSON routes for the news feed (API.md, "News feed").

Answers are JSON with ``<``, ``>``, ``&``, ``'`` and ``=`` written as ``\\u003c``-style escapes: the
same JSON once parsed, but nothing markup-like appears in the raw bytes (defence in depth for the
Markdown source and titles, which are returned as the author typed them).
"""

from __future__ import annotations

import re

from flask import Blueprint, current_app, request
from jinja2.utils import htmlsafe_json_dumps

from ..core.extensions import csrf
from ..web.api import api_user, doc, page_args, paginate, parse, parse_args, require_user, whole_list
from . import services
from .schemas import (
    FollowIn,
    FollowOut,
    PostIn,
    PostListOut,
    PostOut,
    PostPatch,
    PostQuery,
    PostReportIn,
    PostReportOut,
    list_items,
)

bp = Blueprint("news_api", __name__, url_prefix="/api/v1")
csrf.exempt(bp)


_SCHEMES = ("javascript", "vbscript", "livescript", "data")
_SCHEME_COLON = re.compile(r"(?i)(" + "|".join(_SCHEMES) + r")(\s*):")


# Letters the regex's case-insensitive match takes for i and s besides I and S (İ ı ſ).
_ODD_CASES = ("\u0130", "\u0131", "\u017f")


def _may_name_a_scheme(body: str) -> bool:
    folded = body.lower()
    return any(s in folded for s in _SCHEMES) or any(c in body for c in _ODD_CASES)


def _json(payload, status: int = 200):
    """JSON whose raw text holds no markup-like characters: ``< > & ' =`` and a script scheme's
    colon are ``\\u`` escapes (outside strings JSON never uses ``=``, nor a colon right after a word)."""
    body = str(htmlsafe_json_dumps(payload, ensure_ascii=False)).replace("=", "\\u003d")
    if _may_name_a_scheme(body):  # the regex over the whole answer only where it can match
        body = _SCHEME_COLON.sub(r"\1\2\\u003a", body)
    return current_app.response_class(body, status=status, mimetype="application/json")


def _page(stmt, schema):
    page, per_page = page_args()
    rows, total = paginate(stmt, page=page, per_page=per_page)
    return _json({"items": schema.dump(rows, many=True), "page": page, "per_page": per_page, "total": total})


@bp.post("/posts")
@doc(
    "마을소식 올리기 (인증된 조직의 구성원 또는 센터)",
    body=PostIn,
    response=PostOut,
    status=201,
    errors=(400, 401, 403, 404, 422),
    auth=True,
)
def create():
    user = require_user()
    post = services.create(user, parse(PostIn()))
    return _json(PostOut().dump(post), 201)


@bp.get("/posts")
@doc(
    "마을소식 목록 (고정 글 먼저, 최신순)",
    query=PostQuery,
    description="q finds substrings of the title and body (case-insensitive; % and _ are literal).",
    response=PostListOut,
    many=True,
    errors=(401, 422),
)
def index():
    args = parse_args(PostQuery)
    services.publish_due()
    status = args.get("status", "published")
    if status == "published":
        page, per_page = page_args()
        rows, total = services.public_page(
            q=args.get("q"),
            category=args.get("category"),
            dong=args.get("dong"),
            organization_id=args.get("organization_id"),
            page=page,
            per_page=per_page,
        )
        return _json({"items": list_items(rows), "page": page, "per_page": per_page, "total": total})
    which = "all" if status == "unpublished" else status
    stmt = services.unpublished(require_user(), which=which, organization_id=args.get("organization_id"))
    if args.get("category"):
        stmt = stmt.where(services.Post.category == args["category"])
    if args.get("dong"):
        stmt = stmt.where(services.Post.dong == args["dong"])
    stmt = services.matching(stmt, args.get("q"))
    return _page(stmt, PostListOut())


@bp.get("/posts/<int:post_id>")
@doc("마을소식 보기", response=PostOut, errors=(404,))
def show(post_id: int):
    return _json(PostOut().dump(services.get_visible(api_user(), post_id)))


@bp.patch("/posts/<int:post_id>")
@doc(
    "마을소식 고치기 (글쓴 조직 또는 센터)",
    body=PostPatch,
    response=PostOut,
    errors=(400, 401, 403, 404, 422),
    auth=True,
)
def update(post_id: int):
    user = require_user()
    post = services.update(user, post_id, parse(PostPatch(), partial=True))
    return _json(PostOut().dump(post))


@bp.delete("/posts/<int:post_id>")
@doc("마을소식 지우기 (글쓴 조직 또는 센터)", status=204, errors=(401, 403, 404), auth=True)
def destroy(post_id: int):
    services.delete(require_user(), post_id)
    return "", 204


@bp.post("/posts/<int:post_id>/cover")
@doc(
    "표지 사진 올리기 (multipart file, alt)",
    response=PostOut,
    errors=(401, 403, 404, 413, 422),
    auth=True,
    multipart=True,
)
def cover(post_id: int):
    user = require_user()
    alt = request.form.get("alt")
    post = services.set_cover(user, post_id, request.files.get("file"), alt)
    return _json(PostOut().dump(post))


@bp.delete("/posts/<int:post_id>/cover")
@doc("표지 사진 빼기", response=PostOut, errors=(401, 403, 404), auth=True)
def remove_cover(post_id: int):
    return _json(PostOut().dump(services.remove_cover(require_user(), post_id)))


def _moderate(action, post_id: int, flag: bool):
    return _json(PostOut().dump(action(require_user(), post_id, flag)))


@bp.post("/posts/<int:post_id>/pin")
@doc("맨 위에 고정 (센터)", response=PostOut, errors=(401, 403, 404), auth=True)
def pin(post_id: int):
    return _moderate(services.set_post_pinned, post_id, True)


@bp.post("/posts/<int:post_id>/unpin")
@doc("고정 풀기 (센터)", response=PostOut, errors=(401, 403, 404), auth=True)
def unpin(post_id: int):
    return _moderate(services.set_post_pinned, post_id, False)


@bp.post("/posts/<int:post_id>/hide")
@doc("숨기기 (센터)", response=PostOut, errors=(401, 403, 404), auth=True)
def hide(post_id: int):
    return _moderate(services.set_post_hidden, post_id, True)


@bp.post("/posts/<int:post_id>/unhide")
@doc("다시 보이기 (센터)", response=PostOut, errors=(401, 403, 404), auth=True)
def unhide(post_id: int):
    return _moderate(services.set_post_hidden, post_id, False)


@bp.post("/posts/<int:post_id>/reports")
@doc(
    "소식 신고 (센터의 검토 대기열로)",
    body=PostReportIn,
    response=PostReportOut,
    status=201,
    errors=(400, 401, 404, 409, 422),
    auth=True,
)
def report(post_id: int):
    user = require_user()
    data = parse(PostReportIn())
    row = services.report(user, post_id, data["reason"], data["comment"])
    return _json(PostReportOut().dump(row), 201)


@bp.get("/follows")
@doc("내 구독 목록", response=FollowOut, many=True, errors=(401,), auth=True)
def follows():
    return _json(whole_list(services.follows_of(require_user()), FollowOut()))


@bp.post("/follows")
@doc(
    "구독하기: category, dong, organization_id 중 하나 (이미 구독 중이면 200)",
    body=FollowIn,
    response=FollowOut,
    status=201,
    errors=(200, 400, 401, 404, 422),  # 200: already followed (the same body)
    auth=True,
)
def follow():
    user = require_user()
    data = parse(FollowIn())
    row, created = services.follow(user, **data)
    return _json(FollowOut().dump(row), 201 if created else 200)


@bp.delete("/follows/<int:follow_id>")
@doc("구독 끊기", status=204, errors=(401, 404), auth=True)
def unfollow(follow_id: int):
    services.unfollow(require_user(), follow_id)
    return "", 204
