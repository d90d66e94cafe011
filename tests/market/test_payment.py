"""Rentals of verified organisations are paid with the trade card at hand-over, inside the market's
transaction: amount = price_per_day × days (both ends), a failed payment changes nothing, the payment
id is kept, and an early return may refund the unused days."""

from __future__ import annotations

import importlib.util

import pytest
from sqlalchemy import select

from sharing.core.errors import Conflict
from sharing.core.extensions import db
from sharing.market import services
from sharing.market.models import Loan
from sharing.market.services import loans as loans_module
from sharing.notify.models import Notification

CARD = importlib.util.find_spec("sharing.card.services") is not None
needs_card = pytest.mark.skipif(not CARD, reason="card service not present")


@pytest.fixture
def rental(make, market):
    member = make.user()
    org = make.org(member)
    listing = market.listing(member, kind="rent", price_per_day=3000, organization_id=org.id)
    borrower = make.user()
    loan = market.request(listing, borrower, start=0, days=4)  # 4 days -> 12,000 won
    services.accept(member, loan.id)
    return member, org, listing, borrower, loan


@needs_card
def test_handover_pays_with_the_card_and_stores_the_payment(client, auth, rental):
    from sharing.card import services as card

    member, org, _listing, borrower, loan = rental
    card.topup(borrower, 20000, idempotency_key="t1")
    r = client.post(f"/api/v1/requests/{loan.id}/handover", headers=auth.headers(member))
    assert r.status_code == 200, r.json
    assert r.json["status"] == "borrowed" and r.json["amount"] == 12000 and r.json["payment_id"]
    payment = card.get_payment(r.json["payment_id"])
    assert payment.amount == 12000 and payment.organization_id == org.id and payment.payer_id == borrower.id
    assert card.card_summary(borrower).balance == 8000
    # borrowed cannot be cancelled (the money has moved)
    assert (
        client.post(f"/api/v1/requests/{loan.id}/cancel", headers=auth.headers(borrower)).status_code == 409
    )


@needs_card
def test_insufficient_balance_blocks_the_handover_and_changes_nothing(client, auth, rental):
    from sharing.card import services as card

    member, _org, _listing, borrower, loan = rental
    card.topup(borrower, 5000, idempotency_key="t1")
    notes_before = db.session.query(Notification).count()
    r = client.post(f"/api/v1/requests/{loan.id}/handover", headers=auth.headers(member))
    assert r.status_code == 409 and r.json["error"]["code"] == "insufficient_funds"
    assert "잔액" in r.json["error"]["message"] and "12,000" in r.json["error"]["message"]
    db.session.expire_all()
    got = db.session.get(Loan, loan.id)
    assert got.status == "accepted" and got.payment_id is None and got.handed_over_at is None
    assert card.card_summary(borrower).balance == 5000
    assert db.session.query(Notification).count() == notes_before
    card.topup(borrower, 10000, idempotency_key="t2")
    assert (
        client.post(f"/api/v1/requests/{loan.id}/handover", headers=auth.headers(member)).status_code == 200
    )


@needs_card
def test_early_return_refunds_the_unused_days(client, auth, rental, monkeypatch):
    from datetime import timedelta

    from sharing.card import services as card

    member, _org, _listing, borrower, loan = rental
    card.topup(borrower, 20000, idempotency_key="t1")
    services.handover(member, loan.id)
    loan = db.session.get(Loan, loan.id)
    back_on = loan.start_date + timedelta(days=1)  # returned on day 2 of 4: days 3 and 4 unused
    monkeypatch.setattr(loans_module, "today", lambda: back_on)
    r = client.post(
        f"/api/v1/requests/{loan.id}/return", json={"refund_unused": True}, headers=auth.headers(member)
    )
    # the route runs in the test process, so the patched "today" applies
    assert r.status_code == 200, r.json
    assert r.json["status"] == "returned" and r.json["refunded_amount"] == 6000
    assert card.card_summary(borrower).balance == 8000 + 6000
    assert card.refunded_amount(r.json["payment_id"]) == 6000


