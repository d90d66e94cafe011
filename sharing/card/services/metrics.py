"""The card's figures for the plan's project 3-1: current totals and month by month."""

from __future__ import annotations

from sqlalchemy import func, select

from ...core.extensions import db
from ...core.time import aware, seoul, seoul_today
from ...orgs.models import Organization
from ..models import Payment, Refund
from . import ledger, shops
from .ledger import total
from .queries import month_expr, month_range


def metrics() -> dict:
    """Live figures for the plan: all whole numbers (gross: refunds are not subtracted)."""
    payments, volume, mileage = db.session.execute(
        select(
            func.count(Payment.id),
            total(Payment.amount),
            total(Payment.mileage_earned),
        )
    ).one()
    return {
        "organizations_on_card": shops.shop_count(),
        "card_payments": int(payments),
        "card_volume": int(volume),
        "mileage_issued": int(mileage),
        "fund_balance": int(ledger.balance_of(ledger.FUND)[1]),
    }


def _next_month(month: str) -> str:
    y, m = int(month[:4]), int(month[5:7])
    return f"{y + 1:04d}-01" if m == 12 else f"{y:04d}-{m + 1:02d}"


def monthly_metrics() -> dict[str, dict]:
    """Per Seoul month 'YYYY-MM', from the first payment or verification to this month: the month's
    card_payments, card_volume, mileage_issued and fund_fee (gross), and at the month's end
    organizations_on_card (:func:`.shops.shop_count_at`) and fund_balance (fees of payments minus fees
    refunded until then: the fund's account moves only by those)."""
    month = month_expr(Payment.created_at)
    out: dict[str, dict] = {}
    for m, n, volume, mileage, fee in db.session.execute(
        select(
            month,
            func.count(Payment.id),
            total(Payment.amount),
            total(Payment.mileage_earned),
            total(Payment.fund_fee),
        ).group_by(month)
    ):
        out[m] = {
            "card_payments": int(n),
            "card_volume": int(volume),
            "mileage_issued": int(mileage),
            "fund_fee": int(fee),
        }
    refund_month = month_expr(Refund.created_at)
    refunded = dict(
        db.session.execute(select(refund_month, total(Refund.fund_fee)).group_by(refund_month)).all()
    )
    first_verified = db.session.execute(
        select(func.min(Organization.verified_at)).where(shops.is_shop())
    ).scalar_one()
    starts = list(out) + list(refunded)
    if first_verified is not None:
        starts.append(seoul(aware(first_verified)).strftime("%Y-%m"))
    if not starts:
        return {}
    current, last = min(starts), seoul_today().strftime("%Y-%m")
    last = max(last, *starts)
    balance = 0
    empty = {"card_payments": 0, "card_volume": 0, "mileage_issued": 0, "fund_fee": 0}
    while current <= last:
        figures = out.setdefault(current, dict(empty))
        balance += figures["fund_fee"] - int(refunded.get(current, 0))
        figures["fund_balance"] = balance
        figures["organizations_on_card"] = shops.shop_count_at(month_range(current)[1])
        current = _next_month(current)
    return dict(sorted(out.items()))
