"""The signed-in resident's part of the home page: the card, open loans with what to do next, and
the unread notifications (counted once per page by ``main.context``).

A handful of queries whatever the number of loans: the card's two balances, and the borrowing and
lending lists, each with its listing loaded in the same query."""

from __future__ import annotations

from dataclasses import dataclass

from flask import url_for
from flask_babel import gettext as _
from sqlalchemy.orm import joinedload

from ..card import services as card
from ..core.extensions import db
from ..market import services as market

MY_LOANS = 5
OPEN = ("requested", "accepted", "borrowed")


@dataclass(frozen=True)
class LoanLine:
    title: str
    url: str
    role: str  # what the resident is in it: 빌림 (borrowing) or 빌려줌 (lending)
    next_step: str  # what happens next, e.g. "수락 대기", "반납일 12.08"
    urgent: bool  # the resident has to act (answer a request, return something late)


def _day(value) -> str:
    return value.strftime("%m.%d")


def _next_step(loan, *, lending: bool) -> tuple[str, bool]:
    if loan.status == "requested":
        return (_("요청에 답해 주세요"), True) if lending else (_("수락 대기"), False)
    if loan.status == "accepted":
        if lending:
            return _("전달일 %(day)s", day=_day(loan.start_date)), False
        return _("받는 날 %(day)s", day=_day(loan.start_date)), False
    if market.is_overdue(loan):
        return _("반납일 지남 %(day)s", day=_day(loan.end_date)), not lending
    return _("반납일 %(day)s", day=_day(loan.end_date)), False


def _open_loans(stmt, *, lending: bool) -> list[LoanLine]:
    loan = stmt.column_descriptions[0]["entity"]  # the market's Loan, named by its own statement
    rows = (
        db.session.execute(
            stmt.where(loan.status.in_(OPEN)).options(joinedload(loan.listing)).limit(MY_LOANS)
        )
        .scalars()
        .all()
    )
    lines = []
    for loan in rows:
        step, urgent = _next_step(loan, lending=lending)
        lines.append(
            LoanLine(
                title=loan.listing.title,
                url=url_for("market.request_page", loan_id=loan.id),
                role=_("빌려줌") if lending else _("빌림"),
                next_step=step,
                urgent=urgent,
            )
        )
    return lines


def my_day(user) -> dict:
    """What the home page shows a signed-in resident."""
    loans = _open_loans(market.lending_stmt(user), lending=True) + _open_loans(
        market.borrowing_stmt(user), lending=False
    )
    loans.sort(key=lambda line: not line.urgent)
    return {"card": card.card_summary(user), "loans": loans[:MY_LOANS]}