def test_payment_inside_the_transaction_with_a_fake_card(app, rental, monkeypatch):
    """Independent of the card module: the market calls pay() with the documented arguments and
    rolls everything back when it raises."""
    member, org, _listing, borrower, loan = rental
    calls = []

    class FakeCard:
        @staticmethod
        def pay(payer, organization_id, amount, *, idempotency_key=None, **_kw):
            calls.append((payer.id, organization_id, amount, idempotency_key))
            if len(calls) == 1:
                raise Conflict("잔액 부족", code="insufficient_funds")
            return type("P", (), {"id": 777})()

    monkeypatch.setattr(loans_module, "card_services", FakeCard)
    with pytest.raises(Conflict) as info:
        services.handover(member, loan.id)
    assert info.value.code == "insufficient_funds"
    assert db.session.get(Loan, loan.id).status == "accepted"
    services.handover(member, loan.id)
    assert calls[-1] == (borrower.id, org.id, 12000, f"loan-{loan.id}-handover")
    got = db.session.get(Loan, loan.id)
    assert (got.status, got.payment_id, got.amount) == ("borrowed", 777, 12000)


class NoCard:
    """A card that must not be called."""

    @staticmethod
    def pay(*_args, **_kw):
        pytest.fail("card called")

    @staticmethod
    def refund(*_args, **_kw):
        pytest.fail("card called")


def test_resident_rentals_and_shares_do_not_touch_the_card(app, make, market, monkeypatch):
    monkeypatch.setattr(loans_module, "card_services", NoCard)
    owner = make.user()
    for listing in (market.listing(owner, kind="rent", price_per_day=1000), market.listing(owner)):
        loan = market.request(listing, days=2)
        services.accept(owner, loan.id)
        services.handover(owner, loan.id)
        got = db.session.execute(select(Loan).where(Loan.id == loan.id)).scalar_one()
        assert got.status == "borrowed" and got.payment_id is None


@needs_card
def test_a_borrower_who_joined_the_renting_organisation_is_refused_at_handover(client, auth, rental):
    from sharing.card import services as card
    from sharing.card.models import CardTransaction
    from sharing.orgs import services as orgs

    member, org, _listing, borrower, loan = rental
    card.topup(borrower, 20000, idempotency_key="t1")
    orgs.invite(member, org.id, borrower.email)  # joined after the request was accepted
    db.session.commit()
    moved = db.session.query(CardTransaction).count()
    r = client.post(f"/api/v1/requests/{loan.id}/handover", headers=auth.headers(member))
    assert r.status_code == 409 and r.json["error"]["code"] == "borrower_is_member"
    assert "구성원" in r.json["error"]["message"]
    db.session.expire_all()
    assert db.session.get(Loan, loan.id).status == "accepted"
    assert db.session.query(CardTransaction).count() == moved
    assert card.card_summary(borrower).balance == 20000


def test_a_price_raised_after_the_request_never_applies_to_it(client, auth, make, market, monkeypatch):
    """The owner raises the daily price after accepting: hand-over still charges the agreed amount."""
    member = make.user()
    org = make.org(member)
    listing = market.listing(member, kind="rent", price_per_day=3000, organization_id=org.id)
    borrower = make.user()
    loan = market.request(listing, borrower, start=0, days=4)  # agreed: 4 days at 3,000 won
    r = client.patch(
        f"/api/v1/listings/{listing.id}", json={"price_per_day": 9000}, headers=auth.headers(member)
    )
    assert r.status_code == 200 and r.json["price_per_day"] == 9000
    accepted = client.post(f"/api/v1/requests/{loan.id}/accept", headers=auth.headers(member))
    assert accepted.status_code == 200
    assert (accepted.json["price_per_day"], accepted.json["amount"]) == (3000, 12000)
    client.patch(
        f"/api/v1/listings/{listing.id}", json={"price_per_day": 50000}, headers=auth.headers(member)
    )
    charged = []

    class FakeCard:
        @staticmethod
        def pay(payer, organization_id, amount, *, idempotency_key=None, **_kw):
            charged.append(amount)
            return type("P", (), {"id": 778})()

    monkeypatch.setattr(loans_module, "card_services", FakeCard)
    r = client.post(f"/api/v1/requests/{loan.id}/handover", headers=auth.headers(member))
    assert r.status_code == 200, r.json
    assert charged == [12000]
    assert (r.json["amount"], r.json["price_per_day"]) == (12000, 3000)
    # a new request is made at the new price
    later = market.request(listing, make.user(), start=10, days=2)
    assert (later.price_per_day, later.amount) == (50000, 100000)
