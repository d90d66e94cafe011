"""Requests to borrow (loans): the lifecycle, the no-overlap rule, card payment at hand-over, reminders.

Lifecycle (API.md): ``requested`` → ``accepted`` | ``declined`` | ``cancelled``; ``accepted`` →
``borrowed`` (hand-over) | ``cancelled``; ``borrowed`` → ``returned``. Overdue is derived: ``borrowed``
past ``end_date``.

Decisions documented here:
- Requesting one's own listing (as owner or a member of its organisation) is 403 ``own_listing``.
- share/rent take a date range (at most ``MAX_LOAN_DAYS``). swap/giveaway/sell take a reservation for
  one day (``start_date == end_date``: the day the item changes hands; 422 otherwise). Accepting one
  declines every other waiting request, and the hand-over completes the deal: the request goes to
  ``returned`` (the terminal "completed" state) and the listing is closed. Return is therefore only
  for share/rent (409 otherwise).
- No two accepted/borrowed loans of a listing overlap: the listing row is locked and the rule
  re-checked inside the transaction, and on PostgreSQL an exclusion constraint backs it up.
- Rentals of verified organisations are paid at hand-over with the borrower's trade card
  (``price_per_day`` × days, both ends counted) inside the same transaction; a failed payment changes
  nothing. If such a rental comes back early, the owner may refund the unused days
  (``refund_unused=True`` on return: ``price_per_day`` × the days after the return day, capped by the
  card service at what is left of the payment).
"""

from __future__ import annotations

from datetime import date, timedelta

from flask_babel import gettext as _
from sqlalchemy import or_, select
from sqlalchemy.exc import IntegrityError

from ..db import transaction, utcnow
from ..errors import Conflict, Forbidden, Invalid, NotFound
from ..extensions import db
from ..notify.services import notify
from ..optional import optional_import
from .common import for_update, today
from .listings import manages
from .models import BLOCKING_STATUSES, BORROWABLE_KINDS, Listing, Loan

MAX_LOAN_DAYS = 90
MAX_AHEAD_DAYS = 365
CARD_MAX = 10_000_000
KEY_MAX = 100  # Idempotency-Key of a hand-over (the card's rule; the column is String(100))


def link(loan: Loan) -> str:
    return f"/market/requests/{loan.id}"


# --- Reading ------------------------------------------------------------------------------------


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


# --- Creating a request ----------------------------------------------------------------------------


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
    if not problems and listing.card_rental and listing.price_per_day * ((end - start).days + 1) > CARD_MAX:
        problems["end_date"] = [_("대여료가 카드 결제 한도(1,000만 원)를 넘습니다. 기간을 줄여 주세요.")]
    if problems:
        raise Invalid(fields=problems)


def request(actor, listing_id: int, start_date: date, end_date: date, message: str = "") -> Loan:
    """Ask to borrow (share/rent) or to receive (swap/giveaway/sell) a listing."""
    message = (message or "").strip()
    if len(message) > 2000:
        raise Invalid(fields={"message": [_("메시지는 2000자 이하로 입력해 주세요.")]})
    with transaction():
        listing = for_update(Listing, listing_id)
        from .listings import can_see

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
            amount=listing.price_per_day * ((end_date - start_date).days + 1)
            if listing.kind == "rent"
            else None,
        )
        db.session.add(loan)
        db.session.flush()
        if message:
            from .models import LoanMessage

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


# --- Transitions ----------------------------------------------------------------------------------


def _load_for_owner(actor, loan_id: int) -> tuple[Loan, Listing]:
    """Lock the listing, then the loan (always in this order): 404, then 403 unless its owner."""
    loan = db.session.get(Loan, loan_id)
    if loan is None:
        raise NotFound(_("요청을 찾을 수 없습니다."), code="request_not_found")
    listing = for_update(Listing, loan.listing_id)
    loan = for_update(Loan, loan_id)
    if not manages(actor, listing):
        raise Forbidden(_("물건을 올린 분만 할 수 있습니다."))
    return loan, listing


