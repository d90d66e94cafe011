"""The audit the centre can trust: the same checks for the API, the page, the CLI and the CSV.

1. every transaction balances (its entries sum to zero) -> ``ledger_balanced``;
2. every account's stored balance equals the sum of its entries;
3. every payment's discount, paid, fee, mileage and merchant share recompute from its recorded
   rates, every refund recomputes from its payment as a difference of cumulative floors, refunds
   never exceed the payment, and each transaction's entries are exactly its figures' legs, on the
   right accounts (the payer's card and mileage, the paid organisation, the fund, settlement);
4. the fund's balance equals the fees accrued minus the fees refunded;
5. the hash chain is intact: ``seq`` runs 1, 2, 3 ... without a gap, each transaction's
   ``prev_hash`` is its predecessor's hash, each hash recomputes (HMAC under the ledger key named by
   its ``key_id``) from the stored content, and the chain head matches the last transaction (so a
   changed amount, a deleted row or an inserted row is reported) -> ``chain_intact``;
6. no account but settlement is below zero;
7. the ledger agrees with every signed checkpoint, top-ups respect the caps, and every account's owner
   key matches its kind, user and organisation (:mod:`.audit_chain`).

This module walks the ledger; the per-transaction checks are in :mod:`.audit_checks`, the chain's in
:mod:`.audit_chain`, the checks after the walk (head, refunds, accounts) in :mod:`.audit_totals`, the
reading in :mod:`.audit_stream` and the report in :mod:`.audit_report`.

It streams: transactions (with their payment or refund) and entries (with their account) are read
through two server-side cursors in id order and merged, ``chunk`` rows at a time, inside one read
snapshot (REPEATABLE READ on PostgreSQL, one read transaction on SQLite). Memory stays bounded
whatever the ledger's size; at most ``max_problems`` problems are kept (all are counted).
"""

from __future__ import annotations

from collections.abc import Callable

from flask import current_app
from flask_babel import gettext as _

from . import ledger
from .audit_chain import ACCOUNT_SQL as OWNER_SQL
from .audit_chain import ChainCheck, check_owner_keys
from .audit_checks import check_payment, check_refund_legs, check_simple
from .audit_report import AuditReport, csv_rows
from .audit_stream import snapshot, stream, ts
from .audit_totals import check_accounts, check_head, check_refunds
from .topups import pending_summary

__all__ = ["AuditReport", "csv_rows", "run"]

_P = ", ".join(f"p.{n}" for n in ledger.PAYMENT_DETAIL)
_R = ", ".join(f"r.{n}" for n in ledger.REFUND_DETAIL)
TX_SQL = (
    "SELECT t.id, t.seq, t.kind, t.user_id, t.organization_id, t.actor_id, t.amount, t.memo, "
    f"t.created_at, t.prev_hash, t.hash, p.id, p.payer_id, p.organization_id, {_P}, r.id, {_R}, "
    "t.key_id, t.idempotency_key, t.request_hash "
    "FROM card_transactions t LEFT JOIN card_payments p ON p.id = t.id "
    "LEFT JOIN card_refunds r ON r.id = t.id ORDER BY t.id"
)
ENTRY_SQL = (
    "SELECT e.transaction_id, e.account_id, e.amount, a.kind, a.user_id, a.organization_id "
    "FROM card_entries e JOIN card_accounts a ON a.id = e.account_id "
    "ORDER BY e.transaction_id, e.id"
)
_NP = len(ledger.PAYMENT_DETAIL)
_NR = len(ledger.REFUND_DETAIL)
_KEY = 15 + _NP + _NR  # t.key_id, t.idempotency_key, t.request_hash


def run(
    progress: Callable[[int, int], None] | None = None, *, chunk: int = 5000, max_problems: int | None = None
):
    """Audit the whole ledger. ``progress(done, total)`` is called after each chunk; at most
    ``max_problems`` (default ``CARD_AUDIT_MAX_PROBLEMS``) problems are listed, all are counted."""
    report = AuditReport(max_problems=max_problems or current_app.config["CARD_AUDIT_MAX_PROBLEMS"])
    # The checkpoints are read before the snapshot starts, so none is newer than what the audit sees.
    chain = ChainCheck(report)
    with snapshot() as conn:
        total = conn.exec_driver_sql("SELECT COUNT(*) FROM card_transactions").scalar_one()
        accrued, refunded = _walk(conn, report, chain, total, chunk, progress)
        check_refunds(conn, report, chunk)
        check_accounts(conn, report, chunk)
        check_owner_keys(report, stream(conn, OWNER_SQL, chunk))
        fund = conn.exec_driver_sql("SELECT balance FROM card_accounts WHERE owner_key = 'fund'").first()
        report.pending = pending_summary(conn)
    report.fund_balance = int(fund[0]) if fund else 0
    report.expected_fund_balance = int(accrued - refunded)
    if report.fund_balance != report.expected_fund_balance:
        report.add(
            "fund",
            _("기금 잔액이 적립액에서 환급액을 뺀 금액과 다릅니다."),
            expected=report.expected_fund_balance,
            stored=report.fund_balance,
        )
    return report


