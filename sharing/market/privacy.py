"""The market's share of a resident's data: listings, loan requests, messages and reviews.

Deleting the account deletes its listings (declining what waits on them) and cancels its waiting
requests; an open loan must be returned or cancelled first.
"""

from __future__ import annotations

from flask_babel import gettext as _

from ..core.rows import owned_rows
from . import services as market
from .models import Listing, Loan, LoanMessage, LoanReview


def export(user) -> dict:
    return {
        "listings": owned_rows(Listing, Listing.owner_id, user.id),
        "loan_requests": owned_rows(Loan, Loan.borrower_id, user.id),
        "loan_messages": owned_rows(LoanMessage, LoanMessage.author_id, user.id),
        "reviews": owned_rows(LoanReview, LoanReview.author_id, user.id),
    }


def blockers(user) -> list[str]:
    loans = market.open_loans_count(user.id)
    if not loans:
        return []
    return [_("진행 중인 대여가 %(n)s건 있습니다. 반납하거나 취소한 뒤 탈퇴해 주세요.", n=loans)]


def erase(user, _now) -> None:
    market.withdraw_account(user.id)
