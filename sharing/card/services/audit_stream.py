"""How the audit reads the ledger: one read snapshot (REPEATABLE READ on PostgreSQL, one read
transaction on SQLite) and plain tuples streamed through the driver ``chunk`` rows at a time, so memory
stays bounded whatever the ledger's size."""

from __future__ import annotations

import itertools
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime

from ...core.extensions import db
from . import ledger

_CURSOR_NAMES = itertools.count(1)


@contextmanager
def snapshot():
    conn = db.engine.connect()
    try:
        if conn.dialect.name == "postgresql":
            conn = conn.execution_options(isolation_level="REPEATABLE READ", postgresql_readonly=True)
        with conn.begin():
            yield conn
    finally:
        conn.close()


def stream(conn, sql: str, chunk: int) -> Iterator[tuple]:
    """Plain tuples through the driver, ``chunk`` rows per fetch: a server-side (named) cursor on
    PostgreSQL, SQLite's own incremental cursor. Both read inside the audit's snapshot."""
    raw = conn.connection.driver_connection
    if conn.dialect.name == "postgresql":
        cur = raw.cursor(name=f"card_audit_{next(_CURSOR_NAMES)}")
        cur.itersize = chunk
    else:
        cur = raw.cursor()
    try:
        cur.execute(sql)
        while rows := cur.fetchmany(chunk):
            yield from rows
    finally:
        cur.close()


def ts(value) -> str:
    if isinstance(value, str):  # SQLite's stored text, 'YYYY-MM-DD HH:MM:SS.ffffff' in UTC
        if len(value) == 26:
            return value.replace(" ", "T", 1)
        value = datetime.fromisoformat(value)
    return ledger.timestamp(value)
