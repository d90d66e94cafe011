"""The database refuses what would hide tampering: TRUNCATE (PostgreSQL), a head moved other than
forward, an account's identity changed; and an application role that owns no table cannot lift them."""

import uuid

import pytest
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError

from sharing.card import models, services
from sharing.card.services.audit_ledger import run
from sharing.core.extensions import db

pg_only = pytest.mark.postgres_only


def _refused(*statements, **params):
    db.session.commit()
    for statement in statements:
        with pytest.raises(DBAPIError, match=r"refused|forward|never change"), db.engine.begin() as conn:
            conn.execute(text(statement), params)


def _head():
    db.session.commit()
    return db.session.execute(text("SELECT seq, hash FROM card_ledger_head")).one()


def _hash_at(seq):
    return db.session.execute(text("SELECT hash FROM card_transactions WHERE seq = :s"), {"s": seq}).scalar()


def test_head_moves_only_forward_to_the_newest_transaction(ledger):
    seq, head = _head()
    _refused(
        "UPDATE card_ledger_head SET seq = :s, hash = :h",  # backwards (a cut tail)
        s=seq - 1,
        h=_hash_at(seq - 1),
    )
    _refused("UPDATE card_ledger_head SET hash = :h", h="f" * 64)  # same seq, another hash
    _refused("UPDATE card_ledger_head SET seq = :s", s=seq + 1)  # past the newest transaction
    _refused("UPDATE card_ledger_head SET id = 2")
    _refused("DELETE FROM card_ledger_head")
    assert _head() == (seq, head)
    _ids, user, _owner = ledger
    services.topup(user, 1000)  # the ledger itself still moves it forward
    assert _head()[0] == seq + 1 and run().ok


def test_account_identity_never_changes(ledger, make):
    _ids, user, _owner = ledger
    other = make.user()
    services.topup(other, 10)
    card = services.card_summary(user).account_id
    _refused(
        "UPDATE card_accounts SET user_id = :other WHERE id = :id",
        "UPDATE card_accounts SET owner_key = 'card:' || :other WHERE id = :id",
        "UPDATE card_accounts SET kind = 'mileage' WHERE id = :id",
        "UPDATE card_accounts SET organization_id = 1 WHERE id = :id",
        "UPDATE card_accounts SET id = id + 1000 WHERE id = :id",
        other=other.id,
        id=card,
    )
    with db.engine.begin() as conn:  # the balance (the cache) is what the ledger updates
        conn.execute(text("UPDATE card_accounts SET balance = balance WHERE id = :id"), {"id": card})
    assert run().ok


@pg_only
def test_truncate_is_refused_on_every_ledger_table(ledger, backend):
    if backend != "postgresql":
        pytest.skip("TRUNCATE exists only on PostgreSQL; SQLite's DELETE is refused instead (next test)")
    for table in models.LEDGER_TABLES:
        _refused(f"TRUNCATE {table} CASCADE")
    assert run().ok and run().transactions_checked == 5


def test_emptying_the_ledger_is_refused(ledger):
    """The counterpart everywhere: DELETE on the append-only tables and the head is refused."""
    for table in (*models.IMMUTABLE_TABLES, "card_ledger_head"):
        _refused(f"DELETE FROM {table}")
    assert run().transactions_checked == 5


@pytest.fixture
def app_role(app, backend):
    """A role like docs/deploy.md's application role: owns nothing; SELECT, INSERT, UPDATE granted."""
    if backend != "postgresql":
        pytest.skip("roles and privileges exist only on PostgreSQL; SQLite has no users")
    name = f"sharing_app_{uuid.uuid4().hex[:8]}"
    with db.engine.begin() as conn:
        conn.execute(text(f"CREATE ROLE {name} NOLOGIN"))
        conn.execute(text(f"GRANT USAGE ON SCHEMA public TO {name}"))
        conn.execute(text(f"GRANT SELECT, INSERT, UPDATE ON ALL TABLES IN SCHEMA public TO {name}"))
        conn.execute(text(f"GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO {name}"))
    yield name
    db.session.remove()
    with db.engine.begin() as conn:
        conn.execute(text(f"DROP OWNED BY {name}"))
        conn.execute(text(f"DROP ROLE {name}"))


@pg_only
def test_the_app_role_cannot_lift_the_triggers(ledger, app_role):
    attempts = [
        "DROP TRIGGER card_entries_append_only ON card_entries",
        "ALTER TABLE card_entries DISABLE TRIGGER card_entries_append_only",
        "ALTER TABLE card_ledger_head DISABLE TRIGGER ALL",
        "DROP TRIGGER card_ledger_head_forward ON card_ledger_head",
        "DROP FUNCTION card_ledger_refuse_change() CASCADE",
        "CREATE OR REPLACE FUNCTION card_accounts_identity() RETURNS trigger LANGUAGE plpgsql "
        "AS $$ BEGIN RETURN NEW; END $$",
        "SET session_replication_role = replica",
        "TRUNCATE card_entries",
        "DELETE FROM card_entries",
    ]
    db.session.commit()
    for statement in attempts:
        with pytest.raises(DBAPIError), db.engine.begin() as conn:
            conn.execute(text(f"SET LOCAL ROLE {app_role}"))
            conn.execute(text(statement))
    with db.engine.begin() as conn:  # while the work the app does is allowed
        conn.execute(text(f"SET LOCAL ROLE {app_role}"))
        assert conn.execute(text("SELECT COUNT(*) FROM card_transactions")).scalar() == 5
        conn.execute(text("UPDATE card_accounts SET balance = balance"))
    report = run()
    assert report.ok and report.transactions_checked == 5
