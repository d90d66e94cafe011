"""The pool's liveness ping is made only for a connection idle a while (``DB_POOL_PING_IDLE_S``)."""

from __future__ import annotations

import time

import pytest
from sqlalchemy import create_engine, text

from sharing.core.db import _ping_when_idle
from tests.conftest import BACKEND


def _engine(url: str, idle_s: float, pings: list):
    engine = create_engine(url, pool_pre_ping=True, pool_size=1, max_overflow=0)
    real = engine.dialect.do_ping

    def counted(dbapi_conn):
        pings.append(1)
        return real(dbapi_conn)

    engine.dialect.do_ping = counted
    _ping_when_idle(engine, idle_s)
    return engine


def _query(engine) -> int:
    with engine.connect() as conn:
        return conn.execute(text("SELECT 1")).scalar_one()


def test_a_connection_used_a_moment_ago_is_not_pinged(database_url):
    pings: list = []
    engine = _engine(database_url, 60, pings)
    try:
        for _ in range(5):
            assert _query(engine) == 1
        assert pings == []
    finally:
        engine.dispose()


def test_an_idle_connection_is_pinged_before_use(database_url):
    pings: list = []
    engine = _engine(database_url, 0.05, pings)
    try:
        assert _query(engine) == 1
        time.sleep(0.1)
        assert _query(engine) == 1
        assert len(pings) == 1
    finally:
        engine.dispose()


@pytest.mark.skipif(BACKEND != "postgresql", reason="a server that closes connections")
def test_an_idle_connection_the_server_closed_is_replaced(database_url):
    pings: list = []
    engine = _engine(database_url, 0.05, pings)
    try:
        with engine.connect() as conn:
            pid = conn.execute(text("SELECT pg_backend_pid()")).scalar_one()
        killer = create_engine(database_url)
        with killer.connect() as other:
            other.execute(text("SELECT pg_terminate_backend(:pid)"), {"pid": pid})
        killer.dispose()
        time.sleep(0.1)
        with engine.connect() as conn:
            assert conn.execute(text("SELECT pg_backend_pid()")).scalar_one() != pid
        assert len(pings) >= 1
    finally:
        engine.dispose()
