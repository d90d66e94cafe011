"""Backups and restores of the whole database, safe while the service keeps writing.

SQLite: the online backup API (``sqlite3.Connection.backup``) copies a consistent snapshot in one
step (in WAL mode readers never block writers, so the service goes on); the copy is written beside the
target, checked with ``PRAGMA quick_check`` and moved into place atomically. Restoring runs the same
API in reverse, into the live file, under SQLite's own locks.

PostgreSQL: ``pg_dump --format=custom`` (a consistent snapshot by MVCC) and ``pg_restore --clean
--if-exists --single-transaction`` (all or nothing). The password travels in ``PGPASSWORD``, never on
the command line where ``ps`` would show it.
"""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy.engine import URL

BACKUP_PREFIX = "sharing-"
BACKUP_MODE = 0o600  # owner only: a backup is every resident's data


class BackupError(Exception):
    """A backup or restore that cannot go on; the message says why (for the operator)."""


@dataclass(frozen=True)
class Target:
    dialect: str
    url: URL

    @property
    def suffix(self) -> str:
        return ".db" if self.dialect == "sqlite" else ".dump"

    def sqlite_file(self) -> Path:
        database = self.url.database
        if not database or database == ":memory:" or database.startswith("file::memory:"):
            raise BackupError("an in-memory SQLite database cannot be backed up or restored")
        return Path(database)


def backup_path(target: Target, path: str | os.PathLike, now: datetime | None = None) -> Path:
    """Where the backup goes: ``path`` itself, or a time-stamped file inside it when it is a folder."""
    dest = Path(path)
    if dest.is_dir() or str(path).endswith(os.sep):
        stamp = (now or datetime.now(UTC)).strftime("%Y%m%dT%H%M%SZ")
        dest.mkdir(parents=True, exist_ok=True)
        return dest / f"{BACKUP_PREFIX}{stamp}{target.suffix}"
    dest.parent.mkdir(parents=True, exist_ok=True)
    return dest


def prune(folder: Path, suffix: str, keep: int) -> list[Path]:
    """Delete all but the newest ``keep`` time-stamped backups in ``folder``; returns the deleted."""
    backups = sorted(folder.glob(f"{BACKUP_PREFIX}*{suffix}"))
    doomed = backups[:-keep] if keep > 0 else []
    for old in doomed:
        old.unlink(missing_ok=True)
    return doomed


def backup(target: Target, dest: Path, *, busy_timeout_s: float = 30.0) -> Path:
    part = dest.with_name(dest.name + ".part")
    part.unlink(missing_ok=True)
    _create_private(part)
    try:
        if target.dialect == "sqlite":
            _sqlite_backup(target.sqlite_file(), part, busy_timeout_s)
        elif target.dialect == "postgresql":
            _run(["pg_dump", "--format=custom", "--no-owner", "--no-privileges", "--file", str(part)], target)
        else:
            raise BackupError(f"no backup method for {target.dialect}")
        os.chmod(part, BACKUP_MODE)  # whatever the tool did to it: owner only
        _fsync(part)
        os.replace(part, dest)  # atomic: a reader never sees half a backup under the final name
    finally:
        part.unlink(missing_ok=True)
    return dest


def check_backup(target: Target, source: Path) -> None:
    """Refuse to restore from something that is not a sound backup of the right kind."""
    if not source.is_file():
        raise BackupError(f"no backup file at {source}")
    if target.dialect == "sqlite":
        try:
            conn = sqlite3.connect(f"file:{source}?mode=ro", uri=True)
            try:
                ok = conn.execute("PRAGMA quick_check").fetchone()[0]
                tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")}
            finally:
                conn.close()
        except sqlite3.DatabaseError as err:
            raise BackupError(f"{source} is not a SQLite database: {err}") from None
        if ok != "ok":
            raise BackupError(f"{source} fails the integrity check: {ok}")
        if "users" not in tables:
            raise BackupError(f"{source} is not a backup of this application (no users table)")
    elif target.dialect == "postgresql":
        with source.open("rb") as fh:
            if fh.read(5) != b"PGDMP":
                raise BackupError(f"{source} is not a pg_dump custom-format archive")


