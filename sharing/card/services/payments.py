"""Money-moving operations: top-up and payment (refunds in :mod:`.refunds`, the merchant payout
and the centre's adjustment in :mod:`.settlement`).

Each one is a single :func:`sharing.core.db.transaction` (joining the caller's, so the market can pay a
rental inside its own unit of work; a payment uses :func:`.ledger.writing`, which joins it the same
way and otherwise commits on its own pooled connection), takes the ledger's write lock first (:mod:`.ledger`), answers an
idempotent replay before anything else, checks every rule against the locked balances, then posts one
balanced transaction. A refused call moves nothing.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import inspect, select
from sqlalchemy.orm import make_transient_to_detached

from ...auth.verification import require_can_act
from ...core import idempotency as idem
from ...core.db import transaction, utcnow
from ...core.errors import Conflict, Forbidden, Invalid, NotFound
from ...core.extensions import db
from ...core.money import AMOUNT_MAX, AMOUNT_MIN
from ...core.time import aware, seoul, seoul_now
from ..models import CardTransaction, Payment
from ..money import payment_figures
from ..pending_models import PendingTopup
from . import ledger
from .ledger import total

MEMO_MAX = 200


@dataclass(frozen=True)
class Topup:
    id: int
    amount: int
    balance: int
    created_at: datetime
    status: str = "posted"  # or "pending" until a settlement source confirms it


def check_amount(amount, field: str = "amount") -> int:
    """A strict integer of 1..10,000,000 won (booleans, floats and strings are refused)."""
    if isinstance(amount, bool) or not isinstance(amount, int) or not AMOUNT_MIN <= amount <= AMOUNT_MAX:
        raise Invalid(
            fields={field: [_("금액은 1원 이상 10,000,000원 이하의 정수여야 합니다.")]},
        )
    return amount


def _month_start_utc(now: datetime | None = None) -> datetime:
    now = seoul(now) if now is not None else seoul_now()
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
        created_at=aware(txn.created_at),
    )


def user_id_of(user) -> int:
    """The user's id without reloading it (a committed session expires its objects)."""
    identity = inspect(user).identity
    return identity[0] if identity else user.id


def detached(model, values: dict):
    """The row just written through the store, as a detached ORM object with every column loaded:
    no query, no attribute events (``db.session.add`` makes it persistent without inserting it)."""
    row = model.__mapper__.class_manager.new_instance()
    row.__dict__.update(values)
    make_transient_to_detached(row)
    return row


def pending_topups(user_id: int, *, this_month: bool = False) -> int:
    """The resident's top-ups still waiting for confirmation (not void): not spendable, but counted
    toward both caps. ``this_month``: only those asked for this month (the monthly cap)."""
    stmt = select(total(PendingTopup.amount)).where(
        PendingTopup.user_id == user_id,
        PendingTopup.status == "pending",
        PendingTopup.expires_at > utcnow(),
    )
    if this_month:
        stmt = stmt.where(PendingTopup.created_at >= _month_start_utc())
    return db.session.execute(stmt).scalar_one()


def check_topup_caps(user_id: int, balance: int, amount: int) -> None:
    """409 when ``amount`` more would pass the card's balance cap or the monthly top-up cap; pending
    top-ups count toward both. (Only top-ups are capped: a refund is never refused for the cap.)"""
    cap = current_app.config["CARD_BALANCE_CAP"]
    monthly_cap = current_app.config["CARD_MONTHLY_TOPUP_CAP"]
    balance += pending_topups(user_id)
    if balance + amount > cap:
        raise Conflict(
            _(
                "카드 잔액은 %(cap)s원을 넘을 수 없습니다. 지금 충전할 수 있는 금액은 %(left)s원입니다.",
                cap=f"{cap:,}",
                left=f"{max(cap - balance, 0):,}",
            ),
            code="balance_cap_exceeded",
        )
    month_total = topped_up_this_month(user_id) + pending_topups(user_id, this_month=True)
    if month_total + amount > monthly_cap:
        raise Conflict(
            _(
                "한 달 충전 한도 %(cap)s원을 넘습니다. 이번 달에 더 충전할 수 있는 금액은 %(left)s원입니다.",
                cap=f"{monthly_cap:,}",
                left=f"{max(monthly_cap - month_total, 0):,}",
            ),
            code="monthly_topup_cap_exceeded",
        )


def post_topup(user, amount, *, idempotency_key: str | None = None, request_hash: str | None = None) -> Topup:
    """Charge the resident's card from outside at once (settlement -> card), within the two caps:
    the ``instant`` top-up mode (development, tests, the demo). See :mod:`.topups` for the modes."""
    check_amount(amount)
    key = idem.check_key(idempotency_key)
    req_hash = request_hash or idem.call_hash("topup", amount=amount)
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
        check_topup_caps(uid, accounts[card.key].balance, amount)
        txn = ledger.post(
            store,
            head,
            "topup",
            entries=[(accounts[settlement.key], -amount), (accounts[card.key], amount)],
            amount=amount,
            user_id=uid,
            actor_id=uid,
            idempotency_key=key,
            request_hash=req_hash,
        )
        return Topup(id=txn.id, amount=amount, balance=accounts[card.key].balance, created_at=txn.created_at)


