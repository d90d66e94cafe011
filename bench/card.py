"""Trade card benchmark: payments per second at equal durability, HTTP payments under load, and the
audit of a large ledger.

Run: ``.venv/bin/python -m bench.card [--payments 2000] [--audit-rows 1000000] [--db both]
[--duration 10]`` (``python -m bench.run`` runs it with the page benchmark and prints one table).

1. **in process, SQLite** (temporary files, WAL): the raw-SQL ceiling (one committed transaction per
   payment writing what a payment must write: the transaction row, its three entries, three balance
   updates, the chain head and the payment row, values fixed in advance, through sqlite3 with
   ``synchronous = FULL`` set explicitly), the statements ``pay()`` sends run bare through sqlite3
   (also FULL, each payment committed alone; :func:`bench.card_sql.bare_payment`), and
   ``sharing.card.services.pay`` itself (lock, idempotency key, checks, hash chain, payment row,
   entries, balances, commit). The ``synchronous`` pragma of the platform's own connection is read
   and shown next to the ceiling's, so the comparison is visibly at equal durability (or visibly not).
   The payers are loaded once and the session is committed: between payments it holds them (expired)
   and no open transaction. Within a round the three take turns in chunks of ``CHUNK`` payments
   (each on its own open connection), so a shared disk's changing fsync latency falls on all alike;
   each ratio is of figures measured side by side.
2. **HTTP** (:mod:`bench.card_http`): ``POST /api/v1/card/payments`` with bearer tokens under
   gunicorn (2 workers) against a bare Flask route running the same SQL (:mod:`bench.pay_app`), loaded
   by ``wrk -t1 -c8`` for ``--duration`` seconds each, on SQLite and on PostgreSQL (``--db``); the
   ledger is audited after the platform's run.
3. **audit**: ``--audit-rows`` payments bulk-inserted with a valid hash chain, then
   ``sharing.card.services.audit_ledger.run`` in a fresh child process: wall time and peak RSS (getrusage)
   (:mod:`bench.card_audit`).

The payments are to shops with a discount and no mileage, so each one touches exactly three accounts
(card, merchant, fund) like the ceiling. Aims: ``pay()`` >= 0.5 x the durable ceiling; HTTP >= 0.3 x
the bare route; audit of 1,000,000 payments < 30 s with bounded memory.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from . import card_audit, card_http, card_sql
from .card_audit import card_app
from .server import PYTHON, ROOT

PRICE = 1000
SHOPS = 5
CHUNK = 50  # payments per turn when the in-process measurements take turns
PAY_AIM = 0.5
HTTP_AIM = 0.3
AUDIT_AIM_S = 30.0
DATABASES = ("sqlite", "postgresql")


def people(residents: int, shops: int, topup: int):
    """Residents (inserted directly: no password hashing) with topped-up cards, and verified shops."""
    from sharing.auth.models import User
    from sharing.card import services
    from sharing.core.db import transaction, utcnow
    from sharing.core.extensions import db
    from sharing.orgs.models import Organization

    with transaction():
        users = [
            User(email=f"bench{n}@example.kr", password_hash="!", name=f"주민{n}", dong="성북동")
            for n in range(residents)
        ]
        orgs = [
            Organization(
                name=f"가게{n}",
                kind="small_business",
                dong="성북동",
                verified_at=utcnow(),
                discount_bp=300,
                mileage_bp=0,
            )
            for n in range(shops)
        ]
        db.session.add_all(users + orgs)
    for u in users:
        services.topup(u, topup, idempotency_key="bench-topup")
    return [u.id for u in users], [o.id for o in orgs]


# --- 1. in process ----------------------------------------------------------------------------------


def prepare_ledger(db_path: str, n: int, rounds: int) -> tuple[list[int], list[int], str]:
    """The service rounds' ledger, with every account a payment touches (one warm-up payment per
    shop); also the ``synchronous`` pragma of the app's own connection."""
    from sharing.auth.models import User
    from sharing.card import services
    from sharing.core.extensions import db

    app = card_app(db_path)
    with app.app_context():
        db.create_all()
        residents = max(4, n * rounds // 1000 + 4)
        user_ids, org_ids = people(residents, SHOPS, 1_000_000)
        for i, org in enumerate(org_ids):
            payer = db.session.get(User, user_ids[i % len(user_ids)])
            services.pay(payer, org, PRICE, idempotency_key=f"warm-up-{org}")
        db.session.remove()
        db.engine.dispose()
    return user_ids, org_ids, card_sql.app_synchronous(app)


class ServiceLayer:
    """Payments through ``services.pay`` (each with an Idempotency-Key), in this process, with an
    idle session between them (see the module's docstring); :meth:`run` makes ``count`` payments
    and returns the seconds they took."""

    def __init__(self, db_path: str, round_no: int, user_ids: list[int], org_ids: list[int]) -> None:
        from sharing.auth.models import User
        from sharing.core.extensions import db

        self.db = db
        self.context = card_app(db_path).app_context()
        self.context.push()
        self.users = [db.session.get(User, uid) for uid in user_ids]
        db.session.commit()
        self.org_ids, self.round_no, self.done = org_ids, round_no, 0

    def run(self, count: int) -> float:
        from sharing.card import services

        users, orgs = self.users, self.org_ids
        started = time.perf_counter()
        for i in range(self.done, self.done + count):
            key = f"svc-{self.round_no}-{i}"
            services.pay(users[i % len(users)], orgs[i % len(orgs)], PRICE, idempotency_key=key)
        self.done += count
        return time.perf_counter() - started

    def close(self) -> None:
        self.db.session.remove()
        self.db.engine.dispose()
        self.context.pop()


def interleaved(runners: list, n: int, chunk: int = CHUNK) -> list[float]:
    """Payments per second of each runner over ``n`` payments, run in chunks of ``chunk`` taking
    turns (the first to go rotates), so that a shared disk's changing fsync latency falls on all of
    them alike."""
    seconds = [0.0] * len(runners)
    for turn, start in enumerate(range(0, n, chunk)):
        count = min(chunk, n - start)
        for k in range(len(runners)):
            which = (turn + k) % len(runners)
            seconds[which] += runners[which].run(count)
    return [n / s for s in seconds]


def in_process(tmp_path: Path, payments: int, rounds: int, echo) -> dict:
    ledger_db = str(tmp_path / "ledger.db")
    user_ids, org_ids, app_sync = prepare_ledger(ledger_db, payments, rounds)
    ceilings, services_, bare = [], [], []
    ceiling_sync = ""
    for r in range(rounds):
        runners = [
            card_sql.Ceiling(str(tmp_path / f"ceiling{r}.db")),
            card_sql.OwnStatements(ledger_db, str(tmp_path / f"sql{r}.db"), user_ids, org_ids),
            ServiceLayer(ledger_db, r, user_ids, org_ids),
        ]
        try:
            ceil, own, svc = interleaved(runners, payments)
        finally:
            for runner in runners:
                runner.close()
        ceiling_sync = runners[0].synchronous
        ceilings.append(ceil)
        services_.append(svc)
        bare.append(own)
        echo(
            f"round {r + 1}: durable ceiling {ceil:7.0f}/s, pay() {svc:7.0f}/s, a payment's own SQL "
            f"{own:7.0f}/s, pay()/ceiling {svc / ceil:.2f}, pay()/own SQL {svc / own:.2f}",
            flush=True,
        )
    return {
        "ceiling_sync": ceiling_sync,
        "app_sync": app_sync,
        "ceiling": statistics.median(ceilings),
        "payment_sql": statistics.median(bare),
        "payment_sql_ratio": statistics.median(b / c for b, c in zip(bare, ceilings, strict=True)),
        "service": statistics.median(services_),
        "ratio": statistics.median(s / c for s, c in zip(services_, ceilings, strict=True)),
        "service_to_sql": statistics.median(s / b for s, b in zip(services_, bare, strict=True)),
    }


# --- 3. the audit of a large ledger ---------------------------------------------------------------------


def big_audit(tmp_path: Path, audit_rows: int, echo) -> dict:
    big = str(tmp_path / "audit.db")
    seeded = card_audit.seed_ledger(big, audit_rows)
    echo(f"seeded {audit_rows:,} payments in {seeded:.1f}s", flush=True)
    child = subprocess.run(
        [PYTHON, "-m", "bench.card", "--audit-child", big],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
    )
    result = json.loads(child.stdout.strip().splitlines()[-1])
    echo(f"audit: {result}")
    return result


def run(
    payments: int,
    audit_rows: int,
    rounds: int = 3,
    databases: tuple[str, ...] = DATABASES,
    duration: int = 10,
    connections: int = 8,
    echo=print,
) -> dict:
    """Every measurement; returns the figures (medians over ``rounds`` for the in-process ones)."""
    echo = echo or (lambda *_a, **_k: None)
    os.environ.setdefault("LOG_LEVEL", "WARNING")
    import logging

    logging.getLogger("sharing.access").setLevel(logging.WARNING)
    out: dict = {"payments": payments, "rounds": rounds, "audit_rows": audit_rows, "http": {}}
    out |= {"duration": duration, "connections": connections, "skipped": []}
    with tempfile.TemporaryDirectory(prefix="card-bench-") as tmp:
        tmp_path = Path(tmp)
        if payments:
            out |= in_process(tmp_path, payments, rounds, echo)
        for kind in databases:
            if card_http.wrk_path() is None:
                out["skipped"].append("HTTP: wrk is not installed (sudo apt-get install -y wrk)")
                break
            if kind == "postgresql" and not card_http.pg_available():
                out["skipped"].append(f"HTTP on PostgreSQL: no server at {card_http.PG_ADMIN_URL}")
                continue
            out["http"][kind] = card_http.run(kind, duration, connections, PRICE, echo)
        if audit_rows:
            out["audit"] = big_audit(tmp_path, audit_rows, echo)
    return out


# --- the table ----------------------------------------------------------------------------------------


def mark(ok: bool | None) -> str:
    """An aim's verdict for the table (blank where there is no aim)."""
    return "" if ok is None else ("ok" if ok else "MISSED")


def rows(r: dict) -> list[tuple[str, str, str, str, str]]:
    """The card's rows of the markdown table: (measure, result, ratio, aim, mark)."""
    out = []
    if "ceiling" in r:
        n = f"{r['payments']:,} payments x {r['rounds']}, median"
        out += [
            (
                f"raw-SQL payment ceiling (sqlite3, WAL, synchronous={r['ceiling_sync']}, one commit each; {n})",
                f"{r['ceiling']:,.0f} /s",
                "1.00",
                "",
                "",
            ),
            (
                f"a payment's own statements through sqlite3 (what `pay()` sends; synchronous={r['ceiling_sync']})",
                f"{r['payment_sql']:,.0f} /s",
                f"{r['payment_sql_ratio']:.2f}",
                "(the most a service layer over this schema could reach)",
                "",
            ),
            (
                f"card service `pay()` (app connection synchronous={r['app_sync']}; {n})",
                f"{r['service']:,.0f} /s",
                f"{r['ratio']:.2f}",
                f">= {PAY_AIM} of the durable ceiling; {r['service_to_sql']:.2f} of its own statements"
                + ("" if r["app_sync"] == r["ceiling_sync"] else "; NOT at equal durability"),
                mark(r["ratio"] >= PAY_AIM and r["app_sync"] == r["ceiling_sync"]),
            ),
        ]
    for kind, h in r["http"].items():
        p, b = h["platform"], h["bare"]
        clean = p["non_2xx"] == 0 and p["socket_errors"] == 0 and p["audit_ok"]
        load = f"gunicorn 2 workers, wrk -t1 -c{r['connections']} {r['duration']} s"
        out += [
            (
                f"HTTP bare Flask route, same SQL ({kind}; {load})",
                f"{b['rps']:,.0f} req/s",
                "1.00",
                f"p50 {b['p50_ms']:.1f} ms, p99 {b['p99_ms']:.1f} ms",
                "",
            ),
            (
                f"HTTP `POST /api/v1/card/payments` ({kind}; {load})",
                f"{p['rps']:,.0f} req/s",
                f"{h['ratio']:.2f}",
                f">= {HTTP_AIM} of the bare route; p50 {p['p50_ms']:.1f} ms, p99 {p['p99_ms']:.1f} ms; "
                f"non-2xx {p['non_2xx']}, {p['written']:,} payments written for {p['requests']:,} answered; "
                f"audit {'ok' if p['audit_ok'] else 'FAILED'}",
                mark(h["ratio"] >= HTTP_AIM and clean),
            ),
        ]
    if "audit" in r:
        a = r["audit"]
        out.append(
            (
                f"audit of {r['audit_rows']:,} payments (fresh process)",
                f"{a['seconds']:.1f} s",
                "",
                f"< {AUDIT_AIM_S:.0f} s, ok={a['ok']}; peak RSS {a['peak_rss_mb']:.0f} MB",
                mark(a["ok"] and (r["audit_rows"] < 1_000_000 or a["seconds"] < AUDIT_AIM_S)),
            )
        )
    out += [(f"skipped: {why}", "", "", "", "") for why in r["skipped"]]
    return out


def markdown(table_rows) -> list[str]:
    head = [("measure", "result", "ratio", "aim / notes", ""), ("---", "---:", "---:", "---", "---")]
    return ["| " + " | ".join(row) + " |" for row in head + list(table_rows)]


def databases_arg(value: str) -> tuple[str, ...]:
    return DATABASES if value == "both" else (value,)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--payments", type=int, default=2000, help="payments per in-process measurement")
    parser.add_argument("--audit-rows", type=int, default=1_000_000, help="payments in the audited ledger")
    parser.add_argument("--rounds", type=int, default=3, help="alternating in-process rounds")
    parser.add_argument(
        "--db", choices=("sqlite", "postgresql", "both"), default=os.environ.get("BENCH_DB", "both")
    )
    parser.add_argument("--duration", type=int, default=10, help="seconds of each wrk run")
    parser.add_argument("--connections", type=int, default=8, help="wrk connections")
    parser.add_argument("--audit-child", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.audit_child:
        print(json.dumps(card_audit.audit_child(args.audit_child)))
        return 0
    r = run(
        args.payments, args.audit_rows, args.rounds, databases_arg(args.db), args.duration, args.connections
    )
    print()
    print("\n".join(markdown(rows(r))))
    return 0


if __name__ == "__main__":
    sys.exit(main())
