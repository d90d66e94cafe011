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
cumulative figures*: with ``R`` the price refunded so far including this refund and ``R0`` before it,
every leg is ``legs_for(R) − legs_for(R0)`` (:func:`refund_figures`, the one definition the services
and the audit share). ``legs_for`` splits a cumulative amount down a tree of proportional floors, each
split taking its share of what the *payment* gave that leg, so every leg's running total only grows
and ends exactly at the payment's own figure::

    share(x, part, whole) = floor(x × part / whole)            (0 when whole is 0)
    discount(R) = floor(R × discount_bp / 10000)      paid(R)    = R − discount(R)
    mileage(R)  = share(paid(R), from_mileage, paid)  card(R)    = paid(R) − mileage(R)
    fee(R)      = floor(paid(R) × fund_rate_bp / 10000)  rest(R) = paid(R) − fee(R)
    clawback(R) = share(rest(R), mileage_earned, paid − fund_fee)
    net(R)      = rest(R) − clawback(R)                          (taken back from the merchant)

(The discount and the fee follow the payment's own rates, as the API writes them; the clawback
takes its share of what is left after the fee, so that the merchant's part cannot step back.)
When ``x`` grows by one won, each split's floor grows by 0 or 1 (every rate and share is at most
one), so both halves of every split are non-decreasing; at ``R = amount`` every split returns
exactly the payment's figures. Hence:
any sequence of partial refunds ends exactly at the full refund, no leg's running total ever exceeds
what that leg received (a shop that was never paid out can always refund), and every figure of a
refund is >= 0. A refund whose legs are all zero (1 won of a discounted price) moves nothing but still
counts toward the refunded price, so the last won can always be refunded. A refund is never refused
because of the card's balance cap: the caps govern top-ups only.

The clawback of earned mileage is taken from the mileage account first (including what this refund
returns to it); if the resident has already spent that mileage, the rest is withheld from the card
refund (``clawback_from_card``). Nothing goes below zero: the resident's two accounts together
receive ``paid(R) − clawback(R) >= 0``.
"""

from __future__ import annotations

from dataclasses import dataclass

BP = 10_000


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


def _share(x: int, part: int, whole: int) -> int:
    return x * part // whole if whole else 0


@dataclass(frozen=True)
class Legs:
    """Cumulative figures of refunding ``refunded`` won of a payment's price (see the module's rule)."""

    discount: int
    paid: int
    card: int
    mileage: int
    fee: int
    clawback: int
    net: int


def legs_for(payment, refunded: int) -> Legs:
    """The cumulative legs of refunding ``refunded`` (0..amount) won of ``payment``'s price.

    ``payment`` is anything with the payment's recorded figures and rates (``paid``, ``from_mileage``,
    ``fund_fee``, ``mileage_earned``, ``discount_bp``, ``fund_rate_bp``): a Payment row or
    :class:`PaymentFigures`.
    """
    discount = refunded * payment.discount_bp // BP
    paid = refunded - discount
    mileage = _share(paid, payment.from_mileage, payment.paid)
    fee = paid * payment.fund_rate_bp // BP
    rest = paid - fee
    clawback = _share(rest, payment.mileage_earned, payment.paid - payment.fund_fee)
    return Legs(
        discount=discount,
        paid=paid,
        card=paid - mileage,
        mileage=mileage,
        fee=fee,
        clawback=clawback,
        net=rest - clawback,
    )


def refund_figures(payment, refunded_before: int, amount: int) -> RefundFigures:
    """What a refund of ``amount`` (price terms) moves back, after ``refunded_before`` was refunded:
    ``legs_for(refunded_before + amount) − legs_for(refunded_before)``. The caller checks
    ``refunded_before + amount <= payment.amount``."""
    before = legs_for(payment, refunded_before)
    after = legs_for(payment, refunded_before + amount)
    return RefundFigures(
        amount=amount,
        discount=after.discount - before.discount,
        paid=after.paid - before.paid,
        to_card=after.card - before.card,
        to_mileage=after.mileage - before.mileage,
        fund_fee=after.fee - before.fee,
        mileage_clawback=after.clawback - before.clawback,
        merchant_net=after.net - before.net,
    )


def split_clawback(clawback: int, mileage_balance: int, to_mileage: int) -> int:
    """The part of ``clawback`` withheld from the card because the mileage account cannot cover it."""
    return max(0, clawback - (mileage_balance + to_mileage))
