"""The trade card's service layer (지역거래카드): the one surface other features and the card's own
routes call.

The operations live in this package by topic: the ledger core (:mod:`.ledger`, its statements in
:mod:`.ledger_sql`), money-moving calls (:mod:`.payments`, :mod:`.refunds`, :mod:`.topups`,
:mod:`.payouts`, :mod:`.settlement`), reads (:mod:`.queries`), the fraud patterns (:mod:`.fraud`),
the published checkpoints (:mod:`.checkpoint_log`) and the audit (:mod:`.audit_ledger` and its ``audit_*``
modules). The money arithmetic (:mod:`sharing.card.money`), the hash chain (:mod:`sharing.card.chain`)
and the models sit below, in the feature's package.

For the market (rentals paid at hand-over inside its own ``transaction()``)::

    pay(payer, organization_id, amount, *, use_mileage=False, idempotency_key=None, request_hash=None)
    refund(actor, payment_id, amount=None, *, idempotency_key=None, request_hash=None)
    metrics(), monthly_metrics()

``pay`` takes the ledger's write lock, which is held until the caller's transaction ends: call it
after the caller's own row locks, and keep the rest of the transaction short.
"""

from __future__ import annotations

from flask import current_app

from ...auth.services import require_centre
from ...core.idempotency import HEADER as IDEMPOTENCY_HEADER
from ...core.idempotency import call_hash, check_key, request_hash, require_key
from ...core.money import AMOUNT_MAX, AMOUNT_MIN
from ...orgs import services as orgs
from ..models import CardAccount, CardEntry, CardTransaction, Payment, Refund
from ..money import PaymentFigures, RefundFigures, payment_figures, refund_figures
from .audit_ledger import run as audit
from .audit_report import AuditReport
from .audit_report import csv_rows as audit_csv_rows
from .checkpoint_log import Checkpoint, publish
from .checkpoint_log import csv_rows as checkpoint_csv_rows
from .checkpoint_log import newest as checkpoints
from .fraud import Anomaly, Rule, Thresholds
from .fraud import find as anomalies
from .fraud import rules as anomaly_rules
from .metrics import metrics, monthly_metrics
from .payments import Topup, check_amount, pay, pending_topups, post_topup, topped_up_this_month
from .payouts import approve as approve_payout
from .payouts import organization_names, payouts_of, request_payout, requested_statement
from .preview import PaymentPreview, payment_preview
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
    month_range,
    received_payments,
    statement_rows,
)
from .refund_amounts import RefundAmounts, refund_amounts, refund_totals
from .refunds import can_refund, get_payment, refund, refund_notice, refunded_amount, view_payment
from .settlement import adjust
from .shop_dashboard import ShopTotals, shop_months, shop_totals
from .shops import SEARCH_MAX as SHOP_SEARCH_MAX
from .shops import shop_count, shops_stmt
from .topups import SIGNATURE_HEADER as TOPUP_SIGNATURE_HEADER
from .topups import TIMESTAMP_HEADER as TOPUP_TIMESTAMP_HEADER
from .topups import confirm as confirm_topup
from .topups import mode as topup_mode
from .topups import (
    pending_statement,
    pending_summary,
    status_of,
    topup,
    user_names,
    verify_signature,
    void_expired,
)

__all__ = [
    "AMOUNT_MAX",
    "AMOUNT_MIN",
    "IDEMPOTENCY_HEADER",
    "SHOP_SEARCH_MAX",
    "STATEMENT_HEADER",
    "TOPUP_SIGNATURE_HEADER",
    "TOPUP_TIMESTAMP_HEADER",
    "Anomaly",
    "AuditReport",
    "CardAccount",
    "CardEntry",
    "CardSummary",
    "CardTransaction",
    "Checkpoint",
    "FundSummary",
    "Payment",
    "PaymentFigures",
    "PaymentPreview",
    "Refund",
    "RefundAmounts",
    "RefundFigures",
    "Rule",
    "ShopTotals",
    "Thresholds",
    "Topup",
    "accrual_by_month",
    "accrual_by_organization",
    "adjust",
    "anomalies",
    "anomaly_rules",
    "approve_payout",
    "audit",
    "audit_csv_rows",
    "call_hash",
    "can_refund",
    "card_policies",
    "card_summary",
    "check_amount",
    "check_key",
    "checkpoint_csv_rows",
    "checkpoints",
    "confirm_topup",
    "fund_rate_bp",
    "fund_summary",
    "get_payment",
    "history",
    "merchant_balance",
    "metrics",
    "month_range",
    "monthly_metrics",
    "organization_names",
    "pay",
    "payment_figures",
    "payment_preview",
    "payouts_of",
    "pending_statement",
    "pending_summary",
    "pending_topups",
    "post_topup",
    "publish_checkpoint",
    "received_payments",
    "refund",
    "refund_amounts",
    "refund_figures",
    "refund_notice",
    "refund_totals",
    "refunded_amount",
    "request_hash",
    "request_payout",
    "requested_statement",
    "require_centre_for_fund",
    "require_key",
    "shop_count",
    "shop_for",
    "shop_months",
    "shop_totals",
    "shops_stmt",
    "statement_rows",
    "status_of",
    "topped_up_this_month",
    "topup",
    "topup_mode",
    "user_names",
    "verified_shops",
    "verify_signature",
    "view_payment",
    "void_expired",
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
    """The directory of organisations that take the card (:mod:`.shops`)."""
    return card_policies()


def fund_rate_bp() -> int:
    """The fund's rate for new payments (config ``CARD_FUND_RATE_BP``); each payment records its own."""
    return int(current_app.config["CARD_FUND_RATE_BP"])


def publish_checkpoint(actor) -> Checkpoint:
    """The centre publishes a signed checkpoint of the ledger now (the daily one runs from cron)."""
    require_centre_for_fund(actor)
    return publish()
