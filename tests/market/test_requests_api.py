"""Requests over the API: create, each transition, messages, reviews; status codes for every role."""

from __future__ import annotations

import pytest

from sharing.core.extensions import db
from sharing.market import services
from sharing.market.models import Loan

from .conftest import day


def body(start=1, end=2, **over):
    return {"start_date": day(start).isoformat(), "end_date": day(end).isoformat(), **over}


@pytest.fixture
def setup(make, market):
    owner, borrower, stranger, centre = make.user(), make.user(), make.user(), make.centre()
    listing = market.listing(owner)
    return owner, borrower, stranger, centre, listing


def test_create_request_codes(client, auth, setup):
    owner, borrower, stranger, _centre, listing = setup
    url = f"/api/v1/listings/{listing.id}/requests"
    assert client.post(url, json=body()).status_code == 401
    r = client.post(url, json=body(), headers=auth.headers(owner))
    assert r.status_code == 403 and r.json["error"]["code"] == "own_listing"
    for bad, field in (
        (body(-2, 1), "start_date"),
        (body(3, 1), "end_date"),
        ({"start_date": "내일"}, "start_date"),
    ):
        r = client.post(url, json=bad, headers=auth.headers(borrower))
        assert r.status_code == 422 and field in r.json["error"]["fields"], r.json
    assert (
        client.post(
            url, data="{", content_type="application/json", headers=auth.headers(borrower)
        ).status_code
        == 400
    )
    r = client.post(url, json=body(message="빌려주세요"), headers=auth.headers(borrower))
    assert r.status_code == 201 and r.json["status"] == "requested" and r.json["days"] == 2
    services.accept(owner, r.json["id"])
    r = client.post(url, json=body(2, 3), headers=auth.headers(stranger))
    assert r.status_code == 409 and r.json["error"]["code"] == "dates_taken"
    assert (
        client.post("/api/v1/listings/9999/requests", json=body(), headers=auth.headers(stranger)).status_code
        == 404
    )


@pytest.mark.parametrize("action", ("accept", "decline", "handover", "return"))
def test_owner_only_transitions_codes(client, auth, market, setup, action):
    owner, borrower, stranger, centre, listing = setup
    loan = market.request(listing, borrower)
    if action in ("handover",):
        services.accept(owner, loan.id)
    if action == "return":
        services.accept(owner, loan.id)
        services.handover(owner, loan.id)
    url = f"/api/v1/requests/{loan.id}/{action}"
    assert client.post(url).status_code == 401
    for who in (borrower, stranger, centre):
        r = client.post(url, headers=auth.headers(who))
        assert r.status_code == 403, (who, r.json)
    r = client.post(url, headers=auth.headers(owner))
    assert r.status_code == 200, r.json
    r = client.post(url, headers=auth.headers(owner))
    assert r.status_code == 409 and r.json["error"]["code"] == "invalid_transition"
    assert client.post(f"/api/v1/requests/99999/{action}", headers=auth.headers(owner)).status_code == 404


def test_cancel_codes(client, auth, market, setup):
    owner, borrower, stranger, _centre, listing = setup
    a = market.request(listing, borrower, start=1)
    b = market.request(listing, borrower, start=5)
    assert client.post(f"/api/v1/requests/{a.id}/cancel").status_code == 401
    assert client.post(f"/api/v1/requests/{a.id}/cancel", headers=auth.headers(stranger)).status_code == 403
    assert (
        client.post(f"/api/v1/requests/{a.id}/cancel", headers=auth.headers(borrower)).json["status"]
        == "cancelled"
    )
    services.accept(owner, b.id)
    assert (
        client.post(f"/api/v1/requests/{b.id}/cancel", headers=auth.headers(owner)).json["status"]
        == "cancelled"
    )
    r = client.post(f"/api/v1/requests/{b.id}/cancel", headers=auth.headers(borrower))
    assert r.status_code == 409


def test_borrowed_cannot_be_cancelled(client, auth, market, setup):
    owner, borrower, _s, _c, listing = setup
    loan = market.request(listing, borrower)
    services.accept(owner, loan.id)
    services.handover(owner, loan.id)
    for who in (owner, borrower):
        assert client.post(f"/api/v1/requests/{loan.id}/cancel", headers=auth.headers(who)).status_code == 409


def test_handover_is_idempotent_with_a_key(client, auth, market, setup):
    owner, borrower, _s, _c, listing = setup
    loan = market.request(listing, borrower)
    services.accept(owner, loan.id)
    headers = {**auth.headers(owner), "Idempotency-Key": "k-1"}
    assert client.post(f"/api/v1/requests/{loan.id}/handover", headers=headers).status_code == 200
    again = client.post(f"/api/v1/requests/{loan.id}/handover", headers=headers)
    assert again.status_code == 200 and again.json["status"] == "borrowed"
    other = {**auth.headers(owner), "Idempotency-Key": "k-2"}
    assert client.post(f"/api/v1/requests/{loan.id}/handover", headers=other).status_code == 409


