"""The HTTP ceiling of a card payment: a bare Flask app with one POST route running the same SQL as
``pay()`` (:func:`bench.card_sql.bare_payment`), served by gunicorn like the platform.

``gunicorn bench.pay_app:app`` with ``DATABASE_URL`` (``sqlite:///PATH`` or ``postgresql+psycopg://...``)
and ``BENCH_TOKENS`` (a JSON file mapping bearer tokens to user ids, read once: the bare route does no
token lookup). Each worker keeps one connection; SQLite at WAL + synchronous=FULL, PostgreSQL with its
default ``synchronous_commit = on``. The request is parsed as the platform's is (JSON body, bearer token,
Idempotency-Key header) and answered 201 with the transaction id.
"""

from __future__ import annotations

import json
import os

from flask import Flask, jsonify, request

from .card_sql import bare_payment, connect

app = Flask("pay_ceiling")
URL = os.environ.get("DATABASE_URL", "")
PG = URL.startswith("postgresql")
TOKENS: dict[str, int] = {}
_conn = None


def _connection():
    """One connection per worker process, opened after the fork."""
    global _conn
    if _conn is None:
        if PG:
            import psycopg
            from sqlalchemy.engine import make_url

            u = make_url(URL)
            _conn = psycopg.connect(host=u.host, port=u.port or 5432, user=u.username, dbname=u.database)
        else:
            _conn = connect(URL.removeprefix("sqlite:///"))
        if not TOKENS:
            with open(os.environ["BENCH_TOKENS"]) as f:
                TOKENS.update(json.load(f))
    return _conn


@app.get("/healthz")
def healthz():
    return "ok"


@app.post("/api/v1/card/payments")
def pay():
    conn = _connection()
    uid = TOKENS.get(request.headers.get("Authorization", "").removeprefix("Bearer "))
    if uid is None:
        return jsonify({"error": {"code": "unauthorized", "message": "no token"}}), 401
    body = request.get_json()
    key = request.headers.get("Idempotency-Key")
    cur = conn.cursor()
    try:
        if not PG:
            cur.execute("BEGIN IMMEDIATE")
        txn = bare_payment(cur, PG, uid, int(body["organization_id"]), key, int(body["amount"]))
        if PG:
            conn.commit()
        else:
            cur.execute("COMMIT")
    except BaseException:
        conn.rollback()
        raise
    finally:
        cur.close()
    return jsonify({"id": txn}), 201
