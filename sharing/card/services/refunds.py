"""Refunds: a payment given back, fully or partly, by the paid organisation or the centre; and a
payment's page with its refunds. Same order as every ledger write (see :mod:`.payments`)."""

from __future__ import annotations

from flask_babel import gettext as _
from sqlalchemy import select

from ...auth.models import User
from ...core import idempotency as idem
from ...core.db import transaction
from ...core.errors import Conflict, Forbidden, NotFound
from ...core.extensions import db
from ...notify.services import notify
from ...orgs import services as orgs
from ...records.log import record_action
from ..models import Payment, Refund
from ..money import refund_figures, split_clawback
from . import ledger
from .ledger import total
from .payments import check_amount, detached, user_id_of
from .refund_amounts import RefundAmounts, refund_amounts


def refunded_amount(payment_id: int) -> int:
    return db.session.execute(
        select(total(Refund.amount)).where(Refund.payment_id == payment_id)
    ).scalar_one()


def get_payment(payment_id: int) -> Payment:
    payment = db.session.get(Payment, payment_id)
    if payment is None:
        raise NotFound(_("결제를 찾을 수 없습니다."), code="payment_not_found")
    return payment


def can_refund(actor, payment: Payment) -> bool:
    return actor is not None and (actor.is_centre or orgs.is_member(actor, payment.organization_id))


def refund(
    actor,
    payment_id: int,
    amount: int | None = None,
    *,
    idempotency_key: str | None = None,
    request_hash: str | None = None,
) -> Refund:
    """Refund a payment, fully (``amount`` None: whatever is left) or partly (``amount`` in price
    terms). Only a member of the paid organisation or the centre. Every leg goes back in proportion,
    the fund's fee included (see :mod:`sharing.card.money` for the exact rule). 409 when nothing is
    left to refund, when ``amount`` exceeds what is left, or when the merchant account cannot cover
    its share (it was paid out)."""
    if amount is not None:
        check_amount(amount)
    key = idem.check_key(idempotency_key)
    req_hash = request_hash or idem.call_hash("refund", payment_id=payment_id, amount=amount)
    actor_id = user_id_of(actor)
    with transaction():
        store = ledger.Store()
        head = store.lock_head()
        earlier = idem.replayed(store, actor_id, key, req_hash, "refund")
        if earlier is not None:
            return db.session.get(Refund, earlier)
        payment = get_payment(payment_id)
        if not can_refund(actor, payment):
            raise Forbidden(_("결제받은 조직의 구성원이나 센터만 환불할 수 있습니다."))
        before = refunded_amount(payment.id)
        remaining = payment.amount - before
        if remaining <= 0:
            raise Conflict(_("이미 전액 환불된 결제입니다."), code="already_refunded")
        if amount is None:
            amount = remaining
        if amount > remaining:
            raise Conflict(
                _("환불할 수 있는 금액은 %(left)s원입니다.", left=f"{remaining:,}"),
                code="refund_exceeds_payment",
            )
        f = refund_figures(payment, before, amount)
        card, mileage = ledger.card_of(payment.payer_id), ledger.mileage_of(payment.payer_id)
        merchant, fund = ledger.merchant_of(payment.organization_id), ledger.FUND
        accounts = store.lock_accounts([card, mileage, merchant, fund])
        if accounts[merchant.key].balance < f.merchant_net:
            raise Conflict(
                _("가맹점 잔액이 부족해 환불할 수 없습니다. 정산된 금액을 먼저 충전해 주세요."),
                code="merchant_insufficient_funds",
            )
        from_card = split_clawback(f.mileage_clawback, accounts[mileage.key].balance, f.to_mileage)
        txn = ledger.post(
            store,
            head,
            "refund",
            entries=[
                (accounts[merchant.key], -f.merchant_net),
                (accounts[fund.key], -f.fund_fee),
                (accounts[card.key], f.to_card),
                (accounts[mileage.key], f.to_mileage),
                (accounts[mileage.key], -(f.mileage_clawback - from_card)),
                (accounts[card.key], -from_card),
            ],
            amount=amount,
            user_id=payment.payer_id,
            organization_id=payment.organization_id,
            actor_id=actor_id,
            detail=ledger.refund_detail(payment.id, f, from_card),
            idempotency_key=key,
            request_hash=req_hash,
        )
        values = {
            "id": txn.id,
            "payment_id": payment.id,
            "created_at": txn.created_at,
            "clawback_from_card": from_card,
            **{
                n: getattr(f, n)
                for n in ledger.REFUND_DETAIL
                if n not in ("payment_id", "clawback_from_card")
            },
        }
        store.add_detail("refund", values, txn)
        if actor.is_centre:
            record_action(actor, "card.refund", "card_payment", payment.id, amount=amount)
            db.session.flush()
        row = detached(Refund, values)
        _notify_payer(payment, refund_amounts(row))
        return row


def refund_notice(org_name: str, a: RefundAmounts) -> tuple[str, str]:
    """The payer's notice of a refund: its title and body (list price and amount returned named)."""
    title = _("%(org)s 결제가 환불되었습니다", org=org_name)
    lines = [
        _("환불한 가격: %(price)s원", price=f"{a.list_price:,}"),
        _("카드로 돌려받은 금액: %(card)s원", card=f"{a.to_card:,}"),
    ]
    if a.to_mileage:
        lines.append(_("마일리지로 돌려받은 금액: %(m)s원", m=f"{a.to_mileage:,}"))
    if a.mileage_taken_back:
        lines.append(_("회수된 적립 마일리지: %(m)s원", m=f"{a.mileage_taken_back:,}"))
    if a.discount:
        lines.append(_("가격 중 할인받은 %(d)s원은 돌려받지 않습니다.", d=f"{a.discount:,}"))
    return title, "\n".join(lines)


def _notify_payer(payment: Payment, amounts: RefundAmounts) -> None:
    """An inbox notice and an e-mail to the payer, in the refund's transaction."""
    payer = db.session.get(User, payment.payer_id)
    if payer is None or payer.deleted_at is not None:  # an anonymised account gets no mail
        return
    org = orgs.get(payment.organization_id)
    title, body = refund_notice(org.name, amounts)
    notify(payer, "card.refunded", title, body, link=f"/card/payments/{payment.id}")


def view_payment(actor, payment_id: int) -> tuple[Payment, list[Refund]]:
    """A payment and its refunds, for its payer, the paid organisation's members and the centre."""
    payment = get_payment(payment_id)
    if actor is None or (actor.id != payment.payer_id and not can_refund(actor, payment)):
        raise Forbidden(_("이 결제를 볼 권한이 없습니다."))
    refunds = (
        db.session.execute(select(Refund).where(Refund.payment_id == payment.id).order_by(Refund.id))
        .scalars()
        .all()
    )
    return payment, refunds
