"""The request form on a listing's page: a refusal comes back as typed with its errors at the fields,
a giveaway asks for one day, and a new listing's category must be chosen."""

from __future__ import annotations

import re

from sharing.core.extensions import db
from sharing.market.models import Listing, Loan

from .conftest import day


def text(r):
    return r.get_data(as_text=True)


def _value(page: str, name: str) -> str | None:
    match = re.search(rf'<(?:input|textarea)[^>]*name="{name}"[^>]*?(?:value="([^"]*)")?[^>]*>([^<]*)', page)
    if match is None:
        return None
    return match.group(1) if match.group(1) is not None else match.group(2)


def test_a_refused_request_comes_back_as_typed_with_the_error_at_the_field(client, make, auth, market):
    listing = market.listing(make.user())
    auth.login(make.user())
    data = {"start_date": day(5).isoformat(), "end_date": day(2).isoformat(), "message": "주말에 쓸게요"}
    r = client.post(f"/market/{listing.id}/requests", data=data)
    assert r.status_code == 302 and r.headers["Location"].endswith(f"/market/{listing.id}")
    page = text(client.get(r.headers["Location"]))
    assert f'value="{day(5).isoformat()}"' in page and f'value="{day(2).isoformat()}"' in page
    assert "주말에 쓸게요</textarea>" in page
    assert 'id="end_date-error"' in page and "종료일은 시작일과 같거나 뒤여야 합니다." in page
    assert re.search(
        r'<input[^>]*aria-invalid="true"[^>]*autofocus|<input[^>]*autofocus[^>]*aria-invalid', page
    )
    again = text(client.get(f"/market/{listing.id}"))  # shown once
    assert 'id="end_date-error"' not in again and "주말에 쓸게요" not in again
    db.session.rollback()
    assert db.session.query(Loan).count() == 0


def test_dates_taken_are_said_at_the_start_date(client, make, auth, market):
    owner = make.user()
    listing = market.listing(owner)
    loan = market.request(listing, start=3, days=3)
    from sharing.market import services

    services.accept(owner, loan.id)
    auth.login(make.user())
    data = {"start_date": day(4).isoformat(), "end_date": day(4).isoformat()}
    r = client.post(f"/market/{listing.id}/requests", data=data)
    page = text(client.get(r.headers["Location"]))
    assert 'id="start_date-error"' in page and "이미 대여가 약속되어 있습니다" in page


def test_a_long_message_is_not_kept_and_the_page_says_so(client, make, auth, market):
    listing = market.listing(make.user())
    auth.login(make.user())
    data = {"start_date": day(5).isoformat(), "end_date": day(2).isoformat(), "message": "가" * 1500}
    r = client.post(f"/market/{listing.id}/requests", data=data)
    page = text(client.get(r.headers["Location"]))
    assert "메시지가 길어 보관하지 못했습니다." in page
    assert f'value="{day(5).isoformat()}"' in page


def test_a_giveaway_asks_for_one_pick_up_day(client, make, auth, market):
    listing = market.listing(make.user(), kind="giveaway", title="그림책 나눔")
    auth.login(make.user())
    page = text(client.get(f"/market/{listing.id}"))
    assert "받을 날" in page and 'name="end_date"' not in page and "반납" not in page.split('id="request"')[1]
    r = client.post(f"/market/{listing.id}/requests", data={"start_date": day(2).isoformat()})
    assert "/market/requests/" in r.headers["Location"]
    db.session.rollback()
    loan = db.session.query(Loan).one()
    assert loan.start_date == loan.end_date == day(2)


def test_a_new_listing_must_choose_its_category(client, make, auth):
    auth.login(make.user())
    page = text(client.get("/market/new"))
    assert re.search(
        r'<select[^>]*name="category"[^>]*><option[^>]*value="">분류를 골라 주세요</option>', page
    )
    data = {"title": "돗자리", "kind": "share", "dong": "정릉3동", "condition": "good", "category": ""}
    r = client.post("/market/new", data=data)
    assert r.status_code == 422 and "분류를 골라 주세요." in text(r)
    assert db.session.query(Listing).count() == 0
    r = client.post("/market/new", data={**data, "category": "tools"})
    assert r.status_code == 302
