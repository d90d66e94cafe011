"""A payment answered 201 is on disk: every connection that writes the ledger commits synchronously."""

import pytest
from sqlalchemy import text

from sharing.card.services import ledger
from sharing.core.db import transaction
from sharing.core.extensions import db


def _setting(cur, backend) -> str:
    cur.execute("PRAGMA synchronous" if backend == "sqlite" else "SHOW synchronous_commit")
    return str(cur.fetchone()[0])


# SQLite: 2 is FULL (NORMAL, 1, may lose the last commits of a WAL database on a power cut).
EXPECTED = {"sqlite": "2", "postgresql": "on"}


@pytest.fixture
def server_default_off(app, backend):
    """On PostgreSQL, make the database's own default ``synchronous_commit = off`` (as a careless
    postgresql.conf could): the app's connections must still commit synchronously."""
    if backend == "postgresql":
        name = db.engine.url.database
        with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
            conn.execute(text(f'ALTER DATABASE "{name}" SET synchronous_commit = off'))
        db.engine.dispose()  # new connections pick the database default up
    yield
    if backend == "postgresql":
        db.session.remove()
        with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
            conn.execute(text(f'ALTER DATABASE "{name}" RESET synchronous_commit'))
        db.engine.dispose()


def test_the_ledger_writers_commit_synchronously(app, backend, server_default_off, make):
    with ledger.writing() as store:  # the hot path's own pooled connection
        assert _setting(store.cur, backend) == EXPECTED[backend]
    with transaction():  # the session's unit of work (rentals paid by card, refunds, payouts)
        cur = db.session.connection().connection.driver_connection.cursor()
        assert _setting(cur, backend) == EXPECTED[backend]
        cur.close()
    user = make.user()
    from sharing.card import services

    services.topup(user, 1000)  # and a write through them still works
    assert services.card_summary(user).balance == 1000
