"""``flask --app wsgi archive ...``: import and export files, list stale entries, rebuild the index."""

from __future__ import annotations

import sys

import click
from flask.cli import with_appcontext
from sqlalchemy import func, select, text

from ..core.extensions import db


@click.group("archive")
def group():
    """Resource archive (지역자원 아카이브)."""


@group.command("export")
@click.argument("path", type=click.Path(dir_okay=False, writable=True, allow_dash=True), default="-")
@with_appcontext
def export_command(path: str):
    """Write every public entry as CSV (UTF-8 with BOM) to PATH (stdout by default)."""
    from .services.export import chunks

    out = sys.stdout.buffer if path == "-" else open(path, "wb")  # noqa: SIM115
    try:
        for chunk in chunks("csv"):
            out.write(chunk.encode("utf-8"))
    finally:
        if out is not sys.stdout.buffer:
            out.close()


@group.command("import")
@click.argument("path", type=click.Path(exists=True, dir_okay=False))
@click.option("--as", "email", required=True, help="The centre account the import is recorded under.")
@click.option("--commit", is_flag=True, help="Write the rows (default: a dry run).")
@with_appcontext
def import_command(path: str, email: str, commit: bool):
    """Import a CSV file (a dry run unless --commit); exit 1 when any row is rejected."""
    from ..auth.services import find_by_email
    from ..core.errors import DomainError
    from .services.importer import run_import

    actor = find_by_email(email)
    if actor is None:
        raise click.ClickException(f"no account {email}")
    with open(path, "rb") as handle:
        data = handle.read()
    try:
        result = run_import(actor, data, commit=commit)
    except DomainError as err:
        click.echo(f"{err.code}: {err.message}", err=True)
        for key, value in (err.fields or {}).items():
            click.echo(f"  {key}: {value}", err=True)
        raise SystemExit(1) from None
    summary = result.as_dict()
    click.echo(
        ("dry run: " if result.dry_run else "imported: ")
        + ", ".join(f"{k} {summary[k]}" for k in ("created", "updated", "unchanged", "rejected"))
    )
    for row in result.rows:
        if row.action == "rejected":
            click.echo(f"  row {row.row}: {' '.join(row.reasons)}", err=True)
    if summary["rejected"]:
        raise SystemExit(1)


@group.command("stale")
@with_appcontext
def stale_command():
    """How many entries nobody confirmed for over a year."""
    from .models import Resource
    from .services import stale_cutoff

    n = db.session.execute(
        select(func.count())
        .select_from(Resource)
        .where(Resource.archived_at.is_(None), Resource.confirmed_at < stale_cutoff())
    ).scalar_one()
    click.echo(f"stale entries: {n}")


@group.command("reindex")
@with_appcontext
def reindex_command():
    """Rebuild the SQLite full-text index (PostgreSQL's trigram index needs nothing)."""
    from .models import RESOURCE_SEARCH

    if db.engine.dialect.name == "sqlite":
        with db.engine.begin() as conn:
            conn.execute(text(f"INSERT INTO {RESOURCE_SEARCH.fts}({RESOURCE_SEARCH.fts}) VALUES ('rebuild')"))
    click.echo("search index rebuilt")
