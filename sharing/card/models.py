"""The trade card ledger (지역거래카드): accounts, transactions, entries, payments, refunds.

A double-entry, append-only ledger. Every money movement is one :class:`CardTransaction` with two or
more :class:`CardEntry` rows (account, signed integer won) that sum to zero. Entries, transactions,
payments and refunds are never updated or deleted: a correction is a new transaction. Database
triggers refuse UPDATE and DELETE on those tables (:data:`IMMUTABLE_TABLES`) as a second line behind
the code; ``CardAccount.balance`` is a cache that always equals the sum of the account's entries (the
audit checks it). Each transaction carries a SHA-256 over its content and the previous transaction's
hash; :class:`LedgerHead` holds the chain's last hash and is the ledger's write lock.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import (
    DDL,
    BigInteger,
    CheckConstraint,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    String,
    event,
    text,
)
from sqlalchemy.orm import Mapped, mapped_column

from ..core.db import utcnow
from ..core.extensions import db

# Big integer keys on PostgreSQL; SQLite needs INTEGER PRIMARY KEY for its rowid autoincrement.
BigId = BigInteger().with_variant(Integer, "sqlite")

ACCOUNT_KINDS = ("card", "mileage", "merchant", "fund", "settlement")
TRANSACTION_KINDS = ("topup", "payment", "refund", "payout", "adjustment")


class CardAccount(db.Model):
    """One account of the ledger. ``owner_key`` (``card:<user>``, ``mileage:<user>``,
    ``merchant:<org>``, ``fund``, ``settlement``) is unique, so lazy creation is race-safe."""

    __tablename__ = "card_accounts"

    id: Mapped[int] = mapped_column(primary_key=True)
    owner_key: Mapped[str] = mapped_column(String(40), unique=True)
    kind: Mapped[str] = mapped_column(String(12))
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), index=True)
    organization_id: Mapped[int | None] = mapped_column(ForeignKey("organizations.id"), index=True)
    balance: Mapped[int] = mapped_column(BigInteger, default=0)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)

    __table_args__ = (
        CheckConstraint("kind IN ('card', 'mileage', 'merchant', 'fund', 'settlement')", name="kind"),
        # Only the settlement account (money outside the system) may go below zero.
        CheckConstraint("balance >= 0 OR kind = 'settlement'", name="not_negative"),
    )


class LedgerHead(db.Model):
    """The single row (id 1) holding the chain's head; locking it serialises every ledger write."""

    __tablename__ = "card_ledger_head"

    id: Mapped[int] = mapped_column(primary_key=True)
    seq: Mapped[int] = mapped_column(BigInteger, default=0)
    hash: Mapped[str] = mapped_column(String(64))
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class CardTransaction(db.Model):
    """One money movement. ``seq`` is gapless (1, 2, 3 ...) and ``hash`` chains it to ``seq - 1``."""

    __tablename__ = "card_transactions"

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    seq: Mapped[int] = mapped_column(BigInteger, unique=True)
    kind: Mapped[str] = mapped_column(String(12))
    # The resident whose card it concerns (payer of a payment and of its refunds), if any.
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    organization_id: Mapped[int | None] = mapped_column(ForeignKey("organizations.id"))
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    amount: Mapped[int] = mapped_column(BigInteger)
    memo: Mapped[str] = mapped_column(String(200), default="")
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    prev_hash: Mapped[str] = mapped_column(String(64))
    hash: Mapped[str] = mapped_column(String(64))
    # The caller's Idempotency-Key (unique per actor: the account holder making the call) and the
    # SHA-256 of the request that carried it (see :mod:`.idempotency`); NULL for calls without a key.
    idempotency_key: Mapped[str | None] = mapped_column(String(100))
    request_hash: Mapped[str | None] = mapped_column(String(64))
    # The id of the ledger key whose HMAC ``hash`` is (see :mod:`.keys`); NULL for transactions
    # chained before the key (plain SHA-256, migration 0010).
    key_id: Mapped[str | None] = mapped_column(String(16))

    __table_args__ = (
        CheckConstraint("kind IN ('topup', 'payment', 'refund', 'payout', 'adjustment')", name="kind"),
        Index("ix_card_transactions_user_id_id", "user_id", "id"),
        Index("ix_card_transactions_organization_id_kind_id", "organization_id", "kind", "id"),
        Index(
            "uq_card_transactions_actor_id_idempotency_key",
            "actor_id",
            "idempotency_key",
            unique=True,
            sqlite_where=text("idempotency_key IS NOT NULL"),
            postgresql_where=text("idempotency_key IS NOT NULL"),
        ),
    )


