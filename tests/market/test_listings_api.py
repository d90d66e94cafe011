"""Listings over the API: create rules, edit/pause/close/delete permissions, hiding, the answer's shape."""

from __future__ import annotations

import pytest

from sharing.core.extensions import db
from sharing.market.models import Listing

BASE = {
    "title": "캠핑 텐트 4인용",
    "description": "설치 쉬운 돔 텐트",
    "kind": "share",
    "category": "leisure",
    "dong": "정릉3동",
}


def post(client, headers, **over):
    return client.post("/api/v1/listings", json={**BASE, **over}, headers=headers)


def is_korean(text):
    return any("\uac00" <= ch <= "\ud7a3" for ch in text)


def test_create_and_read(client, make, auth):
    user = make.user()
    r = post(client, auth.headers(user), kind="rent", price_per_day=5000, deposit="보증금 2만 원")
    assert r.status_code == 201, r.json
    body = r.json
    assert body["status"] == "active" and body["owner"]["id"] == user.id
    assert body["price_per_day"] == 5000 and body["deposit"] == "보증금 2만 원"
    assert body["photos"] == [] and body["rating"] == {"average": None, "count": 0}
    assert body["created_at"].endswith("+09:00")
    got = client.get(f"/api/v1/listings/{body['id']}")
    assert got.status_code == 200 and got.json["title"] == "캠핑 텐트 4인용"


def test_create_needs_a_token(client):
    assert post(client, {}).status_code == 401


@pytest.mark.parametrize(
    ("over", "field"),
    [
        ({"kind": "rent"}, "price_per_day"),
        ({"kind": "sell"}, "price"),
        ({"kind": "share", "price": 1000}, "price"),
        ({"kind": "sell", "price": 0}, "price"),
        ({"kind": "sell", "price": "1000"}, "price"),
        ({"kind": "rent", "price_per_day": 1.5}, "price_per_day"),
        ({"kind": "lend"}, "kind"),
        ({"category": "weapons"}, "category"),
        ({"dong": "역삼동"}, "dong"),
        ({"title": ""}, "title"),
        ({"title": "가" * 101}, "title"),
        ({"condition": "broken"}, "condition"),
        ({"deposit": "가" * 201}, "deposit"),
        ({"owner_id": 3}, "owner_id"),
    ],
)
def test_invalid_listings_are_422_and_nothing_is_created(client, make, auth, over, field):
    r = post(client, auth.headers(make.user()), **over)
    assert r.status_code == 422, r.json
    assert field in r.json["error"]["fields"]
    assert is_korean(r.json["error"]["message"])
    assert db.session.query(Listing).count() == 0


def test_organisation_listings(client, make, auth):
    member, outsider = make.user(), make.user()
    verified = make.org(member)
    unverified = make.org(member, verified=False)
    assert post(client, auth.headers(outsider), organization_id=verified.id).status_code == 403
    r = post(client, auth.headers(member), organization_id=unverified.id)
    assert r.status_code == 422 and "organization_id" in r.json["error"]["fields"]
    assert post(client, auth.headers(member), organization_id=99999).status_code == 422
    r = post(client, auth.headers(member), organization_id=verified.id, kind="rent", price_per_day=2000)
    assert r.status_code == 201
    assert r.json["organization"]["id"] == verified.id and r.json["card_payment"] is True


def test_patch_pause_close_and_permissions(client, make, auth, market):
    owner, other, centre = make.user(), make.user(), make.centre()
    listing = market.listing(owner)
    url = f"/api/v1/listings/{listing.id}"
    assert client.patch(url, json={"title": "x"}).status_code == 401
    assert client.patch(url, json={"title": "x"}, headers=auth.headers(other)).status_code == 403
    r = client.patch(url, json={"title": "충전 드릴", "status": "paused"}, headers=auth.headers(owner))
    assert r.status_code == 200 and r.json["title"] == "충전 드릴" and r.json["status"] == "paused"
    r = client.patch(url, json={"kind": "sell"}, headers=auth.headers(owner))
    assert r.status_code == 422 and "price" in r.json["error"]["fields"]
    r = client.patch(url, json={"kind": "sell", "price": 20000}, headers=auth.headers(owner))
    assert r.status_code == 200 and r.json["price"] == 20000
    r = client.patch(url, json={"status": "deleted"}, headers=auth.headers(owner))
    assert r.status_code == 422
    r = client.patch(url, json={"status": "closed"}, headers=auth.headers(centre))
    assert r.status_code == 200 and r.json["status"] == "closed"
    assert (
        client.patch("/api/v1/listings/99999", json={"title": "x"}, headers=auth.headers(owner)).status_code
        == 404
    )


