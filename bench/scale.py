"""Pages at scale: every public page and list API at N rows on SQLite and PostgreSQL, under wrk.

Run: ``make bench-pages SCALE=20000,200000 DB=sqlite,postgresql`` (or ``.venv/bin/python -m bench.scale
--scale 20000,200000 --db sqlite,postgresql [--duration 10] [--page /news]``).

For each database and size: the database is brought to the head migration and seeded with ``flask seed
demo --scale N`` (N listings, N archive resources and N news posts), then kept for the next run:
SQLite files and a marker of the finished seed under ``instance/bench/``, PostgreSQL databases
``bench_N`` on the server of ``PGURL``. The seeders are idempotent and count what is there, so an
interrupted seed resumes where it stopped; ``--reseed`` drops and rebuilds. The app and a bare
Flask + SQLAlchemy ceiling (:mod:`bench.ceiling`: one query for a page of the same listings table,
rendered as JSON or as a small Jinja page) run under gunicorn with 2 workers; wrk (``-t2 -c16
--latency``) loads each page for ``--duration`` seconds. The ceiling is measured before and after the
pages (the mean is used), so a machine shared with other work slows both sides of a ratio alike.

The table (markdown, also written to ``bench/results/pages-scale.md``) gives per page req/s, p50 and
p99 at each size on each database; the flat-cost ratio (largest size / smallest, aim >= 0.8); the
PostgreSQL / SQLite ratio at the smallest size (aim >= 0.7); and the ratio to the ceiling on each
database at the largest size (aim >= 0.5 for the APIs, >= 0.4 for HTML pages).
"""

from __future__ import annotations

import argparse
import os
import re
import subprocess
import sys
import time
import urllib.request
from pathlib import Path
from urllib.parse import quote

from .server import PYTHON, ROOT, serve

# (name, path, kind): kind "api" is held to the JSON ceiling, "html" to the HTML one.
PAGES = [
    ("home", "/", "html"),
    ("market HTML", "/market", "html"),
    ("archive HTML", "/archive", "html"),
    ("archive HTML search", "/archive?q=" + quote("공구"), "html"),
    ("news HTML", "/news", "html"),
    ("news HTML search (2 chars)", "/news?q=" + quote("장터"), "html"),
    ("news HTML search", "/news?q=" + quote("공동육아"), "html"),
    ("events HTML", "/news/events", "html"),
    ("organisations HTML", "/organizations", "html"),
    ("listings API", "/api/v1/listings", "api"),
    ("listings search API (2 chars)", "/api/v1/listings?q=" + quote("드릴"), "api"),
    ("listings search API", "/api/v1/listings?q=" + quote("전동드릴"), "api"),
    ("resources API", "/api/v1/resources", "api"),
    ("resources search API (2 chars)", "/api/v1/resources?q=" + quote("공구"), "api"),
    ("posts API", "/api/v1/posts", "api"),
    ("posts search API", "/api/v1/posts?q=" + quote("마을소식"), "api"),
    ("organisations API", "/api/v1/organizations", "api"),
]
CEILING = {"api": "/items?page=3", "html": "/items.html?page=3"}
AIMS = {"flat": 0.8, "pg": 0.7, "api": 0.5, "html": 0.4}
PGURL = os.environ.get("PGURL", "postgresql+psycopg://postgres@127.0.0.1:5432/postgres")
BENCH_DIR = ROOT / "instance" / "bench"
RESULTS = ROOT / "bench" / "results" / "pages-scale.md"
WRK = os.environ.get("WRK", "wrk")


def database_url(db: str, scale: int) -> str:
    if db == "sqlite":
        return f"sqlite:///{BENCH_DIR / f'sqlite-{scale}.db'}"
    return PGURL.rsplit("/", 1)[0] + f"/bench_{scale}"


def env_for(url: str) -> dict:
    return {
        **os.environ,
        "DATABASE_URL": url,
        "FLASK_APP": "wsgi",
        "INSTANCE_PATH": str(BENCH_DIR),
        "UPLOAD_DIR": str(BENCH_DIR / "uploads"),
        "SHARING_ENV": "development",
        "LOG_LEVEL": "WARNING",
        "PYTHONPATH": str(ROOT),
    }


