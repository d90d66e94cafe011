"""Operator commands: ``flask --app wsgi users|seed|notify|plan|card|market|db ...``.

Feature packages contribute their own click groups in ``sharing/<feature>/cli.py`` (a ``group``
attribute) and their demo data in ``sharing/<feature>/demo.py`` (a ``seed(scale, echo)`` function);
both are listed here by import, so a missing one fails at start-up instead of vanishing.
"""

from __future__ import annotations

import click
from flask import Blueprint

from .archive import cli as archive_cli
from .archive import demo as archive_demo
from .auth import demo as auth_demo
from .card import cli as card_cli
from .card import demo as card_demo
from .market import cli as market_cli
from .market import demo as market_demo
from .news import cli as news_cli
from .news import demo as news_demo
from .ops import cli as ops_cli
from .orgs import demo as orgs_demo
from .plan import cli as plan_cli
from .plan import demo as plan_demo

bp = Blueprint("cli", __name__, cli_group=None)

FEATURE_GROUPS = (
    plan_cli.group,
    card_cli.group,
    market_cli.group,
    archive_cli.group,
    news_cli.group,
    ops_cli.group,
)
# Accounts and organisations first: the card, the market and the news seed rows that point at them.
DEMO_SEEDERS = (
    auth_demo.seed,
    orgs_demo.seed,
    card_demo.seed,
    archive_demo.seed,
    market_demo.seed,
    news_demo.seed,
    plan_demo.seed,
)


@bp.cli.group("users")
def users():
    """Accounts."""


@users.command("create-admin")
@click.argument("email")
@click.option("--password", prompt=True, hide_input=True, confirmation_prompt=True)
@click.option("--name", default="마을사회적경제센터")
def create_admin(email: str, password: str, name: str):
    """Create (or promote) a centre account."""
    from .auth.services import create_admin as make
    from .core.errors import DomainError

    try:
        user = make(email, password, name)
    except DomainError as err:
        raise click.ClickException(f"{err.message} {err.fields or ''}".strip()) from None
    click.echo(f"centre account: {user.email} (id {user.id})")


@users.command("suspend")
@click.argument("email")
@click.option("--restore", is_flag=True, help="Lift the suspension instead.")
def suspend(email: str, restore: bool):
    """Suspend (or restore) any account, centre accounts included: the operator's command."""
    from .auth.services import operator_suspend
    from .core.errors import DomainError

    try:
        user = operator_suspend(email, not restore)
    except DomainError as err:
        raise click.ClickException(err.message) from None
    click.echo(f"{'restored' if restore else 'suspended'}: {user.email} (id {user.id})")


@bp.cli.group("seed")
def seed():
    """Demo data."""


@seed.command("demo")
@click.option(
    "--scale",
    default=0,
    type=click.IntRange(0, 1_000_000),
    help="Also create N listings, resources and posts (load tests).",
)
def seed_demo(scale: int):
    """Idempotent demo data: residents, the plan's village enterprises, a centre account."""
    for seed_part in DEMO_SEEDERS:
        seed_part(scale, click.echo)


@bp.cli.group("notify")
def notify_group():
    """Notifications."""


@notify_group.command("send")
@click.option("--batch", default=500, type=click.IntRange(1, 100_000))
def notify_send(batch: int):
    """Deliver the queued e-mails (SMTP, or the log when MAIL_SERVER is empty)."""
    from .notify.outbox import send_outbox

    with click.progressbar(length=batch, label="sending") as bar:
        sent, failed = send_outbox(batch, progress=lambda n, total: bar.update(1))
    click.echo(f"sent {sent}, failed {failed}")
    if failed:
        raise SystemExit(1)


for feature_group in FEATURE_GROUPS:
    bp.cli.add_command(feature_group)
