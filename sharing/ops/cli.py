"""Operator commands: ``flask --app wsgi db backup|restore`` and ``flask --app wsgi ops check``.

Flask-Migrate owns the ``db`` click group; the backup commands join it, so operators find them beside
``db upgrade``. ``ops`` holds the health check for cron and monitoring.
"""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import click
from flask.cli import with_appcontext
from flask_migrate.cli import db as db_group

from ..core.db import utcnow
from ..core.time import aware
from .backup import BackupError, Target, backup_path, check_backup, prune
from .backup import backup as run_backup
from .backup import restore as run_restore


def _target() -> Target:
    from ..core.extensions import db

    return Target(db.engine.dialect.name, db.engine.url)


def _busy_timeout_s() -> float:
    from flask import current_app

    return current_app.config.get("SQLITE_BUSY_TIMEOUT_MS", 15000) / 1000


@click.command("backup")
@click.argument("path", type=click.Path(dir_okay=True, file_okay=True))
@click.option(
    "--keep",
    type=click.IntRange(1, 10_000),
    default=None,
    help="When PATH is a folder: keep only the newest N backups in it.",
)
@with_appcontext
def backup(path: str, keep: int | None):
    """Back up the database to PATH (a file, or a folder for a time-stamped file).

    Safe while the service runs: SQLite's online backup API, or pg_dump -Fc for PostgreSQL.
    """
    target = _target()
    dest = backup_path(target, path)
    try:
        run_backup(target, dest, busy_timeout_s=_busy_timeout_s())
    except BackupError as err:
        raise click.ClickException(str(err)) from None
    click.echo(f"backup written: {dest} ({dest.stat().st_size:,} bytes)")
    if keep and dest.parent == Path(path):
        for old in prune(dest.parent, target.suffix, keep):
            click.echo(f"removed old backup: {old}")


@click.command("restore")
@click.argument("path", type=click.Path(exists=True, dir_okay=False))
@click.option("--yes", is_flag=True, help="Do not ask for confirmation.")
@with_appcontext
def restore(path: str, yes: bool):
    """Replace the whole database with the backup at PATH (asks first unless --yes)."""
    from ..core.extensions import db

    target = _target()
    source = Path(path)
    try:
        check_backup(target, source)
    except BackupError as err:
        raise click.ClickException(str(err)) from None
    where = target.url.render_as_string(hide_password=True)
    if not yes:
        click.confirm(
            f"Replace EVERY row of {where} with the backup {source}? This cannot be undone.",
            abort=True,
        )
    db.session.remove()
    db.engine.dispose()  # no pooled connection of ours holds the old file or locks
    try:
        run_restore(target, source, busy_timeout_s=_busy_timeout_s())
    except BackupError as err:
        raise click.ClickException(str(err)) from None
    db.engine.dispose()
    click.echo(f"restored {where} from {source}")


db_group.add_command(backup)
db_group.add_command(restore)


@click.group("ops")
def group():
    """Operations: health checks."""


def run_checks(*, outbox_max_age_minutes: int = 60) -> list[tuple[str, bool, str]]:
    """(name, ok, detail) for the database, the migrations and the mail outbox."""
    from sqlalchemy import func, select, text

    from ..core.extensions import db
    from ..core.migrations_state import migrations_current

    results: list[tuple[str, bool, str]] = []
    try:
        db.session.execute(text("SELECT 1"))
    except Exception as err:  # the check reports any failure, whatever the driver raises
        db.session.rollback()
        return [("database", False, str(err).splitlines()[0])]
    results.append(("database", True, db.engine.dialect.name))
    try:
        current = migrations_current()
        results.append(("migrations", current, "at head" if current else "not at head: run db upgrade"))
    except Exception as err:
        results.append(("migrations", False, str(err).splitlines()[0]))
    try:
        from ..notify.models import OutboxMail
        from ..notify.outbox import max_attempts
    except ImportError:
        return results
    unsent = OutboxMail.sent_at.is_(None)
    limit = max_attempts()
    waiting = db.session.execute(
        select(func.count(OutboxMail.id), func.min(OutboxMail.created_at)).where(
            unsent, OutboxMail.attempts < limit
        )
    ).one()
    dead = db.session.execute(
        select(func.count(OutboxMail.id)).where(unsent, OutboxMail.attempts >= limit)
    ).scalar_one()
    count, oldest = waiting
    stale = False
    if oldest is not None:
        stale = utcnow() - aware(oldest) > timedelta(minutes=outbox_max_age_minutes)
    results.append(
        ("outbox", not stale and dead == 0, f"{count} waiting, {dead} given up after {limit} attempts")
    )
    return results


@group.command("check")
@click.option(
    "--outbox-max-age",
    "outbox_max_age",
    default=60,
    type=click.IntRange(1, 100_000),
    help="Minutes a mail may wait in the outbox before the check fails.",
)
@with_appcontext
def check(outbox_max_age: int):
    """Database reachable, migrations current, mail outbox moving. Exit 1 on any problem."""
    results = run_checks(outbox_max_age_minutes=outbox_max_age)
    for name, ok, detail in results:
        click.echo(f"{'ok  ' if ok else 'FAIL'} {name}: {detail}")
    if not all(ok for _name, ok, _detail in results):
        raise SystemExit(1)
