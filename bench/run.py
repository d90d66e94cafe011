"""Every benchmark in one run, one table: ``.venv/bin/python -m bench.run`` (``make bench``).

Runs :mod:`bench.pages` (the market's and the archive's pages against the bare-Flask ceiling, and
the gunicorn workers' peak memory) and :mod:`bench.card` (``pay()`` against the raw-SQL ceiling at
equal durability, HTTP payments under wrk against a bare route running the same SQL on SQLite and
PostgreSQL, the audit of a large ledger) and :mod:`bench.uploads` (a worker's peak memory under four
concurrent uploads of large images), then prints a single markdown table with every figure, its
ratio and its aim, and the machine it ran on. An aim that is not met is marked ``MISSED``; the exit
status is 0 all the same (a benchmark is a measurement, not a test).

Options: ``--quick`` (small sizes, 3 s wrk runs: a smoke run), ``--db sqlite|postgresql|both`` (or
``BENCH_DB``), ``--duration`` (seconds per wrk run), ``--only pages|card|uploads``; ``make bench ARGS="..."``.
The default sizes finish in a few minutes on two cores.
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


def page_rows(page: dict) -> list[tuple[str, str, str, str, str]]:
    rows = []
    for name, path, rps, ceiling, aim in page["targets"]:
        ratio = rps / ceiling
        rows.append(
            (
                f"{name} `{path}`",
                f"{rps:,.0f} req/s",
                f"{ratio:.2f}",
                f">= {aim} of the ceiling" if aim is not None else "(no aim; measured)",
                card.mark(None if aim is None else ratio >= aim),
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
            card.mark(None if peak is None else peak < pages.MEMORY_AIM_MB),
        )
    )
    return rows


def upload_rows(upload: dict) -> list[tuple[str, str, str, str, str]]:
    peak = upload["worker_peak_mb"]
    statuses = ", ".join(f"{k}: {v}" for k, v in sorted(upload["statuses"].items()))
    ok = None if peak is None else peak < uploads.MEMORY_AIM_MB and set(upload["statuses"]) == {201}
    return [
        (
            "gunicorn worker peak memory, 4 concurrent uploads of 24 MP PNG/JPEG (1 worker, 4 threads)",
            "n/a" if peak is None else f"{peak:.0f} MB",
            "",
            f"< {uploads.MEMORY_AIM_MB} MB; {statuses}",
            card.mark(ok),
        )
    ]


def table(page: dict | None, pay: dict, upload: dict | None = None) -> list[str]:
    rows = (page_rows(page) if page else []) + card.rows(pay)
    return card.markdown(rows + (upload_rows(upload) if upload else []))


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--listings", type=int, default=20_000)
    parser.add_argument("--resources", type=int, default=20_000)
    parser.add_argument("--requests", type=int, default=300, help="requests per page measurement")
    parser.add_argument("--threads", type=int, default=4)
    parser.add_argument("--payments", type=int, default=2000)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--audit-rows", type=int, default=1_000_000)
    parser.add_argument(
        "--db",
        choices=("sqlite", "postgresql", "both"),
        default=os.environ.get("BENCH_DB", "both"),
        help="database(s) of the HTTP payment runs (env BENCH_DB; default both)",
    )
    parser.add_argument(
        "--duration", type=int, default=None, help="seconds per wrk run (default 10; quick 3)"
    )
    parser.add_argument("--connections", type=int, default=8, help="wrk connections (wrk runs one thread)")
    parser.add_argument("--only", choices=("pages", "card", "uploads"), help="run one of the benchmarks")
    parser.add_argument("--quiet", action="store_true", help="only the table")
    parser.add_argument("--quick", action="store_true", help="small sizes: a smoke run, not a measurement")
    args = parser.parse_args(argv)
    if args.quick:
        args.listings = args.resources = 2000
        args.requests, args.payments, args.rounds, args.audit_rows = 60, 300, 1, 20_000
    duration = args.duration or (3 if args.quick else 10)
    echo = None if args.quiet else print
    started = time.perf_counter()
    page = None
    if args.only in (None, "pages"):
        page = pages.run(args.listings, args.resources, args.requests, args.threads, echo=echo)
    pay: dict = {"http": {}, "skipped": []}
    if args.only in (None, "card"):
        pay = card.run(
            args.payments,
            args.audit_rows,
            rounds=args.rounds,
            databases=card.databases_arg(args.db),
            duration=duration,
            connections=args.connections,
            echo=echo,
        )
    upload = uploads.run(args.rounds, echo=echo) if args.only in (None, "uploads") else None
    lines = table(page, pay, upload)
    print()
    print(f"Machine: {machine()}")
    print(
        f"Sizes: {args.listings:,} listings, {args.resources:,} resources, {args.requests} requests per "
        f"page run ({args.threads} client threads), {args.payments:,} payments x {args.rounds} rounds, "
        f"HTTP payments {duration} s per run on {args.db}, audit of {args.audit_rows:,} payments; "
        f"{time.perf_counter() - started:.0f} s in all"
    )
    print()
    print("\n".join(lines))
    return 0


if __name__ == "__main__":
    sys.exit(main())
