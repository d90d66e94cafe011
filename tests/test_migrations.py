"""The migrations build the same schema as the models, on a fresh SQLite or PostgreSQL database."""

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask_migrate import downgrade, upgrade
from sqlalchemy import create_engine, inspect, select

from sharing import create_app
from sharing.core.extensions import db

EXPECTED_RAW = {
    "sqlite": {
        "listings_fts",
        "resources_fts",
        "listings_fts_au",
        "resources_fts_ai",
        "news_posts_fts",
        "news_posts_fts_au",
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
        "ix_news_posts_search_trgm",
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


def test_0016_adds_welcome_pending_false_for_existing_accounts(fresh_url):
    """Accounts made before 0016 get no first-visit hint (the server default is false, the column
    refuses NULL); a downgrade drops the column again."""
    from sqlalchemy import text
    from sqlalchemy.exc import IntegrityError

    app = create_app("testing", SQLALCHEMY_DATABASE_URI=fresh_url)
    with app.app_context():
        upgrade(revision="0014")
        insert = (
            "INSERT INTO users (id, email, password_hash, name, dong, role, created_at) "
            "VALUES (:id, :email, '!', '주민', '성북동', 'resident', '2026-01-01 00:00:00')"
        )
        with db.engine.begin() as conn:
            conn.execute(text(insert), {"id": 1, "email": "a@example.kr"})
        upgrade(revision="0016")
        with db.engine.begin() as conn:
            conn.execute(text(insert), {"id": 2, "email": "b@example.kr"})
            rows = conn.execute(text("SELECT id, welcome_pending FROM users ORDER BY id")).all()
        assert [(i, bool(w)) for i, w in rows] == [(1, False), (2, False)]
        try:
            with db.engine.begin() as conn:
                conn.execute(text("UPDATE users SET welcome_pending = NULL WHERE id = 1"))
            raise AssertionError("welcome_pending accepted NULL")
        except IntegrityError:
            pass
        downgrade(revision="0014")
        columns = {c["name"] for c in inspect(db.engine).get_columns("users")}
        assert "welcome_pending" not in columns and "email" in columns
        db.session.remove()
        db.engine.dispose()


def test_0017_lets_a_message_belong_to_a_question_and_drops_them_on_downgrade(fresh_url):
    """After 0017 a message belongs to a request or to a question, never both nor neither (CHECK);
    a downgrade deletes the question messages, keeps the request messages and makes loan_id required."""
    from sqlalchemy import text
    from sqlalchemy.exc import IntegrityError

    now = "2026-01-01 00:00:00"
    app = create_app("testing", SQLALCHEMY_DATABASE_URI=fresh_url)
    with app.app_context():
        upgrade(revision="0014")
        with db.engine.begin() as conn:
            conn.execute(
                text(
                    "INSERT INTO users (id, email, password_hash, name, dong, role, created_at, "
                    "session_generation) VALUES (1, 'a@example.kr', '!', '주민', '성북동', 'resident', :now, 0), "
                    "(2, 'b@example.kr', '!', '이웃', '성북동', 'resident', :now, 0)"
                ),
                {"now": now},
            )
            conn.execute(
                text(
                    "INSERT INTO listings (id, owner_id, kind, title, description, category, dong, condition, "
                    "status, photo_count, rating_sum, rating_count, created_at, updated_at) VALUES "
                    "(1, 1, 'share', '사다리', '', 'tools', '성북동', 'good', 'active', 0, 0, 0, :now, :now)"
                ),
                {"now": now},
            )
            conn.execute(
                text(
                    "INSERT INTO loans (id, listing_id, borrower_id, status, start_date, end_date, message, "
                    "refunded_amount, created_at) VALUES "
                    "(1, 1, 2, 'requested', '2026-01-02', '2026-01-03', '', 0, :now)"
                ),
                {"now": now},
            )
            conn.execute(
                text(
                    "INSERT INTO loan_messages (id, loan_id, author_id, body, created_at) "
                    "VALUES (1, 1, 2, '요청 메시지', :now)"
                ),
                {"now": now},
            )
        upgrade(revision="0017")
        with db.engine.begin() as conn:
            conn.execute(
                text(
                    "INSERT INTO listing_questions (id, listing_id, asker_id, created_at, updated_at) "
                    "VALUES (1, 1, 2, :now, :now)"
                ),
                {"now": now},
            )
            conn.execute(
                text(
                    "INSERT INTO loan_messages (id, question_id, author_id, body, created_at) "
                    "VALUES (2, 1, 2, '문의', :now)"
                ),
                {"now": now},
            )
        for loan_id, question_id in ((1, 1), (None, None)):
            try:
                with db.engine.begin() as conn:
                    conn.execute(
                        text(
                            "INSERT INTO loan_messages (loan_id, question_id, author_id, body, created_at) "
                            "VALUES (:loan, :question, 2, 'x', :now)"
                        ),
                        {"loan": loan_id, "question": question_id, "now": now},
                    )
                raise AssertionError(f"a message with loan {loan_id} and question {question_id} went in")
            except IntegrityError:
                pass
        downgrade(revision="0014")
        with db.engine.begin() as conn:
            bodies = conn.execute(text("SELECT id, loan_id, body FROM loan_messages ORDER BY id")).all()
        assert [tuple(b) for b in bodies] == [(1, 1, "요청 메시지")]
        columns = {c["name"]: c for c in inspect(db.engine).get_columns("loan_messages")}
        assert "question_id" not in columns and columns["loan_id"]["nullable"] is False
        assert "listing_questions" not in inspect(db.engine).get_table_names()
        db.session.remove()
        db.engine.dispose()


def test_0018_indexes_the_posts_already_there_and_drops_the_index_on_downgrade(fresh_url):
    """Posts written before 0018 are found through the new text index (SQLite rebuilds the FTS5 table
    from them; PostgreSQL builds the GIN index over them); new and edited posts follow it; a
    downgrade removes it and the posts stay."""
    from sqlalchemy import text

    from sharing.news.models import POST_SEARCH, Post
    from sharing.news.services.posts import matching

    app = create_app("testing", SQLALCHEMY_DATABASE_URI=fresh_url)
    with app.app_context():
        upgrade(revision="0017")
        with db.engine.begin() as conn:
            conn.execute(
                text(
                    "INSERT INTO news_posts (id, title, body, body_html, excerpt, category, cover_alt, status, "
                    "created_at, updated_at) VALUES (1, '봄 나눔장터', '길음동 놀이터에서', '', '', 'market', '', "
                    "'published', '2026-01-01 00:00:00', '2026-01-01 00:00:00'), (2, '공지', '수리공방 안내', '', '', "
                    "'notice', '', 'published', '2026-01-01 00:00:00', '2026-01-01 00:00:00')"
                )
            )
        upgrade(revision="0018")
        assert (
            _raw_objects(db.engine)
            >= {
                "sqlite": {"news_posts_fts", "news_posts_fts_ai", "news_posts_fts_ad", "news_posts_fts_au"},
                "postgresql": {"ix_news_posts_search_trgm"},
            }[db.engine.dialect.name]
        )

        def found(q: str) -> list[int]:
            served = POST_SEARCH.served(Post, q, dialect=db.engine.dialect.name)
            assert served is not None
            by_index = db.session.execute(select(Post.id).where(served)).scalars().all()
            exact = db.session.execute(matching(select(Post.id), q)).scalars().all()
            assert set(exact) <= set(by_index)
            return sorted(exact)

        assert found("나눔장터") == [1]
        assert found("놀이터") == [1]
        assert found("수리공방") == [2]
        db.session.remove()  # end the session's read: SQLite would keep showing it its snapshot
        with db.engine.begin() as conn:
            conn.execute(text("UPDATE news_posts SET body = '성북천 놀이터 청소' WHERE id = 2"))
            conn.execute(text("DELETE FROM news_posts WHERE id = 1"))
        assert found("놀이터") == [2]
        assert found("수리공방") == []
        db.session.remove()
        downgrade(revision="0017")
        assert not _raw_objects(db.engine) & {
            "news_posts_fts",
            "news_posts_fts_ai",
            "ix_news_posts_search_trgm",
        }
        with db.engine.connect() as conn:
            assert conn.execute(text("SELECT count(*) FROM news_posts")).scalar_one() == 1
        db.session.remove()
        db.engine.dispose()
