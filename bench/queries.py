"""Which queries each page runs, with their count and time: the tool that finds the work that grows.

Run against a seeded database (see :mod:`bench.scale`)::

    DATABASE_URL=sqlite:///instance/bench/sqlite-200000.db .venv/bin/python -m bench.queries [--explain]

Each page of :data:`bench.scale.PAGES` is requested twice through the test client (the second
request is the one shown: caches warm, as under load); every statement is printed with its time,
slowest first, and with ``--explain`` the plan of the slower ones (``EXPLAIN QUERY PLAN`` on SQLite,
``EXPLAIN ANALYZE`` on PostgreSQL).
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from contextlib import contextmanager

from sqlalchemy import event, text


@contextmanager
def recorded(engine):
    """Collect ``(statement, parameters, seconds)`` of every statement run on ``engine``."""
    statements: list[tuple[str, object, float]] = []

    def before(conn, _cursor, _statement, _parameters, context, _many):
        context._bench_started = time.perf_counter()

    def after(_conn, _cursor, statement, parameters, context, _many):
        statements.append((statement, parameters, time.perf_counter() - context._bench_started))

    event.listen(engine, "before_cursor_execute", before)
    event.listen(engine, "after_cursor_execute", after)
    try:
        yield statements
    finally:
        event.remove(engine, "before_cursor_execute", before)
        event.remove(engine, "after_cursor_execute", after)


def explain(db, statement: str, parameters) -> str:
    sqlite = db.engine.dialect.name == "sqlite"
    prefix = "EXPLAIN QUERY PLAN " if sqlite else "EXPLAIN ANALYZE "
    with db.engine.connect() as conn:
        rows = conn.exec_driver_sql(prefix + statement, parameters).all()
    return "\n".join("      " + (str(r[-1]) if sqlite else str(r[0])) for r in rows)


def main(argv=None) -> int:
    from .scale import PAGES

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--explain", action="store_true", help="print the plans of statements over 1 ms")
    parser.add_argument("--page", action="append", help="only these paths")
    args = parser.parse_args(argv)
    os.environ.setdefault("SHARING_ENV", "development")

    from sharing import create_app
    from sharing.core.extensions import db

    app = create_app("development")
    client = app.test_client()
    with app.app_context():
        db.session.execute(text("SELECT 1"))
    for name, path, _kind in PAGES:
        if args.page and path not in args.page:
            continue
        client.get(path)
        with app.app_context(), recorded(db.engine) as statements:
            started = time.perf_counter()
            response = client.get(path)
            elapsed = time.perf_counter() - started
        total = sum(s for *_x, s in statements)
        print(
            f"\n== {name} {path}: {response.status_code}, {len(statements)} queries, "
            f"{total * 1000:.1f} ms in SQL, {elapsed * 1000:.1f} ms in all"
        )
        for statement, parameters, seconds in sorted(statements, key=lambda s: -s[2]):
            print(f"  {seconds * 1000:7.2f} ms  {' '.join(statement.split())[:160]}")
            if args.explain and seconds > 0.001:
                with app.app_context():
                    print(explain(db, statement, parameters))
    return 0


if __name__ == "__main__":
    sys.exit(main())
