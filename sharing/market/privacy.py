"""The market's share of a resident's data: listings, loan requests, messages and reviews, and the
questions asked before a request (the threads they opened, and the messages they wrote in any thread).

Deleting the account deletes its listings (declining what waits on them) and cancels its waiting
requests; an open loan must be returned or cancelled first. Messages stay with the other side, under
the anonymised name, whether in a request's thread or a question's: the threads of the deleted
listings become read-only, and the questions the resident asked stay for the owners they asked.
"""

from __future__ import annotations

from flask_babel import gettext as _
from sqlalchemy import select

from ..core.extensions import db
from ..core.rows import owned_rows, row_dict
from . import services as market
from .models import Listing, ListingQuestion, Loan, LoanMessage, LoanReview


def _messages(user, thread_column) -> list[dict]:
    """The messages the user wrote in one kind of thread (requests' or questions'), oldest first."""
    rows = db.session.execute(
        select(LoanMessage)
        .where(LoanMessage.author_id == user.id, thread_column.is_not(None))
        .order_by(LoanMessage.id)
    ).scalars()
    return [row_dict(r) for r in rows]


def export(user) -> dict:
    return {
        "listings": owned_rows(Listing, Listing.owner_id, user.id),
        "loan_requests": owned_rows(Loan, Loan.borrower_id, user.id),
        "loan_messages": _messages(user, LoanMessage.loan_id),
        "listing_questions": owned_rows(ListingQuestion, ListingQuestion.asker_id, user.id),
        "question_messages": _messages(user, LoanMessage.question_id),
        "reviews": owned_rows(LoanReview, LoanReview.author_id, user.id),
    }


def blockers(user) -> list[str]:
    loans = market.open_loans_count(user.id)
    if not loans:
        return []
    return [_("진행 중인 대여가 %(n)s건 있습니다. 반납하거나 취소한 뒤 탈퇴해 주세요.", n=loans)]


def erase(user, _now) -> None:
    market.withdraw_account(user.id)
