"""Every benchmark in one run, one table: ``.venv/bin/python -m bench.run`` (``make bench``).

Runs :mod:`bench.pages` (the market's and the archive's pages against the bare-Flask ceiling, and
the gunicorn workers' peak memory), :mod:`bench.card` (payments per second against the raw-SQL
ceiling, the HTTP API, the audit of a large ledger) and :mod:`bench.uploads` (a worker's peak memory
under four concurrent uploads of large images), then prints a single markdown table with every
figure, its ratio and its aim, and the machine it ran on. An aim that is not met is marked
``MISSED``; the exit status is 0 all the same (a benchmark is a measurement, not a test).

The default sizes finish in a few minutes on two cores; ``--quick`` is a smoke run.
"""

from __future__ import annotations

import argparse
import os
import platform
import sqlite3
import sys
import time
from pathlib import Path

from . import card, pages, uploads

CARD_AIM = 0.5
AUDIT_AIM_S = 30.0


def machine() -> str:
    cpu = "unknown CPU"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    try:
        load = " · load average {:.1f} {:.1f} {:.1f}".format(*os.getloadavg())
    except OSError:
        load = ""
    return (
        f"{os.cpu_count()} CPUs (nproc {len(os.sched_getaffinity(0))}) · {cpu} · "
        f"Python {platform.python_version()} · SQLite {sqlite3.sqlite_version}{load}"
    )


def _mark(ok: bool | None) -> str:
    return "" if ok is None else ("ok" if ok else "MISSED")


def table(page: dict, pay: dict, upload: dict | None = None) -> list[str]:
    rows = [("measure", "result", "ratio", "aim", ""), ("---", "---:", "---:", "---", "---")]
    for name, path, rps, ceiling, aim in page["targets"]:
        ratio = rps / ceiling
        rows.append(
            (
                f"{name} `{path}`",
                f"{rps:,.0f} req/s",
                f"{ratio:.2f}",
                f">= {aim} of the ceiling" if aim is not None else "(no aim; measured)",
                _mark(None if aim is None else ratio >= aim),
            )
        )
    ceilings = [c for *_x, c, _a in page["targets"]]
    rows.append(
        (
            "bare-Flask ceiling `/items?page=3` (mean of the runs around each page)",
            f"{sum(ceilings) / len(ceilings):,.0f} req/s",
            "1.00",
            "",
            "",
        )
    )
    peak = page["worker_peak_mb"]
    rows.append(
        (
            "gunicorn worker peak memory (max VmHWM after the page load)",
            "n/a" if peak is None else f"{peak:.0f} MB",
            "",
            f"< {pages.MEMORY_AIM_MB} MB",
            _mark(None if peak is None else peak < pages.MEMORY_AIM_MB),
        )
    )
    rows.append(("raw-SQL payment ceiling (sqlite3, median)", f"{pay['ceiling']:,.0f} /s", "1.00", "", ""))
    rows.append(
        (
            "same SQL inside `sharing.db.transaction()`",
            f"{pay['floor']:,.0f} /s",
            f"{pay['floor_ratio']:.2f}",
            "(the floor any service pays)",
            "",
        )
    )
    rows.append(
        (
            "a payment's own statements through sqlite3 (what `pay()` sends, values precomputed)",
            f"{pay['payment_sql']:,.0f} /s",
            f"{pay['payment_sql_ratio']:.2f}",
            "(the most a service layer over this schema could reach)",
            "",
        )
    )
    rows.append(
        (
            f"card service `pay()` ({pay['payments']:,} payments, median)",
            f"{pay['service']:,.0f} /s",
            f"{pay['ratio']:.2f}",
            f">= {CARD_AIM} of the raw-SQL ceiling",
            _mark(pay["ratio"] >= CARD_AIM),
        )
    )
    if "http" in pay:
        statuses = ", ".join(f"{k}: {v}" for k, v in sorted(pay["http_statuses"].items()))
        clean = set(pay["http_statuses"]) == {201} and pay["ledger_audit_ok"]
        rows.append(
            (
                f"card HTTP API `POST /api/v1/card/payments` (gunicorn 2 workers, {pay['clients']} clients)",
                f"{pay['http']:,.0f} /s",
                f"{pay['http'] / pay['ceiling']:.2f}",
                f"only 201 ({statuses}); ledger audit ok",
                _mark(clean),
            )
        )
    if "audit" in pay:
        a = pay["audit"]
        rows.append(
            (
                f"audit of {pay['audit_rows']:,} payments (fresh process)",
                f"{a['seconds']:.1f} s",
                "",
                f"< {AUDIT_AIM_S:.0f} s, ok; peak RSS {a['peak_rss_mb']:.0f} MB",
                _mark(a["ok"] and (pay["audit_rows"] < 1_000_000 or a["seconds"] < AUDIT_AIM_S)),
            )
        )
    if upload is not None:
        peak = upload["worker_peak_mb"]
        statuses = ", ".join(f"{k}: {v}" for k, v in sorted(upload["statuses"].items()))
        rows.append(
            (
                "gunicorn worker peak memory, 4 concurrent uploads of 24 MP PNG/JPEG (1 worker, 4 threads)",
                "n/a" if peak is None else f"{peak:.0f} MB",
                "",
                f"< {uploads.MEMORY_AIM_MB} MB; {statuses}",
                _mark(
                    None
                    if peak is None
                    else peak < uploads.MEMORY_AIM_MB and set(upload["statuses"]) == {201}
                ),
            )
        )
    return ["| " + " | ".join(r) + " |" for r in rows]


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--listings", type=int, default=20_000)
    parser.add_argument("--resources", type=int, default=20_000)
    parser.add_argument("--requests", type=int, default=300, help="requests per page measurement")
    parser.add_argument("--threads", type=int, default=4)
    parser.add_argument("--payments", type=int, default=2000)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--audit-rows", type=int, default=1_000_000)
    parser.add_argument("--quiet", action="store_true", help="only the table")
    parser.add_argument("--quick", action="store_true", help="small sizes: a smoke run, not a measurement")
    args = parser.parse_args(argv)
    if args.quick:
        args.listings = args.resources = 2000
        args.requests, args.payments, args.rounds, args.audit_rows = 60, 300, 1, 20_000
    echo = None if args.quiet else print
    started = time.perf_counter()
    page = pages.run(args.listings, args.resources, args.requests, args.threads, echo=echo)
    pay = card.run(args.payments, args.audit_rows, rounds=args.rounds, echo=echo)
    upload = uploads.run(args.rounds, echo=echo)
    lines = table(page, pay, upload)
    print()
    print(f"Machine: {machine()}")
    print(
        f"Sizes: {args.listings:,} listings, {args.resources:,} resources, {args.requests} requests per "
        f"page run ({args.threads} client threads), {args.payments:,} payments x {args.rounds} rounds, "
        f"audit of {args.audit_rows:,} payments; {time.perf_counter() - started:.0f} s in all"
    )
    print()
    print("\n".join(lines))
    return 0


if __name__ == "__main__":
    sys.exit(main())
