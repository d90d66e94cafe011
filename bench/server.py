"""Serving the app (and a bare ceiling app) with gunicorn for the page benchmarks.

``python -m bench.server setup DB_PATH N [M]`` builds a SQLite database with the whole schema, the
demo accounts and organisations, N market listings (through ``sharing.market.demo``), M archive
resources (``sharing.archive.demo``, default N) and a 20,000-row table for the ceiling app.
:func:`serve` starts gunicorn (2 workers, 127.0.0.1, a free port) and stops it at the end of the
``with`` block; :func:`worker_peak_mb` reads its workers' peak resident memory (VmHWM).
"""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
GUNICORN = str(Path(PYTHON).with_name("gunicorn"))
CEILING_ROWS = 20_000


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def env_for(db_path: str, instance: str) -> dict:
    return {
        **os.environ,
        "DATABASE_URL": f"sqlite:///{db_path}",
        "INSTANCE_PATH": instance,
        "UPLOAD_DIR": str(Path(instance) / "uploads"),
        "SHARING_ENV": "development",
        "LOG_LEVEL": "WARNING",
        "PYTHONPATH": str(ROOT),
    }


def setup(db_path: str, listings: int, resources: int | None = None) -> None:
    """Run in a child process: schema, demo people, N listings, M resources, the ceiling table."""
    from sqlalchemy import insert

    from sharing import create_app
    from sharing.auth.models import User
    from sharing.auth.services import find_by_email, hash_password
    from sharing.core.db import transaction
    from sharing.core.extensions import db

    app = create_app("development", SQLALCHEMY_DATABASE_URI=f"sqlite:///{db_path}")
    with app.app_context():
        db.create_all()
        with transaction():  # the demo residents (inserted directly: only their e-mails matter here)
            for name, dong, role in (
                ("minji", "정릉3동", "resident"),
                ("junho", "장위1동", "resident"),
                ("seoyeon", "삼선동", "resident"),
                ("dohyun", "길음1동", "resident"),
                ("centre", "성북동", "centre"),
            ):
                if find_by_email(f"{name}@demo.sharing.kr") is None:
                    db.session.add(
                        User(
                            email=f"{name}@demo.sharing.kr",
                            password_hash=hash_password("bench-1234"),
                            name=name,
                            dong=dong,
                            role=role,
                        )
                    )
        from sharing.market import demo as market_demo
        from sharing.orgs import demo as orgs_demo

        orgs_demo.seed(0, print)
        started = time.perf_counter()
        market_demo.seed(listings, print)
        print(f"seeded {listings} listings in {time.perf_counter() - started:.1f}s")
        from sharing.archive import demo as archive_demo

        started = time.perf_counter()
        resources = listings if resources is None else resources
        archive_demo.seed(resources, print)
        print(f"seeded {resources} resources in {time.perf_counter() - started:.1f}s")
        with db.engine.begin() as conn:
            conn.exec_driver_sql(
                "CREATE TABLE IF NOT EXISTS ceiling_items (id INTEGER PRIMARY KEY, title TEXT, description TEXT, dong TEXT)"
            )
            from sqlalchemy import column, table

            items = table(
                "ceiling_items", column("id"), column("title"), column("description"), column("dong")
            )
            conn.execute(
                insert(items),
                [
                    {
                        "id": n,
                        "title": f"물건 {n}",
                        "description": "이웃과 나누는 물건입니다.",
                        "dong": "성북동",
                    }
                    for n in range(1, CEILING_ROWS + 1)
                ],
            )


def ceiling_app():
    """The ceiling: a bare Flask + SQLAlchemy app returning 20 rows of a 20,000-row table as JSON."""
    from flask import Flask, jsonify, request
    from flask_sqlalchemy import SQLAlchemy
    from sqlalchemy import Column, Integer, String, select
    from sqlalchemy.orm import DeclarativeBase

    class Base(DeclarativeBase):
        pass

    db = SQLAlchemy(model_class=Base)

    class Item(db.Model):
        __tablename__ = "ceiling_items"
        id = Column(Integer, primary_key=True)
        title = Column(String)
        description = Column(String)
        dong = Column(String)

    app = Flask("ceiling")
    app.config["SQLALCHEMY_DATABASE_URI"] = os.environ["DATABASE_URL"]
    db.init_app(app)

    @app.get("/items")
    def items():
        page = request.args.get("page", 1, type=int)
        rows = db.session.execute(
            select(Item).order_by(Item.id.desc()).limit(20).offset((page - 1) * 20)
        ).scalars()
        return jsonify(
            {
                "items": [
                    {"id": r.id, "title": r.title, "description": r.description, "dong": r.dong} for r in rows
                ]
            }
        )

    return app


class Server(str):
    """The base URL of a running gunicorn (a ``str``), with its master's process id."""

    pid: int


def worker_pids(master_pid: int) -> list[int]:
    """The gunicorn workers: the master's child processes (from /proc)."""
    children = []
    for task in Path(f"/proc/{master_pid}/task").glob("*/children"):
        children += [int(p) for p in task.read_text().split()]
    if children:
        return sorted(set(children))
    for stat in Path("/proc").glob("[0-9]*/stat"):  # kernels without the children file
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[1]) == master_pid:
            children.append(int(stat.parent.name))
    return sorted(children)


def _status_kb(pid: int, field: str) -> int | None:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith(field + ":"):
                return int(line.split()[1])
    except OSError:
        return None
    return None


def worker_peak_mb(server: Server) -> float | None:
    """The largest peak resident set (VmHWM) among ``server``'s workers, in MB (None without /proc)."""
    peaks = [_status_kb(pid, "VmHWM") for pid in worker_pids(server.pid)]
    peaks = [p for p in peaks if p is not None]
    return max(peaks) / 1024 if peaks else None


@contextlib.contextmanager
def serve(app_spec: str, env: dict, workers: int = 2, options: tuple[str, ...] = ()):
    """gunicorn ``app_spec`` on a free port (with more gunicorn ``options``, e.g. ``--threads 4``);
    yields the base URL (a :class:`Server`, whose ``pid`` is the master's); stops it afterwards."""
    port = free_port()
    proc = subprocess.Popen(
        [
            GUNICORN,
            "--workers",
            str(workers),
            "--bind",
            f"127.0.0.1:{port}",
            "--log-level",
            "warning",
            *options,
            app_spec,
        ],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        start_new_session=True,
    )
    base = Server(f"http://127.0.0.1:{port}")
    base.pid = proc.pid
    try:
        deadline = time.monotonic() + 60
        while True:
            if proc.poll() is not None:
                raise RuntimeError(f"gunicorn exited: {proc.stderr.read().decode()[-2000:]}")
            try:
                urllib.request.urlopen(base + "/healthz", timeout=2).read()
                break
            except urllib.error.HTTPError:
                break  # answering (e.g. 503 migrations not current, or 404): it is up
            except OSError:
                if time.monotonic() > deadline:
                    raise RuntimeError("gunicorn did not start") from None
                time.sleep(0.2)
        yield base
    finally:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(proc.pid, signal.SIGTERM)
        try:
            proc.wait(15)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()


if __name__ == "__main__":
    if len(sys.argv) in (4, 5) and sys.argv[1] == "setup":
        setup(sys.argv[2], *map(int, sys.argv[3:]))
    else:
        raise SystemExit("usage: python -m bench.server setup DB_PATH LISTINGS [RESOURCES]")
