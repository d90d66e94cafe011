"""Database plumbing shared by every feature: SQLite pragmas, writer transactions, small helpers.

Services own their transaction through :func:`transaction`. On SQLite it opens the unit of work with
``BEGIN IMMEDIATE`` so writers queue on the busy timeout instead of failing with "database is locked"
when a read snapshot tries to become a write; on PostgreSQL it is a plain transaction and the services
lock the rows they change with ``SELECT ... FOR UPDATE`` (see :func:`lock`).
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime

from sqlalchemy import event, select
from sqlalchemy.engine import Engine
from sqlalchemy.exc import DisconnectionError
from sqlalchemy.orm import Session

from .cache import Cache, forget
from .extensions import db

_DEPTH_KEY = "sharing_tx_depth"


def utcnow() -> datetime:
    """Timezone-aware now; used as a callable column default, never evaluated at import."""
    return datetime.now(UTC)


def is_sqlite(bind=None) -> bool:
    bind = bind or db.engine
    return bind.dialect.name == "sqlite"


def configure_engine(
    engine: Engine, busy_timeout_ms: int, pg_lock_timeout_ms: int = 0, ping_idle_s: float = 0
) -> None:
    """Install the SQLite connection pragmas and the BEGIN hook; on PostgreSQL, ``synchronous_commit``
    and the session's ``lock_timeout`` (``pg_lock_timeout_ms``, 0 = wait forever). A wait past either
    timeout is refused with a 503 (:func:`sharing.core.errors.is_busy`). With the pool's pre-ping on
    and ``ping_idle_s`` > 0, only a connection idle that long is pinged (:func:`_ping_when_idle`)."""
    if engine.dialect.name != "sqlite" and ping_idle_s > 0 and getattr(engine.pool, "_pre_ping", False):
        _ping_when_idle(engine, ping_idle_s)
    if engine.dialect.name == "postgresql":

        @event.listens_for(engine, "connect")
        def _on_pg_connect(dbapi_conn, _record):
            # A commit (a 201 for a payment) returns only once it is on disk: never trust the server's
            # default here, a ``synchronous_commit = off`` in postgresql.conf would lose answered writes.
            dbapi_conn.execute("SET synchronous_commit TO on")
            if pg_lock_timeout_ms:
                dbapi_conn.execute(f"SET lock_timeout = {int(pg_lock_timeout_ms)}")
            dbapi_conn.commit()

    if engine.dialect.name != "sqlite":
        return

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_conn, _record):  # pragma: no cover - exercised by every SQLite test
        dbapi_conn.isolation_level = None  # SQLAlchemy emits BEGIN itself, below
        cur = dbapi_conn.cursor()
        cur.execute(f"PRAGMA busy_timeout = {int(busy_timeout_ms)}")
        cur.execute("PRAGMA foreign_keys = ON")
        if engine.url.database and engine.url.database != ":memory:":
            cur.execute("PRAGMA journal_mode = WAL")
            # FULL: in WAL mode NORMAL may lose the last commits on a power cut, and a payment answered
            # 201 must stay written (the ledger's durability; tests/card/test_durability.py).
            cur.execute("PRAGMA synchronous = FULL")
        cur.close()

    # A file database's connections never go stale: no liveness query on every pool checkout
    # (``pool_pre_ping`` stays on for PostgreSQL, see config.py).
    if getattr(engine.pool, "_pre_ping", False):
        engine.pool._pre_ping = False

    @event.listens_for(engine, "begin")
    def _on_begin(conn):
        # Straight to the driver: BEGIN returns no rows, and SQLAlchemy's statement machinery (an
        # execution context, cursor events) cost more than the statement itself on every unit of work.
        immediate = conn.get_execution_options().get("sqlite_immediate", False)
        conn.connection.driver_connection.execute("BEGIN IMMEDIATE" if immediate else "BEGIN")


def _ping_when_idle(engine: Engine, idle_s: float) -> None:
    """The pre-ping's round trip only for a connection unused for ``idle_s`` seconds: one used a moment
    ago (every request under load) is alive, and the ping doubled the round trips of a small page. A
    connection that fails its ping is replaced (the pool retries the checkout with a new one)."""
    engine.pool._pre_ping = False

    @event.listens_for(engine, "connect")
    def _note_new(_dbapi_conn, record):
        record.info["sharing_used_at"] = time.monotonic()  # just made: alive

    @event.listens_for(engine, "checkin")
    def _note_use(_dbapi_conn, record):
        if record is not None:
            record.info["sharing_used_at"] = time.monotonic()

    @event.listens_for(engine, "checkout")
    def _ping(dbapi_conn, record, _proxy):
        used = record.info.get("sharing_used_at")
        if used is None or time.monotonic() - used >= idle_s:
            try:
                alive = engine.dialect.do_ping(dbapi_conn)
            except Exception as exc:  # the server closed it: the pool takes another
                raise DisconnectionError() from exc
            if not alive:
                raise DisconnectionError()


def in_transaction() -> bool:
    """Whether a :func:`transaction` is open in this context (another unit of work joins it)."""
    return bool(db.session().info.get(_DEPTH_KEY))


def end_read(session) -> None:
    """Before a unit of work: refuse unsaved changes, and end the session's read snapshot so the
    write starts from (and its commit is followed by reads of) the database's current state."""
    if session.new or session.dirty or session.deleted:
        raise RuntimeError("unsaved changes outside a service transaction")
    if session.in_transaction():
        session.commit()  # ends the read snapshot; nothing is pending (checked above)