def test_delete(client, make, auth, market):
    from sharing.market import services

    owner, other, centre = make.user(), make.user(), make.centre()
    a, b = market.listing(owner), market.listing(owner)
    assert client.delete(f"/api/v1/listings/{a.id}").status_code == 401
    assert client.delete(f"/api/v1/listings/{a.id}", headers=auth.headers(other)).status_code == 403
    loan = market.request(a)
    services.accept(owner, loan.id)
    r = client.delete(f"/api/v1/listings/{a.id}", headers=auth.headers(owner))
    assert r.status_code == 409 and r.json["error"]["code"] == "listing_in_use"
    services.cancel(owner, loan.id)
    assert client.delete(f"/api/v1/listings/{a.id}", headers=auth.headers(owner)).status_code == 204
    assert client.get(f"/api/v1/listings/{a.id}").status_code == 404
    assert client.delete(f"/api/v1/listings/{b.id}", headers=auth.headers(centre)).status_code == 204
    from sharing.records.models import AuditLog

    assert db.session.query(AuditLog).filter_by(action="listing.delete", target_id=b.id).count() == 1


def test_hidden_listings_vanish_for_everyone_but_owner_and_centre(client, make, auth, market):
    from sharing.core.errors import Forbidden
    from sharing.market import services
    from sharing.records.models import AuditLog

    owner, other, centre = make.user(), make.user(), make.centre()
    listing = market.listing(owner, title="수상한 물건")
    with pytest.raises(Forbidden):
        services.MODERATION["listing"](other, listing.id, True)
    services.MODERATION["listing"](centre, listing.id, True)
    assert db.session.query(AuditLog).filter_by(action="listing.hide").count() == 1
    for headers, seen in (
        ({}, False),
        (auth.headers(other), False),
        (auth.headers(owner), True),
        (auth.headers(centre), True),
    ):
        r = client.get("/api/v1/listings?q=수상한", headers=headers)
        assert (r.json["total"] == 1) is seen
        assert (client.get(f"/api/v1/listings/{listing.id}", headers=headers).status_code == 200) is seen
    r = client.post(
        f"/api/v1/listings/{listing.id}/requests",
        json={"start_date": "2999-01-01", "end_date": "2999-01-01"},
        headers=auth.headers(other),
    )
    assert r.status_code == 404
    services.MODERATION["listing"](centre, listing.id, False)
    assert client.get("/api/v1/listings?q=수상한").json["total"] == 1


def test_reports(client, make, auth, market):
    from sharing.records.models import Report

    owner, reporter = make.user(), make.user()
    listing = market.listing(owner)
    url = f"/api/v1/listings/{listing.id}/reports"
    assert client.post(url, json={"reason": "spam"}).status_code == 401
    assert client.post(url, json={"reason": "bad"}, headers=auth.headers(reporter)).status_code == 422
    r = client.post(
        url, json={"reason": "wrong_info", "comment": "가격이 틀려요"}, headers=auth.headers(reporter)
    )
    assert r.status_code == 201 and r.json["target_type"] == "listing"
    assert (
        client.post(
            "/api/v1/listings/9999/reports", json={"reason": "spam"}, headers=auth.headers(reporter)
        ).status_code
        == 404
    )
    assert db.session.query(Report).count() == 1


def test_openapi_documents_the_market_routes(client):
    spec = client.get("/api/v1/openapi.json").json
    for path in (
        "/api/v1/listings",
        "/api/v1/listings/{listing_id}",
        "/api/v1/listings/{listing_id}/photos",
        "/api/v1/listings/{listing_id}/requests",
        "/api/v1/requests/{loan_id}/accept",
        "/api/v1/requests/{loan_id}/decline",
        "/api/v1/requests/{loan_id}/handover",
        "/api/v1/requests/{loan_id}/return",
        "/api/v1/requests/{loan_id}/cancel",
        "/api/v1/requests/{loan_id}/review",
    ):
        assert path in spec["paths"], path
        for op in spec["paths"][path].values():
            assert not op["summary"].startswith("market_api."), op
