"""HTTP payments under load: the platform's ``POST /api/v1/card/payments`` against a bare Flask route
running the same SQL (:mod:`bench.pay_app`), both under gunicorn (2 workers), on SQLite and on
PostgreSQL, in the same run.

Load comes from ``wrk`` (Debian package ``wrk``) with a Lua script giving each request its own
Idempotency-Key and rotating the bearer tokens and shops; ``-t1 -c8`` by default, so wrk itself uses
one core at most. Each run lasts ``duration`` seconds; the figures are wrk's requests per second and
its p50 / p99 latency (``--latency``), after a one-second warm-up run. After the platform's run the ledger is audited and the payments
written are counted against wrk's count.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import shutil
import subprocess
import tempfile
import uuid
from pathlib import Path

from .card_audit import LEDGER_KEY, card_app
from .server import env_for, serve

PG_ADMIN_URL = os.environ.get("BENCH_PG_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/postgres")
PATH = "/api/v1/card/payments"
WARM_UP_S = 1

LUA = """
local tokens = {%(tokens)s}
local orgs = {%(orgs)s}
local run = "%(run)s"
local threads = 0
local n = 0

function setup(thread)
  threads = threads + 1
  thread:set("tid", threads)
end

function request()
  n = n + 1
  local body = '{"organization_id": ' .. orgs[(n %% #orgs) + 1] .. ', "amount": %(price)d}'
  return wrk.format("POST", "%(path)s", {
    ["Content-Type"] = "application/json",
    ["Authorization"] = "Bearer " .. tokens[(n %% #tokens) + 1],
    ["Idempotency-Key"] = run .. "-" .. tostring(tid) .. "-" .. n,
  }, body)
end

function done(summary, latency, requests)
  local e = summary.errors
  io.write(string.format("BENCH %%d %%d %%d %%d %%d %%d %%d\\n", summary.requests, summary.duration,
    latency:percentile(50), latency:percentile(99), e.status, e.connect + e.read + e.write, e.timeout))
end
"""


def wrk_path() -> str | None:
    return shutil.which("wrk")


def wrk(
    base: str, tokens: list[str], org_ids: list[int], duration: int, connections: int, price: int
) -> dict:
    """One wrk run against ``base`` + :data:`PATH`; wrk's figures (latencies in ms)."""
    script = LUA % {
        "tokens": ", ".join(json.dumps(t) for t in tokens),
        "orgs": ", ".join(str(o) for o in org_ids),
        "run": uuid.uuid4().hex[:12],
        "price": price,
        "path": PATH,
    }
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as f:
        f.write(script)
    try:
        out = subprocess.run(
            [wrk_path(), "-t1", f"-c{connections}", f"-d{duration}s", "--latency", "-s", f.name, base + PATH],
            capture_output=True,
            text=True,
            check=True,
            timeout=duration + 120,
        ).stdout
    finally:
        os.unlink(f.name)
    requests, micros, p50, p99, status, socket_errors, timeouts = map(
        int, re.search(r"^BENCH (.*)$", out, re.M).group(1).split()
    )
    return {
        "requests": requests,
        "rps": requests / (micros / 1e6),
        "p50_ms": p50 / 1000,
        "p99_ms": p99 / 1000,
        "non_2xx": status,
        "socket_errors": socket_errors,
        "timeouts": timeouts,
    }


def _admin():
    import psycopg
    from sqlalchemy.engine import make_url

    u = make_url(PG_ADMIN_URL)
    return psycopg.connect(
        host=u.host or "127.0.0.1",
        port=u.port or 5432,
        user=u.username or "postgres",
        dbname=u.database or "postgres",
        autocommit=True,
        connect_timeout=3,
    )


def pg_available() -> bool:
    try:
        _admin().close()
    except Exception:  # any failure means: no server to measure on
        return False
    return True


@contextlib.contextmanager
def database(kind: str, tmp: Path):
    """A new, empty database of ``kind`` (a SQLite file, or a throw-away PostgreSQL database)."""
    if kind == "sqlite":
        yield f"sqlite:///{tmp / 'http.db'}"
        return
    from sqlalchemy.engine import make_url

    name = f"bench_card_{uuid.uuid4().hex[:8]}"
    with _admin() as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    try:
        yield make_url(PG_ADMIN_URL).set(database=name).render_as_string(hide_password=False)
    finally:
        with _admin() as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def _prepare(url: str, residents: int, shops: int) -> tuple[list[int], list[str], dict]:
    """Schema, topped-up residents with tokens, shops (each paid once, so every account exists)."""
    from sharing.auth.models import User
    from sharing.auth.services import issue_token
    from sharing.card import services
    from sharing.core.extensions import db

    from .card import people

    app = card_app(url)
    with app.app_context():
        db.create_all()
        user_ids, org_ids = people(residents, shops, 10_000_000)
        users = [db.session.get(User, uid) for uid in user_ids]
        for n, org in enumerate(org_ids):
            services.pay(users[n % len(users)], org, 1000, idempotency_key=f"warm-{org}")
        tokens = {issue_token(u)[0]: u.id for u in users}
        db.session.remove()
        db.engine.dispose()
    return org_ids, list(tokens), tokens


def _ledger(url: str, audit: bool = False) -> tuple[int, bool | None]:
    """(payments in the ledger, the audit's verdict when ``audit``)."""
    from sqlalchemy import func, select

    from sharing.card.models import Payment
    from sharing.card.services.audit_ledger import run
    from sharing.core.extensions import db

    app = card_app(url)
    with app.app_context():
        count = db.session.execute(select(func.count()).select_from(Payment)).scalar_one()
        ok = run().ok if audit else None
        db.session.remove()
        db.engine.dispose()
    return count, ok


def run(kind: str, duration: int, connections: int, price: int, echo) -> dict:
    """The platform and the bare route on a new database of ``kind``; their wrk figures."""
    with tempfile.TemporaryDirectory(prefix="card-http-") as tmp_name:
        tmp = Path(tmp_name)
        with database(kind, tmp) as url:
            org_ids, tokens, token_map = _prepare(url, residents=50, shops=5)
            (tmp / "tokens.json").write_text(json.dumps(token_map))
            env = env_for(str(tmp / "unused.db"), str(tmp)) | {
                "DATABASE_URL": url,
                "BENCH_TOKENS": str(tmp / "tokens.json"),
                "LEDGER_KEY": LEDGER_KEY,  # the key the audit below verifies with
            }
            with serve("wsgi:app", env) as base:
                wrk(base, tokens, org_ids, WARM_UP_S, connections, price)  # every worker warm
                before, _ok = _ledger(url)
                platform = wrk(base, tokens, org_ids, duration, connections, price)
            written, audit_ok = _ledger(url, audit=True)
            platform |= {"written": written - before, "audit_ok": audit_ok}
            echo(f"HTTP {kind} platform: {platform}", flush=True)
            with serve("bench.pay_app:app", env) as base:
                wrk(base, tokens, org_ids, WARM_UP_S, connections, price)
                bare = wrk(base, tokens, org_ids, duration, connections, price)
            echo(f"HTTP {kind} bare route: {bare}", flush=True)
    return {"platform": platform, "bare": bare, "ratio": platform["rps"] / bare["rps"]}
