"""The ledger's core: accounts, the write lock, posting a balanced transaction, the hash chain.

Every write follows the same order, which is what makes the ledger serialisable and deadlock-free:

1. :meth:`Store.lock_head` locks the chain head row (``SELECT ... FOR UPDATE`` on PostgreSQL; on
   SQLite the unit of work's ``BEGIN IMMEDIATE`` already holds the database's write lock). Every
   ledger writer queues here, so the hash chain is linear and ``seq`` is gapless.
2. :meth:`Store.lock_accounts` locks every account the transaction touches, in ascending id order
   (``SELECT ... ORDER BY id FOR UPDATE``, the statement of :func:`sharing.core.db.lock`), creating the
   missing ones first with ``INSERT ... ON CONFLICT (owner_key) DO NOTHING`` (race-safe: the
   unique owner key decides, never a check-then-insert).
3. The service checks its rules against the locked balances, then :func:`post` writes the
   transaction, its entries and the new balances, and moves the chain head.

The hot path talks to the driver directly (one round trip per statement, no ORM unit of work): a
payment is nine small statements inside one transaction, and when it is not inside a caller's
``transaction()`` it runs on a pooled connection of its own (:func:`writing`), without the Session's
bookkeeping. The statements are written once, with ``:name`` parameters, and translated for psycopg.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime

from flask_babel import gettext as _
from sqlalchemy import BigInteger, cast, func, select

from ...core.db import end_read, in_transaction, transaction, utcnow
from ...core.errors import Conflict
from ...core.extensions import db
from ..chain import (  # re-exported: the ledger's callers use ledger.digest, ledger.PAYMENT_DETAIL ...
    GENESIS,
    digest,
    entries_text,
    timestamp,
)
from ..chain import PAYMENT_DETAIL as PAYMENT_DETAIL
from ..chain import REFUND_DETAIL as REFUND_DETAIL
from ..chain import detail_text as detail_text
from ..chain import payment_detail as payment_detail
from ..chain import refund_detail as refund_detail
from ..keys import ring
from ..models import CardAccount, CardEntry
from .ledger_sql import HEAD_ID as HEAD_ID
from .ledger_sql import PG_SQL, SQL, legs_params, legs_sql

# --- Accounts ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class AccountSpec:
    key: str
    kind: str
    user_id: int | None = None
    organization_id: int | None = None


def card_of(user_id: int) -> AccountSpec:
    return AccountSpec(f"card:{user_id}", "card", user_id=user_id)


def mileage_of(user_id: int) -> AccountSpec:
    return AccountSpec(f"mileage:{user_id}", "mileage", user_id=user_id)


def merchant_of(organization_id: int) -> AccountSpec:
    return AccountSpec(f"merchant:{organization_id}", "merchant", organization_id=organization_id)


FUND = AccountSpec("fund", "fund")
SETTLEMENT = AccountSpec("settlement", "settlement")


@dataclass
class Account:
    """A locked account row: its id, owner key, kind and balance (updated by :func:`post`)."""

    id: int
    key: str
    kind: str
    balance: int


@dataclass
class Head:
    seq: int
    hash: str


def balance_of(spec: AccountSpec) -> tuple[int | None, int]:
    """(account id or None, balance) without creating anything."""
    row = db.session.execute(
        select(CardAccount.id, CardAccount.balance).where(CardAccount.owner_key == spec.key)
    ).first()
    return (row[0], int(row[1])) if row else (None, 0)


def total(column):
    """SUM as a big integer, 0 when empty (PostgreSQL's SUM of bigint is numeric: Decimal in Python)."""
    return cast(func.coalesce(func.sum(column), 0), BigInteger)


def balance_after(account_id: int, transaction_id: int) -> int:
    """An account's balance right after a transaction (ids follow the chain's order)."""
    return db.session.execute(
        select(total(CardEntry.amount)).where(
            CardEntry.account_id == account_id, CardEntry.transaction_id <= transaction_id
        )
    ).scalar_one()


# --- The store: the hot path's statements (written in :mod:`.ledger_sql`) ---------------------------


class Store:
    """A driver cursor: by default the one of the session's current transaction (call inside
    ``transaction()``), or of ``driver`` (see :func:`writing`)."""

    def __init__(self, driver=None, pg: bool | None = None) -> None:
        if driver is None:
            conn = db.session.connection()
            pg = conn.dialect.name == "postgresql"
            driver = conn.connection.driver_connection
        self.pg = pg
        self.sql = PG_SQL if pg else SQL
        self.cur = driver.cursor()

    def now(self, value: datetime, stamp: str | None = None):
        """A timestamp as the driver stores it (SQLite: SQLAlchemy's naive UTC text). ``stamp``, when
        given, is the chain's text of the same value (:func:`~.chain.timestamp`)."""
        if self.pg:
            return value
        if stamp is not None:
            return stamp.replace("T", " ", 1)
        return value.astimezone(UTC).replace(tzinfo=None).isoformat(" ", "microseconds")

    def one(self, name: str, params: dict | None = None):
        self.cur.execute(self.sql[name], params or {})
        return self.cur.fetchone()

    def run(self, name: str, params: dict | list[dict]) -> None:
        if isinstance(params, list):
            self.cur.executemany(self.sql[name], params)
        else:
            self.cur.execute(self.sql[name], params)

    # The lock ----------------------------------------------------------------------------------

    def lock_head(self) -> Head:
        """Take the ledger's write lock and read the chain head (created on first use)."""
        row = self.one("head")
        if row is None:
            self.run("head_create", {"id": HEAD_ID, "hash": GENESIS, "now": self.now(utcnow())})
            row = self.one("head")
        return Head(int(row[0]), row[1])

    def lock_accounts(self, specs: Iterable[AccountSpec]) -> dict[str, Account]:
        """owner_key -> locked account, in ascending id order; missing accounts are created."""
        specs = {s.key: s for s in specs}
        placeholders = ", ".join(("%s" if self.pg else "?") for _ in specs)
        sql = (
            f"SELECT id, owner_key, kind, balance FROM card_accounts WHERE owner_key IN ({placeholders}) "
            "ORDER BY id" + (" FOR UPDATE" if self.pg else "")
        )
        keys = list(specs)
        self.cur.execute(sql, keys)
        rows = self.cur.fetchall()
        if len(rows) < len(specs):
            found = {r[1] for r in rows}
            now = self.now(utcnow())
            self.run(
                "account_add",
                [
                    {
                        "key": s.key,
                        "kind": s.kind,
                        "user_id": s.user_id,
                        "organization_id": s.organization_id,
                        "now": now,
                    }
                    for s in specs.values()
                    if s.key not in found
                ],
            )
            self.cur.execute(sql, keys)
            rows = self.cur.fetchall()
        return {r[1]: Account(r[0], r[1], r[2], int(r[3])) for r in rows}

    # Reads under the lock ----------------------------------------------------------------------

    def idempotency(self, actor_id: int, key: str):
        """(request hash, transaction id, kind) of the actor's transaction with this key, or None."""
        return self.one("key", {"actor_id": actor_id, "key": key})

    def card_policy(self, organization_id: int, user_id: int):
        """(discount_bp, mileage_bp, whether ``user_id`` is one of its members) of a verified
        organisation, or None."""
        row = self.one("org", {"id": organization_id, "user_id": user_id})
        if row is None or row[2] is None:
            return None
        return int(row[0]), int(row[1]), bool(row[3])

    def write_legs(self, transaction_id: int, pairs: list[tuple[int, int]], after: dict[int, int]) -> None:
        """Insert a transaction's entries and set its accounts' new balances (two statements)."""
        entries_sql, balances_sql = legs_sql(len(pairs), len(after), self.pg)
        entries, balances = legs_params(transaction_id, pairs, after)
        self.cur.execute(entries_sql, entries)
        self.cur.execute(balances_sql, balances)

    def add_detail(self, name: str, values: dict, posted: Posted) -> None:
        """Insert the payment's or refund's row (``name`` is ``payment`` or ``refund``) of ``posted``."""
        self.run(name, {**values, "created_at": posted.stored_at})


@contextmanager
def writing() -> Iterator[Store]:
    """The ledger's unit of work: a :class:`Store` inside a write transaction.

    Inside an outer ``transaction()`` it joins it (the market pays a rental in its own unit of work:
    all or nothing). Otherwise it is one transaction on a connection taken from the pool, without the
    Session's unit of work: ``BEGIN IMMEDIATE`` on SQLite, commit on success, roll back on any error,
    the connection back to the pool either way. A read snapshot the session holds is ended first, as
    ``transaction()`` does, so the session's next read sees this write. The block must not use the
    session (it would read outside this transaction).
    """
    if in_transaction():
        with transaction():
            yield Store()
        return
    end_read(db.session())
    engine = db.engine
    pg = engine.dialect.name == "postgresql"
    pooled = engine.raw_connection()
    try:
        driver = pooled.driver_connection
        try:
            if not pg:
                driver.execute("BEGIN IMMEDIATE")
            store = Store(driver, pg)
            try:
                yield store
            finally:
                store.cur.close()
            driver.commit()
        except BaseException:
            driver.rollback()
            raise
    finally:
        pooled.close()  # back to the pool, whose reset rolls back anything left open


@dataclass(frozen=True)
class Posted:
    id: int
    seq: int
    created_at: datetime
    stored_at: datetime | str  # ``created_at`` as the driver stores it (see :meth:`Store.now`)


def post(
    store: Store,
    head: Head,
    kind: str,
    *,
    entries: list[tuple[Account, int]],
    amount: int,
    user_id: int | None = None,
    organization_id: int | None = None,
    actor_id: int | None = None,
    memo: str = "",
    detail: str = "",
    idempotency_key: str | None = None,
    request_hash: str | None = None,
) -> Posted:
    """Write one balanced transaction under the lock taken by :meth:`Store.lock_head`.

    Every check runs before anything is written, so a refused posting leaves nothing behind even
    inside a caller's outer transaction. ``head`` and the accounts' balances are updated in place.
    ``idempotency_key`` (the actor's) and ``request_hash`` are stored on the transaction's row and
    taken into its HMAC, under the current ledger key (whose id is stored too).
    """
    legs = [(account, n) for account, n in entries if n]  # a leg of zero won is not posted
    # No legs at all is a refund of a discount's last won: recorded, moving nothing.
    if sum(n for _a, n in legs) != 0 or len(legs) == 1:
        raise ValueError("a ledger transaction must have balancing entries")
    accounts: dict[int, Account] = {}
    after: dict[int, int] = {}
    for account, n in legs:
        accounts[account.id] = account
        after[account.id] = after.get(account.id, account.balance) + n
    for account_id, balance in after.items():
        if balance < 0 and accounts[account_id].kind != "settlement":
            raise Conflict(_("잔액이 부족합니다."), code="insufficient_funds")
    seq = head.seq + 1
    created_at = utcnow()
    stamp = timestamp(created_at)
    pairs = [(account.id, n) for account, n in legs]
    keys = ring()
    request_hash = request_hash if idempotency_key is not None else None
    txn_hash = digest(
        head.hash,
        seq,
        kind,
        user_id,
        organization_id,
        actor_id,
        amount,
        memo,
        stamp,
        detail,
        entries_text(pairs),
        mac=keys.mac(),
        key_id=keys.current_id,
        idempotency_key=idempotency_key,
        request_hash=request_hash,
    )
    stored_at = store.now(created_at, stamp)
    txn_id = store.one(
        "txn",
        {
            "seq": seq,
            "kind": kind,
            "user_id": user_id,
            "organization_id": organization_id,
            "actor_id": actor_id,
            "amount": amount,
            "memo": memo,
            "created_at": stored_at,
            "prev_hash": head.hash,
            "hash": txn_hash,
            "idempotency_key": idempotency_key,
            "request_hash": request_hash,
            "key_id": keys.current_id,
        },
    )[0]
    if pairs:  # none: a refund of a discount's last won, recorded and moving nothing
        store.write_legs(txn_id, pairs, after)
    for account_id, balance in after.items():
        accounts[account_id].balance = balance
    store.run("head_move", {"seq": seq, "hash": txn_hash, "now": stored_at})
    head.seq, head.hash = seq, txn_hash
    return Posted(txn_id, seq, created_at, stored_at)
