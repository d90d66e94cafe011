"""The market's pages: who sees what, forms that work, the actions each state allows."""

from __future__ import annotations

import io
import re

import pytest
from PIL import Image

from sharing.core.extensions import db
from sharing.market import services
from sharing.market.models import Listing, Loan

from .conftest import day


def text(r):
    return r.get_data(as_text=True)


def test_public_pages(client, make, market):
    listing = market.listing(make.user(), title="공구 세트")
    for url in ("/market", f"/market/{listing.id}", f"/market/users/{listing.owner_id}", "/"):
        r = client.get(url)
        assert r.status_code == 200, url
        assert "style=" not in text(r) and "<script>" not in text(r)
    page = text(client.get(f"/market/{listing.id}"))
    assert "예약 현황" in page and '<th scope="col">' in page and "로그인하고 요청하기" in page
    assert "공구 세트" in text(client.get("/"))
    assert client.get("/market/99999").status_code == 404
    assert client.get("/market/users/99999").status_code == 404
    assert client.get(f"/market/{listing.id}?month=2031-02").status_code == 200
    assert client.get(f"/market/{listing.id}?month=nonsense").status_code == 200
    assert client.get("/market?available_from=2030-01-05&available_to=2030-01-01").status_code == 200


@pytest.mark.parametrize(
    "url",
    [
        "/market/new",
        "/market/mine",
        "/market/borrowing",
        "/market/lending",
        "/market/requests/1",
        "/inbox",
        "/market/1/edit",
    ],
)
def test_sign_in_required(client, url):
    r = client.get(url)
    assert r.status_code == 302 and "/auth/login" in r.headers["Location"]


def test_new_listing_with_photos_and_errors(client, make, auth):
    user = make.user()
    auth.login(user)
    assert client.get("/market/new").status_code == 200
    r = client.post(
        "/market/new",
        data={"title": "", "kind": "rent", "category": "tools", "dong": "정릉3동", "condition": "good"},
    )
    assert r.status_code == 422 and "하루 대여료" in text(r)
    out = io.BytesIO()
    Image.new("RGB", (30, 30)).save(out, "JPEG")
    r = client.post(
        "/market/new",
        data={
            "title": "망치",
            "kind": "share",
            "category": "tools",
            "dong": "정릉3동",
            "condition": "good",
            "description": "튼튼한 망치",
            "photos": [(io.BytesIO(out.getvalue()), "a.jpg"), (io.BytesIO(b"nope"), "b.jpg")],
        },
        content_type="multipart/form-data",
    )
    assert r.status_code == 302
    db.session.rollback()  # a fresh snapshot after the request (SQLite WAL)
    listing = db.session.query(Listing).filter_by(title="망치").one()
    assert listing.photo_count == 1
    page = text(client.get(r.headers["Location"]))
    assert "b.jpg" in page  # the refused photo is reported
    assert "/media/" in page


def test_edit_pause_close_delete_pages(client, make, auth, market):
    owner, other = make.user(), make.user()
    listing = market.listing(owner)
    auth.login(other)
    assert client.get(f"/market/{listing.id}/edit").status_code == 403
    assert client.post(f"/market/{listing.id}/status", data={"status": "paused"}).status_code == 403
    assert client.post(f"/market/{listing.id}/delete").status_code == 403
    auth.logout()
    auth.login(owner)
    r = client.post(
        f"/market/{listing.id}/edit",
        data={
            "title": "새 제목",
            "kind": "share",
            "category": "tools",
            "dong": "성북동",
            "condition": "fair",
        },
    )
    assert r.status_code == 302
    db.session.rollback()
    assert db.session.get(Listing, listing.id).title == "새 제목"
    assert client.post(f"/market/{listing.id}/status", data={"status": "paused"}).status_code == 302
    db.session.rollback()
    assert db.session.get(Listing, listing.id).status == "paused"
    page = text(client.get(f"/market/{listing.id}"))
    assert "data-confirm" in page and "다시 공개하기" in page
    assert client.post(f"/market/{listing.id}/delete").status_code == 302
    db.session.rollback()
    assert db.session.get(Listing, listing.id).status == "deleted"
    assert "올린 물건이 없습니다" in text(client.get("/market/mine"))


def test_request_flow_through_the_pages(client, make, auth, market):
    owner, borrower, stranger = make.user(), make.user(), make.user()
    listing = market.listing(owner)
    auth.login(borrower)
    r = client.post(
        f"/market/{listing.id}/requests",
        data={"start_date": day(-1).isoformat(), "end_date": day(1).isoformat()},
    )
    assert r.status_code == 302
    db.session.rollback()
    assert db.session.query(Loan).count() == 0
    r = client.post(
        f"/market/{listing.id}/requests",
        data={"start_date": day(1).isoformat(), "end_date": day(2).isoformat(), "message": "빌려주세요"},
    )
    assert r.status_code == 302 and "/market/requests/" in r.headers["Location"]
    loan_id = int(re.search(r"/requests/(\d+)", r.headers["Location"]).group(1))
    page = text(client.get(f"/market/requests/{loan_id}"))
    assert (
        "빌려주세요" in page
        and "요청 취소" in page
        and "수락" not in page.split("할 수 있는 일")[1].split("메시지")[0]
    )
    assert client.post(f"/market/requests/{loan_id}/accept").status_code == 403
    assert (
        client.post(f"/market/requests/{loan_id}/messages", data={"body": "언제 갈까요?"}).status_code == 302
    )
    assert "빌린 것" in text(client.get("/market/borrowing"))
    auth.logout()
    auth.login(stranger)
    assert client.get(f"/market/requests/{loan_id}").status_code == 403
    auth.logout()
    auth.login(owner)
    lending = text(client.get("/market/lending"))
    assert "수락" in lending and "거절" in lending
    assert client.post(f"/market/requests/{loan_id}/accept").status_code == 302
    assert client.post(f"/market/requests/{loan_id}/accept").status_code == 302  # 409 shown as a message
    assert client.post(f"/market/requests/{loan_id}/handover").status_code == 302
    assert client.post(f"/market/requests/{loan_id}/return").status_code == 302
    db.session.rollback()
    assert db.session.get(Loan, loan_id).status == "returned"
    assert (
        client.post(
            f"/market/requests/{loan_id}/review", data={"rating": "5", "comment": "좋아요"}
        ).status_code
        == 302
    )
    page = text(client.get(f"/market/requests/{loan_id}"))
    assert "좋아요" in page
    assert client.post(f"/market/requests/{loan_id}/bogus").status_code == 404


def test_reports_and_centre_hide_pages(client, make, auth, market):
    owner, resident, centre = make.user(), make.user(), make.centre()
    listing = market.listing(owner, title="이상한 물건")
    auth.login(resident)
    assert client.post(f"/market/{listing.id}/report", data={"reason": "spam"}).status_code == 302
    assert client.post(f"/market/{listing.id}/hide", data={"hidden": "1"}).status_code == 403
    auth.logout()
    auth.login(centre)
    assert "센터 관리" in text(client.get(f"/market/{listing.id}"))
    assert client.post(f"/market/{listing.id}/hide", data={"hidden": "1"}).status_code == 302
    auth.logout()
    assert client.get(f"/market/{listing.id}").status_code == 404
    assert "이상한 물건" not in text(client.get("/market"))
    db.session.rollback()
    assert services.get(listing.id, owner).hidden
