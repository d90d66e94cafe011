"""JSON routes of the trade card and the fund (API.md, "Trade card").

Money-moving POSTs take an optional ``Idempotency-Key`` header (1..100 characters, else 422). A repeat
with the same key and the same request (method, path, canonical JSON body) answers the first result
again with the same status, 201, and moves nothing; the same key with another request is a 409.
"""

from flask import Blueprint, jsonify, request

from ..api import created, doc, page_args, page_response, parse, parse_args, require_user
from ..extensions import csrf
from . import services
from .schemas import (
    AnomalyOut,
    AuditOut,
    CardOut,
    FundOut,
    PaymentIn,
    PaymentOut,
    RefundIn,
    RefundOut,
    TopupIn,
    TopupOut,
    TransactionOut,
    TransactionQuery,
)

bp = Blueprint("card_api", __name__, url_prefix="/api/v1")
csrf.exempt(bp)


def _idempotency(body) -> dict:
    key = services.check_key(request.headers.get(services.IDEMPOTENCY_HEADER))
    return {
        "idempotency_key": key,
        "request_hash": services.request_hash(request.method, request.path, body),
    }


@bp.get("/card")
@doc("내 카드 잔액과 마일리지", response=CardOut, errors=(401,), auth=True)
def card():
    return jsonify(CardOut().dump(services.card_summary(require_user())))


@bp.post("/card/topups")
@doc(
    "카드 충전",
    body=TopupIn,
    response=TopupOut,
    status=201,
    errors=(400, 401, 409, 422),
    auth=True,
    idempotent=True,
)
def topup():
    user = require_user()
    data = parse(TopupIn())
    result = services.topup(user, data["amount"], **_idempotency(request.get_json()))
    return created(TopupOut().dump(result))


@bp.post("/card/payments")
@doc(
    "가맹 조직에 카드 결제",
    body=PaymentIn,
    response=PaymentOut,
    status=201,
    errors=(400, 401, 404, 409, 422),
    auth=True,
    idempotent=True,
)
def pay():
    user = require_user()
    data = parse(PaymentIn())
    payment = services.pay(
        user,
        data["organization_id"],
        data["amount"],
        use_mileage=data["use_mileage"],
        **_idempotency(request.get_json()),
    )
    return created(PaymentOut().dump(payment))


@bp.get("/card/transactions")
@doc(
    "내 카드 거래 내역 (최신순)",
    query=TransactionQuery,
    response=TransactionOut,
    many=True,
    errors=(401, 422),
)
def transactions():
    user = require_user()
    args = parse_args(TransactionQuery)
    page, per_page = page_args()
    items, total = services.history(
        user,
        page=page,
        per_page=per_page,
        kind=args.get("kind"),
        date_from=args.get("date_from"),
        date_to=args.get("date_to"),
    )
    return jsonify(
        {
            "items": TransactionOut().dump(items, many=True),
            "page": page,
            "per_page": per_page,
            "total": total,
        }
    )


@bp.post("/card/payments/<int:payment_id>/refunds")
@doc(
    "결제 환불 (결제받은 조직의 구성원 또는 센터)",
    body=RefundIn,
    response=RefundOut,
    status=201,
    errors=(400, 401, 403, 404, 409, 422),
    auth=True,
    idempotent=True,
)
def refund(payment_id: int):
    user = require_user()
    body = {} if not request.get_data() else None
    data = parse(RefundIn()) if body is None else {}
    result = services.refund(
        user,
        payment_id,
        data.get("amount"),
        **_idempotency(request.get_json() if body is None else body),
    )
    return created(RefundOut().dump(result))


@bp.get("/fund")
@doc("사회적경제기금 현황 (센터)", response=FundOut, errors=(401, 403), auth=True)
def fund():
    services.require_centre_for_fund(require_user())
    return jsonify(FundOut().dump(services.fund_summary()))


@bp.get("/fund/audit")
@doc("원장 감사 (센터)", response=AuditOut, errors=(401, 403), auth=True)
def audit():
    services.require_centre_for_fund(require_user())
    return jsonify(services.audit().as_dict())


@bp.get("/fund/anomalies")
@doc(
    "이상 거래 (상품권 깡 의심 패턴, 센터): 규칙과 사유",
    response=AnomalyOut,
    many=True,
    errors=(401, 403, 422),
    auth=True,
)
def anomalies():
    services.require_centre_for_fund(require_user())
    page, per_page = page_args()
    found = services.anomalies()
    items = found[(page - 1) * per_page : page * per_page]
    return page_response(items, len(found), page, per_page, AnomalyOut())