def restore(target: Target, source: Path, *, busy_timeout_s: float = 30.0) -> None:
    check_backup(target, source)
    if target.dialect == "sqlite":
        _sqlite_restore(source, target.sqlite_file(), busy_timeout_s)
    elif target.dialect == "postgresql":
        _run(
            [
                "pg_restore",
                "--clean",
                "--if-exists",
                "--no-owner",
                "--no-privileges",
                "--single-transaction",
                "--exit-on-error",
            ],
            target,
            tail=(str(source),),
        )
    else:
        raise BackupError(f"no restore method for {target.dialect}")


# --- SQLite -----------------------------------------------------------------------------------


def _sqlite_backup(live: Path, dest: Path, busy_timeout_s: float) -> None:
    if not live.is_file():
        raise BackupError(f"no database file at {live}")
    src = sqlite3.connect(str(live), timeout=busy_timeout_s)
    dst = sqlite3.connect(str(dest))
    try:
        # pages=-1: the whole database in one step, one consistent snapshot. (Copying in small steps
        # restarts every time another connection writes, and may never finish on a busy service.)
        src.backup(dst, pages=-1)
        dst.execute("PRAGMA journal_mode=DELETE")  # one self-contained file, no -wal beside it
        ok = dst.execute("PRAGMA quick_check").fetchone()[0]
        if ok != "ok":
            raise BackupError(f"the copy fails the integrity check: {ok}")
    finally:
        dst.close()
        src.close()


def _sqlite_restore(source: Path, live: Path, busy_timeout_s: float) -> None:
    live.parent.mkdir(parents=True, exist_ok=True)
    src = sqlite3.connect(f"file:{source}?mode=ro", uri=True)
    dst = sqlite3.connect(str(live), timeout=busy_timeout_s)
    try:
        src.backup(dst, pages=-1)  # takes the write lock on the live file; other writers wait
        dst.execute("PRAGMA journal_mode=WAL")
        ok = dst.execute("PRAGMA quick_check").fetchone()[0]
        if ok != "ok":
            raise BackupError(f"the restored database fails the integrity check: {ok}")
    finally:
        dst.close()
        src.close()


def _create_private(path: Path) -> None:
    """Create ``path`` empty, readable and writable by its owner only, before anything is written to
    it: a backup holds every account's data, and the umask alone (often 022) lets every local user
    read it. SQLite and pg_dump write into the existing file and keep its mode."""
    os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, BACKUP_MODE))


def _fsync(path: Path) -> None:
    with path.open("rb") as fh:
        os.fsync(fh.fileno())


# --- PostgreSQL -------------------------------------------------------------------------------


def _quote(value: str) -> str:
    return "'" + str(value).replace("\\", "\\\\").replace("'", "\\'") + "'"


def libpq_args(url: URL) -> tuple[list[str], dict]:
    """(connection arguments, environment) for pg_dump/pg_restore; the password only in the env."""
    env = dict(os.environ)
    if url.password:
        env["PGPASSWORD"] = str(url.password)
    parts = {"dbname": url.database or "postgres", "host": url.host, "port": url.port, "user": url.username}
    for key, value in url.query.items():  # sslmode=require and the like
        parts[key] = value if isinstance(value, str) else value[-1]
    conninfo = " ".join(f"{k}={_quote(v)}" for k, v in parts.items() if v not in (None, ""))
    return ["--dbname", conninfo, "--no-password"], env


def _run(command: list[str], target: Target, tail: tuple[str, ...] = ()) -> None:
    program = command[0]
    if shutil.which(program) is None:
        raise BackupError(f"{program} is not installed (Debian: apt-get install postgresql-client)")
    conn_args, env = libpq_args(target.url)
    done = subprocess.run([*command, *conn_args, *tail], env=env, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise BackupError(f"{program} failed ({done.returncode}): {done.stderr.strip()[-2000:]}")