@contextmanager
def transaction() -> Iterator[None]:
    """One unit of work: commit on success, roll back on any error. Re-entrant.

    An inner ``transaction()`` joins the outer one, so a service can call another service (the market
    paying a rental through the card service) and everything commits or nothing does.
    """
    session = db.session()  # the request's Session behind the scoped proxy
    depth = session.info.get(_DEPTH_KEY, 0)
    if depth:
        session.info[_DEPTH_KEY] = depth + 1
        try:
            yield
        finally:
            session.info[_DEPTH_KEY] = depth
        return
    end_read(session)
    session.info[_DEPTH_KEY] = 1
    try:
        session.connection(execution_options={"sqlite_immediate": True})
        yield
        session.commit()
    except BaseException:
        session.rollback()
        raise
    finally:
        session.info[_DEPTH_KEY] = 0


def lock(model, ids) -> dict:
    """Load rows of ``model`` by id for update, always in ascending id order (no deadlocks).

    On SQLite the whole transaction already holds the write lock, so FOR UPDATE is omitted.
    """
    ids = sorted(set(ids))
    if not ids:
        return {}
    stmt = select(model).where(model.id.in_(ids)).order_by(model.id)
    if not is_sqlite():
        stmt = stmt.with_for_update()
    rows = db.session.execute(stmt.execution_options(populate_existing=True)).scalars().all()
    return {row.id: row for row in rows}


# --- Totals of long lists ---------------------------------------------------------------------------

COUNT_TTL = 30  # seconds a large total may lag behind (a write in this process clears it at once)
COUNT_CACHE_MIN = 1000  # smaller totals are counted every time: exact, and cheap on their index
_counts = Cache(ttl=COUNT_TTL, maxsize=1000)


def _window(value) -> object:
    return int(value.timestamp() // COUNT_TTL) if isinstance(value, datetime) else repr(value)


def _count_key(stmt, params: dict | None = None) -> tuple:
    """The statement's SQLAlchemy cache key and its values (no compilation), with the ``params`` it
    runs with; a time (``publish_at <= now``) counts by its TTL window."""
    cache_key = stmt._generate_cache_key()
    values = tuple(_window(b.effective_value) for b in cache_key.bindparams)
    given = tuple(sorted((k, _window(v)) for k, v in (params or {}).items()))
    return (db.engine.url.render_as_string(), cache_key.key, values, given)


def cached_count(stmt, params: dict | None = None) -> int:
    """``stmt`` (a ``SELECT count(*)``, run with ``params``), or its answer of the last ``COUNT_TTL``
    seconds when that was at least ``COUNT_CACHE_MIN``: a page of a list of 200,000 posts does not
    count them all."""
    return _counts.get_or_compute(
        _count_key(stmt, params),
        lambda: db.session.execute(stmt, params).scalar_one(),
        keep=lambda total: total >= COUNT_CACHE_MIN,
    )


_TABLES_KEY = "sharing_written_tables"


def _note_tables(session, tables) -> None:
    session.info["sharing_changed"] = True
    session.info.setdefault(_TABLES_KEY, set()).update(tables)


@event.listens_for(Session, "after_flush")
def _note_changes(session, _flush_context):
    written = set()
    for obj in (*session.new, *session.dirty, *session.deleted):
        table = getattr(type(obj), "__tablename__", None)
        if table:
            written.add(table)
    _note_tables(session, written)


@event.listens_for(Session, "do_orm_execute")
def _note_statement_writes(state):
    """``session.execute(update(Post)...)`` and other bulk writes skip the flush: note their table."""
    if state.is_insert or state.is_update or state.is_delete:
        table = getattr(state.statement, "table", None)
        _note_tables(state.session, {table.name} if getattr(table, "name", None) else set())


@event.listens_for(Session, "after_commit")
def _forget_totals(session):
    tables = session.info.pop(_TABLES_KEY, set())
    if session.info.pop("sharing_changed", False):
        _counts.clear()
        forget(tables)
