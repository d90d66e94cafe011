"""`flask db backup` while the service writes, then `flask db restore` into a fresh database."""

from __future__ import annotations

import os
import sqlite3
import stat
import subprocess
import sys
import threading
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from sharing.auth import services as auth_services
from sharing.core.extensions import db
from sharing.ops.backup import Target, libpq_args, prune
from sharing.ops.cli import backup, restore
from tests.conftest import BACKEND
from tests.factories import Factory


def _emails(url: str) -> set[str]:
    engine = create_engine(url)
    try:
        with engine.connect() as conn:
            return set(conn.execute(text("SELECT email FROM users")).scalars())
    finally:
        engine.dispose()


class Writer(threading.Thread):
    """Signs residents up, one after another, until told to stop (the service going on)."""

    def __init__(self, app):
        super().__init__(daemon=True)
        self.app = app
        self.stop = threading.Event()
        self.written: list[str] = []
        self.error: BaseException | None = None

    def run(self):
        try:
            with self.app.app_context():
                n = 0
                while not self.stop.is_set() and n < 400:
                    email = f"writer{n}@example.kr"
                    auth_services.register(
                        auth_services.Registration(email, Factory.PASSWORD, "작성자", "종암동", True, True)
                    )
                    self.written.append(email)
                    n += 1
                db.session.remove()
        except BaseException as err:
            self.error = err


@pytest.mark.slow
def test_backup_while_writing_then_restore_into_a_fresh_database(
    app, app_factory, runner, make, database_url, fresh_url, tmp_path
):
    before = {make.user().email for _ in range(3)}
    writer = Writer(app_factory())
    writer.start()
    while len(writer.written) < 5 and writer.is_alive():
        writer.stop.wait(0.01)
    dest = tmp_path / "backups" / "snapshot"
    result = runner.invoke(backup, [str(dest)])
    writer.stop.set()
    writer.join(60)
    assert writer.error is None, writer.error
    assert result.exit_code == 0, result.output
    assert dest.is_file() and not dest.with_name(dest.name + ".part").exists()
    live = _emails(database_url)
    assert len(writer.written) >= 5

    restored_app = app_factory(SQLALCHEMY_DATABASE_URI=fresh_url)
    with restored_app.app_context():  # with_appcontext would otherwise use the test's app (the live one)
        result = restored_app.test_cli_runner().invoke(restore, [str(dest), "--yes"])
        db.session.remove()
        db.engine.dispose()
    assert result.exit_code == 0, result.output
    restored = _emails(fresh_url)
    assert before <= restored  # everything written before the backup started
    assert restored <= live  # nothing invented
    # a consistent snapshot: writer's rows are a prefix of what it wrote (no torn transaction)
    from_writer = sorted(
        (e for e in restored if e.startswith("writer")), key=lambda e: int(e[6:].split("@")[0])
    )
    assert from_writer == writer.written[: len(from_writer)]
    assert len(from_writer) >= 5
    # the restored database serves the application
    with restored_app.app_context():
        user = auth_services.authenticate(next(iter(before)), Factory.PASSWORD)
        assert user.email in before
        db.session.remove()
        db.engine.dispose()


def test_restore_replaces_the_live_data_and_asks_first(app, runner, make, database_url, tmp_path):
    make.user(email="kept@example.kr")
    dest = tmp_path / "b"
    assert runner.invoke(backup, [str(dest)]).exit_code == 0
    make.user(email="later@example.kr")
    db.session.remove()

    refused = runner.invoke(restore, [str(dest)], input="n\n")
    assert refused.exit_code != 0
    assert "Replace EVERY row" in refused.output
    assert "later@example.kr" in _emails(database_url)

    result = runner.invoke(restore, [str(dest)], input="y\n")
    assert result.exit_code == 0, result.output
    assert _emails(database_url) == {"kept@example.kr"}
    # the application keeps working on the restored database
    assert auth_services.find_by_email("later@example.kr") is None
    assert auth_services.find_by_email("kept@example.kr") is not None


def test_backup_is_readable_by_its_owner_only(app, runner, make, tmp_path):
    make.user()
    old_umask = os.umask(0o022)  # the usual umask: new files readable by every local user
    try:
        dest = tmp_path / "private"
        result = runner.invoke(backup, [str(dest)])
    finally:
        os.umask(old_umask)
    assert result.exit_code == 0, result.output
    assert stat.S_IMODE(dest.stat().st_mode) == 0o600


