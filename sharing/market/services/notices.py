"""What the market tells people: a request's link in a notice, declining waiting requests (one, or all
of a listing that was closed, deleted or handed over), and a listing hidden or shown again by the centre."""

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


def tell_owner_hidden(listing: Listing, hidden: bool, reason: str = "") -> None:
    """Tell a listing's owner that the centre hid it (why, and how to appeal) or showed it again."""
    if not hidden:
        notify(
            listing.owner,
            "market.shown",
            _("'%(title)s'이(가) 다시 공개되었습니다", title=listing.title),
            _("센터가 숨김을 풀었습니다. 이제 모든 이웃이 볼 수 있습니다."),
            f"/market/{listing.id}",
        )
        return
    notify(
        listing.owner,
        "market.hidden",
        _("센터가 '%(title)s'을(를) 숨겼습니다", title=listing.title),
        _(
            "숨긴 까닭: %(reason)s\n"
            "지금은 올린 분과 센터만 이 물건을 볼 수 있습니다. 내용을 고친 뒤 다시 공개해 달라고 하거나 "
            "숨김에 이의가 있으면, 물건 페이지에서 센터에 다시 살펴봐 달라고 요청해 주세요(이의 신청).",
            reason=reason or _("이용 규칙에 맞지 않는 내용이 있다는 신고를 살펴본 결과입니다."),
        ),
        f"/market/{listing.id}",
    )
