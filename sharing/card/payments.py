"""Money-moving operations: top-up, payment, refund, merchant payout, centre adjustment.

Each one is a single :func:`sharing.db.transaction` (joining the caller's, so the market can pay a
rental inside its own unit of work), takes the ledger's write lock first (:mod:`.ledger`), answers an
idempotent replay before anything else, checks every rule against the locked balances, then posts one
balanced transaction. A refused call moves nothing.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import inspect, select
from sqlalchemy.orm import make_transient_to_detached

from ..admin.log import record_action
from ..auth.services import require_centre
from ..db import transaction
from ..errors import Conflict, Forbidden, Invalid, NotFound
from ..extensions import db
from ..orgs import services as orgs
from . import idempotency as idem
from . import ledger
from .ledger import total
from .models import CardAccount, CardTransaction, Payment, Refund
from .money import AMOUNT_MAX, AMOUNT_MIN, payment_figures, refund_figures, split_clawback

SEOUL = ZoneInfo("Asia/Seoul")
MEMO_MAX = 200


@dataclass(frozen=True)
class Topup:
    id: int
    amount: int
    balance: int
    created_at: datetime


@dataclass(frozen=True)
class Payout:
    id: int
    organization_id: int
    amount: int
    balance: int
    created_at: datetime


def _aware(value: datetime) -> datetime:
    """SQLite hands back naive UTC; results carry aware UTC timestamps either way."""
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value


def check_amount(amount, field: str = "amount") -> int:
    """A strict integer of 1..10,000,000 won (booleans, floats and strings are refused)."""
    if isinstance(amount, bool) or not isinstance(amount, int) or not AMOUNT_MIN <= amount <= AMOUNT_MAX:
        raise Invalid(
            fields={field: [_("금액은 1원 이상 10,000,000원 이하의 정수여야 합니다.")]},
        )
    return amount


def _month_start_utc(now: datetime | None = None) -> datetime:
    now = (now or datetime.now(UTC)).astimezone(SEOUL)
    return now.replace(day=1, hour=0, minute=0, second=0, microsecond=0).astimezone(UTC)


def topped_up_this_month(user_id: int) -> int:
    return db.session.execute(
        select(total(CardTransaction.amount)).where(
            CardTransaction.user_id == user_id,
            CardTransaction.kind == "topup",
            CardTransaction.created_at >= _month_start_utc(),
        )
    ).scalar_one()


def _topup_result(txn: CardTransaction, card_account_id: int) -> Topup:
    return Topup(
        id=txn.id,
        amount=txn.amount,
        balance=ledger.balance_after(card_account_id, txn.id),
        created_at=_aware(txn.created_at),
    )


def user_id_of(user) -> int:
    """The user's id without reloading it (a committed session expires its objects)."""
    identity = inspect(user).identity
    return identity[0] if identity else user.id


def _detached(model, values: dict):
    """The row just written through the store, as a detached ORM object with every column loaded:
    no query, no attribute events (``db.session.add`` makes it persistent without inserting it)."""
    row = model.__mapper__.class_manager.new_instance()
    row.__dict__.update(values)
    make_transient_to_detached(row)
    return row


def topup(user, amount, *, idempotency_key: str | None = None, request_hash: str | None = None) -> Topup:
    """Charge the resident's card from outside (settlement -> card), within the two caps."""
    check_amount(amount)
    key = idem.check_key(idempotency_key)
    req_hash = request_hash or idem.call_hash("topup", amount=amount)
    cap = current_app.config["CARD_BALANCE_CAP"]
    monthly_cap = current_app.config["CARD_MONTHLY_TOPUP_CAP"]
    uid = user_id_of(user)
    with transaction():
        store = ledger.Store()
        head = store.lock_head()
        earlier = idem.replayed(store, uid, key, req_hash, "topup")
        if earlier is not None:
            account_id, _balance = ledger.balance_of(ledger.card_of(uid))
            return _topup_result(db.session.get(CardTransaction, earlier), account_id)
        card, settlement = ledger.card_of(uid), ledger.SETTLEMENT
        accounts = store.lock_accounts([card, ledger.mileage_of(uid), settlement])
        balance = accounts[card.key].balance
        if balance + amount > cap:
            raise Conflict(
                _(
                    "카드 잔액은 %(cap)s원을 넘을 수 없습니다. 지금 충전할 수 있는 금액은 %(left)s원입니다.",
                    cap=f"{cap:,}",
                    left=f"{max(cap - balance, 0):,}",
                ),
                code="balance_cap_exceeded",
            )
        month_total = topped_up_this_month(uid)
        if month_total + amount > monthly_cap:
            raise Conflict(
                _(
                    "한 달 충전 한도 %(cap)s원을 넘습니다. 이번 달에 더 충전할 수 있는 금액은 %(left)s원입니다.",
                    cap=f"{monthly_cap:,}",
                    left=f"{max(monthly_cap - month_total, 0):,}",
                ),
                code="monthly_topup_cap_exceeded",
            )
        txn = ledger.post(
            store,
            head,
            "topup",
            entries=[(accounts[settlement.key], -amount), (accounts[card.key], amount)],
            amount=amount,
            user_id=uid,
            actor_id=uid,
        )
        idem.remember(store, uid, key, req_hash, txn.id)
        return Topup(id=txn.id, amount=amount, balance=accounts[card.key].balance, created_at=txn.created_at)


