"""The request lifecycle through the services: every transition, allowed and forbidden."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from sharing.core.errors import Conflict, Forbidden, Invalid, NotFound
from sharing.core.extensions import db
from sharing.market import services
from sharing.market.models import Loan
from sharing.notify.models import Notification

from .conftest import day

STATES = ("requested", "accepted", "declined", "cancelled", "borrowed", "returned")
ACTIONS = ("accept", "decline", "handover", "return", "cancel_borrower", "cancel_owner")
ALLOWED = {
    ("requested", "accept"): "accepted",
    ("requested", "decline"): "declined",
    ("requested", "cancel_borrower"): "cancelled",
    ("requested", "cancel_owner"): "cancelled",
    ("accepted", "handover"): "borrowed",
    ("accepted", "cancel_borrower"): "cancelled",
    ("accepted", "cancel_owner"): "cancelled",
    ("borrowed", "return"): "returned",
}


def bring_to(state, loan, owner):
    path = {
        "requested": [],
        "accepted": [services.accept],
        "declined": [services.decline],
        "cancelled": [services.cancel],
        "borrowed": [services.accept, services.handover],
        "returned": [services.accept, services.handover, services.return_],
    }[state]
    for step in path:
        step(owner, loan.id)
    return db.session.get(Loan, loan.id)


def run(action, loan, owner, borrower):
    fn = {
        "accept": lambda: services.accept(owner, loan.id),
        "decline": lambda: services.decline(owner, loan.id),
        "handover": lambda: services.handover(owner, loan.id),
        "return": lambda: services.return_(owner, loan.id),
        "cancel_borrower": lambda: services.cancel(borrower, loan.id),
        "cancel_owner": lambda: services.cancel(owner, loan.id),
    }[action]
    return fn()


@pytest.mark.parametrize("state", STATES)
@pytest.mark.parametrize("action", ACTIONS)
def test_every_transition(app, make, market, state, action):
    owner, borrower = make.user(), make.user()
    listing = market.listing(owner)
    loan = market.request(listing, borrower, start=1, days=3)
    bring_to(state, loan, owner)
    target = ALLOWED.get((state, action))
    if target is None:
        with pytest.raises(Conflict) as info:
            run(action, loan, owner, borrower)
        assert info.value.code == "invalid_transition"
        assert db.session.get(Loan, loan.id).status == state
    else:
        run(action, loan, owner, borrower)
        db.session.expire_all()
        assert db.session.get(Loan, loan.id).status == target


@pytest.mark.parametrize("action", ("accept", "decline", "handover", "return"))
def test_only_the_owner_moves_a_request(app, make, market, action):
    owner, borrower, stranger, centre = make.user(), make.user(), make.user(), make.centre()
    listing = market.listing(owner)
    loan = market.request(listing, borrower)
    for who in (borrower, stranger, centre):
        with pytest.raises(Forbidden):
            run(action, loan, who, borrower)
    assert db.session.get(Loan, loan.id).status == "requested"


def test_strangers_cannot_cancel_and_missing_is_404(app, make, market):
    listing = market.listing()
    loan = market.request(listing)
    with pytest.raises(Forbidden):
        services.cancel(make.user(), loan.id)
    with pytest.raises(NotFound):
        services.accept(listing.owner, 999999)


def test_organisation_members_manage_its_listings(app, make, market):
    founder, colleague = make.user(), make.user()
    org = make.org(founder)
    from sharing.orgs import services as org_services

    org_services.invite(founder, org.id, colleague.email)
    colleague = db.session.get(type(colleague), colleague.id)
    listing = market.listing(founder, kind="rent", organization_id=org.id)
    loan = market.request(listing)
    services.accept(colleague, loan.id)
    assert db.session.get(Loan, loan.id).status == "accepted"
    with pytest.raises(Forbidden):
        market.request(listing, colleague)


def test_request_rules(app, make, market):
    owner, borrower = make.user(), make.user()
    listing = market.listing(owner)
    with pytest.raises(Forbidden) as info:
        services.request(owner, listing.id, day(1), day(2))
    assert info.value.code == "own_listing"
    with pytest.raises(Invalid) as info:
        services.request(borrower, listing.id, day(-1), day(2))
    assert "start_date" in info.value.fields
    with pytest.raises(Invalid) as info:
        services.request(borrower, listing.id, day(3), day(2))
    assert "end_date" in info.value.fields
    with pytest.raises(Invalid):
        services.request(borrower, listing.id, day(1), day(200))
    with pytest.raises(NotFound):
        services.request(borrower, 424242, day(1), day(2))
    assert db.session.execute(select(Loan)).first() is None
    first = services.request(borrower, listing.id, day(1), day(3))
    with pytest.raises(Conflict) as info:
        services.request(borrower, listing.id, day(2), day(4))
    assert info.value.code == "already_requested"
    services.accept(owner, first.id)
    with pytest.raises(Conflict) as info:
        services.request(make.user(), listing.id, day(3), day(5))
    assert info.value.code == "dates_taken"
    assert services.request(make.user(), listing.id, day(4), day(5)).status == "requested"


def test_paused_and_closed_listings_take_no_requests(app, make, market):
    owner = make.user()
    listing = market.listing(owner)
    services.set_status(owner, listing.id, "paused")
    with pytest.raises(Conflict) as info:
        market.request(listing)
    assert info.value.code == "listing_unavailable"
    services.set_status(owner, listing.id, "active")
    waiting = market.request(listing)
    services.set_status(owner, listing.id, "closed")
    assert db.session.get(Loan, waiting.id).status == "declined"


def test_accepting_declines_the_overlapping_requests_with_a_notice(app, make, market):
    owner = make.user()
    listing = market.listing(owner)
    a = market.request(listing, start=1, days=3)
    b = market.request(listing, start=2, days=3)
    c = market.request(listing, start=10, days=2)
    services.accept(owner, a.id)
    db.session.expire_all()
    assert db.session.get(Loan, b.id).status == "declined"
    assert db.session.get(Loan, c.id).status == "requested"
    kinds = (
        db.session.execute(select(Notification.kind).where(Notification.user_id == b.borrower_id))
        .scalars()
        .all()
    )
    assert kinds == ["market.declined"]
    with pytest.raises(Conflict):
        services.accept(owner, b.id)


def test_notifications_for_each_event(app, make, market):
    owner, borrower = make.user(), make.user()
    listing = market.listing(owner)
    loan = market.request(listing, borrower, message="주말에 빌릴 수 있을까요?")
    services.post_message(owner, loan.id, "네, 토요일 오전에 오세요.")
    services.accept(owner, loan.id)
    services.handover(owner, loan.id)
    services.return_(owner, loan.id)
    other = market.request(listing, make.user(), start=5)
    services.decline(owner, other.id)

    def kinds(user):
        return sorted(
            db.session.execute(select(Notification.kind).where(Notification.user_id == user.id)).scalars()
        )

    assert kinds(owner) == ["market.request", "market.request"]
    assert kinds(borrower) == ["market.accepted", "market.message", "market.returned"]
    assert kinds(other.borrower) == ["market.declined"]


@pytest.mark.parametrize("kind", ("swap", "giveaway", "sell"))
def test_transfer_kinds_reserve_one_day_and_complete_on_return(app, make, market, kind):
    owner = make.user()
    listing = market.listing(owner, kind=kind)
    with pytest.raises(Invalid) as info:
        market.request(listing, days=2)
    assert "end_date" in info.value.fields
    a = market.request(listing, start=2)
    b = market.request(listing, start=5)
    services.accept(owner, a.id)
    db.session.expire_all()
    assert db.session.get(Loan, b.id).status == "declined"
    with pytest.raises(Conflict) as info:
        market.request(listing, start=9)
    assert info.value.code == "reserved"
    services.handover(owner, a.id)
    db.session.expire_all()
    loan = db.session.get(Loan, a.id)
    assert loan.status == "borrowed"  # the API's state machine holds for every kind
    assert not services.is_overdue(loan, on=day(30))  # a gift is never due back
    assert services.get(listing.id).status == "closed"
    with pytest.raises(Conflict):
        services.set_status(owner, listing.id, "active")
    assert services.metrics()["loans_completed"] == 0
    services.return_(owner, a.id)  # the owner confirms the deal is complete
    db.session.expire_all()
    assert db.session.get(Loan, a.id).status == "returned"
    with pytest.raises(Conflict):
        services.return_(owner, a.id)
    assert services.metrics()["loans_completed"] == 1


def test_overdue_is_derived(app, make, market):
    owner = make.user()
    listing = market.listing(owner)
    loan = market.request(listing, start=0, days=1)
    services.accept(owner, loan.id)
    services.handover(owner, loan.id)
    loan = db.session.get(Loan, loan.id)
    assert not services.is_overdue(loan)
    assert services.is_overdue(loan, on=day(2))
