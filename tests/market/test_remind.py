"""``flask --app wsgi market remind``: due-tomorrow and overdue reminders, idempotent per loan per day."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from sharing.core.extensions import db
from sharing.market import services
from sharing.market.models import Loan
from sharing.notify.models import Notification, OutboxMail

from .conftest import day


def test_remind_queues_once_per_day(app, make, market, runner):
    owner = make.user()
    listing = market.listing(owner)
    due = market.request(listing, start=1, days=2)  # hand-over tomorrow
    services.accept(owner, due.id)
    late = market.request(listing, start=5, days=1)
    services.accept(owner, late.id)
    services.handover(owner, late.id)
    with db.session.begin():  # make it overdue: it ended two days ago
        row = db.session.get(Loan, late.id)
        row.start_date, row.end_date = day(-4), day(-2)
    result = runner.invoke(args=["market", "remind"])
    assert result.exit_code == 0, result.output
    assert "handover due: 2" in result.output and "overdue: 2" in result.output
    kinds = sorted(db.session.execute(select(Notification.kind)).scalars())
    assert kinds.count("market.handover_due") == 2 and kinds.count("market.overdue") == 2
    mails = db.session.query(OutboxMail).count()
    again = runner.invoke(args=["market", "remind"])
    assert again.exit_code == 0 and "handover due: 0" in again.output and "overdue: 0" in again.output
    assert db.session.query(OutboxMail).count() == mails
    # the next day the overdue loan is reminded again
    tomorrow = (day(1)).isoformat()
    nxt = runner.invoke(args=["market", "remind", "--date", tomorrow])
    assert "overdue: 2" in nxt.output
    assert runner.invoke(args=["market", "remind", "--date", "어제"]).exit_code != 0


def test_return_due_tomorrow(app, make, market):
    owner = make.user()
    listing = market.listing(owner)
    loan = market.request(listing, start=0, days=2)
    services.accept(owner, loan.id)
    services.handover(owner, loan.id)
    assert services.remind()["return_due"] == 1
    assert services.remind()["return_due"] == 0
    assert services.remind(loan.end_date + timedelta(days=1))["overdue"] == 2
