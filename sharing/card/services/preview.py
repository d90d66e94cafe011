"""A payment before it is made: the figures of the confirmation page, from the same code
:func:`.payments.pay` uses (the shop's policy, :func:`.payments.figures_for`), read without the lock.
The page sends back their :func:`.payments.quote`; ``pay`` refuses when the figures changed."""

from __future__ import annotations

from dataclasses import dataclass

from ...core.errors import Conflict
from ..money import PaymentFigures
from . import ledger
from .payments import check_amount, figures_for, insufficient_funds, payable_policy, quote, user_id_of


@dataclass(frozen=True)
class PaymentPreview:
    organization_id: int
    figures: PaymentFigures
    balance: int  # the card now
    mileage: int  # the mileage now
    refusal: Conflict | None  # the card cannot cover it (insufficient_funds)

    @property
    def quote(self) -> str:
        return quote(self.figures)

    @property
    def balance_after(self) -> int:
        return self.balance - self.figures.from_card

    @property
    def mileage_after(self) -> int:
        return self.mileage - self.figures.from_mileage + self.figures.mileage_earned


def payment_preview(payer, organization_id: int, amount: int, *, use_mileage: bool = False) -> PaymentPreview:
    """What paying ``amount`` won to the organisation would do, now: NotFound, Forbidden
    ``own_organization`` and Invalid as :func:`.payments.pay`; a card that cannot cover it is told
    in ``refusal`` (the page shows it instead of the confirm button)."""
    check_amount(amount)
    uid = user_id_of(payer)
    policy = payable_policy(ledger.Store(), organization_id, uid)
    _card_id, balance = ledger.balance_of(ledger.card_of(uid))
    _mileage_id, mileage = ledger.balance_of(ledger.mileage_of(uid))
    f = figures_for(amount, policy, mileage, bool(use_mileage))
    return PaymentPreview(organization_id, f, balance, mileage, insufficient_funds(f, balance))
