"""The card's arithmetic, to the won: pure functions of integers, shared by the services and the audit.

Won below one are always dropped (원 미만 절사: floor), in the same direction, so the audit can
recompute every figure from the rates recorded on the payment.

Payment (API.md)::

    discount       = floor(amount × discount_bp / 10000)
    paid           = amount − discount                       (= from_card + from_mileage)
    fund_fee       = floor(paid × fund_rate_bp / 10000)
    mileage_earned = floor(paid × mileage_bp / 10000)
    merchant_net   = paid − fund_fee − mileage_earned

Refunds are in price terms (``amount`` like the payment's). Each refund is the *difference of
cumulative floors*: with ``R`` the price refunded so far including this refund and ``R0`` before it,
every figure is ``f(R) − f(R0)`` where ``f`` applies the payment's own rule to a cumulative amount:

    cum_discount(R) = floor(R × discount_bp / 10000)
    cum_paid(R)     = R − cum_discount(R)
    cum_fee(R)      = floor(cum_paid(R) × fund_rate_bp / 10000)
    cum_clawback(R) = floor(cum_paid(R) × mileage_bp / 10000)       (mileage_earned taken back)
    cum_mileage(R)  = floor(cum_paid(R) × from_mileage / paid)      (part returned to mileage)
    cum_card(R)     = cum_paid(R) − cum_mileage(R)                  (part returned to the card)
    cum_net(R)      = cum_paid(R) − cum_fee(R) − cum_clawback(R)    (taken back from the merchant)

At ``R = amount`` each cumulative figure equals the payment's own figure exactly (floor(paid ×
from_mileage / paid) = from_mileage), so any sequence of partial refunds ends exactly at the full
refund: rounding never drifts, the fund gives back exactly the fee it took.

Every figure of a refund is >= 0 except, possibly, the merchant's: it is the remainder
``paid − fee − clawback`` of one step, and when a refund of a few won makes both the fee's and the
clawback's floors step at once it can be −1 or −2 won (the merchant receives them back). The
cumulative merchant figure still ends exactly at the payment's ``merchant_net``.

The card and mileage split is proportional to how the payment was paid. The clawback of earned
mileage is taken from the mileage account first (including what this refund returns to it); if the
resident has already spent that mileage, the rest is withheld from the card refund
(``clawback_from_card``). Nothing goes below zero: the resident's two accounts together receive
``cum_paid − cum_clawback ≥ 0`` because mileage_bp ≤ 20%.
"""

from __future__ import annotations

from dataclasses import dataclass

BP = 10_000
AMOUNT_MIN = 1
AMOUNT_MAX = 10_000_000


@dataclass(frozen=True)
class PaymentFigures:
    amount: int
    discount: int
    paid: int
    from_card: int
    from_mileage: int
    fund_fee: int
    mileage_earned: int
    merchant_net: int
    discount_bp: int
    mileage_bp: int
    fund_rate_bp: int


@dataclass(frozen=True)
class RefundFigures:
    amount: int
    discount: int
    paid: int
    to_card: int
    to_mileage: int
    fund_fee: int
    mileage_clawback: int
    merchant_net: int


def payment_figures(
    amount: int,
    *,
    discount_bp: int,
    mileage_bp: int,
    fund_rate_bp: int,
    mileage_available: int = 0,
    use_mileage: bool = False,
) -> PaymentFigures:
    """The figures of a payment of ``amount`` won. With ``use_mileage`` the mileage pays first."""
    discount = amount * discount_bp // BP
    paid = amount - discount
    from_mileage = min(max(mileage_available, 0), paid) if use_mileage else 0
    fund_fee = paid * fund_rate_bp // BP
    earned = paid * mileage_bp // BP
    return PaymentFigures(
        amount=amount,
        discount=discount,
        paid=paid,
        from_card=paid - from_mileage,
        from_mileage=from_mileage,
        fund_fee=fund_fee,
        mileage_earned=earned,
        merchant_net=paid - fund_fee - earned,
        discount_bp=discount_bp,
        mileage_bp=mileage_bp,
        fund_rate_bp=fund_rate_bp,
    )


@dataclass(frozen=True)
class _Cumulative:
    discount: int
    paid: int
    fee: int
    clawback: int
    mileage: int


def _cumulative(p, refunded: int) -> _Cumulative:
    discount = refunded * p.discount_bp // BP
    paid = refunded - discount
    mileage = paid * p.from_mileage // p.paid if p.paid else 0
    return _Cumulative(
        discount=discount,
        paid=paid,
        fee=paid * p.fund_rate_bp // BP,
        clawback=paid * p.mileage_bp // BP,
        mileage=mileage,
    )


def refund_figures(payment, refunded_before: int, amount: int) -> RefundFigures:
    """What a refund of ``amount`` (price terms) moves back, after ``refunded_before`` was refunded.

    ``payment`` is anything with the payment's recorded figures and rates (a Payment row or
    :class:`PaymentFigures`). The caller checks ``refunded_before + amount <= payment.amount``.
    """
    before = _cumulative(payment, refunded_before)
    after = _cumulative(payment, refunded_before + amount)
    paid = after.paid - before.paid
    to_mileage = after.mileage - before.mileage
    fee = after.fee - before.fee
    clawback = after.clawback - before.clawback
    return RefundFigures(
        amount=amount,
        discount=after.discount - before.discount,
        paid=paid,
        to_card=paid - to_mileage,
        to_mileage=to_mileage,
        fund_fee=fee,
        mileage_clawback=clawback,
        merchant_net=paid - fee - clawback,
    )


def split_clawback(clawback: int, mileage_balance: int, to_mileage: int) -> int:
    """The part of ``clawback`` withheld from the card because the mileage account cannot cover it."""
    return max(0, clawback - (mileage_balance + to_mileage))
