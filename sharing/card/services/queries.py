"""Read side of the card: balances, histories, statements and the fund's figures (the plan's metrics
are in :mod:`.metrics`)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from sqlalchemy import func, select

from ...auth.models import User
from ...core.db import is_sqlite
from ...core.extensions import db
from ...core.time import to_utc
from ...orgs.models import Organization
from ...web.api import paginate
from ..models import CardEntry, CardTransaction, Payment, Refund
from . import ledger, shops
from .ledger import total
from .refund_amounts import NONE as NO_REFUND
from .refund_amounts import RefundAmounts, refund_amounts, refund_totals

HISTORY_KINDS = ("topup", "payment", "refund", "adjustment")


@dataclass(frozen=True)
class CardSummary:
    account_id: int | None
    balance: int
    mileage: int
    mileage_account_id: int | None = None


def card_summary(user) -> CardSummary:
    """The resident's balances (nothing is created: a new resident simply has 0 won)."""
    card_id, balance = ledger.balance_of(ledger.card_of(user.id))
    mileage_id, mileage = ledger.balance_of(ledger.mileage_of(user.id))
    return CardSummary(card_id, balance, mileage, mileage_id)


def seoul_day_start(day: date) -> datetime:
    """Midnight of a Seoul calendar day, in UTC."""
    return to_utc(datetime.combine(day, time.min))


def month_range(month: str) -> tuple[datetime, datetime]:
    """'YYYY-MM' -> [start, end) in UTC for that Seoul calendar month. ValueError if malformed."""
    start = datetime.strptime(month, "%Y-%m").date()
    nxt = (start.replace(day=28) + timedelta(days=4)).replace(day=1)
    return seoul_day_start(start), seoul_day_start(nxt)


def month_expr(column):
    """'YYYY-MM' of a stored UTC timestamp, in Seoul time (no DST in Korea)."""
    if is_sqlite():
        return func.strftime("%Y-%m", column, "+9 hours")
    return func.to_char(func.timezone("Asia/Seoul", column), "YYYY-MM")


# --- Resident history --------------------------------------------------------------------------


@dataclass
class HistoryItem:
    txn: CardTransaction
    card: int = 0
    mileage: int = 0
    organization_name: str | None = None
    payment: Payment | None = None
    refund: Refund | None = None
    refunded: int = 0  # for a payment: price refunded so far
    refunds: RefundAmounts = NO_REFUND  # for a payment: its refunds added up; for a refund: its own

    @property
    def id(self):
        return self.txn.id

    @property
    def kind(self):
        return self.txn.kind

    @property
    def amount(self):
        return self.txn.amount

    @property
    def organization_id(self):
        return self.txn.organization_id

    @property
    def created_at(self):
        return self.txn.created_at

    @property
    def payment_id(self):
        return self.refund.payment_id if self.refund else None


def history_stmt(
    user, *, kind: str | None = None, date_from: date | None = None, date_to: date | None = None
):
    stmt = select(CardTransaction).where(CardTransaction.user_id == user.id)
    if kind:
        stmt = stmt.where(CardTransaction.kind == kind)
    if date_from:
        stmt = stmt.where(CardTransaction.created_at >= seoul_day_start(date_from))
    if date_to:
        stmt = stmt.where(CardTransaction.created_at < seoul_day_start(date_to + timedelta(days=1)))
    return stmt.order_by(CardTransaction.id.desc())


def history(user, *, page: int = 1, per_page: int = 20, **filters) -> tuple[list[HistoryItem], int]:
    """The resident's own transactions, newest first, with what each did to card and mileage."""
    rows, count = paginate(history_stmt(user, **filters), page=page, per_page=per_page)
    items = [HistoryItem(txn) for txn in rows]
    if not items:
        return items, count
    summary = card_summary(user)
    ids = [i.id for i in items]
    by_id = {i.id: i for i in items}
    own = {summary.account_id: "card", summary.mileage_account_id: "mileage"}
    own.pop(None, None)
    if own:
        for txn_id, account_id, amount in db.session.execute(
            select(CardEntry.transaction_id, CardEntry.account_id, total(CardEntry.amount))
            .where(CardEntry.transaction_id.in_(ids), CardEntry.account_id.in_(list(own)))
            .group_by(CardEntry.transaction_id, CardEntry.account_id)
        ):
            setattr(by_id[txn_id], own[account_id], amount)
    _attach_details(items)
    return items, count


def _attach_details(items: list[HistoryItem]) -> None:
    ids = [i.id for i in items]
    by_id = {i.id: i for i in items}
    for p in db.session.execute(select(Payment).where(Payment.id.in_(ids))).scalars():
        by_id[p.id].payment = p
    for r in db.session.execute(select(Refund).where(Refund.id.in_(ids))).scalars():
        by_id[r.id].refund = r
    refunded = refund_totals([i.id for i in items if i.payment])
    org_ids = {i.organization_id for i in items if i.organization_id}
    names = (
        dict(
            db.session.execute(
                select(Organization.id, Organization.name).where(Organization.id.in_(org_ids))
            ).all()
        )
        if org_ids
        else {}
    )
    for i in items:
        if i.refund is not None:
            i.refunds = refund_amounts(i.refund)
        else:
            i.refunds = refunded.get(i.id, NO_REFUND)
        i.refunded = i.refunds.list_price if i.payment else 0
        i.organization_name = names.get(i.organization_id)


def refunded_totals(payment_ids) -> dict[int, int]:
    """The price refunded so far of each payment that has a refund."""
    return {pid: a.list_price for pid, a in refund_totals(payment_ids).items()}


