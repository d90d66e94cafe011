"""The migrations build the same schema as the models, on a fresh SQLite or PostgreSQL database."""

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask_migrate import downgrade, upgrade
from sqlalchemy import create_engine, inspect

from sharing import create_app
from sharing.core.extensions import db

EXPECTED_RAW = {
    "sqlite": {
        "listings_fts",
        "resources_fts",
        "listings_fts_au",
        "resources_fts_ai",
        "card_entries_no_update",
        "card_entries_no_delete",
        "card_transactions_no_delete",
        "card_ledger_head_forward",
        "card_ledger_head_no_delete",
        "card_accounts_identity",
    },
    "postgresql": {
        "ix_listings_search_trgm",
        "ix_resources_search_trgm",
        "ex_loans_no_overlap",
        "card_entries_append_only",
        "card_transactions_append_only",
        "card_ledger_head_forward",
        "card_accounts_identity",
        "card_transactions_no_truncate",
        "card_ledger_head_no_truncate",
    },
}


def _raw_objects(engine) -> set[str]:
    """Names of the objects the migrations create with raw DDL (search, ledger triggers, exclusion)."""
    from sqlalchemy import text

    with engine.connect() as conn:
        if engine.dialect.name == "sqlite":
            return set(conn.execute(text("SELECT name FROM sqlite_master")).scalars())
        return set(
            conn.execute(
                text(
                    "SELECT indexname FROM pg_indexes UNION SELECT conname FROM pg_constraint "
                    "UNION SELECT tgname FROM pg_trigger"
                )
            ).scalars()
        )


def _modelled(obj, name, type_, reflected, compare_to):
    """Raw-DDL objects (FTS5 tables, trigram indexes) live outside the models on purpose."""
    if type_ == "table" and "_fts" in name:
        return False
    return not (type_ == "index" and reflected and compare_to is None and name.endswith("_trgm"))


def test_upgrade_matches_models_and_downgrades(fresh_url):
    app = create_app("testing", SQLALCHEMY_DATABASE_URI=fresh_url)
    with app.app_context():
        upgrade()
        with db.engine.connect() as conn:
            ctx = MigrationContext.configure(conn, opts={"include_object": _modelled})
            diff = compare_metadata(ctx, db.metadata)
        assert diff == [], diff
        from sharing.core.migrations_state import migrations_current

        assert migrations_current()
        assert _raw_objects(db.engine) >= EXPECTED_RAW[db.engine.dialect.name]
        downgrade(revision="base")
        engine = create_engine(fresh_url)
        leftover = set(inspect(engine).get_table_names()) - {"alembic_version"}
        engine.dispose()
        assert not {
            t
            for t in leftover
            if not t.endswith(("_fts", "_data", "_idx", "_docsize", "_config", "_content"))
        }
        db.engine.dispose()


def test_0009_moves_each_idempotency_key_onto_its_transaction_and_back(fresh_url):
    """Keys stored before 0009 (in card_idempotency_keys) still answer replays after it, and a
    downgrade puts them back; the append-only trigger stands on both sides."""
    from sqlalchemy import text

    now = "2026-01-01 00:00:00"
    app = create_app("testing", SQLALCHEMY_DATABASE_URI=fresh_url)
    with app.app_context():
        upgrade(revision="0008")
        with db.engine.begin() as conn:
            conn.execute(
                text(
                    "INSERT INTO users (id, email, password_hash, name, dong, role, created_at) "
                    "VALUES (1, 'a@example.kr', '!', '주민', '성북동', 'resident', :now)"
                ),
                {"now": now},
            )
            for txn, seq, key in ((1, 1, "first"), (2, 2, None), (3, 3, "third")):
                conn.execute(
                    text(
                        "INSERT INTO card_transactions (id, seq, kind, user_id, actor_id, amount, memo, "
                        "created_at, prev_hash, hash) VALUES (:id, :seq, 'topup', 1, 1, 1000, '', :now, "
                        ":h, :h)"
                    ),
                    {"id": txn, "seq": seq, "now": now, "h": "0" * 64},
                )
                if key:
                    conn.execute(
                        text(
                            "INSERT INTO card_idempotency_keys (user_id, key, request_hash, transaction_id, "
                            "created_at) VALUES (1, :key, :hash, :id, :now)"
                        ),
                        {"key": key, "hash": key[0] * 64, "id": txn, "now": now},
                    )
        upgrade(revision="0009")
        with db.engine.begin() as conn:
            rows = conn.execute(
                text("SELECT id, idempotency_key, request_hash FROM card_transactions ORDER BY id")
            ).all()
        assert [tuple(r) for r in rows] == [
            (1, "first", "f" * 64),
            (2, None, None),
            (3, "third", "t" * 64),
        ]
        from sqlalchemy.exc import DBAPIError

        try:
            with db.engine.begin() as conn:
                conn.execute(text("UPDATE card_transactions SET idempotency_key = 'x' WHERE id = 2"))
            raise AssertionError("the append-only trigger let an UPDATE through")
        except DBAPIError:
            pass
        downgrade(revision="0008")
        with db.engine.begin() as conn:
            keys = conn.execute(
                text(
                    "SELECT user_id, key, request_hash, transaction_id FROM card_idempotency_keys ORDER BY id"
                )
            ).all()
        assert [tuple(k) for k in keys] == [(1, "first", "f" * 64, 1), (1, "third", "t" * 64, 3)]
        db.engine.dispose()


