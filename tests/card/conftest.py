"""Helpers for the card tests: a ledger snapshot (balances and row counts) and invariant checks that do
not trust the audit code alone."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select, text

from sharing.card import models, services
from sharing.card.models import (
    CardAccount,
    CardEntry,
    CardTransaction,
    Payment,
    Refund,
)
from sharing.core.extensions import db


def snapshot() -> dict:
    """Every balance and every card table's row count: equal snapshots mean nothing moved."""
    db.session.commit()  # end any read snapshot (SQLite WAL, PostgreSQL) and expire everything
    balances = dict(db.session.execute(select(CardAccount.owner_key, CardAccount.balance)).all())
    counts = {
        m.__tablename__: db.session.execute(select(func.count()).select_from(m)).scalar_one()
        for m in (CardAccount, CardTransaction, CardEntry, Payment, Refund)
    }
    counts["idempotency_keys"] = db.session.execute(
        select(func.count()).where(CardTransaction.idempotency_key.is_not(None))
    ).scalar_one()
    return {"balances": {k: v for k, v in balances.items() if v}, "counts": counts}


def moving_snapshot() -> dict:
    """Like :func:`snapshot` but ignoring lazily created (empty) accounts."""
    snap = snapshot()
    snap["counts"].pop("card_accounts")
    return snap


def check_invariants() -> None:
    """The ledger's invariants, checked with plain SQL, then by the audit."""
    db.session.commit()  # end any read snapshot (SQLite WAL, PostgreSQL) and expire everything
    unbalanced = db.session.execute(
        text("SELECT transaction_id FROM card_entries GROUP BY transaction_id HAVING SUM(amount) <> 0")
    ).all()
    assert unbalanced == []
    mismatched = db.session.execute(
        text(
            "SELECT a.id FROM card_accounts a LEFT JOIN card_entries e ON e.account_id = a.id "
            "GROUP BY a.id, a.balance HAVING a.balance <> COALESCE(SUM(e.amount), 0)"
        )
    ).all()
    assert mismatched == []
    negative = db.session.execute(
        text("SELECT id FROM card_accounts WHERE kind <> 'settlement' AND balance < 0")
    ).all()
    assert negative == []
    fund = services.fund_summary()
    assert fund.balance == fund.accrued - fund.refunded
    over = db.session.execute(
        text(
            "SELECT p.id FROM card_payments p JOIN card_refunds r ON r.payment_id = p.id "
            "GROUP BY p.id, p.amount HAVING SUM(r.amount) > p.amount"
        )
    ).all()
    assert over == []
    report = services.audit()
    assert report.ok, report.problems
    assert report.ledger_balanced and report.chain_intact


@pytest.fixture
def shop(make):
    """A verified shop with a member, 5% discount and 3% mileage."""
    owner = make.user()
    org = make.org(owner, discount_bp=500, mileage_bp=300)
    return org, owner


@pytest.fixture
def resident(make):
    user = make.user()
    services.topup(user, 100_000)
    return user


def fresh() -> None:
    """See what requests and other threads committed: end the test session's read snapshot."""
    db.session.commit()


@pytest.fixture
def tamper(app, backend):
    """Run raw SQL with the ledger's triggers (append-only and guards) out of the way; put them back."""
    dialect = db.engine.dialect.name

    def run_sql(*statements, **params):
        db.session.commit()  # release the test session's locks: DROP TRIGGER waits for them
        with db.engine.begin() as conn:
            for s in models.drop_sql(dialect) + models.unguard_sql(dialect):
                conn.execute(text(s))
            for s in statements:
                conn.execute(text(s), params)
            for s in models.create_sql(dialect) + models.guard_sql(dialect):
                conn.execute(text(s))
        db.session.expire_all()

    yield run_sql
    db.session.commit()
    with db.engine.begin() as conn:  # the PostgreSQL test database is shared by later tests
        for s in models.drop_sql(dialect) + models.unguard_sql(dialect):
            conn.execute(text(s))
        for s in models.create_sql(dialect) + models.guard_sql(dialect):
            conn.execute(text(s))


@pytest.fixture
def ledger(make):
    """Three payments and a refund on a fresh ledger: (payment ids, resident, org owner)."""
    owner = make.user()
    org = make.org(owner, discount_bp=500, mileage_bp=300)
    user = make.user()
    services.topup(user, 100_000)
    ids = [services.pay(user, org.id, amount).id for amount in (10_001, 2500, 7777)]
    services.refund(owner, ids[0], 3000)
    check_invariants()
    return ids, user, owner


def keyed(headers: dict, key: str | None = None) -> dict:
    """``headers`` with an Idempotency-Key (a fresh one unless given): the card's money-moving API
    calls require one."""
    import uuid

    return dict(headers, **{"Idempotency-Key": key or uuid.uuid4().hex})
