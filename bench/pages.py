"""Page benchmark: the market's list, a Korean search and the /market page, against a bare ceiling.

Run: ``.venv/bin/python -m bench.pages [--listings 20000] [--requests 300] [--threads 4]``

Both apps run under gunicorn (2 workers) on one temporary SQLite database. Each target is measured
as requests per second (a fixed number of requests spread over a few client threads, one connection
per request as gunicorn's sync workers close them) and printed as a ratio to the ceiling. Adding a
page (the archive: ``/archive`` and ``/api/v1/resources?q=``) is one more line in ``TARGETS``.
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

from .server import PYTHON, ROOT, env_for, serve

# (name, path, aim as a ratio to the ceiling)
TARGETS = [
    ("market list API", "/api/v1/listings?page=3", 0.5),
    ("market search API", "/api/v1/listings?q=" + quote("전동드릴"), 0.3),
    ("market search API (2 chars)", "/api/v1/listings?q=" + quote("드릴"), 0.3),
    ("market HTML", "/market", 0.4),
]
CEILING = "/items?page=3"


def measure(base: str, path: str, requests: int, threads: int) -> float:
    host = urlsplit(base)
    errors: list[str] = []
    per_thread = max(1, requests // threads)

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

    def worker():
        for _ in range(per_thread):
            get()

    pool = [threading.Thread(target=worker) for _ in range(threads)]
    started = time.perf_counter()
    for t in pool:
        t.start()
    for t in pool:
        t.join()
    elapsed = time.perf_counter() - started
    if errors:
        raise RuntimeError(errors[:3])
    return per_thread * threads / elapsed


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--listings", type=int, default=20_000)
    parser.add_argument("--requests", type=int, default=300)
    parser.add_argument("--threads", type=int, default=4)
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="bench-pages-") as tmp:
        db_path = str(Path(tmp) / "bench.db")
        env = env_for(db_path, tmp)
        subprocess.run(
            [PYTHON, "-m", "bench.server", "setup", db_path, str(args.listings)],
            cwd=ROOT,
            env=env,
            check=True,
        )
        failed = False
        # Both servers run side by side and each target is measured between two ceiling runs, so a
        # machine shared with other work slows both sides of every ratio alike.
        with serve("bench.server:ceiling_app()", env) as ceiling_base, serve("wsgi:app", env) as base:
            for name, path, aim in TARGETS:
                before = measure(ceiling_base, CEILING, args.requests, args.threads)
                rps = measure(base, path, args.requests, args.threads)
                after = measure(ceiling_base, CEILING, args.requests, args.threads)
                ceiling = (before + after) / 2
                ratio = rps / ceiling
                mark = "ok" if ratio >= aim else "BELOW AIM"
                failed |= ratio < aim
                print(
                    f"{name:28s} {rps:7.1f} req/s  ceiling {ceiling:7.1f} req/s  ratio {ratio:4.2f} "
                    f"(aim >= {aim})  {mark}  {path}"
                )
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