def _pg_admin(sql: str) -> None:
    import psycopg

    dsn = PGURL.replace("postgresql+psycopg://", "postgresql://")
    with psycopg.connect(dsn, autocommit=True) as conn:
        conn.execute(sql)


def _pg_exists(name: str) -> bool:
    import psycopg

    dsn = PGURL.replace("postgresql+psycopg://", "postgresql://")
    with psycopg.connect(dsn, autocommit=True) as conn:
        return conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", (name,)).fetchone() is not None


def prepare(db: str, scale: int, reseed: bool, echo=print) -> float:
    """Migrate and seed (when not done before) the database of ``db`` at ``scale``. Returns the seconds
    the seeding took (0 when the seeded database was already there)."""
    BENCH_DIR.mkdir(parents=True, exist_ok=True)
    marker = BENCH_DIR / f"{db}-{scale}.seeded"
    if reseed:
        marker.unlink(missing_ok=True)
        if db == "sqlite":
            for suffix in ("", "-wal", "-shm"):
                Path(f"{BENCH_DIR / f'sqlite-{scale}.db'}{suffix}").unlink(missing_ok=True)
        else:
            _pg_admin(f"DROP DATABASE IF EXISTS bench_{scale}")
    if db == "postgresql" and not _pg_exists(f"bench_{scale}"):
        marker.unlink(missing_ok=True)
        _pg_admin(f"CREATE DATABASE bench_{scale}")
    env = env_for(database_url(db, scale))
    flask = [str(Path(PYTHON).with_name("flask"))]
    subprocess.run([*flask, "db", "upgrade"], cwd=ROOT, env=env, check=True, capture_output=True)
    if marker.exists():
        return 0.0
    echo(f"seeding {db} at {scale:,} (resumable: run again after an interruption)")
    started = time.perf_counter()
    subprocess.run([*flask, "seed", "demo", "--scale", str(scale)], cwd=ROOT, env=env, check=True)
    if db == "postgresql":
        # Statistics of the bulk-loaded tables now, as autovacuum would give them a little later: without
        # them the planner takes 200,000 rows for none and walks every one of them to sort a page.
        _pg_admin_on(f"bench_{scale}", "ANALYZE")
    took = time.perf_counter() - started
    marker.write_text(f"{took:.0f}\n")
    echo(f"seeded {db} at {scale:,} in {took:.0f} s")
    return took


def _pg_admin_on(dbname: str, sql: str) -> None:
    import psycopg

    dsn = PGURL.replace("postgresql+psycopg://", "postgresql://").rsplit("/", 1)[0] + f"/{dbname}"
    with psycopg.connect(dsn, autocommit=True) as conn:
        conn.execute(sql)