def _wrong_state(loan: Loan, action: str) -> Conflict:
    from .common import LOAN_STATUS_LABELS

    return Conflict(
        _(
            "지금 상태(%(status)s)에서는 %(action)s할 수 없습니다.",
            status=str(LOAN_STATUS_LABELS.get(loan.status, loan.status)),
            action=action,
        ),
        code="invalid_transition",
    )


def accept(actor, loan_id: int) -> Loan:
    """Accept a request; the waiting requests it now overlaps are declined with a notice. 409 if its
    dates were taken meanwhile (two owners' clicks racing: the listing row lock serialises them)."""
    with transaction():
        loan, listing = _load_for_owner(actor, loan_id)
        if loan.status != "requested":
            raise _wrong_state(loan, _("수락"))
        if listing.status == "deleted":
            raise Conflict(_("삭제된 물건입니다."), code="listing_unavailable")
        if listing.kind in BORROWABLE_KINDS:
            if overlapping(listing.id, loan.start_date, loan.end_date, exclude_id=loan.id):
                raise Conflict(_("그 기간에는 이미 수락한 대여가 있습니다."), code="dates_taken")
            losers = overlapping(
                listing.id, loan.start_date, loan.end_date, statuses=("requested",), exclude_id=loan.id
            )
        else:
            taken = db.session.execute(
                select(Loan.id).where(
                    Loan.listing_id == listing.id, Loan.status.in_(BLOCKING_STATUSES), Loan.id != loan.id
                )
            ).first()
            if taken:
                raise Conflict(_("이미 다른 분과 약속한 물건입니다."), code="reserved")
            losers = (
                db.session.execute(
                    select(Loan).where(
                        Loan.listing_id == listing.id, Loan.status == "requested", Loan.id != loan.id
                    )
                )
                .scalars()
                .all()
            )
        loan.status = "accepted"
        loan.decided_at = utcnow()
        try:
            db.session.flush()
        except IntegrityError:  # PostgreSQL's exclusion constraint: a concurrent accept won
            raise Conflict(_("그 기간에는 이미 수락한 대여가 있습니다."), code="dates_taken") from None
        for other in losers:
            _decline(other, _("같은 기간에 다른 요청이 수락되었습니다."))
        notify(
            loan.borrower,
            "market.accepted",
            _("'%(title)s' 요청이 수락되었습니다", title=listing.title),
            _(
                "%(start)s에 물건을 주고받기로 했습니다. 메시지로 장소와 시간을 정해 보세요.",
                start=loan.start_date,
            ),
            link(loan),
        )
    return loan


def _decline(loan: Loan, reason: str) -> None:
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
        _decline(loan, reason)
    return len(waiting)


def decline(actor, loan_id: int) -> Loan:
    with transaction():
        loan, _listing = _load_for_owner(actor, loan_id)
        if loan.status != "requested":
            raise _wrong_state(loan, _("거절"))
        _decline(loan, _("물건을 올린 분이 이번 요청은 어렵다고 했습니다."))
    return loan


def _card_services():
    return optional_import("sharing.card.services")