def pay(
    payer,
    organization_id: int,
    amount: int,
    *,
    use_mileage: bool = False,
    idempotency_key: str | None = None,
    request_hash: str | None = None,
) -> Payment:
    """Pay a verified organisation ``amount`` won (the price) from the card, and first from mileage
    when ``use_mileage``. Raises NotFound (unknown or unverified organisation), Conflict
    ``insufficient_funds``, Invalid. Usable inside an outer ``transaction()``."""
    check_amount(amount)
    if not isinstance(use_mileage, bool):
        raise Invalid(fields={"use_mileage": [_("참/거짓 값이어야 합니다.")]})
    if isinstance(organization_id, bool) or not isinstance(organization_id, int):
        raise Invalid(fields={"organization_id": [_("정수를 입력해 주세요.")]})
    key = idem.check_key(idempotency_key)
    req_hash = request_hash or idem.call_hash(
        "pay", organization_id=organization_id, amount=amount, use_mileage=use_mileage
    )
    uid = user_id_of(payer)
    with transaction():
        store = ledger.Store()
        head = store.lock_head()
        earlier = idem.replayed(store, uid, key, req_hash, "payment")
        if earlier is not None:
            return db.session.get(Payment, earlier)
        policy = store.card_policy(organization_id)
        if policy is None:
            orgs.get_verified(organization_id)  # raises the platform's 404 (organization_not_found)
            raise NotFound(_("인증된 사회적경제조직을 찾을 수 없습니다."), code="organization_not_found")
        discount_bp, mileage_bp = policy
        card, mileage = ledger.card_of(uid), ledger.mileage_of(uid)
        merchant, fund = ledger.merchant_of(organization_id), ledger.FUND
        accounts = store.lock_accounts([card, mileage, merchant, fund])
        f = payment_figures(
            amount,
            discount_bp=discount_bp,
            mileage_bp=mileage_bp,
            fund_rate_bp=current_app.config["CARD_FUND_RATE_BP"],
            mileage_available=accounts[mileage.key].balance,
            use_mileage=use_mileage,
        )
        if accounts[card.key].balance < f.from_card:
            raise Conflict(
                _(
                    "카드 잔액이 부족합니다. 결제할 금액 %(need)s원, 카드 잔액 %(have)s원.",
                    need=f"{f.from_card:,}",
                    have=f"{accounts[card.key].balance:,}",
                ),
                code="insufficient_funds",
            )
        txn = ledger.post(
            store,
            head,
            "payment",
            entries=[
                (accounts[card.key], -f.from_card),
                (accounts[mileage.key], -f.from_mileage),
                (accounts[merchant.key], f.merchant_net),
                (accounts[fund.key], f.fund_fee),
                (accounts[mileage.key], f.mileage_earned),
            ],
            amount=amount,
            user_id=uid,
            organization_id=organization_id,
            actor_id=uid,
            detail=ledger.payment_detail(f),
        )
        values = {
            "id": txn.id,
            "payer_id": uid,
            "organization_id": organization_id,
            "created_at": txn.created_at,
            **{name: getattr(f, name) for name in ledger.PAYMENT_DETAIL},
        }
        store.add_detail("payment", values)
        idem.remember(store, uid, key, req_hash, txn.id)
        return _detached(Payment, values)


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
        store.add_detail("refund", values)
        idem.remember(store, actor_id, key, req_hash, txn.id)
        if actor.is_centre:
            record_action(actor, "card.refund", "card_payment", payment.id, amount=amount)
            db.session.flush()
        return _detached(Refund, values)


