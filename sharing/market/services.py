"""The market's operations, in one place for the rest of the platform.

Split by topic: ``listings`` (listings, search, hiding), ``photos``, ``loans`` (the request lifecycle,
card payment, reminders), ``trust`` (messages, reviews, reports). This module re-exports them and adds
what other features call: ``home_items``, ``metrics``, ``monthly_metrics`` and ``MODERATION`` (used by
the centre's console: ``MODERATION[target_type](actor, target_id, hidden)``).
"""

from __future__ import annotations

from sqlalchemy import func, select

from ..core.extensions import db
from .listings import (
    ListingInput,
    by_owner_stmt,
    can_see,
    create,
    delete,
    get,
    home_items,
    manages,
    owned_stmt,
    search,
    search_stmt,
    set_listing_hidden,
    set_status,
    update,
)
from .loans import (
    accept,
    booked_ranges,
    borrowing_stmt,
    cancel,
    decline,
    handover,
    is_overdue,
    is_participant,
    lending_stmt,
    request,
    return_,
)
from .loans import get as get_request
from .models import Listing, Loan
from .photos import MAX_PHOTOS, add_photo, delete_photo
from .reminders import remind
from .trust import (
    messages,
    post_message,
    report_listing,
    report_message,
    review,
    reviews_of_listing,
    reviews_of_loan,
    set_message_hidden,
    user_ratings,
)

MODERATION = {"listing": set_listing_hidden, "message": set_message_hidden}

__all__ = [
    "MAX_PHOTOS",
    "MODERATION",
    "ListingInput",
    "accept",
    "add_photo",
    "booked_ranges",
    "borrowing_stmt",
    "by_owner_stmt",
    "can_see",
    "cancel",
    "create",
    "decline",
    "delete",
    "delete_photo",
    "describe_target",
    "get",
    "get_request",
    "handover",
    "home_items",
    "is_overdue",
    "is_participant",
    "lending_stmt",
    "manages",
    "messages",
    "metrics",
    "monthly_metrics",
    "owned_stmt",
    "post_message",
    "remind",
    "report_listing",
    "report_message",
    "request",
    "return_",
    "review",
    "reviews_of_listing",
    "reviews_of_loan",
    "search",
    "search_stmt",
    "set_listing_hidden",
    "set_message_hidden",
    "set_status",
    "update",
    "user_ratings",
]


def metrics() -> dict[str, int]:
    """Live figures for the plan's project 3-1: listings on the market (not deleted) and completed loans."""
    listings = db.session.execute(
        select(func.count()).select_from(Listing).where(Listing.status != "deleted")
    ).scalar_one()
    completed = db.session.execute(
        select(func.count()).select_from(Loan).where(Loan.status == "returned")
    ).scalar_one()
    return {"listings": int(listings), "loans_completed": int(completed)}


def _month(column):
    if db.engine.dialect.name == "postgresql":
        return func.to_char(func.timezone("Asia/Seoul", column), "YYYY-MM")
    return func.strftime("%Y-%m", func.datetime(column, "+9 hours"))


def monthly_metrics() -> dict[str, dict[str, int]]:
    """``{"YYYY-MM": {"listings": n, "loans_completed": n}}`` by month in Seoul time: listings created
    (not deleted) and loans completed (returned) that month."""
    out: dict[str, dict[str, int]] = {}
    month = _month(Listing.created_at)
    for key, n in db.session.execute(
        select(month, func.count()).where(Listing.status != "deleted").group_by(month)
    ).all():
        out.setdefault(key, {"listings": 0, "loans_completed": 0})["listings"] = int(n)
    month = _month(Loan.returned_at)
    for key, n in db.session.execute(
        select(month, func.count()).where(Loan.status == "returned").group_by(month)
    ).all():
        out.setdefault(key, {"listings": 0, "loans_completed": 0})["loans_completed"] = int(n)
    return dict(sorted(out.items()))


def describe_target(target_type: str, target_id: int) -> dict | None:
    """What the centre's moderation queue shows of a reported listing or message (None when gone)."""
    from flask import url_for

    from .models import LoanMessage

    if target_type == "listing":
        listing = db.session.get(Listing, target_id)
        if listing is None or listing.status == "deleted":
            return None
        return {
            "title": listing.title,
            "author_id": listing.owner_id,
            "url": url_for("market.show", listing_id=listing.id),
            "hidden": listing.hidden_at is not None,
        }
    if target_type == "message":
        message = db.session.get(LoanMessage, target_id)
        if message is None:
            return None
        return {
            "title": message.body[:80],
            "author_id": message.author_id,
            "url": url_for("market.request_page", loan_id=message.loan_id),
            "hidden": message.hidden_at is not None,
        }
    return None


# --- Accounts being deleted (auth.privacy) ---------------------------------------------------------


def open_loans_count(user_id: int) -> int:
    """Loans the resident is part of that are not settled: accepted or out, as borrower or owner."""
    from .models import Listing, Loan

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
    from flask_babel import gettext as _
    from sqlalchemy import update as sql_update

    from .loans import decline_open_requests
    from .models import Listing, Loan

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