def handover(actor, loan_id: int, *, idempotency_key: str | None = None) -> Loan:
    """The owner hands the item over. Card rentals are paid now, in this transaction: a failed
    payment (insufficient balance) stops the hand-over and changes nothing. A retry with the same
    Idempotency-Key answers the loan as it is."""
    if idempotency_key is not None and not 1 <= len(idempotency_key) <= KEY_MAX:
        raise Invalid(
            _("Idempotency-Key는 1자 이상 100자 이하여야 합니다."),
            fields={"Idempotency-Key": [_("1자 이상 100자 이하로 보내 주세요.")]},
        )
    with transaction():
        loan, listing = _load_for_owner(actor, loan_id)
        if idempotency_key and loan.handover_key == idempotency_key and loan.handed_over_at is not None:
            return loan
        if loan.status != "accepted":
            raise _wrong_state(loan, _("건네기"))
        if listing.card_rental:
            amount = listing.price_per_day * loan.days
            card = _card_services()
            if card is None:
                raise Conflict(
                    _("지금은 카드 결제를 할 수 없습니다. 잠시 후 다시 시도해 주세요."),
                    code="card_unavailable",
                )
            try:
                payment = card.pay(
                    loan.borrower, listing.organization_id, amount, idempotency_key=f"loan-{loan.id}-handover"
                )
            except Conflict as err:
                if err.code == "insufficient_funds":
                    raise Conflict(
                        _(
                            "빌리는 분의 지역거래카드 잔액이 부족해 건넬 수 없습니다. "
                            "대여료 %(amount)s원을 충전한 뒤 다시 시도해 주세요.",
                            amount=f"{amount:,}",
                        ),
                        code="insufficient_funds",
                    ) from None
                raise
            loan.amount = amount
            loan.payment_id = payment.id
        loan.handed_over_at = utcnow()
        loan.handover_key = idempotency_key
        loan.status = "borrowed"  # every kind passes through `borrowed` (the API's state machine)
        if listing.kind not in BORROWABLE_KINDS:
            # swap / giveaway / sell: the item changed hands for good. The listing closes now; the
            # owner's `return` then confirms the deal is complete, which opens the review.
            listing.status = "closed"
            decline_open_requests(listing, reason=_("물건이 다른 분에게 건네졌습니다."))
    return loan


def return_(actor, loan_id: int, *, refund_unused: bool = False) -> Loan:
    """The owner confirms the item is back. Optionally refunds a card rental's unused days."""
    with transaction():
        loan, listing = _load_for_owner(actor, loan_id)
        if loan.status != "borrowed":
            raise _wrong_state(loan, _("반납 확인"))
        loan.status = "returned"
        loan.returned_at = utcnow()
        back_on = today()
        if refund_unused and loan.payment_id and back_on < loan.end_date and listing.price_per_day:
            unused = (loan.end_date - max(back_on, loan.start_date - timedelta(days=1))).days
            unused = min(unused, loan.days)
            refund_amount = listing.price_per_day * unused
            card = _card_services()
            if card is None:
                raise Conflict(_("지금은 카드 환불을 할 수 없습니다."), code="card_unavailable")
            refund = card.refund(
                actor, loan.payment_id, refund_amount, idempotency_key=f"loan-{loan.id}-refund"
            )
            loan.refund_id = getattr(refund, "id", None)
            loan.refunded_amount = getattr(refund, "amount", refund_amount)
        notify(
            loan.borrower,
            "market.returned",
            _("'%(title)s' 반납이 확인되었습니다", title=listing.title),
            _("이용해 주셔서 고맙습니다. 후기를 남겨 주세요."),
            link(loan),
        )
    return loan


def cancel(actor, loan_id: int) -> Loan:
    """The requester cancels (requested or accepted), or the owner does before hand-over."""
    with transaction():
        loan = db.session.get(Loan, loan_id)
        if loan is None:
            raise NotFound(_("요청을 찾을 수 없습니다."), code="request_not_found")
        listing = for_update(Listing, loan.listing_id)
        loan = for_update(Loan, loan_id)
        is_owner = manages(actor, listing)
        if loan.borrower_id != actor.id and not is_owner:
            raise Forbidden(_("요청한 분과 물건을 올린 분만 취소할 수 있습니다."))
        if loan.status not in ("requested", "accepted"):
            raise _wrong_state(loan, _("취소"))
        loan.status = "cancelled"
        loan.cancelled_at = utcnow()
        loan.cancelled_by_id = actor.id
        other = listing.owner if loan.borrower_id == actor.id else loan.borrower
        notify(
            other,
            "market.cancelled",
            _("'%(title)s' 요청이 취소되었습니다", title=listing.title),
            _("%(name)s 님이 요청을 취소했습니다.", name=actor.name),
            link(loan),
        )
    return loan


def is_overdue(loan: Loan, on: date | None = None) -> bool:
    """Borrowed past its end date. Swaps, giveaways and sales are never due back."""
    return (
        loan.status == "borrowed"
        and loan.listing.kind in BORROWABLE_KINDS
        and loan.end_date < (on or today())
    )