def payout(
    actor,
    organization_id: int,
    amount: int | None = None,
    *,
    idempotency_key: str | None = None,
    request_hash: str | None = None,
) -> Payout:
    """Pay the merchant's balance (or ``amount`` of it) out of the system: merchant -> settlement."""
    if amount is not None:
        check_amount(amount)
    key = idem.check_key(idempotency_key)
    req_hash = request_hash or idem.call_hash("payout", organization_id=organization_id, amount=amount)
    actor_id = user_id_of(actor)
    with transaction():
        store = ledger.Store()
        head = store.lock_head()
        earlier = idem.replayed(store, actor_id, key, req_hash, "payout")
        if earlier is not None:
            txn = db.session.get(CardTransaction, earlier)
            account_id, _b = ledger.balance_of(ledger.merchant_of(txn.organization_id))
            return Payout(
                txn.id,
                txn.organization_id,
                txn.amount,
                ledger.balance_after(account_id, txn.id),
                _aware(txn.created_at),
            )
        org = orgs.get(organization_id)
        orgs.require_member_or_centre(actor, org)
        merchant = ledger.merchant_of(org.id)
        accounts = store.lock_accounts([merchant, ledger.SETTLEMENT])
        balance = accounts[merchant.key].balance
        if amount is None:
            amount = balance
        if amount <= 0:
            raise Conflict(_("정산할 잔액이 없습니다."), code="nothing_to_pay_out")
        if amount > balance:
            raise Conflict(
                _("정산할 수 있는 금액은 %(left)s원입니다.", left=f"{balance:,}"),
                code="insufficient_funds",
            )
        txn = ledger.post(
            store,
            head,
            "payout",
            entries=[(accounts[merchant.key], -amount), (accounts[ledger.SETTLEMENT.key], amount)],
            amount=amount,
            organization_id=org.id,
            actor_id=actor_id,
        )
        idem.remember(store, actor_id, key, req_hash, txn.id)
        if actor.is_centre:
            record_action(actor, "card.payout", "organization", org.id, amount=amount)
        return Payout(txn.id, org.id, amount, accounts[merchant.key].balance, txn.created_at)


def adjust(actor, account_id: int, amount: int, memo: str) -> CardTransaction:
    """A centre correction: ``amount`` (signed, non-zero) into an account, against settlement.

    The fund and settlement accounts cannot be adjusted: the fund holds exactly the fees accrued minus
    the fees refunded, and that is what the audit proves.
    """
    require_centre(actor)
    problems = {}
    if isinstance(amount, bool) or not isinstance(amount, int) or amount == 0 or abs(amount) > AMOUNT_MAX:
        problems["amount"] = [_("0이 아닌 정수(±10,000,000원 이내)여야 합니다.")]
    memo = (memo or "").strip()
    if not 1 <= len(memo) <= MEMO_MAX:
        problems["memo"] = [_("사유를 1자 이상 200자 이하로 입력해 주세요.")]
    if problems:
        raise Invalid(fields=problems)
    with transaction():
        store = ledger.Store()
        head = store.lock_head()
        target = db.session.get(CardAccount, account_id)
        if target is None:
            raise NotFound(_("계정을 찾을 수 없습니다."), code="account_not_found")
        if target.kind in ("fund", "settlement"):
            raise Conflict(_("기금과 정산 계정은 조정할 수 없습니다."), code="account_not_adjustable")
        spec = ledger.AccountSpec(target.owner_key, target.kind, target.user_id, target.organization_id)
        accounts = store.lock_accounts([spec, ledger.SETTLEMENT])
        txn = ledger.post(
            store,
            head,
            "adjustment",
            entries=[(accounts[spec.key], amount), (accounts[ledger.SETTLEMENT.key], -amount)],
            amount=amount,
            user_id=target.user_id,
            organization_id=target.organization_id,
            actor_id=actor.id,
            memo=memo,
        )
        record_action(actor, "card.adjust", "card_account", target.id, amount=amount, memo=memo)
        db.session.flush()
    return db.session.get(CardTransaction, txn.id)


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
