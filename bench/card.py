"""Trade card benchmark: payments per second, and the audit of a large ledger.

Run: ``.venv/bin/python -m bench.card [--payments 2000] [--audit-rows 1000000] [--clients 4]``

In one run, on temporary SQLite files:

1. **raw-SQL ceiling**: one committed transaction per payment writing one transaction row, its three
   entries and three balance updates, through the DBAPI (sqlite3) with nothing else, and the same SQL
   inside ``sharing.db.transaction()`` (:mod:`bench.card_sql`);
2. **service layer**: ``sharing.card.services.pay`` (lock, idempotency key, checks, hash chain,
   payment row, entries, balances, commit) in this process. The payers are loaded once and the session
   is committed: between payments it holds them (expired) and no open transaction. A request that has
   read through the session before paying also ends that read snapshot first (one session commit),
   which this loop does not measure; the HTTP run below does; after it, the same number of payments as
   the bare statements ``pay()`` sends, through sqlite3 with precomputed values
   (:func:`bench.card_sql.payment_sql`): the most a service layer over this schema could reach on this machine;
3. **HTTP API**: ``POST /api/v1/card/payments`` with an Idempotency-Key, under gunicorn (2 workers,
   127.0.0.1, a free port; see ``bench.server.serve``) from ``--clients`` client threads; any 5xx or
   unexpected status is counted and the run fails; the ledger is audited afterwards;
4. **audit**: ``--audit-rows`` payments bulk-inserted with a valid hash chain, then
   ``sharing.card.audit.run`` in a fresh child process: wall time and peak RSS (getrusage)
   (:mod:`bench.card_audit`).

The payments are to shops with a discount and no mileage, so each one touches exactly three accounts
(card, merchant, fund) like the ceiling. Aims: service layer >= 0.5 x ceiling; audit of 1,000,000
payments < 30 s with bounded memory.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

from . import card_audit, card_sql
from .card_audit import card_app
from .server import PYTHON, ROOT, env_for, serve

PRICE = 1000
SHOPS = 5


def _people(residents: int, shops: int, topup: int):
    """Residents (inserted directly: no password hashing) with topped-up cards, and verified shops."""
    from sharing.auth.models import User
    from sharing.card import services
    from sharing.db import transaction, utcnow
    from sharing.extensions import db
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
        services.topup(u, topup)
    return [u.id for u in users], [o.id for o in orgs]


# --- 2. the service layer -------------------------------------------------------------------------


def prepare_ledger(db_path: str, n: int, rounds: int) -> tuple[list[int], list[int]]:
    from sharing.extensions import db

    app = card_app(db_path)
    with app.app_context():
        db.create_all()
        residents = max(4, n * rounds // 1000 + 4)
        user_ids, org_ids = _people(residents, SHOPS, 1_000_000)
        db.session.remove()
        db.engine.dispose()
    return user_ids, org_ids


def service_layer(db_path: str, n: int, round_no: int, user_ids: list[int], org_ids: list[int]) -> float:
    """``n`` payments through ``services.pay`` (each with an Idempotency-Key), in this process, with an
    idle session between them (see the module's docstring)."""
    from sharing.auth.models import User
    from sharing.card import services
    from sharing.extensions import db

    app = card_app(db_path)
    with app.app_context():
        users = [db.session.get(User, uid) for uid in user_ids]
        db.session.commit()
        started = time.perf_counter()
        for i in range(n):
            services.pay(
                users[i % len(users)], org_ids[i % len(org_ids)], PRICE, idempotency_key=f"svc-{round_no}-{i}"
            )
        elapsed = time.perf_counter() - started
        db.session.remove()
        db.engine.dispose()
    return n / elapsed


# --- 3. the HTTP API ------------------------------------------------------------------------------


def http_api(
    db_path: str, n: int, clients: int, user_ids: list[int], org_ids: list[int]
) -> tuple[float, dict]:
    from sharing.auth.models import User
    from sharing.auth.services import issue_token
    from sharing.extensions import db

    app = card_app(db_path)
    with app.app_context():
        tokens = [issue_token(db.session.get(User, uid))[0] for uid in user_ids]
        db.session.remove()
        db.engine.dispose()
    statuses: dict[int, int] = {}
    lock = threading.Lock()
    instance = tempfile.mkdtemp(prefix="card-bench-instance-")
    with serve("wsgi:app", env_for(db_path, instance)) as base:
        host, port = base.rsplit(":", 1)[0].split("//")[1], int(base.rsplit(":", 1)[1])

        def post(i: int) -> int:
            body = json.dumps({"organization_id": org_ids[i % len(org_ids)], "amount": PRICE})
            conn = http.client.HTTPConnection(host, port, timeout=60)
            conn.request(
                "POST",
                "/api/v1/card/payments",
                body=body,
                headers={
                    "Content-Type": "application/json",
                    "Authorization": f"Bearer {tokens[i % len(tokens)]}",
                    "Idempotency-Key": f"http-{i}",
                },
            )
            response = conn.getresponse()
            response.read()
            conn.close()
            return response.status

        for i in range(10):  # warm up both workers
            post(n + i)
        per_client = max(1, n // clients)

        def worker(offset: int):
            for k in range(per_client):
                status = post(offset * per_client + k)
                with lock:
                    statuses[status] = statuses.get(status, 0) + 1

        threads = [threading.Thread(target=worker, args=(c,)) for c in range(clients)]
        started = time.perf_counter()
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        elapsed = time.perf_counter() - started
    return per_client * clients / elapsed, statuses


def audit_db(db_path: str) -> dict:
    from sharing.card.audit import run

    app = card_app(db_path)
    with app.app_context():
        report = run()
    return report.as_dict() | {"transactions_checked": report.transactions_checked}


def run(
    payments: int,
    audit_rows: int,
    clients: int = 4,
    rounds: int = 3,
    skip_http: bool = False,
    echo=print,
) -> dict:
    """Every measurement; returns the figures (medians over ``rounds`` for the in-process ones)."""
    echo = echo or (lambda *_a, **_k: None)
    os.environ.setdefault("LOG_LEVEL", "WARNING")
    import logging

    logging.getLogger("sharing.access").setLevel(logging.WARNING)
    out: dict = {"payments": payments, "audit_rows": audit_rows, "clients": clients}
    with tempfile.TemporaryDirectory(prefix="card-bench-") as tmp:
        tmp_path = Path(tmp)
        ledger_db = str(tmp_path / "ledger.db")
        user_ids, org_ids = prepare_ledger(ledger_db, payments, rounds)
        ceilings, floors, services_, ratios, floor_ratios, bare = [], [], [], [], [], []
        for r in range(rounds):  # alternate them so a busy machine slows all alike
            ceil = card_sql.ceiling(str(tmp_path / f"ceiling{r}.db"), payments)
            floor = card_sql.ceiling_in_transaction(str(tmp_path / f"floor{r}.db"), payments)
            svc = service_layer(ledger_db, payments, r, user_ids, org_ids)
            own_sql = card_sql.payment_sql(
                ledger_db, str(tmp_path / f"sql{r}.db"), payments, user_ids, org_ids
            )
            ceilings.append(ceil)
            floors.append(floor)
            services_.append(svc)
            bare.append(own_sql)
            ratios.append(svc / ceil)
            floor_ratios.append(svc / floor)
            echo(
                f"round {r + 1}: ceiling {ceil:7.0f}/s, same SQL in transaction() {floor:7.0f}/s, "
                f"service layer {svc:7.0f}/s, a payment's own SQL {own_sql:7.0f}/s, "
                f"ratio {svc / ceil:.2f} / {svc / floor:.2f} / {own_sql / ceil:.2f}",
                flush=True,
            )
        out |= {
            "ceiling": statistics.median(ceilings),
            "floor": statistics.median(floors),
            "floor_ratio": statistics.median(f / c for f, c in zip(floors, ceilings, strict=True)),
            "payment_sql": statistics.median(bare),
            "payment_sql_ratio": statistics.median(b / c for b, c in zip(bare, ceilings, strict=True)),
            "service": statistics.median(services_),
            "ratio": statistics.median(ratios),
            "service_to_floor": statistics.median(floor_ratios),
        }
        if not skip_http:
            api, statuses = http_api(ledger_db, payments, clients, user_ids, org_ids)
            echo(
                f"HTTP API: {api:8.0f} payments/s  ({api / out['ceiling']:.2f} x ceiling) statuses {statuses}"
            )
            report = audit_db(ledger_db)
            echo(
                f"audit after the HTTP run: ok={report['ok']} ({report['transactions_checked']} transactions)"
            )
            out |= {"http": api, "http_statuses": statuses, "ledger_audit_ok": report["ok"]}
        if audit_rows:
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
            out["audit"] = json.loads(child.stdout.strip().splitlines()[-1])
            echo(f"audit: {out['audit']}")
    return out


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--payments", type=int, default=2000, help="payments per throughput measurement")
    parser.add_argument("--audit-rows", type=int, default=1_000_000, help="payments in the audited ledger")
    parser.add_argument("--clients", type=int, default=4, help="HTTP client threads")
    parser.add_argument("--rounds", type=int, default=3, help="alternating ceiling/service rounds")
    parser.add_argument("--skip-http", action="store_true")
    parser.add_argument("--audit-child", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.audit_child:
        print(json.dumps(card_audit.audit_child(args.audit_child)))
        return 0
    r = run(args.payments, args.audit_rows, args.clients, args.rounds, args.skip_http)
    ceil = r["ceiling"]
    rows: list[tuple[str, str, str]] = [
        ("raw-SQL ceiling (sqlite3 driver), median", f"{ceil:,.0f} /s", "1.00"),
        ("same SQL inside sharing.db.transaction()", f"{r['floor']:,.0f} /s", f"{r['floor_ratio']:.2f}"),
        (
            "a payment's own statements (sqlite3)",
            f"{r['payment_sql']:,.0f} /s",
            f"{r['payment_sql_ratio']:.2f}",
        ),
        (
            "service layer pay(), median",
            f"{r['service']:,.0f} /s",
            f"{r['ratio']:.2f} of the ceiling (aim >= 0.50); "
            f"{r['service_to_floor']:.2f} of the same SQL in transaction()",
        ),
    ]
    failed = r["ratio"] < 0.5
    if "http" in r:
        rows.append(
            (
                f"HTTP API, gunicorn 2 workers, {args.clients} clients",
                f"{r['http']:,.0f} /s",
                f"{r['http'] / ceil:.2f}",
            )
        )
        rows.append(("audit after the runs", "ok" if r["ledger_audit_ok"] else "FAILED", ""))
        failed |= set(r["http_statuses"]) != {201} or not r["ledger_audit_ok"]
    if "audit" in r:
        a = r["audit"]
        rows.append(
            (
                f"audit of {args.audit_rows:,} payments",
                f"{a['seconds']:.1f} s",
                f"aim < 30 s; peak RSS {a['peak_rss_mb']:.0f} MB (getrusage), VmHWM "
                f"{a['vmhwm_before_mb']:.0f} -> {a['vmhwm_mb']:.0f} MB; ok={a['ok']}",
            )
        )
        failed |= not a["ok"] or (args.audit_rows >= 1_000_000 and a["seconds"] >= 30)
    width = max(len(row[0]) for row in rows)
    print()
    print(f"{'measure'.ljust(width)}  {'result':>14}  ratio / note")
    for name, value, note in rows:
        print(f"{name.ljust(width)}  {value:>14}  {note}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
