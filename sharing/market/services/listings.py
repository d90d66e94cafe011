"""Listings: create, edit, pause, close, delete, and the centre's hiding (search: ``search``).

Who may do what (decided here, once):
- Anyone signed in lists as a resident. With ``organization_id`` the listing belongs to that
  organisation: it must exist and be verified (422 on ``organization_id`` otherwise) and the caller
  must be its member (403). Every member of the organisation manages its listings (a tool library's
  staff rotate); the centre may edit, pause, close, delete and hide any listing.
- Hidden listings (by the centre) are left out of search and answer 404, except to their owner(s) and
  the centre. Deleted listings are gone for everyone (the loans keep their history).
"""

from __future__ import annotations

from dataclasses import dataclass, fields

from flask_babel import gettext as _
from sqlalchemy import or_, select

from ...auth.services import require_centre
from ...auth.verification import require_can_act
from ...core.db import transaction, utcnow
from ...core.errors import Conflict, Forbidden, Invalid, NotFound
from ...core.extensions import db
from ...core.money import in_range
from ...core.vocab import DONGS, LISTING_CATEGORIES
from ...orgs.models import Organization
from ...records.log import record_action
from ..common import for_update
from ..models import (
    BLOCKING_STATUSES,
    CONDITIONS,
    KINDS,
    Listing,
    Loan,
)
from .access import can_see, manages
from .notices import decline_open_requests, tell_owner_hidden

EDITABLE = (
    "title",
    "description",
    "kind",
    "category",
    "dong",
    "condition",
    "price",
    "price_per_day",
    "deposit",
)


@dataclass
class ListingInput:
    title: str
    kind: str
    category: str
    dong: str
    description: str = ""
    condition: str = "good"
    price: int | None = None
    price_per_day: int | None = None
    deposit: str | None = None
    organization_id: int | None = None


def _money_ok(value) -> bool:
    return value is None or in_range(value)


def _check(data: ListingInput) -> None:
    """Every rule of a listing's fields, with a Korean message per field (422)."""
    problems: dict[str, list[str]] = {}
    title = (data.title or "").strip()
    if not 1 <= len(title) <= 100:
        problems["title"] = [_("제목은 1자 이상 100자 이하로 입력해 주세요.")]
    if len(data.description or "") > 5000:
        problems["description"] = [_("설명은 5000자 이하로 입력해 주세요.")]
    if data.kind not in KINDS:
        problems["kind"] = [_("거래 방식을 선택해 주세요.")]
    if data.category not in LISTING_CATEGORIES:
        problems["category"] = [_("분류를 선택해 주세요.")]
    if data.dong not in DONGS:
        problems["dong"] = [_("성북구의 행정동이 아닙니다.")]
    if data.condition not in CONDITIONS:
        problems["condition"] = [_("물건 상태를 선택해 주세요.")]
    if data.deposit is not None and len(data.deposit) > 200:
        problems["deposit"] = [_("보증금 안내는 200자 이하로 입력해 주세요.")]
    for name in ("price", "price_per_day"):
        if not _money_ok(getattr(data, name)):
            problems[name] = [_("금액은 1원 이상 10,000,000원 이하의 정수여야 합니다.")]
    if "price_per_day" not in problems:
        if data.kind == "rent" and data.price_per_day is None:
            problems["price_per_day"] = [_("유료 대여는 하루 대여료를 정해야 합니다.")]
        elif data.kind != "rent" and data.price_per_day is not None:
            problems["price_per_day"] = [_("하루 대여료는 유료 대여에만 정할 수 있습니다.")]
    if "price" not in problems:
        if data.kind == "sell" and data.price is None:
            problems["price"] = [_("중고 판매는 가격을 정해야 합니다.")]
        elif data.kind != "sell" and data.price is not None:
            problems["price"] = [_("가격은 중고 판매에만 정할 수 있습니다.")]
    if problems:
        raise Invalid(fields=problems)


def _check_organization(actor, organization_id: int | None) -> None:
    if organization_id is None:
        return
    org = db.session.get(Organization, organization_id)
    if org is None or not org.verified:
        raise Invalid(
            fields={"organization_id": [_("센터의 인증을 받은 조직만 조직 이름으로 올릴 수 있습니다.")]}
        )
    if not actor.member_of(organization_id):
        raise Forbidden(_("이 조직의 구성원만 조직 이름으로 올릴 수 있습니다."), code="not_member")


def create(actor, data: ListingInput) -> Listing:
    require_can_act(actor)  # a confirmed e-mail address, when required
    data.title = (data.title or "").strip()
    data.description = (data.description or "").strip()
    data.deposit = (data.deposit or "").strip() or None
    _check(data)
    _check_organization(actor, data.organization_id)
    with transaction():
        listing = Listing(owner_id=actor.id, **{f.name: getattr(data, f.name) for f in fields(data)})
        db.session.add(listing)
    return listing


# --- Reading ------------------------------------------------------------------------------------


def get(listing_id: int, viewer=None) -> Listing:
    """A listing the viewer may see; 404 otherwise (hidden or deleted)."""
    listing = db.session.get(Listing, listing_id)
    if listing is None or not can_see(viewer, listing):
        raise NotFound(_("물건을 찾을 수 없습니다."), code="listing_not_found")
    return listing


def _require_manage(actor, listing: Listing, *, centre_ok=True) -> None:
    if manages(actor, listing) or (centre_ok and actor is not None and actor.is_centre):
        return
    raise Forbidden(_("물건을 올린 분만 할 수 있습니다."))


