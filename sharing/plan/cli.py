"""``flask --app wsgi plan load``: load (or update) the basic plan's data file into the tables."""

from __future__ import annotations

import click
from flask.cli import with_appcontext

from .loader import PlanDataError, load_plan


@click.group("plan")
def group():
    """The district's basic plan (사회적경제 기본계획 2017-2020)."""


@group.command("load")
@click.option(
    "--file", "path", type=click.Path(exists=True, dir_okay=False), default=None, help="Another data file."
)
@click.option(
    "--as",
    "email",
    default=None,
    help="The centre account the load is credited to in the audit log (default: the system).",
)
@with_appcontext
def load(path, email):
    """Load the plan's data file; idempotent (a second run changes nothing)."""
    actor = None
    if email is not None:
        from ..auth.services import find_by_email

        actor = find_by_email(email)
        if actor is None:
            raise click.ClickException(f"no account {email}")
        if not actor.is_centre:
            raise click.ClickException(f"{email} is not a centre account")
    try:
        load_plan(path, echo=click.echo, actor=actor)
    except (PlanDataError, OSError) as err:
        raise click.ClickException(str(err)) from None


@group.command("check")
@with_appcontext
def check():
    """List every printed total that differs from the sum of its parts."""
    from .services import all_discrepancies, current_plan

    problems = all_discrepancies(current_plan())
    for d in problems:
        click.echo(f"{d['where']}: stated {d['stated']}, computed {d['computed']}")
    click.echo(f"{len(problems)} discrepancies")
