"""The trade card benchmark's SQL-only measurements and the bare payment they share.

Durability is the same everywhere: every SQLite connection here runs WAL with ``PRAGMA synchronous =
FULL`` set explicitly (each commit is fsynced), and each payment is committed alone.

- :func:`ceiling`: the raw-SQL ceiling, one committed transaction per payment writing what a payment
  must write (the transaction row, its entries, the balances, the chain head, the payment row) with
  values fixed in advance (sqlite3, nothing else);
- :func:`bare_payment`: the statements ``pay()`` sends for a payment (``sharing.card.services.ledger``'s SQL:
  chain head, Idempotency-Key, the shop's rates, the accounts, the transaction row, its entries, the
  balances, the chain head again, the payment row), on a sqlite3 or psycopg cursor, with the figures
  computed inline and a constant hash: what a payment's SQL alone costs. :func:`payment_sql` runs it
  in a loop; the bare HTTP app (:mod:`bench.pay_app`) runs it per request;
- :func:`app_synchronous`: the ``synchronous`` pragma the platform's own SQLite connections run with,
  read on the app's connection, so the table shows whether the comparison is at equal durability.
"""

from __future__ import annotations

import sqlite3
import time
from datetime import UTC, datetime

PRICE = 1000
HASH = "0" * 64
SYNC_NAMES = {0: "OFF", 1: "NORMAL", 2: "FULL", 3: "EXTRA"}


def connect(path: str, busy_timeout_ms: int = 15000) -> sqlite3.Connection:
    """A sqlite3 connection at full durability (WAL, synchronous=FULL), autocommit: callers write
    BEGIN IMMEDIATE and COMMIT themselves."""
    conn = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
    conn.execute(f"PRAGMA busy_timeout = {int(busy_timeout_ms)}")
    conn.execute("PRAGMA journal_mode = WAL")
    conn.execute("PRAGMA synchronous = FULL")
    conn.execute("PRAGMA foreign_keys = ON")
    return conn


def synchronous(conn) -> str:
    """The connection's ``synchronous`` setting by name (FULL, NORMAL ...)."""
    value = int(conn.execute("PRAGMA synchronous").fetchone()[0])
    return SYNC_NAMES.get(value, str(value))


def app_synchronous(app) -> str:
    """The pragma on a connection of the platform's own engine (``sharing.core.db.configure_engine``)."""
    from sharing.core.extensions import db

    with app.app_context():
        pooled = db.engine.raw_connection()
        try:
            return synchronous(pooled.driver_connection)
        finally:
            pooled.close()


def stamp() -> str:
    return datetime.now(UTC).strftime("%Y-%m-%d %H:%M:%S.%f")


# --- the raw-SQL ceiling ---------------------------------------------------------------------------


def _write_payment(conn, seq: int, now: str, uid: int, org: int, accounts: tuple[int, int, int]) -> None:
    """The ceiling's payment: everything a payment must write and nothing it must read or compute:
    the transaction row (with its Idempotency-Key and key id), its three entries, three balance
    updates, the chain head moved onto it, and the payment row (a 1,000 won price at the benchmark
    shops' 3% discount: 970 from the card, 961 to the shop, 9 to the fund)."""
    card, merchant, fund = accounts
    cur = conn.execute(
        "INSERT INTO card_transactions (seq, kind, user_id, organization_id, actor_id, amount, memo, "
        "created_at, prev_hash, hash, idempotency_key, request_hash, key_id) "
        "VALUES (?, 'payment', ?, ?, ?, ?, '', ?, ?, ?, ?, ?, 'bench')",
        (seq, uid, org, uid, PRICE, now, HASH, HASH, f"ceiling-{seq}", HASH),
    )
    txn = cur.lastrowid
    conn.executemany(
        "INSERT INTO card_entries (transaction_id, account_id, amount) VALUES (?, ?, ?)",
        [(txn, card, -970), (txn, merchant, 961), (txn, fund, 9)],
    )
    conn.execute("UPDATE card_accounts SET balance = balance - 970 WHERE id = ?", (card,))
    conn.execute("UPDATE card_accounts SET balance = balance + 961 WHERE id = ?", (merchant,))
    conn.execute("UPDATE card_accounts SET balance = balance + 9 WHERE id = ?", (fund,))
    conn.execute("UPDATE card_ledger_head SET seq = ?, hash = ?, updated_at = ?", (seq, HASH, now))
    conn.execute(
        "INSERT INTO card_payments (id, payer_id, organization_id, amount, discount, paid, from_card, "
        "from_mileage, fund_fee, mileage_earned, merchant_net, discount_bp, mileage_bp, fund_rate_bp, "
        "created_at) VALUES (?, ?, ?, ?, 30, 970, 970, 0, 9, 0, 961, 300, 0, 100, ?)",
        (txn, uid, org, PRICE, now),
    )


