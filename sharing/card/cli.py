"""``flask --app wsgi card audit`` (exit 1 on any problem) and ``card fund``."""

from __future__ import annotations

import json
import sys

import click
from flask.cli import with_appcontext

from . import services
from .services import checkpoint_log


@click.group("card")
def group():
    """Trade card ledger (지역거래카드)."""


@group.command("audit")
@click.option("--chunk", default=5000, type=click.IntRange(100, 1_000_000), help="Rows per fetch.")
@click.option("--json", "as_json", is_flag=True, help="Print the API's JSON answer.")
@with_appcontext
def audit(chunk: int, as_json: bool):
    """Check the whole ledger (the same checks as GET /api/v1/fund/audit). Exit 1 on any problem."""
    bar = click.progressbar(length=1, label="auditing", file=sys.stderr)
    state = {"shown": 0}

    def progress(done: int, total: int) -> None:
        if bar.length != max(total, 1):
            bar.length = max(total, 1)
        bar.update(done - state["shown"])
        state["shown"] = done

    with bar:
        report = services.audit(progress, chunk=chunk)
    if as_json:
        click.echo(json.dumps(report.as_dict(), ensure_ascii=False, indent=2, default=str))
    else:
        click.echo(f"transactions checked: {report.transactions_checked}")
        click.echo(f"payments checked:     {report.payments_checked}")
        click.echo(f"fund balance:         {report.fund_balance} (expected {report.expected_fund_balance})")
        click.echo(f"ledger balanced:      {'yes' if report.ledger_balanced else 'NO'}")
        click.echo(f"hash chain intact:    {'yes' if report.chain_intact else 'NO'}")
        pending = report.pending
        click.echo(
            f"pending (apart):      top-ups {pending.get('topups', 0)} ({pending.get('topup_count', 0)}), "
            f"payouts {pending.get('payouts', 0)} ({pending.get('payout_count', 0)})"
        )
        for p in report.problems:
            where = " ".join(
                f"{k}={p[k]}"
                for k in ("transaction_id", "account_id", "expected", "stored")
                if p[k] is not None
            )
            click.echo(f"PROBLEM {p['check']}: {p['message']} {where}".rstrip())
        if report.problem_count > len(report.problems):
            click.echo(f"... and {report.problem_count - len(report.problems)} more")
        click.echo("OK" if report.ok else f"FAILED: {report.problem_count} problem(s)")
    if not report.ok:
        raise SystemExit(1)


@group.command("fund")
@with_appcontext
def fund():
    """The fund's balance, accrued and refunded fees."""
    f = services.fund_summary()
    click.echo(f"balance {f.balance} accrued {f.accrued} refunded {f.refunded} payments {f.payments}")


@group.command("checkpoint")
@with_appcontext
def checkpoint():
    """Append a signed checkpoint of the ledger to LEDGER_CHECKPOINT_FILE (run it daily from cron)."""
    c = checkpoint_log.publish()
    click.echo(f"checkpoint seq {c.seq} head {c.head} key {c.key_id} -> {checkpoint_log.path()}")


@group.command("void-pending")
@with_appcontext
def void_pending():
    """Void the pending top-ups not confirmed in time (TOPUP_PENDING_HOURS); for cron."""
    click.echo(f"voided {services.void_expired()} pending top-up(s)")
