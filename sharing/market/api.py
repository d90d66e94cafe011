"""JSON routes of the market (API.md "Market"), thin: parse -> service -> dump."""

from flask import Blueprint, jsonify, request

from ..auth.limits import messages as message_limit
from ..core.extensions import csrf
from ..web.api import (
    api_user,
    created,
    doc,
    idempotency_key,
    page_args,
    paged,
    parse,
    parse_args,
    require_user,
    whole_list,
)
from . import services
from .schemas import (
    ListingIn,
    ListingOut,
    ListingPatch,
    ListingPhotoOut,
    ListingQuery,
    MarketReportIn,
    MarketReportOut,
    RequestIn,
    RequestMessageIn,
    RequestMessageOut,
    RequestOut,
    RequestQuery,
    RequestReturnIn,
    RequestReviewIn,
    RequestReviewOut,
    UserRatingsOut,
)
from .services.results import count as cached_count
from .services.results import page_of

bp = Blueprint("market_api", __name__, url_prefix="/api/v1")
csrf.exempt(bp)


def _optional_json(schema):
    """Transition routes take an optional JSON body: none at all is the same as ``{}``."""
    if not request.get_data(cache=True):
        return schema.load({})
    return parse(schema)


def _report(report, target_id: int):
    """A report on a listing or a message: the same body, the same answer."""
    user = require_user()
    data = parse(MarketReportIn())
    return created(MarketReportOut().dump(report(user, target_id, data["reason"], data["comment"])))


# --- Listings -------------------------------------------------------------------------------------


@bp.post("/listings")
@doc("물건 올리기", body=ListingIn, response=ListingOut, status=201, errors=(400, 401, 403, 422), auth=True)
def create_listing():
    user = require_user()
    listing = services.create(user, services.ListingInput(**parse(ListingIn())))
    return created(ListingOut().dump(listing))


@bp.get("/listings")
@doc(
    "물건 찾기 (q: 제목·설명의 한국어 부분 문자열)",
    query=ListingQuery,
    response=ListingOut,
    many=True,
    errors=(422,),
)
def list_listings():
    args = parse_args(ListingQuery)
    stmt, count = services.search(
        q=args.get("q"),
        kind=args.get("kind"),
        category=args.get("category"),
        dong=args.get("dong"),
        available_from=args.get("available_from"),
        available_to=args.get("available_to"),
        viewer=api_user(),
    )
    page, per_page = page_args()
    total = cached_count(count)
    items = [card.as_api() for card in page_of(stmt, page=page, per_page=per_page)] if total else []
    return jsonify({"items": items, "page": page, "per_page": per_page, "total": total})


@bp.get("/listings/<int:listing_id>")
@doc("물건 보기", response=ListingOut, errors=(404,))
def show_listing(listing_id: int):
    return jsonify(ListingOut().dump(services.get(listing_id, api_user())))


@bp.patch("/listings/<int:listing_id>")
@doc(
    "물건 고치기·멈추기·마감 (올린 분 또는 센터)",
    body=ListingPatch,
    response=ListingOut,
    errors=(400, 401, 403, 404, 409, 422),
    auth=True,
)
def update_listing(listing_id: int):
    user = require_user()
    listing = services.update(user, listing_id, parse(ListingPatch(), partial=True))
    return jsonify(ListingOut().dump(listing))


@bp.delete("/listings/<int:listing_id>")
@doc("물건 삭제 (올린 분 또는 센터)", status=204, errors=(401, 403, 404, 409), auth=True)
def delete_listing(listing_id: int):
    services.delete(require_user(), listing_id)
    return "", 204


@bp.post("/listings/<int:listing_id>/photos")
@doc(
    "사진 올리기 (JPEG·PNG·WebP, 5MB, 8장까지)",
    response=ListingPhotoOut,
    status=201,
    multipart=True,
    errors=(401, 403, 404, 409, 413, 422),
    auth=True,
)
def upload_photo(listing_id: int):
    user = require_user()
    photo = services.add_photo(user, listing_id, request.files.get("file"))
    return created(ListingPhotoOut().dump(photo))


@bp.delete("/listings/<int:listing_id>/photos/<int:photo_id>")
@doc("사진 지우기 (올린 분)", status=204, errors=(401, 403, 404), auth=True)
def delete_photo(listing_id: int, photo_id: int):
    services.delete_photo(require_user(), listing_id, photo_id)
    return "", 204


@bp.post("/listings/<int:listing_id>/reports")
@doc(
    "물건 신고",
    body=MarketReportIn,
    response=MarketReportOut,
    status=201,
    errors=(400, 401, 404, 409, 422),
    auth=True,
)
def report_listing(listing_id: int):
    return _report(services.report_listing, listing_id)


# --- Requests -------------------------------------------------------------------------------------