class Ceiling:
    """The raw-SQL ceiling on a new database whose resident, shop and accounts were made by the
    services (one warm-up payment); :meth:`run` writes ``count`` more payments and returns the
    seconds they took."""

    def __init__(self, db_path: str) -> None:
        from sharing.auth.models import User
        from sharing.card import services
        from sharing.core.extensions import db

        from .card import people
        from .card_audit import card_app

        app = card_app(db_path)
        with app.app_context():
            db.create_all()
            (self.uid,), (self.org,) = people(1, 1, 10_000_000)
            services.pay(db.session.get(User, self.uid), self.org, PRICE, idempotency_key="ceiling-warm-up")
            db.session.remove()
            db.engine.dispose()
        self.conn = connect(db_path)
        owners = dict(self.conn.execute("SELECT owner_key, id FROM card_accounts").fetchall())
        self.accounts = (owners[f"card:{self.uid}"], owners[f"merchant:{self.org}"], owners["fund"])
        (self.seq,) = self.conn.execute("SELECT seq FROM card_ledger_head").fetchone()
        self.now = stamp()
        self.synchronous = synchronous(self.conn)

    def run(self, count: int) -> float:
        started = time.perf_counter()
        for _ in range(count):
            self.seq += 1
            self.conn.execute("BEGIN IMMEDIATE")
            _write_payment(self.conn, self.seq, self.now, self.uid, self.org, self.accounts)
            self.conn.execute("COMMIT")
        return time.perf_counter() - started

    def close(self) -> None:
        self.conn.close()


# --- a payment's own statements ----------------------------------------------------------------------


def _one(cur, sql: str, params=None):
    cur.execute(sql, params or {})
    return cur.fetchone()


def bare_payment(cur, pg: bool, uid: int, org: int, key: str, amount: int = PRICE) -> int | None:
    """The statements of one ``pay()`` (same SQL, same order, same locks), inside the caller's open
    transaction; the caller commits. Returns the transaction id, or None for a replayed key."""
    from sharing.card.services.ledger_sql import PG_SQL, SQL, legs_params, legs_sql

    sql = PG_SQL if pg else SQL
    now = datetime.now(UTC) if pg else stamp()
    seq, _prev = _one(cur, sql["head"])
    if _one(cur, sql["key"], {"actor_id": uid, "key": key}) is not None:
        return None
    discount_bp, mileage_bp, _verified, _member = _one(cur, sql["org"], {"id": org, "user_id": uid})
    mark = "%s" if pg else "?"
    keys = (f"card:{uid}", f"mileage:{uid}", f"merchant:{org}", "fund")
    cur.execute(
        f"SELECT id, owner_key, kind, balance FROM card_accounts WHERE owner_key IN ({', '.join([mark] * 4)}) "
        "ORDER BY id" + (" FOR UPDATE" if pg else ""),
        keys,
    )
    ids = {row[1]: (row[0], int(row[3])) for row in cur.fetchall()}
    discount = amount * discount_bp // 10000
    paid = amount - discount
    fee, earned = paid * 100 // 10000, paid * mileage_bp // 10000
    net = paid - fee - earned
    legs = [(keys[0], -paid), (keys[2], net), (keys[3], fee), (keys[1], earned)]
    legs = [(ids[k][0], n, ids[k][1] + n) for k, n in legs if n]
    txn = _one(
        cur,
        sql["txn"],
        {
            "seq": seq + 1,
            "kind": "payment",
            "user_id": uid,
            "organization_id": org,
            "actor_id": uid,
            "amount": amount,
            "memo": "",
            "created_at": now,
            "prev_hash": HASH,
            "hash": HASH,
            "idempotency_key": key,
            "request_hash": HASH,
            "key_id": "bench",
        },
    )[0]
    entries_sql, balances_sql = legs_sql(len(legs), len(legs), pg)
    entries, balances = legs_params(txn, [(a, n) for a, n, _b in legs], {a: b for a, _n, b in legs})
    cur.execute(entries_sql, entries)
    cur.execute(balances_sql, balances)
    cur.execute(sql["head_move"], {"seq": seq + 1, "hash": HASH, "now": now})
    detail = {
        "amount": amount,
        "discount": discount,
        "paid": paid,
        "from_card": paid,
        "from_mileage": 0,
        "fund_fee": fee,
        "mileage_earned": earned,
        "merchant_net": net,
        "discount_bp": discount_bp,
        "mileage_bp": mileage_bp,
        "fund_rate_bp": 100,
    }
    cur.execute(
        sql["payment"], {"id": txn, "payer_id": uid, "organization_id": org, "created_at": now} | detail
    )
    return txn


class OwnStatements:
    """:func:`bare_payment` in a loop on a copy (``copy_path``) of the benchmark's ledger (every
    account exists), each payment committed alone at synchronous=FULL; :meth:`run` makes ``count``
    payments and returns the seconds they took."""

    def __init__(self, ledger_db: str, copy_path: str, user_ids: list[int], org_ids: list[int]) -> None:
        with sqlite3.connect(ledger_db) as source, sqlite3.connect(copy_path) as target:
            source.backup(target)
        source.close()
        target.close()
        self.conn = connect(copy_path)
        self.cur = self.conn.cursor()
        self.user_ids, self.org_ids, self.done = user_ids, org_ids, 0

    def run(self, count: int) -> float:
        started = time.perf_counter()
        for i in range(self.done, self.done + count):
            self.conn.execute("BEGIN IMMEDIATE")
            uid, org = self.user_ids[i % len(self.user_ids)], self.org_ids[i % len(self.org_ids)]
            bare_payment(self.cur, False, uid, org, f"sql-{i}")
            self.conn.execute("COMMIT")
        self.done += count
        return time.perf_counter() - started

    def close(self) -> None:
        self.conn.close()