def _locked(actor, listing_id: int) -> Listing:
    listing = for_update(Listing, listing_id)
    if listing is None or not can_see(actor, listing):
        raise NotFound(_("물건을 찾을 수 없습니다."), code="listing_not_found")
    return listing


def _has_blocking_loans(listing_id: int) -> bool:
    return (
        db.session.execute(
            select(Loan.id).where(Loan.listing_id == listing_id, Loan.status.in_(BLOCKING_STATUSES)).limit(1)
        ).first()
        is not None
    )


def update(actor, listing_id: int, changes: dict) -> Listing:
    """Change a listing's fields (owner or centre). The merged result must satisfy every rule."""
    unknown = set(changes) - set(EDITABLE) - {"status"}
    if unknown:
        raise Invalid(fields={name: [_("바꿀 수 없는 항목입니다.")] for name in unknown})
    with transaction():
        listing = _locked(actor, listing_id)
        _require_manage(actor, listing)
        merged = ListingInput(**{name: getattr(listing, name) for name in EDITABLE})
        for name, value in changes.items():
            if name == "status":
                continue
            if isinstance(value, str) and name in ("title", "description", "deposit"):
                value = value.strip()
            setattr(merged, name, value)
        merged.deposit = merged.deposit or None
        merged.description = merged.description or ""
        _check(merged)
        if merged.kind != listing.kind and _has_blocking_loans(listing.id):
            raise Conflict(
                _("수락했거나 대여 중인 요청이 있어 거래 방식을 바꿀 수 없습니다."), code="listing_in_use"
            )
        for name in EDITABLE:
            setattr(listing, name, getattr(merged, name))
        if "status" in changes:
            _set_status(actor, listing, changes["status"])
        if actor.is_centre and not manages(actor, listing):
            record_action(actor, "listing.edit", "listing", listing.id, fields=sorted(changes))
    return listing


def _set_status(actor, listing: Listing, status: str) -> None:
    if status not in ("active", "paused", "closed"):
        raise Invalid(fields={"status": [_("상태는 active, paused, closed 중 하나여야 합니다.")]})
    reopening = listing.status == "closed" and status != "closed"
    if reopening and listing.kind not in ("share", "rent") and _completed_transfer(listing.id):
        raise Conflict(_("이미 건네진 물건은 다시 올릴 수 없습니다."), code="listing_closed")
    listing.status = status
    if status == "closed":
        decline_open_requests(listing, reason=_("물건을 올린 분이 거래를 마감했습니다."))


def _completed_transfer(listing_id: int) -> bool:
    """The item of a swap, giveaway or sale has been handed over (borrowed or returned)."""
    return (
        db.session.execute(
            select(Loan.id)
            .where(Loan.listing_id == listing_id, Loan.status.in_(("borrowed", "returned")))
            .limit(1)
        ).first()
        is not None
    )


def set_status(actor, listing_id: int, status: str) -> Listing:
    """Pause (no new requests), resume, or close (open requests are declined with a notice)."""
    with transaction():
        listing = _locked(actor, listing_id)
        _require_manage(actor, listing)
        _set_status(actor, listing, status)
        if actor.is_centre and not manages(actor, listing):
            record_action(actor, f"listing.{status}", "listing", listing.id)
    return listing


def delete(actor, listing_id: int) -> None:
    """Remove a listing (owner or centre). Not while a request is accepted or the item is out (409);
    waiting requests are declined with a notice. The row stays, marked deleted, for the loans' history."""
    with transaction():
        listing = _locked(actor, listing_id)
        _require_manage(actor, listing)
        if _has_blocking_loans(listing.id):
            raise Conflict(
                _("수락했거나 대여 중인 요청이 있어 삭제할 수 없습니다. 먼저 반납이나 취소를 마쳐 주세요."),
                code="listing_in_use",
            )
        decline_open_requests(listing, reason=_("물건이 삭제되었습니다."))
        listing.status = "deleted"
        if actor.is_centre and not manages(actor, listing):
            record_action(actor, "listing.delete", "listing", listing.id)


def set_listing_hidden(actor, target_id: int, hidden: bool, reason: str = "") -> Listing:
    """The centre hides a listing from everyone but its owner(s), or shows it again. The owner is
    told either way: on hiding, with the reason (``reason``, or the rules in general) and how to
    appeal."""
    require_centre(actor)
    reason = " ".join((reason or "").split())[:500]
    with transaction():
        listing = for_update(Listing, target_id)
        if listing is None or listing.status == "deleted":
            raise NotFound(_("물건을 찾을 수 없습니다."), code="listing_not_found")
        was_hidden = listing.hidden_at is not None
        listing.hidden_at = utcnow() if hidden else None
        record_action(
            actor,
            "listing.hide" if hidden else "listing.unhide",
            "listing",
            listing.id,
            **({"reason": reason} if reason else {}),
        )
        if hidden != was_hidden:
            tell_owner_hidden(listing, hidden, reason)
    return listing


def owned_stmt(user):
    """Listings the user manages (own and their organisations'), newest first, any status but deleted."""
    org_ids = [m.organization_id for m in user.memberships]
    cond = Listing.owner_id == user.id
    if org_ids:
        cond = or_(cond, Listing.organization_id.in_(org_ids))
    return select(Listing).where(cond, Listing.status != "deleted").order_by(Listing.id.desc())


def by_owner_stmt(user_id: int):
    return (
        select(Listing)
        .where(Listing.owner_id == user_id, Listing.status == "active", Listing.hidden_at.is_(None))
        .order_by(Listing.id.desc())
    )