def test_backup_into_a_folder_keeps_the_newest(app, runner, tmp_path):
    folder = tmp_path / "nightly"
    folder.mkdir()
    suffix = ".db" if BACKEND == "sqlite" else ".dump"
    for stamp in ("20200101T000000Z", "20200102T000000Z", "20200103T000000Z"):
        (folder / f"sharing-{stamp}{suffix}").write_bytes(b"old")
    (folder / "notes.txt").write_text("not a backup")
    result = runner.invoke(backup, [str(folder), "--keep", "2"])
    assert result.exit_code == 0, result.output
    names = sorted(p.name for p in folder.iterdir())
    assert len(names) == 3
    assert names[0] == "notes.txt" or "notes.txt" in names
    assert f"sharing-20200103T000000Z{suffix}" in names
    assert f"sharing-20200101T000000Z{suffix}" not in names


def test_restore_refuses_what_is_not_a_backup(app, runner, tmp_path):
    junk = tmp_path / "junk.db"
    junk.write_bytes(b"this is not a database at all" * 100)
    result = runner.invoke(restore, [str(junk), "--yes"])
    assert result.exit_code == 1
    assert "not" in result.output
    assert runner.invoke(restore, [str(tmp_path / "missing"), "--yes"]).exit_code == 2


def test_in_memory_sqlite_cannot_be_backed_up(tmp_path):
    target = Target("sqlite", make_url("sqlite://"))
    with pytest.raises(Exception, match="in-memory"):
        target.sqlite_file()


def test_prune_only_touches_backups(tmp_path):
    for n in range(4):
        (tmp_path / f"sharing-2020010{n}T000000Z.db").write_bytes(b"x")
    (tmp_path / "other.db").write_bytes(b"x")
    gone = prune(tmp_path, ".db", 1)
    assert len(gone) == 3
    assert sorted(p.name for p in tmp_path.iterdir()) == ["other.db", "sharing-20200103T000000Z.db"]


def test_pg_password_goes_in_the_environment_not_the_arguments():
    url = make_url("postgresql+psycopg://sharing:s3cret@db.internal:5433/sharing?sslmode=require")
    args, env = libpq_args(url)
    assert env["PGPASSWORD"] == "s3cret"
    assert "s3cret" not in " ".join(args)
    conninfo = args[args.index("--dbname") + 1]
    assert "dbname='sharing'" in conninfo and "host='db.internal'" in conninfo
    assert "port='5433'" in conninfo and "sslmode='require'" in conninfo


def test_backup_and_restore_are_db_subcommands_of_flask(tmp_path):
    """The operator's real command line: `flask --app wsgi db backup PATH`."""
    if BACKEND != "sqlite":
        pytest.skip("the command-line round trip runs on SQLite; PostgreSQL is covered above")
    live = tmp_path / "live.db"
    conn = sqlite3.connect(live)
    conn.execute("CREATE TABLE users (id INTEGER PRIMARY KEY, email TEXT)")
    conn.execute("INSERT INTO users (email) VALUES ('cli@example.kr')")
    conn.commit()
    conn.close()
    root = Path(__file__).resolve().parents[2]
    env = {"DATABASE_URL": f"sqlite:///{live}", "PATH": "/usr/bin:/bin", "INSTANCE_PATH": str(tmp_path / "i")}
    flask = [sys.executable, "-m", "flask", "--app", "wsgi", "db"]
    done = subprocess.run(
        [*flask, "backup", str(tmp_path / "b.db")], cwd=root, env=env, capture_output=True, text=True
    )
    assert done.returncode == 0, done.stderr
    assert "backup written" in done.stdout
    copy = sqlite3.connect(tmp_path / "b.db")
    assert copy.execute("SELECT email FROM users").fetchall() == [("cli@example.kr",)]
    assert copy.execute("PRAGMA journal_mode").fetchone()[0] == "delete"
    copy.close()
    done = subprocess.run(
        [*flask, "restore", str(tmp_path / "b.db")],
        cwd=root,
        env=env,
        capture_output=True,
        text=True,
        input="",
    )
    assert done.returncode != 0  # no confirmation given
