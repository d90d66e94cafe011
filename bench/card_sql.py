"""The trade card benchmark's SQL-only measurements, through the sqlite3 driver:

- :func:`ceiling`: the issue's raw-SQL ceiling, one committed transaction per payment writing one
  transaction row, its three entries and three balance updates;
- :func:`ceiling_in_transaction`: the same SQL inside ``sharing.db.transaction()`` (what the shared
  unit of work costs);
- :func:`payment_sql`: the statements ``pay()`` itself sends for a payment (``sharing.card.ledger``'s
  SQL: chain head, Idempotency-Key, the shop's rates, the accounts, the transaction row, its entries,
  the balances, the chain head again, the payment row) with precomputed values: what a payment's
  SQL alone costs here, the most any service layer could reach.
"""

from __future__ import annotations

import sqlite3
import time
from datetime import UTC, datetime

from .card_audit import card_app

PRICE = 1000


def _connect(path: str) -> sqlite3.Connection:
    """The driver connection with the platform's pragmas (sharing.db.configure_engine), autocommit:
    the loops write BEGIN IMMEDIATE and COMMIT themselves."""
    conn = sqlite3.connect(path, isolation_level=None)
    conn.execute("PRAGMA journal_mode = WAL")
    conn.execute("PRAGMA synchronous = NORMAL")
    conn.execute("PRAGMA foreign_keys = ON")
    return conn


def _accounts(conn, now: str) -> None:
    """The ceiling's three accounts: a card, a merchant, the fund."""
    conn.executemany(
        "INSERT INTO card_accounts (id, owner_key, kind, balance, created_at) VALUES (?, ?, ?, ?, ?)",
        [
            (1, "card:x", "card", 10**12, now),
            (2, "merchant:x", "merchant", 0, now),
            (3, "fund", "fund", 0, now),
        ],
    )


def _write_payment(conn, seq: int, now: str, h: str) -> None:
    """The ceiling's payment: one transaction row, its three entries, three balance updates."""
    cur = conn.execute(
        "INSERT INTO card_transactions (seq, kind, user_id, organization_id, actor_id, amount, memo, "
        "created_at, prev_hash, hash) VALUES (?, 'payment', NULL, NULL, NULL, ?, '', ?, ?, ?)",
        (seq, PRICE, now, h, h),
    )
    txn = cur.lastrowid
    conn.executemany(
        "INSERT INTO card_entries (transaction_id, account_id, amount) VALUES (?, ?, ?)",
        [(txn, 1, -970), (txn, 2, 961), (txn, 3, 9)],
    )
    conn.execute("UPDATE card_accounts SET balance = balance - 970 WHERE id = 1")
    conn.execute("UPDATE card_accounts SET balance = balance + 961 WHERE id = 2")
    conn.execute("UPDATE card_accounts SET balance = balance + 9 WHERE id = 3")


def ceiling(db_path: str, n: int) -> float:
    from sharing.extensions import db

    app = card_app(db_path)
    with app.app_context():
        db.create_all()
        db.engine.dispose()
    conn = _connect(db_path)
    now = datetime.now(UTC).strftime("%Y-%m-%d %H:%M:%S.%f")
    _accounts(conn, now)
    h = "0" * 64
    started = time.perf_counter()
    for seq in range(1, n + 1):
        conn.execute("BEGIN IMMEDIATE")
        _write_payment(conn, seq, now, h)
        conn.execute("COMMIT")
    elapsed = time.perf_counter() - started
    conn.close()
    return n / elapsed


