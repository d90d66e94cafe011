"""``flask --app wsgi db backup`` while a storm of payments goes on, then ``db restore`` (issue: backups).

The backup is taken from the live database while gunicorn keeps answering card payments, top-ups and
card-paid hand-overs (SQLite's online backup API; ``pg_dump`` on PostgreSQL). It is restored into a
fresh database with ``flask --app wsgi db restore PATH --yes``, and then:

- ``flask --app wsgi card audit`` is clean on the restored database;
- the restored ledger is a prefix of the live one (the same transactions, hashes and order): a
  consistent snapshot, no torn transaction;
- every call answered before the backup started is in it, whole, and replaying its key against the
  restored service answers the same and moves nothing.
"""

from __future__ import annotations

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.pool import NullPool

from tests.crash.storm import (
    Server,
    Storm,
    check_answered_payments,
    check_answered_topups,
    check_ledger_complete,
    flask_cli,
    replay,
    seed,
    server_env,
)

pytestmark = pytest.mark.slow


def _chain(url: str) -> list[tuple[int, str]]:
    engine = create_engine(url, poolclass=NullPool)
    try:
        with engine.connect() as conn:
            return [
                tuple(r) for r in conn.execute(text("SELECT seq, hash FROM card_transactions ORDER BY seq"))
            ]
    finally:
        engine.dispose()


def test_backup_taken_mid_storm_restores_and_audits_clean(
    app, make, database_url, fresh_url, server, tmp_path
):
    world = seed(app, make)
    storm = Storm(server.start(), world)
    storm.start()
    storm.wait_for(payments=15, handovers=2)
    before = storm.answered()  # answered before the backup started: must all be in it
    handed_before = storm.handed_over()
    dest = tmp_path / "backups" / "mid-storm.bak"
    backup = flask_cli(server.env, "db", "backup", str(dest))
    during = storm.answered()
    storm.wait_for(payments=len([a for a in during if a.path.endswith("/payments")]) + 5, handovers=0)
    storm.join()
    assert storm.errors == []
    assert {a.status for a in storm.attempts} <= {201, 409}  # 409: a card ran short; no 5xx
    assert backup.returncode == 0, backup.stdout + backup.stderr
    assert dest.is_file() and not dest.with_name(dest.name + ".part").exists()
    assert len(during) > len(before), "the storm did not go on while the backup ran"
    server.stop()
    live = _chain(database_url)

    restored_env = server_env(fresh_url, tmp_path / "restored-instance")
    restore = flask_cli(restored_env, "db", "restore", str(dest), "--yes")
    assert restore.returncode == 0, restore.stdout + restore.stderr
    audit = flask_cli(restored_env, "card", "audit")
    assert audit.returncode == 0, audit.stdout + audit.stderr

    restored = _chain(fresh_url)
    assert restored == live[: len(restored)], "the backup is not a prefix of the live ledger"
    assert len(before) < len(restored) < len(live)
    engine = create_engine(fresh_url, poolclass=NullPool)
    try:
        with engine.connect() as conn:
            check_ledger_complete(conn)
            check_answered_payments(conn, before)
            check_answered_topups(conn, before)
        # The restored database serves: the keys answered before the backup replay to the same answer.
        restored_server = Server(restored_env, tmp_path / "gunicorn-restored.log")
        base = restored_server.start()
        try:
            replayed = replay(base, before, handed_before, world.owner, engine)
            assert replayed == len(before) + len(handed_before)
        finally:
            restored_server.stop()
    finally:
        engine.dispose()
