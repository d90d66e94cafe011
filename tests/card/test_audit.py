"""The audit finds what tampering with the database does: a changed amount, a deleted or inserted row."""

import hashlib

from sqlalchemy import select

from sharing.card import services
from sharing.card.models import CardAccount, CardEntry, CardTransaction
from sharing.card.services.audit_ledger import run
from sharing.cli import bp as cli_bp
from sharing.core.extensions import db


def _checks(report, transaction_id=None):
    return {
        p["check"] for p in report.problems if transaction_id is None or p["transaction_id"] == transaction_id
    }


def test_clean_ledger_is_ok_whatever_the_chunk(ledger):
    reports = [run(chunk=n) for n in (1, 2, 3, 5000)]
    for r in reports:
        assert r.ok and r.problems == [] and r.problem_count == 0
        assert r.payments_checked == 3 and r.transactions_checked == 5
        assert r.fund_balance == r.expected_fund_balance == services.fund_summary().balance


def test_changed_entry_is_named(ledger, tamper):
    ids, _user, _owner = ledger
    entry_id = (
        db.session.execute(
            select(CardEntry.id).where(CardEntry.transaction_id == ids[1]).order_by(CardEntry.id)
        )
        .scalars()
        .first()
    )
    tamper("UPDATE card_entries SET amount = amount - 1 WHERE id = :id", id=entry_id)
    report = run()
    assert not report.ok
    assert not report.ledger_balanced and not report.chain_intact
    assert {"hash", "unbalanced", "entries"} <= _checks(report, ids[1])
    assert "balance" in _checks(report)
    assert all(p["transaction_id"] in (ids[1], None) for p in report.problems)


def test_changed_balance_and_fund_are_reported(ledger, tamper):
    tamper("UPDATE card_accounts SET balance = balance + 1000 WHERE owner_key = 'fund'")
    report = run()
    assert not report.ok and report.chain_intact and report.ledger_balanced
    checks = _checks(report)
    assert {"balance", "fund"} <= checks
    assert report.fund_balance == report.expected_fund_balance + 1000


def test_changed_payment_figure_is_reported(ledger, tamper):
    ids, _user, _owner = ledger
    tamper(
        "UPDATE card_payments SET fund_fee = fund_fee - 1, merchant_net = merchant_net + 1 WHERE id = :id",
        id=ids[2],
    )
    report = run()
    assert {"payment_figures", "hash", "entries"} <= _checks(report, ids[2])
    fee = [p for p in report.problems if p["check"] == "payment_figures" and p["transaction_id"] == ids[2]]
    assert any(p["expected"] - p["stored"] == 1 for p in fee)


def test_deleted_transaction_breaks_the_chain(ledger, tamper):
    ids, _user, _owner = ledger
    victim = ids[1]
    tamper(
        "DELETE FROM card_entries WHERE transaction_id = :id",
        "DELETE FROM card_payments WHERE id = :id",
        "DELETE FROM card_transactions WHERE id = :id",
        id=victim,
    )
    report = run()
    assert not report.chain_intact
    assert {"sequence", "chain_link"} <= _checks(report, ids[2])


def test_deleted_last_transaction_is_reported_by_the_head(ledger, tamper):
    last = db.session.execute(select(CardTransaction.id).order_by(CardTransaction.id.desc())).scalar()
    tamper(
        "DELETE FROM card_entries WHERE transaction_id = :id",
        "DELETE FROM card_refunds WHERE id = :id",
        "DELETE FROM card_transactions WHERE id = :id",
        id=last,
    )
    report = run()
    assert not report.chain_intact
    assert "chain_head" in _checks(report)


def test_inserted_transaction_is_reported(ledger, tamper):
    ids, user, _owner = ledger
    card_id = services.card_summary(user).account_id
    settlement = db.session.execute(
        select(CardAccount.id).where(CardAccount.owner_key == "settlement")
    ).scalar_one()
    seq = db.session.execute(select(CardTransaction.seq).where(CardTransaction.id == ids[1])).scalar_one()
    forged_hash = hashlib.sha256(b"forged").hexdigest()
    tamper(
        "UPDATE card_transactions SET seq = seq + 1000 WHERE seq > :seq",
        "INSERT INTO card_transactions (id, seq, kind, user_id, amount, memo, created_at, prev_hash, hash) "
        "VALUES (:tid, :newseq, 'topup', :uid, 50000, '', :ts, :prev, :hash)",
        "INSERT INTO card_entries (transaction_id, account_id, amount) VALUES (:tid, :card, 50000)",
        "INSERT INTO card_entries (transaction_id, account_id, amount) VALUES (:tid, :settlement, -50000)",
        seq=seq,
        tid=900_000,
        newseq=seq + 1,
        uid=user.id,
        ts="2026-01-01 00:00:00.000000",
        prev=db.session.execute(
            select(CardTransaction.hash).where(CardTransaction.id == ids[1])
        ).scalar_one(),
        hash=forged_hash,
        card=card_id,
        settlement=settlement,
    )
    report = run()
    assert not report.ok and not report.chain_intact
    assert "unkeyed" in _checks(report, 900_000)  # an unkeyed hash after keyed ones
    assert "balance" in _checks(report)  # the card's cached balance no longer equals its entries


def test_cli_audit_exit_codes(ledger, tamper, app):
    runner = app.test_cli_runner()
    result = runner.invoke(args=["card", "audit"])
    assert result.exit_code == 0, result.output
    assert "OK" in result.output and "payments checked:     3" in result.output
    result = runner.invoke(args=["card", "audit", "--json"])
    assert result.exit_code == 0 and '"ok": true' in result.output
    ids, _user, _owner = ledger
    tamper("UPDATE card_entries SET amount = amount + 7 WHERE transaction_id = :id", id=ids[0])
    result = runner.invoke(args=["card", "audit"])
    assert result.exit_code == 1
    assert f"transaction_id={ids[0]}" in result.output and "FAILED" in result.output
    assert cli_bp is not None
