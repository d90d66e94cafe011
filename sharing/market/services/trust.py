"""Trust between neighbours: the message thread of a request, ratings after return, reports, moderation.

- Messages: only the borrower and the listing's owner(s) read and write a request's thread (403);
  a question's thread before any request is in ``questions``, and is reported the same way.
- Reviews: after the item is back (``returned``), the borrower rates the listing and its owner, and the
  owner may rate the borrower; 1..5 once each (a second is 409), an optional comment.
- Reports: any signed-in resident may report a listing they can see; a message only by someone who can
  read it. They go to the centre's queue (``sharing.records.log.add_report``).
- Moderation (centre only, each writes ``record_action``): see ``MODERATION`` in services.
"""

from __future__ import annotations

from flask_babel import gettext as _
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from ...auth.services import require_centre
from ...core.db import transaction, utcnow
from ...core.errors import Conflict, Forbidden, Invalid, NotFound
from ...core.extensions import db
from ...notify.services import notify
from ...records.log import add_report, record_action
from ..common import for_update
from ..models import Listing, Loan, LoanMessage, LoanReview
from . import message_body
from .access import manages
from .listings import get as get_listing
from .loan_queries import get as get_loan
from .notices import link
from .questions import get as get_question

# --- Messages ---------------------------------------------------------------------------------------


def messages(actor, loan_id: int):
    loan = get_loan(actor, loan_id)
    return (
        db.session.execute(select(LoanMessage).where(LoanMessage.loan_id == loan.id).order_by(LoanMessage.id))
        .scalars()
        .all()
    )


def post_message(actor, loan_id: int, body: str) -> LoanMessage:
    body = message_body.clean(body)
    with transaction():
        loan = get_loan(actor, loan_id)
        message = LoanMessage(loan_id=loan.id, author_id=actor.id, body=body)
        db.session.add(message)
        other = loan.listing.owner if actor.id == loan.borrower_id else loan.borrower
        if other.id != actor.id:
            notify(
                other,
                "market.message",
                _("'%(title)s'에 새 메시지가 왔습니다", title=loan.listing.title),
                _("%(name)s: %(text)s", name=actor.name, text=body[:100]),
                link(loan),
            )
    return message


def set_message_hidden(actor, target_id: int, hidden: bool) -> LoanMessage:
    """The centre hides a reported message (its participants see that it was hidden), or restores it."""
    require_centre(actor)
    with transaction():
        message = for_update(LoanMessage, target_id)
        if message is None:
            raise NotFound(_("메시지를 찾을 수 없습니다."))
        message.hidden_at = utcnow() if hidden else None
        record_action(actor, "message.hide" if hidden else "message.unhide", "message", message.id)
    return message


# --- Reviews ----------------------------------------------------------------------------------------


def review(actor, loan_id: int, rating, comment: str = "") -> LoanReview:
    """Rate the other side after return: 201 once, 409 the second time or before return, 422 bad rating."""
    if not isinstance(rating, int) or isinstance(rating, bool) or not 1 <= rating <= 5:
        raise Invalid(fields={"rating": [_("별점은 1에서 5 사이의 정수여야 합니다.")]})
    comment = (comment or "").strip()
    if len(comment) > 1000:
        raise Invalid(fields={"comment": [_("후기는 1000자 이하로 입력해 주세요.")]})
    with transaction():
        loan = db.session.get(Loan, loan_id)
        if loan is None:
            raise NotFound(_("요청을 찾을 수 없습니다."), code="request_not_found")
        listing = for_update(Listing, loan.listing_id)
        if actor.id == loan.borrower_id:
            role, subject_id = "borrower", listing.owner_id
        elif manages(actor, listing):
            role, subject_id = "owner", loan.borrower_id
        else:
            raise Forbidden(_("빌린 분과 빌려준 분만 후기를 남길 수 있습니다."))
        if loan.status != "returned":
            raise Conflict(_("반납(거래)이 끝난 뒤에 후기를 남길 수 있습니다."), code="invalid_transition")
        exists = db.session.execute(
            select(LoanReview.id).where(LoanReview.loan_id == loan.id, LoanReview.role == role)
        ).first()
        if exists:
            raise Conflict(_("이미 후기를 남겼습니다."), code="already_reviewed")
        row = LoanReview(
            loan_id=loan.id,
            listing_id=listing.id,
            author_id=actor.id,
            subject_id=subject_id,
            role=role,
            rating=rating,
            comment=comment,
        )
        db.session.add(row)
        try:
            db.session.flush()
        except IntegrityError:
            raise Conflict(_("이미 후기를 남겼습니다."), code="already_reviewed") from None
        if role == "borrower":
            listing.rating_sum += rating
            listing.rating_count += 1
    return row


def reviews_of_listing(listing_id: int, limit: int = 20):
    return (
        db.session.execute(
            select(LoanReview)
            .where(LoanReview.listing_id == listing_id, LoanReview.role == "borrower")
            .order_by(LoanReview.id.desc())
            .limit(limit)
        )
        .scalars()
        .all()
    )


def reviews_of_loan(loan_id: int):
    return db.session.execute(select(LoanReview).where(LoanReview.loan_id == loan_id)).scalars().all()


def user_ratings(user_id: int) -> dict:
    """A resident's averages: as a lender (rated by borrowers) and as a borrower (rated by owners)."""
    rows = db.session.execute(
        select(LoanReview.role, func.count(), func.avg(LoanReview.rating))
        .where(LoanReview.subject_id == user_id)
        .group_by(LoanReview.role)
    ).all()
    out = {"as_lender": {"average": None, "count": 0}, "as_borrower": {"average": None, "count": 0}}
    for role, count, avg in rows:
        key = "as_lender" if role == "borrower" else "as_borrower"
        out[key] = {"average": round(float(avg), 1) if avg is not None else None, "count": int(count)}
    return out


# --- Reports ----------------------------------------------------------------------------------------


def report_listing(actor, listing_id: int, reason: str, comment: str = ""):
    with transaction():
        listing = get_listing(listing_id, actor)
        return add_report(actor, "listing", listing.id, reason, (comment or "").strip())


def report_message(actor, message_id: int, reason: str, comment: str = ""):
    with transaction():
        message = db.session.get(LoanMessage, message_id)
        if message is None:
            raise NotFound(_("메시지를 찾을 수 없습니다."))
        if message.question_id is not None:
            get_question(actor, message.question_id)  # 403 unless they can read the thread
        else:
            get_loan(actor, message.loan_id)
        return add_report(actor, "message", message.id, reason, (comment or "").strip())


def appeal_hidden(actor, listing_id: int, comment: str = ""):
    """The owner of a listing the centre hid asks it to look again (an appeal): a report on the
    listing in the centre's queue, where restoring it shows it again and tells the owner."""
    comment = " ".join((comment or "").split())
    if len(comment) > 900:
        raise Invalid(fields={"comment": [_("900자 이하로 입력해 주세요.")]})
    with transaction():
        listing = get_listing(listing_id, actor)
        if not manages(actor, listing):
            raise Forbidden(_("올린 분만 이의를 신청할 수 있습니다."), code="not_owner")
        if listing.hidden_at is None:
            raise Conflict(_("숨겨진 물건이 아닙니다."), code="not_hidden")
        text = _("이의 신청: %(comment)s", comment=comment) if comment else _("이의 신청")
        return add_report(actor, "listing", listing.id, "other", text)