def pay(
    payer,
    organization_id: int,
    amount: int,
    *,
    use_mileage: bool = False,
    idempotency_key: str | None = None,
    request_hash: str | None = None,
    expected: str | None = None,
) -> Payment:
    """Pay a verified organisation ``amount`` won (the price) from the card, and first from mileage
    when ``use_mileage``. Raises NotFound (unknown or unverified organisation), Forbidden
    ``own_organization`` (the payer is one of its members: no paying oneself), Conflict
    ``insufficient_funds``, Invalid. Usable inside an outer ``transaction()``.

    ``expected``: the :func:`quote` of the figures the payer confirmed (:func:`.preview.payment_preview`);
    when the figures computed under the lock differ (a rate or the mileage changed meanwhile),
    Conflict ``figures_changed`` and nothing moves."""
    require_can_act(payer)  # a confirmed e-mail address, when required (auth.verification)
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
    with ledger.writing() as store:
        head = store.lock_head()
        earlier = idem.replayed(store, uid, key, req_hash, "payment")
        if earlier is None:
            return _pay(store, head, uid, organization_id, amount, use_mileage, key, req_hash, expected)
    return db.session.get(Payment, earlier)  # a payment never changes: read after the lock is released


def payable_policy(store, organization_id: int, uid: int) -> tuple[int, int]:
    """(discount_bp, mileage_bp) of a verified organisation ``uid`` may pay: NotFound for an unknown
    or unverified one, Forbidden ``own_organization`` for one of its members."""
    policy = store.card_policy(organization_id, uid)
    if policy is None:  # unknown or not verified: the platform's 404 (orgs.get_verified)
        raise NotFound(_("인증된 사회적경제조직을 찾을 수 없습니다."), code="organization_not_found")
    discount_bp, mileage_bp, member = policy
    if member:
        raise Forbidden(
            _("조직의 구성원은 자기 조직에 카드로 결제할 수 없습니다."),
            code="own_organization",
        )
    return discount_bp, mileage_bp


def figures_for(amount: int, policy: tuple[int, int], mileage_balance: int, use_mileage: bool):
    """A payment's figures at the shop's rates and the fund's rate of now: what :func:`pay` posts
    and what the confirmation page shows (:func:`.preview.payment_preview`)."""
    discount_bp, mileage_bp = policy
    return payment_figures(
        amount,
        discount_bp=discount_bp,
        mileage_bp=mileage_bp,
        fund_rate_bp=current_app.config["CARD_FUND_RATE_BP"],
        mileage_available=mileage_balance,
        use_mileage=use_mileage,
    )


def quote(f) -> str:
    """The figures a payer agrees to, as one string: price, discount, card, mileage used, earned."""
    return f"{f.amount}:{f.discount}:{f.from_card}:{f.from_mileage}:{f.mileage_earned}"


def insufficient_funds(f, card_balance: int) -> Conflict | None:
    """The refusal when the card cannot cover the card's part of ``f`` (None when it can)."""
    if card_balance >= f.from_card:
        return None
    return Conflict(
        _(
            "카드 잔액이 부족합니다. 결제할 금액 %(need)s원, 카드 잔액 %(have)s원.",
            need=f"{f.from_card:,}",
            have=f"{card_balance:,}",
        ),
        code="insufficient_funds",
    )


def _pay(store, head, uid, organization_id, amount, use_mileage, key, req_hash, expected=None) -> Payment:
    """The payment itself, under the lock (see :func:`pay`)."""
    policy = payable_policy(store, organization_id, uid)
    card, mileage = ledger.card_of(uid), ledger.mileage_of(uid)
    merchant, fund = ledger.merchant_of(organization_id), ledger.FUND
    accounts = store.lock_accounts([card, mileage, merchant, fund])
    f = figures_for(amount, policy, accounts[mileage.key].balance, use_mileage)
    if expected is not None and quote(f) != expected:
        raise Conflict(
            _(
                "확인하신 뒤에 결제 조건(할인·마일리지)이 바뀌었습니다. 바뀐 금액을 확인하고 다시 결제해 주세요."
            ),
            code="figures_changed",
        )
    refused = insufficient_funds(f, accounts[card.key].balance)
    if refused is not None:
        raise refused
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
        idempotency_key=key,
        request_hash=req_hash,
    )
    values = {
        "id": txn.id,
        "payer_id": uid,
        "organization_id": organization_id,
        "created_at": txn.created_at,
        **{name: getattr(f, name) for name in ledger.PAYMENT_DETAIL},
    }
    store.add_detail("payment", values, txn)
    return detached(Payment, values)