def _orphan(report: AuditReport, entry) -> None:
    """An entry whose transaction is not there (deleted, or never written): the chain is broken."""
    report.chain_intact = False
    report.add(
        "orphan_entry",
        _("거래가 없는 분개가 있습니다(거래가 삭제되었을 수 있습니다)."),
        transaction_id=entry[0],
        account_id=entry[1],
        stored=entry[2],
    )


def _walk(conn, report: AuditReport, chain: ChainCheck, total: int, chunk: int, progress) -> tuple[int, int]:
    """One pass over transactions and entries, merged by transaction id."""
    entries = stream(conn, ENTRY_SQL, chunk)
    pending = next(entries, None)
    prev_hash, prev_seq = ledger.GENESIS, 0
    accrued = refunded = 0
    done = 0
    digest, entries_text, detail_text = ledger.digest, ledger.entries_text, ledger.detail_text
    for row in stream(conn, TX_SQL, chunk):
        txn_id, seq, kind, user_id, org_id, actor_id, amount, memo, created_at, stored_prev, stored_hash = (
            row[:11]
        )
        # Entries of this transaction (and any whose transaction is missing).
        legs = []
        while pending is not None and pending[0] <= txn_id:
            if pending[0] < txn_id:
                _orphan(report, pending)
            else:
                legs.append(pending)
            pending = next(entries, None)
        # Chain.
        if seq != prev_seq + 1:
            report.chain_intact = False
            report.add(
                "sequence",
                _("거래 순번이 이어지지 않습니다(삭제되거나 끼워 넣은 거래)."),
                transaction_id=txn_id,
                expected=prev_seq + 1,
                stored=seq,
            )
        if stored_prev != prev_hash:
            report.chain_intact = False
            report.add(
                "chain_link",
                _("이전 거래의 해시와 연결되지 않습니다."),
                transaction_id=txn_id,
                expected=prev_hash,
                stored=stored_prev,
            )
        if kind == "payment" and row[11] is not None:
            detail = detail_text("P", row[14 : 14 + _NP])
        elif kind == "refund" and row[14 + _NP] is not None:
            detail = detail_text("R", row[15 + _NP : 15 + _NP + _NR])
        else:
            detail = ""
        pairs = [(leg[1], leg[2]) for leg in legs]
        net = 0
        for leg in legs:
            net += leg[2]
        mac = chain.mac(txn_id, seq, row[_KEY])
        expected_hash = digest(
            stored_prev,
            seq,
            kind,
            user_id,
            org_id,
            actor_id,
            amount,
            memo,
            ts(created_at),
            detail,
            entries_text(pairs),
            mac=mac or None,
            key_id=row[_KEY],
            idempotency_key=row[_KEY + 1],
            request_hash=row[_KEY + 2],
        )
        if mac is not False and expected_hash != stored_hash:
            report.chain_intact = False
            report.add(
                "hash",
                _("거래 내용이 해시와 맞지 않습니다(금액이나 분개가 바뀌었습니다)."),
                transaction_id=txn_id,
                expected=expected_hash,
                stored=stored_hash,
            )
        prev_hash, prev_seq = stored_hash, seq
        # Balance.
        # A refund of nothing but discount moves nothing (its legs are checked against its figures).
        if net != 0 or len(pairs) == 1 or (not pairs and kind != "refund"):
            report.ledger_balanced = False
            report.add(
                "unbalanced",
                _("거래의 분개 합계가 0이 아닙니다."),
                transaction_id=txn_id,
                expected=0,
                stored=net,
            )
        # Figures and legs.
        if kind == "payment":
            report.payments_checked += 1
            accrued += check_payment(report, row, legs) or 0
        elif kind == "refund":
            refunded += check_refund_legs(report, row, legs) or 0
        else:
            check_simple(report, kind, txn_id, user_id, org_id, amount, legs)
        chain.after(txn_id, seq, stored_hash, kind, user_id, amount, created_at, legs)
        done += 1
        if progress is not None and done % chunk == 0:
            progress(done, total)
    while pending is not None:
        _orphan(report, pending)
        pending = next(entries, None)
    report.transactions_checked = done
    if progress is not None:
        progress(done, total)
    check_head(conn, report, prev_seq, prev_hash)
    chain.finish(prev_seq)
    return accrued, refunded
