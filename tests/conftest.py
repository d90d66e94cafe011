"""Fixtures: a fresh database per test, on SQLite by default and on PostgreSQL when asked.

PostgreSQL runs when ``TEST_DATABASE_URL`` names a server (``make test`` sets it when one answers, and
CI requires it). A throw-away database is created for the run (one per xdist worker) and dropped at the
end; tables are truncated after each test. On SQLite every test gets a copy of a template file built
once, so WAL, file locks and several connections behave as in production.
"""

from __future__ import annotations

import contextvars
import os
import shutil
import uuid

import pytest
from flask.testing import FlaskClient
from sqlalchemy import text
from sqlalchemy.engine import make_url
from sqlalchemy.pool import NullPool

from sharing import create_app
from sharing.core.extensions import db
from tests.factories import Factory

PG_URL = os.environ.get("TEST_DATABASE_URL", "")
BACKEND = "postgresql" if PG_URL.startswith("postgresql") else "sqlite"


def pytest_report_header(config):
    return f"database backend: {BACKEND}"


def _admin_conn(url):
    import psycopg

    admin = make_url(url).set(database="postgres")
    return psycopg.connect(
        host=admin.host or "127.0.0.1",
        port=admin.port or 5432,
        user=admin.username or "postgres",
        password=admin.password,
        dbname="postgres",
        autocommit=True,
    )


@pytest.fixture
def fresh_url(tmp_path):
    """An empty database of its own (a new SQLite file in a new folder, or a new PostgreSQL
    database, dropped afterwards): for migrations from nothing and for restoring backups into."""
    if BACKEND == "sqlite":
        (tmp_path / "fresh").mkdir()
        yield f"sqlite:///{tmp_path / 'fresh' / 'fresh.db'}"
        return
    name = f"sharing_fresh_{uuid.uuid4().hex[:8]}"
    with _admin_conn(PG_URL) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    yield make_url(PG_URL).set(database=name).render_as_string(hide_password=False)
    with _admin_conn(PG_URL) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def _build_schema(url: str) -> None:
    app = create_app("testing", SQLALCHEMY_DATABASE_URI=url)
    with app.app_context():
        db.create_all()
        db.session.remove()
        db.engine.dispose()


@pytest.fixture(scope="session")
def database_template(tmp_path_factory, worker_id):
    """(kind, url or template path) for the whole run."""
    if BACKEND == "postgresql":
        name = f"sharing_test_{worker_id}_{uuid.uuid4().hex[:8]}"
        with _admin_conn(PG_URL) as conn:
            conn.execute(f'CREATE DATABASE "{name}"')
        url = make_url(PG_URL).set(database=name).render_as_string(hide_password=False)
        _build_schema(url)
        yield ("postgresql", url)
        with _admin_conn(PG_URL) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    else:
        path = tmp_path_factory.mktemp("template") / "template.db"
        _build_schema(f"sqlite:///{path}")
        yield ("sqlite", str(path))


@pytest.fixture(scope="session")
def worker_id(request):
    return getattr(request.config, "workerinput", {}).get("workerid", "main")


@pytest.fixture
def database_url(database_template, tmp_path):
    kind, where = database_template
    if kind == "sqlite":
        target = tmp_path / "sharing.core.db"
        shutil.copyfile(where, target)
        yield f"sqlite:///{target}"
    else:
        yield where
        _truncate_all(where)


def _truncate_all(url: str) -> None:
    """Empty every table after a test. DELETE with triggers off (session_replication_role) takes
    about 15 ms for the whole schema where TRUNCATE takes close to a second on this machine; the
    ledger's refuse-DELETE triggers are bypassed here only, as the test superuser."""
    from sqlalchemy import create_engine

    engine = create_engine(url, poolclass=NullPool)
    with engine.begin() as conn:
        conn.execute(text("SET LOCAL session_replication_role = replica"))
        for table in reversed(db.metadata.sorted_tables):
            conn.execute(text(f'DELETE FROM "{table.name}"'))
    engine.dispose()


class IsolatedClient(FlaskClient):
    """Each request runs outside the test's app context, as in production: its own ``g``, its own
    database session, its own signed-in user. The test's objects do not leak into the request."""

    def open(self, *args, **kwargs):
        return contextvars.Context().run(super().open, *args, **kwargs)


@pytest.fixture
def app_factory(database_url, tmp_path):
    """Build an app on this test's database with config overrides (``RATELIMIT_ENABLED=True``)."""

    def build(**overrides):
        app = create_app(
            "testing",
            **{"SQLALCHEMY_DATABASE_URI": database_url, "UPLOAD_DIR": str(tmp_path / "uploads"), **overrides},
        )
        app.test_client_class = IsolatedClient
        return app

    return build


@pytest.fixture
def app(app_factory):
    app = app_factory()
    with app.app_context():
        yield app
        db.session.remove()
        db.engine.dispose()


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def runner(app):
    return app.test_cli_runner()


@pytest.fixture
def make(app):
    """Factories for users, organisations and tokens (through the services)."""
    return Factory(app)


class AuthActions:
    def __init__(self, client, make):
        self._client = client
        self._make = make

    def login(self, user, password: str = Factory.PASSWORD):
        return self._client.post(
            "/auth/login", data={"email": user.email, "password": password}, follow_redirects=False
        )

    def logout(self):
        return self._client.post("/auth/logout")

    def headers(self, user) -> dict:
        """Bearer headers for ``user`` (a fresh token)."""
        return {"Authorization": f"Bearer {self._make.token(user)}"}


@pytest.fixture
def auth(client, make):
    return AuthActions(client, make)


@pytest.fixture
def backend():
    return BACKEND
