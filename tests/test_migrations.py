"""The migrations build the same schema as the models, on a fresh SQLite or PostgreSQL database."""

import uuid

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask_migrate import downgrade, upgrade
from sqlalchemy import create_engine, inspect
from sqlalchemy.engine import make_url

from sharing import create_app
from sharing.extensions import db
from tests.conftest import BACKEND, PG_URL, _admin_conn


def _fresh_url(tmp_path):
    if BACKEND == "sqlite":
        return f"sqlite:///{tmp_path / 'fresh.db'}", None
    name = f"sharing_mig_{uuid.uuid4().hex[:8]}"
    with _admin_conn(PG_URL) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    return make_url(PG_URL).set(database=name).render_as_string(hide_password=False), name


def _drop(name):
    if name:
        with _admin_conn(PG_URL) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


EXPECTED_RAW = {
    "sqlite": {
        "listings_fts",
        "resources_fts",
        "listings_fts_au",
        "resources_fts_ai",
        "card_entries_no_update",
        "card_entries_no_delete",
        "card_transactions_no_delete",
    },
    "postgresql": {
        "ix_listings_search_trgm",
        "ix_resources_search_trgm",
        "ex_loans_no_overlap",
        "card_entries_append_only",
        "card_transactions_append_only",
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


def test_upgrade_matches_models_and_downgrades(tmp_path):
    url, name = _fresh_url(tmp_path)
    try:
        app = create_app("testing", SQLALCHEMY_DATABASE_URI=url)
        with app.app_context():
            upgrade()
            with db.engine.connect() as conn:
                ctx = MigrationContext.configure(conn, opts={"include_object": _modelled})
                diff = compare_metadata(ctx, db.metadata)
            assert diff == [], diff
            from sharing.migrations_state import migrations_current

            assert migrations_current()
            assert _raw_objects(db.engine) >= EXPECTED_RAW[db.engine.dialect.name]
            downgrade(revision="base")
            engine = create_engine(url)
            leftover = set(inspect(engine).get_table_names()) - {"alembic_version"}
            engine.dispose()
            assert not {
                t
                for t in leftover
                if not t.endswith(("_fts", "_data", "_idx", "_docsize", "_config", "_content"))
            }
            db.engine.dispose()
    finally:
        _drop(name)