class CardEntry(db.Model):
    """One leg of a transaction: ``amount`` won into (+) or out of (-) ``account_id``."""

    __tablename__ = "card_entries"

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    transaction_id: Mapped[int] = mapped_column(BigId, ForeignKey("card_transactions.id"), index=True)
    account_id: Mapped[int] = mapped_column(ForeignKey("card_accounts.id"))
    amount: Mapped[int] = mapped_column(BigInteger)

    __table_args__ = (
        CheckConstraint("amount <> 0", name="not_zero"),
        Index("ix_card_entries_account_id_transaction_id", "account_id", "transaction_id"),
    )


class Payment(db.Model):
    """A card payment's figures, with the rates in force when it was made (history never changes).

    ``id`` is the id of its :class:`CardTransaction`, whose ``(organization_id, kind, id)`` index lists
    a shop's payments.
    """

    __tablename__ = "card_payments"

    id: Mapped[int] = mapped_column(BigId, ForeignKey("card_transactions.id"), primary_key=True)
    payer_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    organization_id: Mapped[int] = mapped_column(ForeignKey("organizations.id"))
    amount: Mapped[int] = mapped_column(BigInteger)
    discount: Mapped[int] = mapped_column(BigInteger)
    paid: Mapped[int] = mapped_column(BigInteger)
    from_card: Mapped[int] = mapped_column(BigInteger)
    from_mileage: Mapped[int] = mapped_column(BigInteger)
    fund_fee: Mapped[int] = mapped_column(BigInteger)
    mileage_earned: Mapped[int] = mapped_column(BigInteger)
    merchant_net: Mapped[int] = mapped_column(BigInteger)
    discount_bp: Mapped[int] = mapped_column(Integer)
    mileage_bp: Mapped[int] = mapped_column(Integer)
    fund_rate_bp: Mapped[int] = mapped_column(Integer)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)

    __table_args__ = (
        CheckConstraint("amount BETWEEN 1 AND 10000000", name="amount_range"),
        CheckConstraint("paid = amount - discount", name="paid"),
        CheckConstraint("from_card + from_mileage = paid", name="sources"),
        CheckConstraint("merchant_net = paid - fund_fee - mileage_earned", name="merchant_net"),
        CheckConstraint(
            "discount >= 0 AND from_card >= 0 AND from_mileage >= 0 AND fund_fee >= 0 "
            "AND mileage_earned >= 0 AND merchant_net >= 0",
            name="not_negative",
        ),
    )


class Refund(db.Model):
    """A (partial or full) refund of a payment; ``id`` is the id of its :class:`CardTransaction`.

    ``amount`` is in price terms, like the payment's; the other figures are what moved back (see
    :func:`sharing.card.money.refund_figures`). ``mileage_clawback`` is the earned mileage taken
    back; ``clawback_from_card`` is the part of it taken from the card because the mileage had been
    spent, so the card receives ``to_card - clawback_from_card``.
    """

    __tablename__ = "card_refunds"

    id: Mapped[int] = mapped_column(BigId, ForeignKey("card_transactions.id"), primary_key=True)
    payment_id: Mapped[int] = mapped_column(BigId, ForeignKey("card_payments.id"), index=True)
    amount: Mapped[int] = mapped_column(BigInteger)
    discount: Mapped[int] = mapped_column(BigInteger)
    paid: Mapped[int] = mapped_column(BigInteger)
    to_card: Mapped[int] = mapped_column(BigInteger)
    to_mileage: Mapped[int] = mapped_column(BigInteger)
    fund_fee: Mapped[int] = mapped_column(BigInteger)
    mileage_clawback: Mapped[int] = mapped_column(BigInteger)
    clawback_from_card: Mapped[int] = mapped_column(BigInteger)
    merchant_net: Mapped[int] = mapped_column(BigInteger)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)

    __table_args__ = (
        CheckConstraint("amount >= 1", name="amount_positive"),
        CheckConstraint("paid = amount - discount", name="paid"),
        CheckConstraint("to_card + to_mileage = paid", name="sources"),
        CheckConstraint("merchant_net = paid - fund_fee - mileage_clawback", name="merchant_net"),
        CheckConstraint("clawback_from_card BETWEEN 0 AND mileage_clawback", name="clawback"),
    )


