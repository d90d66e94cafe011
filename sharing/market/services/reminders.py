"""Reminders queued by ``flask --app wsgi market remind`` (cron, daily)."""

from __future__ import annotations

from datetime import date, timedelta

from flask_babel import gettext as _
from sqlalchemy import and_, select

from ...core.db import transaction
from ...core.extensions import db
from ...core.time import seoul_today as today
from ...notify.services import notify
from ..models import BORROWABLE_KINDS, Listing, Loan
from .notices import link


def remind(on: date | None = None) -> dict[str, int]:
    """Queue the hand-over-tomorrow, return-tomorrow and overdue reminders. Idempotent per loan, person
    and day (``dedupe_key``), so running it twice a day queues nothing new."""
    on = on or today()
    tomorrow = on + timedelta(days=1)
    counts = {"handover_due": 0, "return_due": 0, "overdue": 0}
    with transaction():
        due = (
            db.session.execute(select(Loan).where(Loan.status == "accepted", Loan.start_date == tomorrow))
            .scalars()
            .all()
        )
        for loan in due:
            for user in (loan.borrower, loan.listing.owner):
                if notify(
                    user,
                    "market.handover_due",
                    _("내일 '%(title)s'을(를) 주고받기로 했습니다", title=loan.listing.title),
                    _("%(date)s 약속을 잊지 마세요.", date=loan.start_date),
                    link(loan),
                    dedupe_key=f"loan-{loan.id}-handover-due-{on}-u{user.id}",
                ):
                    counts["handover_due"] += 1
        back = (
            db.session.execute(
                select(Loan)
                .join(Listing, Listing.id == Loan.listing_id)
                .where(
                    Loan.status == "borrowed",
                    Loan.end_date == tomorrow,
                    Listing.kind.in_(BORROWABLE_KINDS),
                )
            )
            .scalars()
            .all()
        )
        for loan in back:
            if notify(
                loan.borrower,
                "market.return_due",
                _("내일 '%(title)s' 반납일입니다", title=loan.listing.title),
                _("%(date)s까지 돌려주세요.", date=loan.end_date),
                link(loan),
                dedupe_key=f"loan-{loan.id}-return-due-{on}-u{loan.borrower_id}",
            ):
                counts["return_due"] += 1
        late = (
            db.session.execute(
                select(Loan)
                .join(Listing, Listing.id == Loan.listing_id)
                .where(
                    and_(
                        Loan.status == "borrowed",
                        Loan.end_date < on,
                        Listing.kind.in_(BORROWABLE_KINDS),
                    )
                )
            )
            .scalars()
            .all()
        )
        for loan in late:
            for user in (loan.borrower, loan.listing.owner):
                if notify(
                    user,
                    "market.overdue",
                    _("'%(title)s' 반납일이 지났습니다", title=loan.listing.title),
                    _("반납일은 %(date)s이었습니다. 메시지로 반납 일정을 정해 주세요.", date=loan.end_date),
                    link(loan),
                    dedupe_key=f"loan-{loan.id}-overdue-{on}-u{user.id}",
                ):
                    counts["overdue"] += 1
    return counts
