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

It streams: transactions (with their payment or refund) and entries (with their account) are read
through two server-side cursors in id order and merged, ``chunk`` rows at a time, inside one read
snapshot (REPEATABLE READ on PostgreSQL, one read transaction on SQLite). Memory stays bounded
whatever the ledger's size; at most ``max_problems`` problems are kept (all are counted).
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime
from types import SimpleNamespace

from flask import current_app
from flask_babel import gettext as _

from ..core.extensions import db
from . import ledger
from .audit_chain import ACCOUNT_SQL as OWNER_SQL
from .audit_chain import ChainCheck, check_owner_keys
from .audit_checks import check_payment, check_refund_legs, check_simple
from .money import refund_figures
from .topups import pending_summary

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
_NP = len(ledger.PAYMENT_DETAIL)
_CURSOR_NAMES = itertools.count(1)
_NR = len(ledger.REFUND_DETAIL)
_KEY = 15 + _NP + _NR  # t.key_id, t.idempotency_key, t.request_hash


@dataclass
class AuditReport:
    ok: bool = True
    payments_checked: int = 0
    transactions_checked: int = 0
    fund_balance: int = 0
    expected_fund_balance: int = 0
    ledger_balanced: bool = True
    chain_intact: bool = True
    problems: list[dict] = field(default_factory=list)
    problem_count: int = 0
    max_problems: int = 1000
    # Money waiting for its second phase, outside the ledger (see .topups.pending_summary).
    pending: dict = field(default_factory=dict)

    def add(
        self, check: str, message: str, *, transaction_id=None, account_id=None, expected=None, stored=None
    ):
        self.ok = False
        self.problem_count += 1
        if len(self.problems) < self.max_problems:
            self.problems.append(
                {
                    "check": check,
                    "transaction_id": transaction_id,
                    "account_id": account_id,
                    "expected": expected,
                    "stored": stored,
                    "message": message,
                }
            )

    def as_dict(self) -> dict:
        """The API's answer, exactly."""
        return {
            "ok": self.ok,
            "payments_checked": self.payments_checked,
            "fund_balance": self.fund_balance,
            "expected_fund_balance": self.expected_fund_balance,
            "ledger_balanced": self.ledger_balanced,
            "chain_intact": self.chain_intact,
            "problem_count": self.problem_count,
            "truncated": self.truncated,
            "problems": self.problems,
            "pending": self.pending,
        }

    @property
    def truncated(self) -> bool:
        """Whether more problems were found than the list holds (``problem_count`` has them all)."""
        return self.problem_count > len(self.problems)


@contextmanager
def _snapshot():
    conn = db.engine.connect()
    try:
        if conn.dialect.name == "postgresql":
            conn = conn.execution_options(isolation_level="REPEATABLE READ", postgresql_readonly=True)
        with conn.begin():
            yield conn
    finally:
        conn.close()


def _stream(conn, sql: str, chunk: int) -> Iterator[tuple]:
    """Plain tuples through the driver, ``chunk`` rows per fetch: a server-side (named) cursor on
    PostgreSQL, SQLite's own incremental cursor. Both read inside the audit's snapshot."""
    raw = conn.connection.driver_connection
    if conn.dialect.name == "postgresql":
        cur = raw.cursor(name=f"card_audit_{next(_CURSOR_NAMES)}")
        cur.itersize = chunk
    else:
        cur = raw.cursor()
    try:
        cur.execute(sql)
        while rows := cur.fetchmany(chunk):
            yield from rows
    finally:
        cur.close()


def _ts(value) -> str:
    if isinstance(value, str):  # SQLite's stored text, 'YYYY-MM-DD HH:MM:SS.ffffff' in UTC
        if len(value) == 26:
            return value.replace(" ", "T", 1)
        value = datetime.fromisoformat(value)
    return ledger.timestamp(value)


def run(
    progress: Callable[[int, int], None] | None = None, *, chunk: int = 5000, max_problems: int | None = None
):
    """Audit the whole ledger. ``progress(done, total)`` is called after each chunk; at most
    ``max_problems`` (default ``CARD_AUDIT_MAX_PROBLEMS``) problems are listed, all are counted."""
    report = AuditReport(max_problems=max_problems or current_app.config["CARD_AUDIT_MAX_PROBLEMS"])
    # The checkpoints are read before the snapshot starts, so none is newer than what the audit sees.
    chain = ChainCheck(report)
    with _snapshot() as conn:
        total = conn.exec_driver_sql("SELECT COUNT(*) FROM card_transactions").scalar_one()
        accrued, refunded = _walk(conn, report, chain, total, chunk, progress)
        _check_refunds(conn, report, chunk)
        _check_accounts(conn, report, chunk)
        check_owner_keys(report, _stream(conn, OWNER_SQL, chunk))
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
    entries = _stream(conn, ENTRY_SQL, chunk)
    pending = next(entries, None)
    prev_hash, prev_seq = ledger.GENESIS, 0
    accrued = refunded = 0
    done = 0
    digest, entries_text, detail_text = ledger.digest, ledger.entries_text, ledger.detail_text
    for row in _stream(conn, TX_SQL, chunk):
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
            _ts(created_at),
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
    _check_head(conn, report, prev_seq, prev_hash)
    chain.finish(prev_seq)
    return accrued, refunded


def _check_head(conn, report: AuditReport, last_seq: int, last_hash: str) -> None:
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


def _check_refunds(conn, report: AuditReport, chunk: int) -> None:
    """Every refund recomputes with :func:`.money.refund_figures` (as the services do); never more than the payment."""
    current, cumulative, payment = None, 0, None
    for row in _stream(conn, REFUND_SQL, chunk):
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


def _check_accounts(conn, report: AuditReport, chunk: int) -> None:
    for account_id, kind, balance, total in _stream(conn, ACCOUNT_SQL, chunk):
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


CSV_HEADER = ("check", "transaction_id", "account_id", "expected", "stored", "message")


def csv_rows(report: AuditReport):
    """The audit as CSV rows: a summary, then one row per problem."""
    yield (
        "ok",
        "payments_checked",
        "fund_balance",
        "expected_fund_balance",
        "ledger_balanced",
        "chain_intact",
        "problem_count",
        "truncated",
    )
    yield (
        report.ok,
        report.payments_checked,
        report.fund_balance,
        report.expected_fund_balance,
        report.ledger_balanced,
        report.chain_intact,
        report.problem_count,
        report.truncated,
    )
    yield ()
    yield CSV_HEADER
    for p in report.problems:
        yield tuple("" if p[k] is None else p[k] for k in CSV_HEADER)