# --- Append-only triggers -------------------------------------------------------------------------

IMMUTABLE_TABLES = ("card_entries", "card_transactions", "card_payments", "card_refunds")
_PG_FUNCTION = "card_ledger_refuse_change"


def create_sql(dialect: str, tables: tuple[str, ...] = IMMUTABLE_TABLES) -> list[str]:
    """Triggers refusing UPDATE and DELETE (not TRUNCATE) on the ledger's append-only tables."""
    if dialect == "sqlite":
        out = []
        for t in tables:
            for op in ("UPDATE", "DELETE"):
                out.append(
                    f"CREATE TRIGGER {t}_no_{op.lower()} BEFORE {op} ON {t} BEGIN "
                    f"SELECT RAISE(ABORT, '{op} on {t} refused: the card ledger is append-only'); END"
                )
        return out
    if dialect == "postgresql":
        out = [
            f"CREATE OR REPLACE FUNCTION {_PG_FUNCTION}() RETURNS trigger LANGUAGE plpgsql AS $$ "
            "BEGIN RAISE EXCEPTION USING MESSAGE = TG_OP || ' on ' || TG_TABLE_NAME "
            "|| ' refused: the card ledger is append-only', ERRCODE = 'restrict_violation'; END $$"
        ]
        out += [
            f"CREATE TRIGGER {t}_append_only BEFORE UPDATE OR DELETE ON {t} "
            f"FOR EACH ROW EXECUTE FUNCTION {_PG_FUNCTION}()"
            for t in tables
        ]
        return out
    return []


def drop_sql(dialect: str, tables: tuple[str, ...] = IMMUTABLE_TABLES) -> list[str]:
    if dialect == "sqlite":
        return [f"DROP TRIGGER IF EXISTS {t}_no_{op}" for t in tables for op in ("update", "delete")]
    if dialect == "postgresql":
        return [f"DROP TRIGGER IF EXISTS {t}_append_only ON {t}" for t in tables] + [
            f"DROP FUNCTION IF EXISTS {_PG_FUNCTION}() CASCADE"
        ]
    return []


def attach() -> None:
    """Build the triggers with ``db.create_all()`` (tests) like the migration does."""
    models = {m.__tablename__: m for m in (CardEntry, CardTransaction, Payment, Refund)}
    for name in IMMUTABLE_TABLES:
        table = models[name].__table__
        for dialect in ("sqlite", "postgresql"):
            for statement in create_sql(dialect, (name,)):
                event.listen(table, "after_create", DDL(statement).execute_if(dialect=dialect))
            if dialect == "sqlite":
                for statement in drop_sql(dialect, (name,)):
                    event.listen(table, "before_drop", DDL(statement).execute_if(dialect=dialect))
            else:
                statement = f"DROP TRIGGER IF EXISTS {name}_append_only ON {name}"
                event.listen(table, "before_drop", DDL(statement).execute_if(dialect=dialect))
                if name == "card_entries":
                    statement = f"DROP FUNCTION IF EXISTS {_PG_FUNCTION}() CASCADE"
                    event.listen(table, "after_drop", DDL(statement).execute_if(dialect=dialect))


# --- Guards: no TRUNCATE, the head only moves forward, accounts keep their identity ----------------
#
# What the triggers guard, besides the append-only tables above:
# - TRUNCATE (PostgreSQL only; it bypasses row triggers): refused on every ledger table.
# - ``card_ledger_head``: never deleted; an update must move it forward to the newest transaction
#   (``seq`` grows, and the row at the new ``seq`` exists with the new hash and nothing after it).
# - ``card_accounts``: ``owner_key``, ``kind``, ``user_id``, ``organization_id`` (and ``id``) never
#   change (only ``balance``, the cache, does), so one card cannot be made to show another's money.
# Rates: each payment records its rates on its own append-only row (``card_payments``); there is no
# separate rate or policy history table (organisations' current rates change by design, the fund's
# rate is configuration), so nothing else needs guarding.

LEDGER_TABLES = (*IMMUTABLE_TABLES, "card_accounts", "card_ledger_head")
_HEAD_BAD = (
    "NEW.id <> OLD.id OR NEW.seq <= OLD.seq "
    "OR NOT EXISTS (SELECT 1 FROM card_transactions WHERE seq = NEW.seq AND hash = NEW.hash) "
    "OR EXISTS (SELECT 1 FROM card_transactions WHERE seq > NEW.seq)"
)
_IDENTITY = "id, owner_key, kind, user_id, organization_id"
_HEAD_MSG = "the card ledger head only moves forward to the newest transaction"
_IDENTITY_MSG = "account identity columns (owner_key, kind, user_id, organization_id) never change"


