"""Reading loans: who may see a request, overlapping and booked dates, the borrowing and lending
lists, and whether a loan is overdue."""

from __future__ import annotations

from datetime import date

from flask_babel import gettext as _
from sqlalchemy import or_, select

from ...core.errors import Forbidden, NotFound
from ...core.extensions import db
from ...core.time import seoul_today as today
from ..models import BLOCKING_STATUSES, BORROWABLE_KINDS, Listing, Loan
from .access import manages


def is_participant(user, loan: Loan) -> bool:
    return user is not None and (loan.borrower_id == user.id or manages(user, loan.listing))


def get(actor, loan_id: int) -> Loan:
    """A request its borrower or the listing's owner may see; 404 missing, 403 anyone else."""
    loan = db.session.get(Loan, loan_id)
    if loan is None:
        raise NotFound(_("요청을 찾을 수 없습니다."), code="request_not_found")
    if not is_participant(actor, loan):
        raise Forbidden(_("요청한 분과 물건을 올린 분만 볼 수 있습니다."))
    return loan


def overlapping(listing_id: int, start: date, end: date, statuses=BLOCKING_STATUSES, exclude_id=None):
    stmt = select(Loan).where(
        Loan.listing_id == listing_id,
        Loan.status.in_(statuses),
        Loan.start_date <= end,
        Loan.end_date >= start,
    )
    if exclude_id is not None:
        stmt = stmt.where(Loan.id != exclude_id)
    return db.session.execute(stmt.order_by(Loan.id)).scalars().all()


def booked_ranges(listing_id: int, start: date, end: date) -> list[tuple[date, date]]:
    """The (start, end) of accepted and borrowed loans touching [start, end], for the calendar."""
    rows = db.session.execute(
        select(Loan.start_date, Loan.end_date).where(
            Loan.listing_id == listing_id,
            Loan.status.in_(BLOCKING_STATUSES),
            Loan.start_date <= end,
            Loan.end_date >= start,
        )
    ).all()
    return [(r[0], r[1]) for r in rows]


def borrowing_stmt(user):
    return select(Loan).where(Loan.borrower_id == user.id).order_by(Loan.id.desc())


def lending_stmt(user):
    org_ids = [m.organization_id for m in user.memberships]
    cond = Listing.owner_id == user.id
    if org_ids:
        cond = or_(cond, Listing.organization_id.in_(org_ids))
    return select(Loan).join(Loan.listing).where(cond).order_by(Loan.id.desc())


def is_overdue(loan: Loan, on: date | None = None) -> bool:
    """Borrowed past its end date. Swaps, giveaways and sales are never due back."""
    return (
        loan.status == "borrowed"
        and loan.listing.kind in BORROWABLE_KINDS
        and loan.end_date < (on or today())
    )