def ceiling_in_transaction(db_path: str, n: int) -> float:
    """The same SQL as :func:`ceiling`, but inside ``sharing.db.transaction()`` (the session, the
    pool checkout with its pre-ping, BEGIN IMMEDIATE, the commit): the floor any service pays."""
    from sharing.db import transaction
    from sharing.extensions import db

    app = card_app(db_path)
    with app.app_context():
        db.create_all()
        now = datetime.now(UTC).strftime("%Y-%m-%d %H:%M:%S.%f")
        with transaction():
            _accounts(db.session.connection().connection.driver_connection, now)
        h = "0" * 64
        started = time.perf_counter()
        for seq in range(1, n + 1):
            with transaction():
                _write_payment(db.session.connection().connection.driver_connection, seq, now, h)
        elapsed = time.perf_counter() - started
        db.session.remove()
        db.engine.dispose()
    return n / elapsed


def payment_sql(ledger_db: str, copy_path: str, n: int, user_ids: list[int], org_ids: list[int]) -> float:
    """``n`` payments as the bare statements of ``pay()`` on a copy (``copy_path``) of the benchmark's
    ledger taken after a service round (every account exists; the copy keeps the ledger's hash chain
    intact for its audit): 3% discount, no mileage, like the service layer's payments."""
    from sharing.card.ledger import SQL

    with sqlite3.connect(ledger_db) as source, sqlite3.connect(copy_path) as target:
        source.backup(target)
    source.close()
    target.close()
    conn = _connect(copy_path)
    accounts = dict(conn.execute("SELECT owner_key, id FROM card_accounts"))
    balances = dict(conn.execute("SELECT id, balance FROM card_accounts"))
    now = datetime.now(UTC).strftime("%Y-%m-%d %H:%M:%S.%f")
    h = "0" * 64
    lock_sql = (
        "SELECT id, owner_key, kind, balance FROM card_accounts WHERE owner_key IN (?, ?, ?, ?) ORDER BY id"
    )
    detail = dict.fromkeys(
        ("discount", "paid", "from_card", "from_mileage", "fund_fee", "mileage_earned", "merchant_net"), 0
    )
    detail |= {"discount": 30, "paid": 970, "from_card": 970, "fund_fee": 9, "merchant_net": 961}
    started = time.perf_counter()
    for i in range(n):
        uid, org = user_ids[i % len(user_ids)], org_ids[i % len(org_ids)]
        card, merchant, fund = accounts[f"card:{uid}"], accounts[f"merchant:{org}"], accounts["fund"]
        conn.execute("BEGIN IMMEDIATE")
        seq, _prev = conn.execute(SQL["head"]).fetchone()
        conn.execute(SQL["key"], {"actor_id": uid, "key": f"sql-{i}"}).fetchone()
        conn.execute(SQL["org"], {"id": org}).fetchone()
        conn.execute(lock_sql, (f"card:{uid}", f"mileage:{uid}", f"merchant:{org}", "fund")).fetchall()
        txn = conn.execute(
            SQL["txn"],
            {
                "seq": seq + 1,
                "kind": "payment",
                "user_id": uid,
                "organization_id": org,
                "actor_id": uid,
                "amount": PRICE,
                "memo": "",
                "created_at": now,
                "prev_hash": h,
                "hash": h,
                "idempotency_key": f"sql-{i}",
                "request_hash": h,
            },
        ).fetchone()[0]
        legs = ((card, -970), (merchant, 961), (fund, 9))
        conn.executemany(
            SQL["entry"], [{"transaction_id": txn, "account_id": a, "amount": m} for a, m in legs]
        )
        for a, m in legs:
            balances[a] += m
        conn.executemany(SQL["balance"], [{"id": a, "balance": balances[a]} for a, _m in legs])
        conn.execute(SQL["head_move"], {"seq": seq + 1, "hash": h, "now": now})
        conn.execute(
            SQL["payment"],
            {"id": txn, "payer_id": uid, "organization_id": org, "created_at": now, "amount": PRICE}
            | detail
            | {"discount_bp": 300, "mileage_bp": 0, "fund_rate_bp": 100},
        )
        conn.execute("COMMIT")
    elapsed = time.perf_counter() - started
    conn.close()
    return n / elapsed
