"""A money-moving call that waits past SQLite's busy timeout or PostgreSQL's lock_timeout is refused
with 503 and Retry-After (API error shape, or a Korean HTML page), and nothing moves."""

from __future__ import annotations

import re
import sqlite3
from contextlib import contextmanager

import pytest
from sqlalchemy.engine import make_url

from sharing.card import services
from sharing.core.errors import is_busy
from sharing.core.extensions import db

from .conftest import fresh, keyed, snapshot


@pytest.fixture
def app(app_factory):
    app = app_factory(SQLITE_BUSY_TIMEOUT_MS=150, PG_LOCK_TIMEOUT_MS=150, BUSY_RETRY_AFTER_S=3)
    with app.app_context():
        yield app
        db.session.remove()
        db.engine.dispose()


@contextmanager
def ledger_locked(app):
    """Hold the ledger's write lock from another connection: SQLite's write lock (BEGIN IMMEDIATE),
    or the chain head's row lock on PostgreSQL."""
    fresh()
    url = make_url(app.config["SQLALCHEMY_DATABASE_URI"])
    if url.get_backend_name() == "sqlite":
        conn = sqlite3.connect(url.database, isolation_level=None)
        conn.execute("BEGIN IMMEDIATE")
    else:
        import psycopg

        conn = psycopg.connect(
            host=url.host or "127.0.0.1", port=url.port or 5432, user=url.username, dbname=url.database
        )
        assert conn.execute("SELECT id FROM card_ledger_head FOR UPDATE").fetchall()
    try:
        yield
    finally:
        conn.rollback()
        conn.close()


@pytest.fixture
def world(make):
    owner = make.user()
    org = make.org(owner, discount_bp=500)
    payer = make.user()
    services.topup(payer, 50_000)  # also creates the chain head
    payment = services.pay(payer, org.id, 10_000)
    return {"org": org.id, "payer": payer, "owner": owner, "payment": payment.id}


def test_api_money_calls_waiting_too_long_are_503_and_move_nothing(client, auth, world):
    payer, owner = auth.headers(world["payer"]), auth.headers(world["owner"])
    calls = [
        ("/api/v1/card/topups", {"amount": 1000}, payer),
        ("/api/v1/card/payments", {"organization_id": world["org"], "amount": 1000}, payer),
        (f"/api/v1/card/payments/{world['payment']}/refunds", {"amount": 100}, owner),
    ]
    before = snapshot()
    with ledger_locked(client.application):
        for url, body, headers in calls:
            r = client.post(url, json=body, headers=keyed(headers))
            assert r.status_code == 503, (url, r.status_code)
            assert r.headers["Retry-After"] == "3"
            assert r.json["error"]["code"] == "busy"
            assert "다시 시도" in r.json["error"]["message"]
    assert snapshot() == before
    # Once the lock is free the same call goes through.
    r = client.post(calls[1][0], json=calls[1][1], headers=keyed(payer))
    assert r.status_code == 201


def test_web_payment_waiting_too_long_is_a_korean_503_page(client, auth, world):
    auth.login(world["payer"])
    data = {"amount": 1000, "idempotency_key": "c" * 32}
    confirmation = client.post(f"/card/pay/{world['org']}", data=data).get_data(as_text=True)
    quote = re.search(r'name="quote" value="([^"]+)"', confirmation).group(1)
    before = snapshot()
    with ledger_locked(client.application):
        r = client.post(f"/card/pay/{world['org']}", data={**data, "confirmed": "1", "quote": quote})
    assert r.status_code == 503
    assert r.headers["Retry-After"] == "3"
    assert "잠시 후 다시 시도해 주세요" in r.get_data(as_text=True)
    assert snapshot() == before


def test_only_lock_waits_count_as_busy():
    class LockNotAvailable(Exception):
        sqlstate = "55P03"

    class Wrapped(Exception):
        def __init__(self, orig):
            self.orig = orig

    assert is_busy(sqlite3.OperationalError("database is locked"))
    assert is_busy(Wrapped(sqlite3.OperationalError("database is locked")))
    assert is_busy(Wrapped(LockNotAvailable()))
    assert not is_busy(sqlite3.OperationalError("no such table: x"))
    assert not is_busy(ValueError("database is locked"))
