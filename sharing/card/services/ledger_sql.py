"""The ledger's hot-path statements, written once with ``:name`` parameters (sqlite3's style) and
translated for psycopg (:data:`PG_SQL`). :class:`.ledger.Store` runs them on the driver's cursor."""

from __future__ import annotations

import re
from functools import cache

from ..chain import PAYMENT_DETAIL, REFUND_DETAIL

HEAD_ID = 1

SQL = {
    "head": f"SELECT seq, hash FROM card_ledger_head WHERE id = {HEAD_ID}",
    "head_create": "INSERT INTO card_ledger_head (id, seq, hash, updated_at) VALUES (:id, 0, :hash, :now) "
    "ON CONFLICT (id) DO NOTHING",
    "head_move": f"UPDATE card_ledger_head SET seq = :seq, hash = :hash, updated_at = :now WHERE id = {HEAD_ID}",
    "key": "SELECT request_hash, id, kind FROM card_transactions WHERE actor_id = :actor_id "
    "AND idempotency_key = :key",
    # the shop's rates and whether the payer is one of its members, in one round trip
    "org": "SELECT discount_bp, mileage_bp, verified_at, EXISTS (SELECT 1 FROM memberships "
    "WHERE organization_id = :id AND user_id = :user_id) FROM organizations WHERE id = :id",
    "account_add": "INSERT INTO card_accounts (owner_key, kind, user_id, organization_id, balance, created_at) "
    "VALUES (:key, :kind, :user_id, :organization_id, 0, :now) ON CONFLICT (owner_key) DO NOTHING",
    "txn": "INSERT INTO card_transactions (seq, kind, user_id, organization_id, actor_id, amount, memo, "
    "created_at, prev_hash, hash, idempotency_key, request_hash, key_id) VALUES (:seq, :kind, :user_id, "
    ":organization_id, :actor_id, :amount, :memo, :created_at, :prev_hash, :hash, :idempotency_key, "
    ":request_hash, :key_id) RETURNING id",
    "payment": "INSERT INTO card_payments (id, payer_id, organization_id, created_at, "
    + ", ".join(PAYMENT_DETAIL)
    + ") VALUES (:id, :payer_id, :organization_id, :created_at, "
    + ", ".join(f":{n}" for n in PAYMENT_DETAIL)
    + ")",
    "refund": "INSERT INTO card_refunds (id, created_at, "
    + ", ".join(REFUND_DETAIL)
    + ") VALUES (:id, :created_at, "
    + ", ".join(f":{n}" for n in REFUND_DETAIL)
    + ")",
}


def _pg(sql: str) -> str:
    """A statement's ``:name`` parameters as psycopg writes them."""
    return re.sub(r":(\w+)", r"%(\1)s", sql)


PG_SQL = {name: _pg(sql) for name, sql in SQL.items()}
PG_SQL["head"] += " FOR UPDATE"


@cache
def legs_sql(legs: int, accounts: int, pg: bool) -> tuple[str, str]:
    """A transaction's ``legs`` entries as one multi-row INSERT, and the new balances of its
    ``accounts`` as one UPDATE (``CASE id``): two statements whatever the number of legs.
    Parameters: ``transaction_id``, ``account_<i>``/``amount_<i>`` per leg, ``id_<j>``/``balance_<j>``
    per account (see :func:`legs_params`)."""
    entries = "INSERT INTO card_entries (transaction_id, account_id, amount) VALUES " + ", ".join(
        f"(:transaction_id, :account_{i}, :amount_{i})" for i in range(legs)
    )
    balances = (
        "UPDATE card_accounts SET balance = CASE id "
        + " ".join(f"WHEN :id_{j} THEN :balance_{j}" for j in range(accounts))
        + " END WHERE id IN ("
        + ", ".join(f":id_{j}" for j in range(accounts))
        + ")"
    )
    return (_pg(entries), _pg(balances)) if pg else (entries, balances)


def legs_params(
    transaction_id: int, pairs: list[tuple[int, int]], after: dict[int, int]
) -> tuple[dict, dict]:
    """The parameters of :func:`legs_sql`'s two statements: ``pairs`` (account id, amount) are the
    entries, ``after`` (account id -> balance) the new balances."""
    entries = {"transaction_id": transaction_id}
    for i, (account_id, amount) in enumerate(pairs):
        entries[f"account_{i}"], entries[f"amount_{i}"] = account_id, amount
    balances = {}
    for j, (account_id, balance) in enumerate(after.items()):
        balances[f"id_{j}"], balances[f"balance_{j}"] = account_id, balance
    return entries, balances
