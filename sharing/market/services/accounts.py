"""The market's part in deleting an account (called by ``auth.privacy``)."""

from __future__ import annotations

from flask_babel import gettext as _
from sqlalchemy import func, select
from sqlalchemy import update as sql_update

from ...core.extensions import db
from ..models import Listing, Loan
from .notices import decline_open_requests


def open_loans_count(user_id: int) -> int:
    """Loans the resident is part of that are not settled: accepted or out, as borrower or owner."""
    return db.session.execute(
        select(func.count(Loan.id))
        .join(Listing, Listing.id == Loan.listing_id)
        .where(
            Loan.status.in_(("accepted", "borrowed")),
            (Loan.borrower_id == user_id) | (Listing.owner_id == user_id),
        )
    ).scalar_one()


def withdraw_account(user_id: int) -> None:
    """A deleted account's market: its waiting requests are cancelled, and its listings deleted (the
    requests waiting on them declined). Joins the caller's transaction; open loans were checked first."""
    db.session.execute(
        sql_update(Loan)
        .where(Loan.borrower_id == user_id, Loan.status == "requested")
        .values(status="cancelled", cancelled_by_id=user_id)
    )
    for listing in db.session.execute(
        select(Listing).where(Listing.owner_id == user_id, Listing.status != "deleted")
    ).scalars():
        decline_open_requests(listing, reason=_("물건이 삭제되었습니다."))
        listing.status = "deleted"