def test_0012_keeps_existing_accounts_usable_and_the_email_index(fresh_url):
    """Accounts made before 0012 count as confirmed when made, start at session generation 0, keep
    their consent unknown; the lower(email) unique index survives the new columns, and a downgrade
    drops them again."""
    from sqlalchemy import text
    from sqlalchemy.exc import IntegrityError

    app = create_app("testing", SQLALCHEMY_DATABASE_URI=fresh_url)
    with app.app_context():
        upgrade(revision="0009")
        with db.engine.begin() as conn:
            conn.execute(
                text(
                    "INSERT INTO users (id, email, password_hash, name, dong, role, created_at) "
                    "VALUES (1, 'a@example.kr', '!', '주민', '성북동', 'resident', '2026-01-01 00:00:00')"
                )
            )
        upgrade(revision="0012")
        with db.engine.begin() as conn:
            row = conn.execute(
                text(
                    "SELECT session_generation, email_verified_at = created_at, privacy_consent_version, "
                    "deleted_at FROM users WHERE id = 1"
                )
            ).one()
        assert tuple(row) == (0, True, None, None)  # SQLite answers 1 for true: equal in Python
        try:
            with db.engine.begin() as conn:
                conn.execute(
                    text(
                        "INSERT INTO users (email, password_hash, name, dong, role, created_at) "
                        "VALUES ('A@Example.kr', '!', '주민', '성북동', 'resident', '2026-01-02 00:00:00')"
                    )
                )
            raise AssertionError("the case-insensitive e-mail index is gone")
        except IntegrityError:
            pass
        downgrade(revision="0009")
        columns = {c["name"] for c in inspect(db.engine).get_columns("users")}
        assert "session_generation" not in columns and "deleted_at" not in columns
        db.session.remove()
        db.engine.dispose()


def test_0015_gives_organisations_an_empty_address_and_opening_hours(fresh_url):
    """Organisations made before 0015 get an empty address and opening hours (shown as not given);
    a downgrade drops both columns and keeps the rows."""
    from sqlalchemy import text

    app = create_app("testing", SQLALCHEMY_DATABASE_URI=fresh_url)
    with app.app_context():
        upgrade(revision="0014")
        with db.engine.begin() as conn:
            conn.execute(
                text(
                    "INSERT INTO organizations (id, name, kind, dong, description, discount_bp, mileage_bp, "
                    "created_at) VALUES (1, '나무와 열매', 'cooperative', '성북동', '', 500, 0, "
                    "'2026-01-01 00:00:00')"
                )
            )
        upgrade(revision="0015")
        with db.engine.begin() as conn:
            row = conn.execute(text("SELECT address, opening_hours FROM organizations WHERE id = 1")).one()
            assert tuple(row) == ("", "")
            conn.execute(text("UPDATE organizations SET address = '장위로 12', opening_hours = '10-19시'"))
        downgrade(revision="0014")
        columns = {c["name"] for c in inspect(db.engine).get_columns("organizations")}
        assert "address" not in columns and "opening_hours" not in columns
        with db.engine.begin() as conn:
            assert conn.execute(text("SELECT name, discount_bp FROM organizations")).one() == (
                "나무와 열매",
                500,
            )
        db.session.remove()
        db.engine.dispose()
