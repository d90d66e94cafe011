"""What a refund gave back, in the words every page uses: the list price refunded (가격 기준, what the
shop typed), the amount returned to the card, the mileage given back and the earned mileage taken
back. One definition for the shop's flash and payment rows, the resident's history, the receipt and
the refund notice (a refund of 5,000 won of a price with a 10% discount returns 4,500 won: both
figures are shown, each with its name)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from sqlalchemy import select

from ...core.extensions import db
from ..models import Refund
from .ledger import total

# the refund columns the figures are made of (a Refund row, or a row of their sums)
COLUMNS = ("amount", "discount", "paid", "to_card", "to_mileage", "mileage_clawback", "clawback_from_card")


@dataclass(frozen=True)
class RefundAmounts:
    """Integers, in won. ``list_price = discount + paid`` and ``paid = to_card + to_mileage +
    taken_from_card``: the part of the price paid back lands on the card or the mileage, less the
    earned mileage that had already been spent (withheld from the card, ``taken_from_card``)."""

    list_price: int  # the price refunded (가격 기준)
    discount: int  # the shop's discount on that price: never paid, so never returned
    paid: int  # what the resident had paid for it (card and mileage)
    to_card: int  # returned to the card
    to_mileage: int  # mileage spent on the payment, given back
    mileage_taken_back: int  # mileage earned on the payment, taken back
    taken_from_card: int  # the part of it withheld from the card (the mileage was spent)

    @property
    def returned(self) -> int:
        """Card and mileage given back together, before the mileage taken back."""
        return self.to_card + self.to_mileage

    @property
    def mileage_change(self) -> int:
        """What the refund did to the mileage balance (given back less taken back from it)."""
        return self.to_mileage - (self.mileage_taken_back - self.taken_from_card)


NONE = RefundAmounts(0, 0, 0, 0, 0, 0, 0)


def refund_amounts(refunds) -> RefundAmounts:
    """The amounts of one refund, or of several together (the refunds of a payment): anything with
    the :data:`COLUMNS` of a Refund row."""
    rows: Iterable = [refunds] if hasattr(refunds, "amount") else refunds
    sums = dict.fromkeys(COLUMNS, 0)
    for r in rows:
        for name in COLUMNS:
            sums[name] += int(getattr(r, name))
    return RefundAmounts(
        list_price=sums["amount"],
        discount=sums["discount"],
        paid=sums["paid"],
        to_card=sums["to_card"] - sums["clawback_from_card"],
        to_mileage=sums["to_mileage"],
        mileage_taken_back=sums["mileage_clawback"],
        taken_from_card=sums["clawback_from_card"],
    )


def refund_totals(payment_ids) -> dict[int, RefundAmounts]:
    """Each payment's refunds added up (payments without a refund are left out)."""
    payment_ids = list(payment_ids)
    if not payment_ids:
        return {}
    stmt = (
        select(Refund.payment_id, *(total(getattr(Refund, n)).label(n) for n in COLUMNS))
        .where(Refund.payment_id.in_(payment_ids))
        .group_by(Refund.payment_id)
    )
    return {row.payment_id: refund_amounts(row) for row in db.session.execute(stmt)}
