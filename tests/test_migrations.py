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


def test_upgrade_matches_models_and_downgrades(tmp_path):
    url, name = _fresh_url(tmp_path)
    try:
        app = create_app("testing", SQLALCHEMY_DATABASE_URI=url)
        with app.app_context():
            upgrade()
            with db.engine.connect() as conn:
                diff = compare_metadata(MigrationContext.configure(conn), db.metadata)
            assert diff == [], diff
            from sharing.migrations_state import migrations_current

            assert migrations_current()
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
