"""Page benchmark: the market's and the archive's lists, Korean searches and HTML pages, against a
bare ceiling.

Run: ``.venv/bin/python -m bench.pages [--listings 20000] [--resources 20000] [--requests 300]
[--threads 4]`` (``python -m bench.run`` runs it with the card benchmark and prints one table).

Both apps run under gunicorn (2 workers) on one temporary SQLite database. Each target is measured
as requests per second (a fixed number of requests spread over a few client threads, one connection
per request as gunicorn's sync workers close them) and printed as a ratio to the ceiling. After the
load, the peak resident memory (VmHWM) of the app's gunicorn workers is read from /proc. Adding a
page is one more line in ``TARGETS``.
"""

from __future__ import annotations

import argparse
import http.client
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from urllib.parse import quote, urlsplit

from .server import PYTHON, ROOT, env_for, serve, worker_peak_mb

# (name, path, aim as a ratio to the ceiling)
TARGETS = [
    ("market list API", "/api/v1/listings?page=3", 0.5),
    ("market search API", "/api/v1/listings?q=" + quote("전동드릴"), 0.3),
    ("market search API (2 chars)", "/api/v1/listings?q=" + quote("드릴"), 0.3),
    ("market HTML", "/market", 0.4),
    ("archive HTML", "/archive", None),
    ("archive HTML search", "/archive?q=" + quote("공구"), None),
    ("archive search API", "/api/v1/resources?q=" + quote("공구"), None),
]
MEMORY_AIM_MB = 150
CEILING = "/items?page=3"


def measure(base: str, path: str, requests: int, threads: int, max_seconds: float = 20.0) -> float:
    """Requests per second: ``requests`` GETs over ``threads`` threads, or as many as complete in
    ``max_seconds`` (a slow page does not hold the run for minutes)."""
    host = urlsplit(base)
    errors: list[str] = []
    per_thread = max(1, requests // threads)
    done = [0] * threads

    def get():
        conn = http.client.HTTPConnection(host.hostname, host.port, timeout=30)
        conn.request("GET", path)
        response = conn.getresponse()
        response.read()
        conn.close()
        if response.status != 200:
            errors.append(f"{path}: {response.status}")

    for _ in range(10):  # warm up both workers
        get()

    def worker(n: int):
        for _ in range(per_thread):
            get()
            done[n] += 1
            if time.perf_counter() > deadline:
                break

    pool = [threading.Thread(target=worker, args=(n,)) for n in range(threads)]
    started = time.perf_counter()
    deadline = started + max_seconds
    for t in pool:
        t.start()
    for t in pool:
        t.join()
    elapsed = time.perf_counter() - started
    if errors:
        raise RuntimeError(errors[:3])
    return sum(done) / elapsed


def run(listings: int, resources: int, requests: int, threads: int, echo=print) -> dict:
    """Seed, serve, measure every target. Returns ``{"targets": [(name, path, rps, ceiling, aim)],
    "worker_peak_mb": float | None}``."""
    results = []
    with tempfile.TemporaryDirectory(prefix="bench-pages-") as tmp:
        db_path = str(Path(tmp) / "bench.db")
        env = env_for(db_path, tmp)
        subprocess.run(
            [PYTHON, "-m", "bench.server", "setup", db_path, str(listings), str(resources)],
            cwd=ROOT,
            env=env,
            check=True,
            stdout=subprocess.DEVNULL if echo is None else None,
        )
        # Both servers run side by side and each target is measured between two ceiling runs, so a
        # machine shared with other work slows both sides of every ratio alike.
        with serve("bench.server:ceiling_app()", env) as ceiling_base, serve("wsgi:app", env) as base:
            for name, path, aim in TARGETS:
                before = measure(ceiling_base, CEILING, requests, threads)
                rps = measure(base, path, requests, threads)
                after = measure(ceiling_base, CEILING, requests, threads)
                ceiling = (before + after) / 2
                results.append((name, path, rps, ceiling, aim))
                if echo:
                    ratio = rps / ceiling
                    mark = "" if aim is None else ("ok" if ratio >= aim else "MISSED")
                    echo(
                        f"{name:28s} {rps:7.1f} req/s  ceiling {ceiling:7.1f} req/s  ratio {ratio:4.2f} "
                        f"(aim >= {aim or '-'})  {mark}  {path}"
                    )
            peak = worker_peak_mb(base)
    return {"targets": results, "worker_peak_mb": peak}


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--listings", type=int, default=20_000)
    parser.add_argument("--resources", type=int, default=20_000)
    parser.add_argument("--requests", type=int, default=300)
    parser.add_argument("--threads", type=int, default=4)
    args = parser.parse_args(argv)
    out = run(args.listings, args.resources, args.requests, args.threads)
    failed = any(aim is not None and rps / ceiling < aim for _n, _p, rps, ceiling, aim in out["targets"])
    peak = out["worker_peak_mb"]
    if peak is not None:
        print(f"gunicorn worker peak memory (VmHWM): {peak:.0f} MB (aim < {MEMORY_AIM_MB} MB)")
        failed |= peak >= MEMORY_AIM_MB
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