def test_handover_refuses_an_over_long_key_and_changes_nothing(client, auth, market, setup):
    owner, borrower, _s, _c, listing = setup
    loan = market.request(listing, borrower)
    services.accept(owner, loan.id)
    headers = {**auth.headers(owner), "Idempotency-Key": "k" * 101}
    r = client.post(f"/api/v1/requests/{loan.id}/handover", headers=headers)
    assert r.status_code == 422
    assert "Idempotency-Key" in r.json["error"]["fields"]
    assert client.get(f"/api/v1/requests/{loan.id}", headers=auth.headers(owner)).json["status"] == "accepted"


def test_request_view_and_messages_only_for_the_two_sides(client, auth, market, setup):
    owner, borrower, stranger, centre, listing = setup
    loan = market.request(listing, borrower, message="안녕하세요")
    for who, code in ((borrower, 200), (owner, 200), (stranger, 403), (centre, 403)):
        assert client.get(f"/api/v1/requests/{loan.id}", headers=auth.headers(who)).status_code == code
        assert (
            client.get(f"/api/v1/requests/{loan.id}/messages", headers=auth.headers(who)).status_code == code
        )
        r = client.post(
            f"/api/v1/requests/{loan.id}/messages", json={"body": "네"}, headers=auth.headers(who)
        )
        assert r.status_code == (201 if code == 200 else 403)
    assert client.get(f"/api/v1/requests/{loan.id}").status_code == 401
    r = client.post(f"/api/v1/requests/{loan.id}/messages", json={"body": ""}, headers=auth.headers(owner))
    assert r.status_code == 422
    thread = client.get(f"/api/v1/requests/{loan.id}/messages", headers=auth.headers(owner)).json["items"]
    assert [m["body"] for m in thread] == ["안녕하세요", "네", "네"]
    # report and hide a message
    mid = thread[0]["id"]
    assert (
        client.post(
            f"/api/v1/messages/{mid}/reports", json={"reason": "abuse"}, headers=auth.headers(stranger)
        ).status_code
        == 403
    )
    assert (
        client.post(
            f"/api/v1/messages/{mid}/reports", json={"reason": "abuse"}, headers=auth.headers(owner)
        ).status_code
        == 201
    )
    from sharing.core.errors import Forbidden

    with pytest.raises(Forbidden):
        services.MODERATION["message"](owner, mid, True)
    services.MODERATION["message"](centre, mid, True)
    thread = client.get(f"/api/v1/requests/{loan.id}/messages", headers=auth.headers(owner)).json["items"]
    assert thread[0]["hidden"] is True and thread[0]["body"] is None


def test_lists_of_my_requests(client, auth, market, setup):
    owner, borrower, stranger, _c, listing = setup
    market.request(listing, borrower)
    assert client.get("/api/v1/requests", headers=auth.headers(borrower)).json["total"] == 1
    assert client.get("/api/v1/requests?role=owner", headers=auth.headers(owner)).json["total"] == 1
    assert client.get("/api/v1/requests", headers=auth.headers(stranger)).json["total"] == 0
    assert client.get("/api/v1/requests").status_code == 401
    assert client.get("/api/v1/requests?role=borrower", headers=auth.headers(borrower)).json["total"] == 1
    assert client.get("/api/v1/requests?role=borrower", headers=auth.headers(owner)).json["total"] == 0
    bad = client.get("/api/v1/requests?role=lender", headers=auth.headers(owner))
    assert bad.status_code == 422 and "role" in bad.json["error"]["fields"]
    assert client.get("/api/v1/requests?per_page=101", headers=auth.headers(owner)).status_code == 422
    spec = client.get("/api/v1/openapi.json").json["paths"]["/api/v1/requests"]["get"]
    assert {p["name"] for p in spec["parameters"]} >= {"role", "page", "per_page"}


def test_reviews(client, auth, market, setup):
    owner, borrower, stranger, _c, listing = setup
    loan = market.request(listing, borrower)
    url = f"/api/v1/requests/{loan.id}/review"
    assert client.post(url, json={"rating": 5}, headers=auth.headers(borrower)).status_code == 409
    services.accept(owner, loan.id)
    services.handover(owner, loan.id)
    services.return_(owner, loan.id)
    assert client.post(url, json={"rating": 5}).status_code == 401
    assert client.post(url, json={"rating": 5}, headers=auth.headers(stranger)).status_code == 403
    for bad in (0, 6, "5", 4.5, None):
        assert client.post(url, json={"rating": bad}, headers=auth.headers(borrower)).status_code == 422
    r = client.post(url, json={"rating": 4, "comment": "친절해요"}, headers=auth.headers(borrower))
    assert r.status_code == 201 and r.json["role"] == "borrower"
    again = client.post(url, json={"rating": 1}, headers=auth.headers(borrower))
    assert again.status_code == 409 and again.json["error"]["code"] == "already_reviewed"
    assert client.post(url, json={"rating": 2}, headers=auth.headers(owner)).status_code == 201
    assert client.post(url, json={"rating": 2}, headers=auth.headers(owner)).status_code == 409
    listing_json = client.get(f"/api/v1/listings/{listing.id}").json
    assert listing_json["rating"] == {"average": 4.0, "count": 1}
    ratings = client.get(f"/api/v1/users/{owner.id}/ratings").json
    assert ratings["as_lender"] == {"average": 4.0, "count": 1}
    ratings = client.get(f"/api/v1/users/{borrower.id}/ratings").json
    assert ratings["as_borrower"] == {"average": 2.0, "count": 1}
    assert db.session.get(Loan, loan.id).status == "returned"
