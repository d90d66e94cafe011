"""The audit's checks after the walk (see :mod:`.audit_ledger`): the chain head matches the last
transaction, every refund recomputes from its payment and never exceeds it, and every account's stored
balance equals the sum of its entries (none but settlement below zero)."""

from __future__ import annotations

from types import SimpleNamespace

from flask_babel import gettext as _

from ..money import refund_figures
from . import ledger
from .audit_report import AuditReport
from .audit_stream import stream

REFUND_SQL = (
    "SELECT r.id, r.payment_id, r.amount, r.discount, r.paid, r.to_card, r.to_mileage, r.fund_fee, "
    "r.mileage_clawback, r.merchant_net, p.amount, p.paid, p.from_mileage, p.discount_bp, "
    "p.mileage_bp, p.fund_rate_bp, p.discount, p.fund_fee, p.mileage_earned "
    "FROM card_refunds r JOIN card_payments p ON p.id = r.payment_id "
    "ORDER BY r.payment_id, r.id"
)
ACCOUNT_SQL = (
    "SELECT a.id, a.kind, a.balance, COALESCE(s.total, 0) FROM card_accounts a LEFT JOIN "
    "(SELECT account_id, SUM(amount) AS total FROM card_entries GROUP BY account_id) s "
    "ON s.account_id = a.id WHERE a.balance <> COALESCE(s.total, 0) "
    "OR (a.kind <> 'settlement' AND (a.balance < 0 OR COALESCE(s.total, 0) < 0)) ORDER BY a.id"
)
REFUND_FIELDS = ("discount", "paid", "to_card", "to_mileage", "fund_fee", "mileage_clawback", "merchant_net")


def check_head(conn, report: AuditReport, last_seq: int, last_hash: str) -> None:
    head = conn.exec_driver_sql(f"SELECT seq, hash FROM card_ledger_head WHERE id = {ledger.HEAD_ID}").first()
    seq, hsh = (head[0], head[1]) if head else (0, ledger.GENESIS)
    if seq != last_seq or hsh != last_hash:
        report.chain_intact = False
        report.add(
            "chain_head",
            _("마지막 거래가 원장 머리(head)와 맞지 않습니다(마지막 거래가 삭제되거나 추가되었습니다)."),
            expected=f"{seq}:{hsh}",
            stored=f"{last_seq}:{last_hash}",
        )


def check_refunds(conn, report: AuditReport, chunk: int) -> None:
    """Every refund recomputes with :func:`.money.refund_figures` (as the services do); never more than the payment."""
    current, cumulative, payment = None, 0, None
    for row in stream(conn, REFUND_SQL, chunk):
        refund_id, payment_id, amount = row[0], row[1], row[2]
        if payment_id != current:
            current, cumulative = payment_id, 0
            p_amount, paid, from_mileage, dbp, mbp, fbp, discount, fee, earned = row[10:19]
            payment = SimpleNamespace(
                amount=p_amount,
                discount=discount,
                paid=paid,
                from_mileage=from_mileage,
                fund_fee=fee,
                mileage_earned=earned,
                discount_bp=dbp,
                mileage_bp=mbp,
                fund_rate_bp=fbp,
            )
        if amount < 1 or cumulative + amount > payment.amount:
            report.add(
                "refund_exceeds_payment",
                _("환불 누계가 결제 금액을 넘습니다."),
                transaction_id=refund_id,
                expected=payment.amount - cumulative,
                stored=amount,
            )
        else:
            f = refund_figures(payment, cumulative, amount)
            for name, stored in zip(REFUND_FIELDS, row[3:10], strict=True):
                if getattr(f, name) != stored:
                    report.add(
                        "refund_figures",
                        _("환불의 %(field)s이(가) 결제의 요율로 다시 계산한 값과 다릅니다.", field=name),
                        transaction_id=refund_id,
                        expected=getattr(f, name),
                        stored=stored,
                    )
        cumulative += amount


def check_accounts(conn, report: AuditReport, chunk: int) -> None:
    for account_id, kind, balance, total in stream(conn, ACCOUNT_SQL, chunk):
        if balance != total:
            report.add(
                "balance",
                _("계정 잔액이 분개 합계와 다릅니다."),
                account_id=account_id,
                expected=int(total),
                stored=int(balance),
            )
        if kind != "settlement" and (balance < 0 or total < 0):
            report.add(
                "negative",
                _("정산 계정이 아닌 계정의 잔액이 0보다 작습니다."),
                account_id=account_id,
                expected=0,
                stored=int(min(balance, total)),
            )
