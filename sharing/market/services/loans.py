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
- Rentals of verified organisations are paid at hand-over with the borrower's trade card: the
  amount recorded on the request (the ``price_per_day`` of that moment × days, both ends counted; a
  later price change never applies), inside the same transaction; a failed payment changes
  nothing. If such a rental comes back early, the owner may refund the unused days
  (``refund_unused=True`` on return: the agreed ``price_per_day`` × the days after the return day,
  capped by the card service at what is left of the payment).
"""

from __future__ import annotations

from datetime import timedelta

from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from ...card import services as card_services
from ...core.db import transaction, utcnow
from ...core.errors import Conflict, Forbidden, NotFound
from ...core.extensions import db
from ...core.idempotency import check_key
from ...core.time import seoul_today as today
from ...notify.services import notify
from ..common import LOAN_STATUS_LABELS, for_update
from ..models import BLOCKING_STATUSES, BORROWABLE_KINDS, Listing, Loan
from .access import manages
from .loan_queries import overlapping
from .notices import decline_one, decline_open_requests, link

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
            decline_one(other, _("같은 기간에 다른 요청이 수락되었습니다."))
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


def decline(actor, loan_id: int) -> Loan:
    with transaction():
        loan, _listing = _load_for_owner(actor, loan_id)
        if loan.status != "requested":
            raise _wrong_state(loan, _("거절"))
        decline_one(loan, _("물건을 올린 분이 이번 요청은 어렵다고 했습니다."))
    return loan


def handover(actor, loan_id: int, *, idempotency_key: str | None = None) -> Loan:
    """The owner hands the item over. Card rentals are paid now, in this transaction: a failed
    payment (insufficient balance) stops the hand-over and changes nothing. A retry with the same
    Idempotency-Key answers the loan as it is."""
    idempotency_key = check_key(idempotency_key)  # the ledger's one rule for keys (422)
    with transaction():
        loan, listing = _load_for_owner(actor, loan_id)
        if idempotency_key and loan.handover_key == idempotency_key and loan.handed_over_at is not None:
            return loan
        if loan.status != "accepted":
            raise _wrong_state(loan, _("건네기"))
        if listing.card_rental and loan.amount:
            amount = loan.amount  # the price agreed on the request, not the listing's price today
            try:
                payment = card_services.pay(
                    loan.borrower, listing.organization_id, amount, idempotency_key=f"loan-{loan.id}-handover"
                )
            except Forbidden as err:
                if err.code != "own_organization":
                    raise
                # The borrower joined the organisation after asking: a member cannot pay it by card.
                raise Conflict(
                    _(
                        "빌리는 분이 이 조직의 구성원이어서 카드로 대여료를 받을 수 없습니다. "
                        "요청을 취소하고 조직 안에서 물건을 나눠 써 주세요."
                    ),
                    code="borrower_is_member",
                ) from None
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
        if refund_unused and loan.payment_id and back_on < loan.end_date and loan.price_per_day:
            unused = (loan.end_date - max(back_on, loan.start_date - timedelta(days=1))).days
            unused = min(unused, loan.days)
            refund_amount = loan.price_per_day * unused
            refund = card_services.refund(
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
