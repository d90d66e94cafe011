"""JSON routes of the trade card and the fund (API.md, "Trade card").

Money-moving POSTs require an ``Idempotency-Key`` header (1..100 characters, else 422). A repeat
with the same key and the same request (method, path, canonical JSON body) answers the first result
again with the same status, 201, and moves nothing; the same key with another request is a 409.
"""

from flask import Blueprint, jsonify, request

from ..core.extensions import csrf
from ..web.api import created, doc, page_args, page_response, parse, parse_args, require_user
from . import services
from .schemas import (
    AnomalyOut,
    AuditOut,
    CardOut,
    CheckpointOut,
    FundOut,
    PaymentIn,
    PaymentOut,
    PayoutApproveIn,
    PayoutIn,
    PayoutOut,
    RefundIn,
    RefundOut,
    TopupConfirmIn,
    TopupConfirmOut,
    TopupIn,
    TopupOut,
    TransactionOut,
    TransactionQuery,
)

bp = Blueprint("card_api", __name__, url_prefix="/api/v1")
csrf.exempt(bp)


def _idempotency(body) -> dict:
    key = services.require_key(request.headers.get(services.IDEMPOTENCY_HEADER))
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
    "카드 충전 (instant 모드는 바로 posted, confirmed 모드는 확인될 때까지 pending)",
    body=TopupIn,
    response=TopupOut,
    status=201,
    errors=(400, 401, 409, 422, 503),
    auth=True,
    idempotent="required",
    description="status is posted (TOPUP_MODE instant: development, tests) or pending: then id is the "
    "pending top-up's, to confirm with POST /api/v1/card/topups/{id}/confirm; it is not spendable, "
    "counts toward the balance and monthly caps, and is voided if not confirmed within 24 hours.",
)
def topup():
    user = require_user()
    data = parse(TopupIn())
    result = services.topup(user, data["amount"], **_idempotency(request.get_json()))
    return created(TopupOut().dump(result))


@bp.post("/card/topups/<int:topup_id>/confirm")
@doc(
    "대기 중인 충전 확인 (센터 창구, 또는 서명한 결제 대행사 콜백)",
    body=TopupConfirmIn,
    response=TopupConfirmOut,
    errors=(400, 401, 403, 404, 409, 422, 503),
    auth=True,
    description="A centre member (bearer token), or the payment provider's callback signed with "
    "HMAC-SHA256 over '<X-Topup-Timestamp>.<raw body>' with TOPUP_PROVIDER_SECRET, sent as "
    "'X-Topup-Signature: sha256=<hex>' within 300 s of the timestamp. 409 when voided (not confirmed "
    "within 24 hours) or already posted; 401 for a bad or stale signature.",
)
def confirm_topup(topup_id: int):
    signature = request.headers.get(services.TOPUP_SIGNATURE_HEADER)
    if signature is not None:
        services.verify_signature(
            request.get_data(), request.headers.get(services.TOPUP_TIMESTAMP_HEADER), signature
        )
        actor, provider = None, True
    else:
        actor, provider = require_user(), False
    data = parse(TopupConfirmIn())
    row = services.confirm_topup(actor, topup_id, data["reference"], provider=provider)
    return jsonify(TopupConfirmOut().dump(row))


@bp.post("/organizations/<int:organization_id>/payouts")
@doc(
    "정산 요청 (조직의 구성원; 센터가 승인하면 출금)",
    body=PayoutIn,
    response=PayoutOut,
    status=201,
    errors=(400, 401, 403, 404, 409, 422, 503),
    auth=True,
    idempotent="required",
)
def request_payout(organization_id: int):
    user = require_user()
    data = parse(PayoutIn())
    row = services.request_payout(
        user, organization_id, data.get("amount"), **_idempotency(request.get_json())
    )
    return created(PayoutOut().dump(row))


@bp.post("/card/payouts/<int:payout_id>/approve")
@doc(
    "정산 승인 (센터; 은행 이체 참조 번호와 함께 출금 기록)",
    body=PayoutApproveIn,
    response=PayoutOut,
    errors=(400, 401, 403, 404, 409, 422, 503),
    auth=True,
)
def approve_payout(payout_id: int):
    user = require_user()
    data = parse(PayoutApproveIn())
    return jsonify(PayoutOut().dump(services.approve_payout(user, payout_id, data["reference"])))


@bp.post("/card/payments")
@doc(
    "가맹 조직에 카드 결제",
    body=PaymentIn,
    response=PaymentOut,
    status=201,
    errors=(400, 401, 403, 404, 409, 422, 503),
    auth=True,
    idempotent="required",
    description="403 own_organization when the payer is a member of the organisation.",
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
    return page_response(items, total, page, per_page, TransactionOut())


@bp.post("/card/payments/<int:payment_id>/refunds")
@doc(
    "결제 환불 (결제받은 조직의 구성원 또는 센터)",
    body=RefundIn,
    response=RefundOut,
    status=201,
    errors=(400, 401, 403, 404, 409, 422, 503),
    auth=True,
    idempotent="required",
    description="A refund is never refused because of the card's balance cap: the caps govern top-ups "
    "only. Any sequence of partial refunds ends exactly at the full refund.",
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


@bp.get("/fund/checkpoints")
@doc("원장 체크포인트 (누구나, 최신순)", response=CheckpointOut, many=True, errors=(422,))
def checkpoints():
    page, per_page = page_args()
    items, total = services.checkpoints(page, per_page)
    return page_response([c.as_dict() for c in items], total, page, per_page, CheckpointOut())


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
