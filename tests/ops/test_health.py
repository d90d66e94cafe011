"""/healthz: 200 only when the database answers and the schema is at the migrations' head."""

from __future__ import annotations

import pytest
from flask_migrate import stamp

from sharing.core.extensions import db


@pytest.fixture
def at_head(app):
    """Record the head revision, as `flask db upgrade` would (tests build the schema with create_all)."""
    stamp()
    db.session.remove()
    yield
    stamp(revision="base")  # PostgreSQL keeps one database for the run: leave no revision behind
    db.session.remove()


def test_healthz_is_503_until_the_schema_is_at_head(app, client):
    r = client.get("/healthz")
    assert r.status_code == 503
    assert r.json == {"ok": False, "database": True, "migrations_current": False}
    assert r.headers["Cache-Control"] == "no-store"


def test_healthz_is_200_at_head(at_head, client):
    r = client.get("/healthz")
    assert r.status_code == 200
    assert r.json == {"ok": True, "database": True, "migrations_current": True}
    assert r.headers["Cache-Control"] == "no-store"


def test_healthz_is_503_when_the_database_is_unreachable(app_factory, tmp_path, backend):
    if backend == "sqlite":
        url = f"sqlite:///{tmp_path / 'missing-dir' / 'nowhere.db'}"
    else:
        url = "postgresql+psycopg://nobody@127.0.0.1:1/nowhere?connect_timeout=2"
    app = app_factory(SQLALCHEMY_DATABASE_URI=url)
    r = app.test_client().get("/healthz")
    assert r.status_code == 503
    assert r.json["ok"] is False
    assert r.json["database"] is False


def test_ops_check_fails_off_head(app, runner):
    from sharing.ops.cli import check

    result = runner.invoke(check)
    assert result.exit_code == 1
    assert "ok   database" in result.output
    assert "FAIL migrations" in result.output


def test_ops_check_passes_at_head(at_head, runner):
    from sharing.ops.cli import check

    result = runner.invoke(check)
    assert result.exit_code == 0, result.output
    assert "ok   migrations: at head" in result.output
    assert "ok   outbox: 0 waiting" in result.output


def test_ops_check_fails_on_a_stuck_outbox(at_head, runner):
    from datetime import timedelta

    from sharing.core.db import transaction, utcnow
    from sharing.notify.models import OutboxMail
    from sharing.ops.cli import check

    with transaction():
        db.session.add(OutboxMail(to_address="b@example.kr", subject="s", body="b"))  # fresh: fine
        db.session.add(  # given up: counted apart
            OutboxMail(to_address="c@example.kr", subject="s", body="b", attempts=5, sent_at=None)
        )
        db.session.add(OutboxMail(to_address="d@example.kr", subject="s", body="b", sent_at=utcnow()))
        db.session.add(
            OutboxMail(
                to_address="a@example.kr", subject="s", body="b", created_at=utcnow() - timedelta(hours=3)
            )
        )
    db.session.remove()
    result = runner.invoke(check, ["--outbox-max-age", "60"])
    assert result.exit_code == 1
    assert "FAIL outbox: 2 waiting, 1 given up after 5 attempts" in result.output
    result = runner.invoke(check, ["--outbox-max-age", "600"])
    assert result.exit_code == 1  # the mail given up still fails the check
    assert "FAIL outbox: 2 waiting, 1 given up" in result.output
