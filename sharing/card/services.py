"""The trade card's public service layer (지역거래카드).

The operations live by topic (money arithmetic in :mod:`.money`, the ledger core in :mod:`.ledger`,
money-moving calls in :mod:`.payments`, reads in :mod:`.queries`, the audit in :mod:`.audit`,
idempotency in :mod:`.idempotency`, the fraud patterns in :mod:`.anomalies`); this module is the one place other features and the routes
import from.

For the market (rentals paid at hand-over inside its own ``transaction()``)::

    pay(payer, organization_id, amount, *, use_mileage=False, idempotency_key=None, request_hash=None)
    refund(actor, payment_id, amount=None, *, idempotency_key=None, request_hash=None)
    metrics(), monthly_metrics()

``pay`` takes the ledger's write lock, which is held until the caller's transaction ends: call it
after the caller's own row locks, and keep the rest of the transaction short.
"""

from __future__ import annotations

from flask import current_app

from ..auth.services import require_centre
from ..orgs import services as orgs
from .anomalies import Anomaly, Rule, Thresholds
from .anomalies import find as anomalies
from .anomalies import rules as anomaly_rules
from .audit import AuditReport
from .audit import csv_rows as audit_csv_rows
from .audit import run as audit
from .idempotency import HEADER as IDEMPOTENCY_HEADER
from .idempotency import call_hash, check_key, request_hash
from .models import CardAccount, CardEntry, CardTransaction, Payment, Refund
from .money import AMOUNT_MAX, AMOUNT_MIN, PaymentFigures, RefundFigures, payment_figures, refund_figures
from .payments import Topup, check_amount, pay, topped_up_this_month, topup
from .queries import (
    STATEMENT_HEADER,
    CardSummary,
    FundSummary,
    accrual_by_month,
    accrual_by_organization,
    card_policies,
    card_summary,
    fund_summary,
    history,
    merchant_balance,
    metrics,
    month_range,
    monthly_metrics,
    received_payments,
    statement_rows,
)
from .refunds import can_refund, get_payment, refund, refunded_amount, view_payment
from .settlement import Payout, adjust, payout

__all__ = [
    "AMOUNT_MAX",
    "AMOUNT_MIN",
    "IDEMPOTENCY_HEADER",
    "STATEMENT_HEADER",
    "Anomaly",
    "AuditReport",
    "CardAccount",
    "CardEntry",
    "CardSummary",
    "CardTransaction",
    "FundSummary",
    "Payment",
    "PaymentFigures",
    "Payout",
    "Refund",
    "RefundFigures",
    "Rule",
    "Thresholds",
    "Topup",
    "accrual_by_month",
    "accrual_by_organization",
    "adjust",
    "anomalies",
    "anomaly_rules",
    "audit",
    "audit_csv_rows",
    "call_hash",
    "can_refund",
    "card_policies",
    "card_summary",
    "check_amount",
    "check_key",
    "fund_rate_bp",
    "fund_summary",
    "get_payment",
    "history",
    "merchant_balance",
    "metrics",
    "month_range",
    "monthly_metrics",
    "pay",
    "payment_figures",
    "payout",
    "received_payments",
    "refund",
    "refund_figures",
    "refunded_amount",
    "request_hash",
    "require_centre_for_fund",
    "shop_for",
    "statement_rows",
    "topped_up_this_month",
    "topup",
    "verified_shops",
    "view_payment",
]


def require_centre_for_fund(actor) -> None:
    """Only the centre sees the fund and its audit."""
    require_centre(actor)


def shop_for(actor, organization_id: int):
    """A verified organisation whose card pages ``actor`` may run (a member, or the centre)."""
    org = orgs.get_verified(organization_id)
    orgs.require_member_or_centre(actor, org)
    return org


def verified_shops():
    """The directory of organisations that take the card."""
    return card_policies()


def fund_rate_bp() -> int:
    """The fund's rate for new payments (config ``CARD_FUND_RATE_BP``); each payment records its own."""
    return int(current_app.config["CARD_FUND_RATE_BP"])
