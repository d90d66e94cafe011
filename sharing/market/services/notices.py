"""What a request's people are told when the market declines for them: the request's link in a notice,
and declining waiting requests (one, or all of a listing that was closed, deleted or handed over)."""

from __future__ import annotations

from flask_babel import gettext as _
from sqlalchemy import select

from ...core.db import utcnow
from ...core.extensions import db
from ...notify.services import notify
from ..models import Listing, Loan


def link(loan: Loan) -> str:
    """The request's page, as notices store it (a path inside the site)."""
    return f"/market/requests/{loan.id}"


def decline_one(loan: Loan, reason: str) -> None:
    loan.status = "declined"
    loan.decided_at = utcnow()
    notify(
        loan.borrower,
        "market.declined",
        _("'%(title)s' 요청이 거절되었습니다", title=loan.listing.title),
        reason,
        link(loan),
    )


def decline_open_requests(listing: Listing, *, reason: str) -> int:
    """Decline every waiting request of a listing (it was closed or deleted). Joins the transaction."""
    waiting = (
        db.session.execute(select(Loan).where(Loan.listing_id == listing.id, Loan.status == "requested"))
        .scalars()
        .all()
    )
    for loan in waiting:
        decline_one(loan, reason)
    return len(waiting)
