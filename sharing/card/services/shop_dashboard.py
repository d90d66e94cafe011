"""A shop's dashboard: what it has received on the card, in total and over the last months."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func, select

from ...core.extensions import db
from ...core.time import seoul_today
from ..models import Payment, Refund
from .ledger import total
from .queries import month_expr


@dataclass(frozen=True)
class ShopTotals:
    payments: int  # how many payments
    volume: int  # their list prices, won
    refunds: int  # how many refunds
    refunded: int  # list prices refunded, won
    fund: int  # the fund's share of the payments, less what refunds gave back, won

    @property
    def net(self) -> int:
        return self.volume - self.refunded


def shop_totals(organization_id: int) -> ShopTotals:
    payments, volume, fees = db.session.execute(
        select(func.count(Payment.id), total(Payment.amount), total(Payment.fund_fee)).where(
            Payment.organization_id == organization_id
        )
    ).one()
    refunds, refunded, fees_back = db.session.execute(
        select(func.count(Refund.id), total(Refund.amount), total(Refund.fund_fee))
        .join(Payment, Payment.id == Refund.payment_id)
        .where(Payment.organization_id == organization_id)
    ).one()
    return ShopTotals(int(payments), int(volume), int(refunds), int(refunded), int(fees) - int(fees_back))


def last_months(count: int) -> list[str]:
    """The last ``count`` Seoul months 'YYYY-MM', oldest first, this month last."""
    today = seoul_today()
    y, m = today.year, today.month
    out = []
    for _ in range(count):
        out.append(f"{y:04d}-{m:02d}")
        y, m = (y - 1, 12) if m == 1 else (y, m - 1)
    return out[::-1]


def shop_months(organization_id: int, count: int = 6) -> list[tuple[str, int]]:
    """(month, net sales: list prices paid that month less those refunded that month) for the last
    ``count`` Seoul months, oldest first; 0 for a month without any."""
    months = last_months(count)
    pm, rm = month_expr(Payment.created_at), month_expr(Refund.created_at)
    paid = dict(
        db.session.execute(
            select(pm, total(Payment.amount))
            .where(Payment.organization_id == organization_id, pm >= months[0])
            .group_by(pm)
        ).all()
    )
    refunded = dict(
        db.session.execute(
            select(rm, total(Refund.amount))
            .join(Payment, Payment.id == Refund.payment_id)
            .where(Payment.organization_id == organization_id, rm >= months[0])
            .group_by(rm)
        ).all()
    )
    return [(m, int(paid.get(m, 0)) - int(refunded.get(m, 0))) for m in months]
