"""Creating a request to borrow (share/rent) or to receive (swap/giveaway/sell) a listing: the date
rules and the no-overlap check at request time."""

from __future__ import annotations

from datetime import date, timedelta

from flask_babel import gettext as _
from sqlalchemy import select

from ...core.db import transaction
from ...core.errors import Conflict, Forbidden, Invalid, NotFound
from ...core.extensions import db
from ...core.money import AMOUNT_MAX
from ...core.time import seoul_today as today
from ...notify.services import notify
from ..common import for_update
from ..models import BLOCKING_STATUSES, BORROWABLE_KINDS, Listing, Loan, LoanMessage
from .access import can_see, manages
from .loan_queries import overlapping
from .notices import link

MAX_LOAN_DAYS = 90
MAX_AHEAD_DAYS = 365


def _check_dates(listing: Listing, start: date | None, end: date | None) -> None:
    problems: dict[str, list[str]] = {}
    now = today()
    if start is None:
        problems["start_date"] = [_("시작일을 입력해 주세요.")]
    if end is None:
        problems["end_date"] = [_("종료일을 입력해 주세요.")]
    if problems:
        raise Invalid(fields=problems)
    if start < now:
        problems["start_date"] = [_("지난 날짜는 고를 수 없습니다.")]
    elif start > now + timedelta(days=MAX_AHEAD_DAYS):
        problems["start_date"] = [_("1년 안의 날짜를 골라 주세요.")]
    if end < start:
        problems["end_date"] = [_("종료일은 시작일과 같거나 뒤여야 합니다.")]
    elif listing.kind in BORROWABLE_KINDS and (end - start).days + 1 > MAX_LOAN_DAYS:
        problems["end_date"] = [_("한 번에 %(n)s일까지 빌릴 수 있습니다.", n=MAX_LOAN_DAYS)]
    elif listing.kind not in BORROWABLE_KINDS and end != start:
        problems["end_date"] = [
            _("교환·나눔·판매는 물건을 주고받을 하루만 정합니다. 종료일을 시작일과 같게 해 주세요.")
        ]
    if not problems and listing.card_rental and listing.price_per_day * ((end - start).days + 1) > AMOUNT_MAX:
        problems["end_date"] = [_("대여료가 카드 결제 한도(1,000만 원)를 넘습니다. 기간을 줄여 주세요.")]
    if problems:
        raise Invalid(fields=problems)


def agreed_price(listing: Listing, start: date, end: date) -> dict:
    """The rental's terms as the request records them: the listing's daily price now and the total
    for the days asked (both ends counted). Hand-over charges these, whatever the price is later."""
    if listing.kind != "rent" or listing.price_per_day is None:
        return {"price_per_day": None, "amount": None}
    return {
        "price_per_day": listing.price_per_day,
        "amount": listing.price_per_day * ((end - start).days + 1),
    }


def request(actor, listing_id: int, start_date: date, end_date: date, message: str = "") -> Loan:
    """Ask to borrow (share/rent) or to receive (swap/giveaway/sell) a listing."""
    message = (message or "").strip()
    if len(message) > 2000:
        raise Invalid(fields={"message": [_("메시지는 2000자 이하로 입력해 주세요.")]})
    with transaction():
        listing = for_update(Listing, listing_id)
        if listing is None or not can_see(actor, listing):
            raise NotFound(_("물건을 찾을 수 없습니다."), code="listing_not_found")
        if manages(actor, listing):
            raise Forbidden(_("자기 물건은 요청할 수 없습니다."), code="own_listing")
        _check_dates(listing, start_date, end_date)
        if listing.status != "active" or listing.hidden_at is not None:
            raise Conflict(_("지금은 요청을 받지 않는 물건입니다."), code="listing_unavailable")
        if listing.kind not in BORROWABLE_KINDS:
            taken = db.session.execute(
                select(Loan.id).where(Loan.listing_id == listing.id, Loan.status.in_(BLOCKING_STATUSES))
            ).first()
            if taken:
                raise Conflict(_("이미 다른 분과 약속된 물건입니다."), code="reserved")
        elif overlapping(listing.id, start_date, end_date):
            raise Conflict(
                _("그 기간에는 이미 대여가 약속되어 있습니다. 다른 날짜를 골라 주세요."), code="dates_taken"
            )
        mine = overlapping(listing.id, start_date, end_date, statuses=("requested",))
        if any(loan.borrower_id == actor.id for loan in mine):
            raise Conflict(_("같은 기간에 이미 보낸 요청이 있습니다."), code="already_requested")
        loan = Loan(
            listing_id=listing.id,
            borrower_id=actor.id,
            start_date=start_date,
            end_date=end_date,
            message=message,
            **agreed_price(listing, start_date, end_date),
        )
        db.session.add(loan)
        db.session.flush()
        if message:
            db.session.add(LoanMessage(loan_id=loan.id, author_id=actor.id, body=message))
        notify(
            listing.owner,
            "market.request",
            _("'%(title)s'에 새 요청이 왔습니다", title=listing.title),
            _(
                "%(name)s 님이 %(start)s ~ %(end)s 요청을 보냈습니다.",
                name=actor.name,
                start=start_date,
                end=end_date,
            ),
            link(loan),
        )
    return loan