def _pg_raise(message: str) -> str:
    return f"RAISE EXCEPTION USING MESSAGE = '{message}', ERRCODE = 'restrict_violation';"


def guard_sql(dialect: str) -> list[str]:
    """The guards' triggers (and their PostgreSQL functions)."""
    if dialect == "sqlite":
        return [
            "CREATE TRIGGER card_ledger_head_no_delete BEFORE DELETE ON card_ledger_head BEGIN "
            f"SELECT RAISE(ABORT, 'DELETE on card_ledger_head refused: {_HEAD_MSG}'); END",
            f"CREATE TRIGGER card_ledger_head_forward BEFORE UPDATE ON card_ledger_head WHEN {_HEAD_BAD} BEGIN "
            f"SELECT RAISE(ABORT, 'UPDATE on card_ledger_head refused: {_HEAD_MSG}'); END",
            f"CREATE TRIGGER card_accounts_identity BEFORE UPDATE OF {_IDENTITY} ON card_accounts BEGIN "
            f"SELECT RAISE(ABORT, 'UPDATE on card_accounts refused: {_IDENTITY_MSG}'); END",
        ]
    if dialect != "postgresql":
        return []
    out = [
        "CREATE OR REPLACE FUNCTION card_ledger_refuse_truncate() RETURNS trigger LANGUAGE plpgsql AS $$ "
        "BEGIN RAISE EXCEPTION USING MESSAGE = 'TRUNCATE on ' || TG_TABLE_NAME "
        "|| ' refused: the card ledger is append-only', ERRCODE = 'restrict_violation'; END $$",
        "CREATE OR REPLACE FUNCTION card_ledger_head_forward() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
        f"IF TG_OP = 'DELETE' OR {_HEAD_BAD} THEN {_pg_raise(_HEAD_MSG)} END IF; RETURN NEW; END $$",
        "CREATE OR REPLACE FUNCTION card_accounts_identity() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
        "IF (NEW.id, NEW.owner_key, NEW.kind, NEW.user_id, NEW.organization_id) IS DISTINCT FROM "
        f"(OLD.id, OLD.owner_key, OLD.kind, OLD.user_id, OLD.organization_id) THEN {_pg_raise(_IDENTITY_MSG)} "
        "END IF; RETURN NEW; END $$",
        "CREATE TRIGGER card_ledger_head_forward BEFORE UPDATE OR DELETE ON card_ledger_head "
        "FOR EACH ROW EXECUTE FUNCTION card_ledger_head_forward()",
        f"CREATE TRIGGER card_accounts_identity BEFORE UPDATE OF {_IDENTITY} ON card_accounts "
        "FOR EACH ROW EXECUTE FUNCTION card_accounts_identity()",
    ]
    out += [
        f"CREATE TRIGGER {t}_no_truncate BEFORE TRUNCATE ON {t} "
        "FOR EACH STATEMENT EXECUTE FUNCTION card_ledger_refuse_truncate()"
        for t in LEDGER_TABLES
    ]
    return out


def unguard_sql(dialect: str) -> list[str]:
    if dialect == "sqlite":
        return [
            f"DROP TRIGGER IF EXISTS {name}"
            for name in ("card_ledger_head_no_delete", "card_ledger_head_forward", "card_accounts_identity")
        ]
    if dialect != "postgresql":
        return []
    return [
        "DROP FUNCTION IF EXISTS card_ledger_refuse_truncate() CASCADE",
        "DROP FUNCTION IF EXISTS card_ledger_head_forward() CASCADE",
        "DROP FUNCTION IF EXISTS card_accounts_identity() CASCADE",
    ]


attach()

# After every table exists (the head's trigger reads card_transactions); dropped before any table.
for _dialect in ("sqlite", "postgresql"):
    for _statement in guard_sql(_dialect):
        event.listen(db.metadata, "after_create", DDL(_statement).execute_if(dialect=_dialect))
    for _statement in unguard_sql(_dialect):
        event.listen(db.metadata, "before_drop", DDL(_statement).execute_if(dialect=_dialect))