def wrk(url: str, duration: int, threads: int = 2, connections: int = 16) -> dict:
    """One wrk run: ``{"rps", "p50", "p99"}`` (milliseconds); raises on errors or non-2xx answers."""
    out = subprocess.run(
        [WRK, f"-t{threads}", f"-c{connections}", f"-d{duration}s", "--latency", url],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    if "Non-2xx" in out:
        raise RuntimeError(f"wrk {url}:\n{out}")
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
    return {"rps": rps, "p50": _latency(out, "50%"), "p99": _latency(out, "99%")}


def _latency(out: str, which: str) -> float:
    value, unit = re.search(rf"{which}\s+([\d.]+)(us|ms|s)", out).groups()
    return float(value) * {"us": 0.001, "ms": 1.0, "s": 1000.0}[unit]


def measure(db: str, scale: int, pages, duration: int, echo=print) -> dict:
    """``{"pages": {path: wrk result}, "ceiling": {kind: mean req/s}}`` for one database and size."""
    env = env_for(database_url(db, scale))
    results: dict = {"pages": {}, "ceiling": {}}
    with serve("bench.ceiling:app()", env) as ceiling, serve("wsgi:app", env) as app:
        before = {kind: wrk(ceiling + path, duration)["rps"] for kind, path in CEILING.items()}
        for name, path, _kind in pages:
            for _ in range(6):  # warm: both workers' templates, caches and connections
                urllib.request.urlopen(app + path, timeout=120).read()
            results["pages"][path] = result = wrk(app + path, duration)
            echo(
                f"{db:10s} {scale:>8,}  {name:32s} {result['rps']:8.1f} req/s  "
                f"p50 {result['p50']:7.1f} ms  p99 {result['p99']:7.1f} ms"
            )
        after = {kind: wrk(ceiling + path, duration)["rps"] for kind, path in CEILING.items()}
    results["ceiling"] = {kind: (before[kind] + after[kind]) / 2 for kind in CEILING}
    echo(
        f"{db:10s} {scale:>8,}  ceiling JSON {results['ceiling']['api']:.0f} req/s, HTML {results['ceiling']['html']:.0f}"
    )
    return results


def _ratio(value: float, aim: float) -> str:
    return f"{value:.2f}" + ("" if value >= aim else " MISSED")


def table(runs: dict, dbs: list[str], scales: list[int], pages) -> str:
    small, large = min(scales), max(scales)
    head = ["page"]
    for db in dbs:
        for scale in scales:
            head.append(f"{db} {scale // 1000}k req/s · p50 · p99 (ms)")
    if len(scales) > 1:
        head += [f"{db} {large // 1000}k/{small // 1000}k" for db in dbs]
    if len(dbs) > 1:
        head.append(f"PG/SQLite at {small // 1000}k")
    head += [f"{db} / ceiling at {large // 1000}k" for db in dbs]
    lines = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    for name, path, kind in pages:
        row = [f"{name} `{path}`"]
        for db in dbs:
            for scale in scales:
                r = runs[db, scale]["pages"][path]
                row.append(f"{r['rps']:,.0f} · {r['p50']:.0f} · {r['p99']:.0f}")
        if len(scales) > 1:
            for db in dbs:
                rate = runs[db, large]["pages"][path]["rps"] / runs[db, small]["pages"][path]["rps"]
                row.append(_ratio(rate, AIMS["flat"]))
        if len(dbs) > 1:
            rate = (
                runs["postgresql", small]["pages"][path]["rps"] / runs["sqlite", small]["pages"][path]["rps"]
            )
            row.append(_ratio(rate, AIMS["pg"]))
        for db in dbs:
            run = runs[db, large]
            row.append(_ratio(run["pages"][path]["rps"] / run["ceiling"][kind], AIMS[kind]))
        lines.append("| " + " | ".join(row) + " |")
    for kind, label in (("api", "JSON `/items?page=3`"), ("html", "HTML `/items.html?page=3`")):
        row = [f"bare Flask + SQLAlchemy ceiling, {label}"]
        for db in dbs:
            for scale in scales:
                row.append(f"{runs[db, scale]['ceiling'][kind]:,.0f}")
        lines.append("| " + " | ".join(row + [""] * (len(head) - len(row))) + " |")
    return "\n".join(lines)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", default="20000,200000", help="sizes, comma-separated")
    parser.add_argument("--db", default="sqlite,postgresql", help="sqlite, postgresql or both")
    parser.add_argument("--duration", type=int, default=10, help="seconds per wrk run")
    parser.add_argument("--page", action="append", help="only these paths (repeatable)")
    parser.add_argument("--reseed", action="store_true", help="drop the cached databases and seed again")
    parser.add_argument("--seed-only", action="store_true")
    args = parser.parse_args(argv)
    scales = sorted(int(s) for s in args.scale.split(","))
    dbs = [d for d in ("sqlite", "postgresql") if d in args.db.split(",")]
    pages = [p for p in PAGES if not args.page or p[1] in args.page]
    started = time.perf_counter()
    seeding = {(db, n): prepare(db, n, args.reseed) for db in dbs for n in scales}
    if args.seed_only:
        return 0
    measuring = time.perf_counter()
    runs = {(db, n): measure(db, n, pages, args.duration) for db in dbs for n in scales}
    done = time.perf_counter()
    load = " ".join(f"{x:.1f}" for x in os.getloadavg())
    report = "\n".join(
        [
            table(runs, dbs, scales, pages),
            "",
            f"wrk -t2 -c16 -d{args.duration}s --latency; gunicorn 2 workers; {os.cpu_count()} CPUs; "
            f"load average at the end {load}.",
            "Seeding this run: "
            + ", ".join(f"{db} {n:,}: {s:.0f} s" for (db, n), s in seeding.items())
            + f" (0 s: cached). Measuring: {done - measuring:.0f} s; whole run: {done - started:.0f} s.",
        ]
    )
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(report + "\n")
    print("\n" + report)
    return 0


if __name__ == "__main__":
    sys.exit(main())