# --- Shop side ---------------------------------------------------------------------------------


@dataclass
class ReceivedPayment:
    payment: Payment
    refunds: RefundAmounts
    payer_name: str

    @property
    def refunded(self) -> int:
        return self.refunds.list_price

    @property
    def remaining(self) -> int:
        return self.payment.amount - self.refunded


def merchant_balance(organization_id: int) -> int:
    return ledger.balance_of(ledger.merchant_of(organization_id))[1]


def received_payments(organization_id: int, *, page: int = 1, per_page: int = 20):
    stmt = (
        select(Payment)
        .join(CardTransaction, CardTransaction.id == Payment.id)
        .where(CardTransaction.organization_id == organization_id, CardTransaction.kind == "payment")
        .order_by(CardTransaction.id.desc())
    )
    rows, count = paginate(stmt, page=page, per_page=per_page)
    refunded = refund_totals(p.id for p in rows)
    names = dict(
        db.session.execute(select(User.id, User.name).where(User.id.in_({p.payer_id for p in rows}))).all()
        if rows
        else []
    )
    return [ReceivedPayment(p, refunded.get(p.id, NO_REFUND), names.get(p.payer_id, "")) for p in rows], count


STATEMENT_HEADER = (
    "일시",
    "구분",
    "거래번호",
    "결제번호",
    "금액",
    "할인",
    "결제액",
    "기금",
    "마일리지",
    "가맹점 입금(출금)",
    "참조 번호",
)


def statement_rows(organization_id: int, month: str):
    """A shop's month: one row per payment, refund and payout, with the merchant account's movement."""
    start, end = month_range(month)
    merchant_id = ledger.balance_of(ledger.merchant_of(organization_id))[0]
    stmt = (
        select(CardTransaction, Payment, Refund)
        .outerjoin(Payment, Payment.id == CardTransaction.id)
        .outerjoin(Refund, Refund.id == CardTransaction.id)
        .where(
            CardTransaction.organization_id == organization_id,
            CardTransaction.kind.in_(("payment", "refund", "payout", "adjustment")),
            CardTransaction.created_at >= start,
            CardTransaction.created_at < end,
        )
        .order_by(CardTransaction.id)
    )
    for txn, p, r in db.session.execute(stmt).yield_per(500):
        moved = 0
        if merchant_id is not None:
            moved = db.session.execute(
                select(total(CardEntry.amount)).where(
                    CardEntry.transaction_id == txn.id, CardEntry.account_id == merchant_id
                )
            ).scalar_one()
        figures = p or r
        yield {
            "created_at": txn.created_at,
            "kind": txn.kind,
            "id": txn.id,
            "payment_id": r.payment_id if r else (p.id if p else ""),
            "amount": txn.amount,
            "discount": figures.discount if figures else "",
            "paid": figures.paid if figures else "",
            "fund_fee": figures.fund_fee if figures else "",
            "mileage": (p.mileage_earned if p else r.mileage_clawback) if figures else "",
            "merchant": moved,
            "reference": txn.memo if txn.kind == "payout" else "",  # the bank transfer's reference
        }


# --- Fund --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class FundSummary:
    balance: int
    accrued: int
    refunded: int
    payments: int


def fund_summary() -> FundSummary:
    accrued, payments = db.session.execute(select(total(Payment.fund_fee), func.count(Payment.id))).one()
    refunded = db.session.execute(select(total(Refund.fund_fee))).scalar_one()
    return FundSummary(ledger.balance_of(ledger.FUND)[1], accrued, refunded, payments)


@dataclass
class Accrual:
    key: str
    label: str
    payments: int = 0
    volume: int = 0
    accrued: int = 0
    refunded: int = 0
    extra: dict = field(default_factory=dict)

    @property
    def net(self) -> int:
        return self.accrued - self.refunded


def accrual_by_month(limit: int = 12) -> list[Accrual]:
    """The fund's accrual per Seoul month (fees of payments, minus fees refunded), oldest first."""
    pm = month_expr(Payment.created_at)
    rm = month_expr(Refund.created_at)
    out: dict[str, Accrual] = {}
    for month, n, volume, fee in db.session.execute(
        select(pm, func.count(Payment.id), total(Payment.amount), total(Payment.fund_fee)).group_by(pm)
    ):
        out[month] = Accrual(month, month, n, volume, fee)
    for month, fee in db.session.execute(select(rm, total(Refund.fund_fee)).group_by(rm)):
        out.setdefault(month, Accrual(month, month)).refunded = fee
    return [out[k] for k in sorted(out)][-limit:]


def accrual_by_organization() -> list[Accrual]:
    out: dict[int, Accrual] = {}
    for org_id, name, n, volume, fee in db.session.execute(
        select(
            Organization.id,
            Organization.name,
            func.count(Payment.id),
            total(Payment.amount),
            total(Payment.fund_fee),
        )
        .join(Payment, Payment.organization_id == Organization.id)
        .group_by(Organization.id, Organization.name)
    ):
        out[org_id] = Accrual(str(org_id), name, n, volume, fee)
    for org_id, fee in db.session.execute(
        select(Payment.organization_id, total(Refund.fund_fee))
        .join(Payment, Payment.id == Refund.payment_id)
        .group_by(Payment.organization_id)
    ):
        if org_id in out:
            out[org_id].refunded = fee
    return sorted(out.values(), key=lambda a: (-a.net, a.label))


def card_policies():
    """The card shops with their discount and mileage rates, for the centre."""
    return shops.shops()
