"""The benchmark's bare payment (bench/card_sql.py) writes what ``pay()`` writes, so the HTTP and
in-process ceilings measure the same work."""

from sqlalchemy import select, text

from bench.card_sql import bare_payment
from sharing.card import services
from sharing.card.models import CardAccount, CardTransaction, Payment
from sharing.core.extensions import db

PAYMENT_COLUMNS = ("amount", "discount", "paid", "from_card", "from_mileage", "fund_fee", "mileage_earned")
PAYMENT_COLUMNS += (
    "merchant_net",
    "discount_bp",
    "mileage_bp",
    "fund_rate_bp",
    "payer_id",
    "organization_id",
)


def _bare(uid: int, org: int, key: str, amount: int):
    pooled = db.engine.raw_connection()
    pg = db.engine.dialect.name == "postgresql"
    try:
        driver = pooled.driver_connection
        cur = driver.cursor()
        if not pg:
            cur.execute("BEGIN IMMEDIATE")
        txn = bare_payment(cur, pg, uid, org, key, amount)
        if pg:
            driver.commit()
        else:
            cur.execute("COMMIT")
        return txn
    finally:
        pooled.close()


def _balances() -> dict:
    db.session.commit()
    return dict(db.session.execute(select(CardAccount.owner_key, CardAccount.balance)).all())


def test_bare_payment_writes_what_pay_writes(make):
    owner = make.user()
    org = make.org(owner, discount_bp=300, mileage_bp=200)
    payer = make.user()
    services.topup(payer, 100_000, idempotency_key="t")
    first = services.pay(payer, org.id, 12_345, idempotency_key="p")
    before = _balances()

    txn = _bare(payer.id, org.id, "bare-1", 12_345)
    db.session.commit()
    bare = db.session.get(Payment, txn)
    assert {c: getattr(bare, c) for c in PAYMENT_COLUMNS} == {c: getattr(first, c) for c in PAYMENT_COLUMNS}
    after = _balances()
    moved = {k: after[k] - before.get(k, 0) for k in after if after[k] != before.get(k, 0)}
    assert moved == {
        f"card:{payer.id}": -first.from_card,
        f"mileage:{payer.id}": first.mileage_earned,
        f"merchant:{org.id}": first.merchant_net,
        "fund": first.fund_fee,
    }
    unbalanced = db.session.execute(
        text("SELECT transaction_id FROM card_entries GROUP BY transaction_id HAVING SUM(amount) <> 0")
    ).all()
    assert unbalanced == []
    seqs = db.session.execute(select(CardTransaction.seq).order_by(CardTransaction.seq)).scalars().all()
    assert seqs == list(range(1, len(seqs) + 1))

    assert _bare(payer.id, org.id, "bare-1", 12_345) is None  # a replayed key writes nothing
    assert _balances() == after