@bp.post("/listings/<int:listing_id>/requests")
@doc(
    "빌리기(받기) 요청",
    body=RequestIn,
    response=RequestOut,
    status=201,
    errors=(400, 401, 403, 404, 409, 422),
    auth=True,
)
def create_request(listing_id: int):
    user = require_user()
    data = parse(RequestIn())
    loan = services.request(user, listing_id, data["start_date"], data["end_date"], data["message"])
    return created(RequestOut().dump(loan))


@bp.get("/requests")
@doc(
    "내 요청 (role=borrower: 빌린 것, role=owner: 빌려준 것)",
    query=RequestQuery,
    response=RequestOut,
    many=True,
    errors=(401, 422),
    auth=True,
)
def list_requests():
    user = require_user()
    if parse_args(RequestQuery).get("role") == "owner":
        return paged(services.lending_stmt(user), RequestOut())
    return paged(services.borrowing_stmt(user), RequestOut())


@bp.get("/requests/<int:loan_id>")
@doc("요청 보기 (요청한 분·올린 분)", response=RequestOut, errors=(401, 403, 404), auth=True)
def show_request(loan_id: int):
    return jsonify(RequestOut().dump(services.get_request(require_user(), loan_id)))


def _transition(summary: str, fn, *, idempotent=False, body=None):
    def view(loan_id: int):
        user = require_user()
        if fn is services.handover:
            loan = fn(user, loan_id, idempotency_key=idempotency_key())
        elif fn is services.return_:
            loan = fn(user, loan_id, refund_unused=_optional_json(RequestReturnIn())["refund_unused"])
        else:
            loan = fn(user, loan_id)
        return jsonify(RequestOut().dump(loan))

    return doc(
        summary,
        response=RequestOut,
        body=body,
        # 422: a body that does not fit (return), an Idempotency-Key past 100 characters (hand-over)
        errors=(401, 403, 404, 409, 422) if idempotent or body else (401, 403, 404, 409),
        auth=True,
        idempotent=idempotent,
    )(view)


def N_(summary: str) -> str:
    """Marks a summary for the catalogue (Babel's ``N_`` keyword); /api/docs translates it when shown."""
    return summary


for _name, _summary, _fn, _extra in (
    ("accept", N_("요청 수락 (올린 분)"), services.accept, {}),
    ("decline", N_("요청 거절 (올린 분)"), services.decline, {}),
    (
        "handover",
        N_("건네기 (올린 분; 조직의 유료 대여는 카드 결제)"),
        services.handover,
        {"idempotent": True},
    ),
    ("return", N_("반납 확인 (올린 분)"), services.return_, {"body": RequestReturnIn}),
    ("cancel", N_("요청 취소 (요청한 분, 또는 건네기 전의 올린 분)"), services.cancel, {}),
):
    bp.add_url_rule(
        f"/requests/<int:loan_id>/{_name}",
        endpoint=f"request_{_name}",
        view_func=_transition(_summary, _fn, **_extra),
        methods=["POST"],
    )


@bp.post("/requests/<int:loan_id>/review")
@doc(
    "후기 남기기 (반납 뒤 한 번)",
    body=RequestReviewIn,
    response=RequestReviewOut,
    status=201,
    errors=(400, 401, 403, 404, 409, 422),
    auth=True,
)
def review(loan_id: int):
    user = require_user()
    data = parse(RequestReviewIn())
    return created(RequestReviewOut().dump(services.review(user, loan_id, data["rating"], data["comment"])))


@bp.get("/requests/<int:loan_id>/messages")
@doc(
    "요청의 메시지 (요청한 분·올린 분)",
    response=RequestMessageOut,
    many=True,
    errors=(401, 403, 404),
    auth=True,
)
def list_messages(loan_id: int):
    return jsonify(whole_list(services.messages(require_user(), loan_id), RequestMessageOut()))


@bp.post("/requests/<int:loan_id>/messages")
@message_limit
@doc(
    "메시지 보내기",
    body=RequestMessageIn,
    response=RequestMessageOut,
    status=201,
    errors=(400, 401, 403, 404, 422, 429),
    auth=True,
)
def post_message(loan_id: int):
    user = require_user()
    message = services.post_message(user, loan_id, parse(RequestMessageIn())["body"])
    return created(RequestMessageOut().dump(message))


@bp.post("/messages/<int:message_id>/reports")
@doc(
    "메시지 신고",
    body=MarketReportIn,
    response=MarketReportOut,
    status=201,
    errors=(400, 401, 403, 404, 409, 422),
    auth=True,
)
def report_message(message_id: int):
    return _report(services.report_message, message_id)


@bp.get("/users/<int:user_id>/ratings")
@doc("주민의 평균 별점 (빌려준 분으로, 빌린 분으로)", response=UserRatingsOut, errors=(404,))
def user_ratings(user_id: int):
    from ..auth.services import get_user

    person = get_user(user_id)
    return jsonify(
        UserRatingsOut().dump({"id": person.id, "name": person.name, **services.user_ratings(person.id)})
    )
