"""``flask --app wsgi market ...``: reminders (cron, daily) and the listing metrics."""

from __future__ import annotations

from datetime import date

import click
from flask.cli import with_appcontext


@click.group("market")
def group():
    """공유장터 (market)."""


@group.command("remind")
@click.option("--date", "on", default=None, help="Run as if today were YYYY-MM-DD (Asia/Seoul).")
@with_appcontext
def remind(on: str | None):
    """Queue hand-over-tomorrow, return-tomorrow and overdue reminders (idempotent per loan per day)."""
    from . import services

    day = None
    if on:
        try:
            day = date.fromisoformat(on)
        except ValueError:
            raise click.BadParameter("YYYY-MM-DD", param_hint="--date") from None
    counts = services.remind(day)
    click.echo(
        f"handover due: {counts['handover_due']}, return due: {counts['return_due']}, "
        f"overdue: {counts['overdue']}"
    )


@group.command("metrics")
@with_appcontext
def metrics():
    """Print the market's figures (listings, loans completed) and by month."""
    from . import services

    click.echo(services.metrics())
    for month, row in services.monthly_metrics().items():
        click.echo(f"{month}: {row['listings']} listings, {row['loans_completed']} loans completed")
