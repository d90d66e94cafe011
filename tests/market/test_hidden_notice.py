"""A listing hidden by the centre tells its owner why and how to appeal; the appeal reaches the
centre's queue, and showing the listing again tells the owner too."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from sharing.core.errors import Conflict, Forbidden, NotFound
from sharing.core.extensions import db
from sharing.market import services
from sharing.notify.models import Notification
from sharing.records.models import Report


def notes(user):
    return db.session.execute(select(Notification).where(Notification.user_id == user.id)).scalars().all()


def test_hiding_tells_the_owner_the_reason_and_the_appeal(make, market):
    owner, centre = make.user(), make.centre()
    listing = market.listing(owner, title="수상한 드릴")
    services.set_listing_hidden(centre, listing.id, True, "가격이 설명과 다릅니다.")
    [note] = notes(owner)
    assert note.kind == "market.hidden" and "수상한 드릴" in note.title
    assert "가격이 설명과 다릅니다." in note.body and "이의 신청" in note.body
    assert note.link == f"/market/{listing.id}"
    services.set_listing_hidden(centre, listing.id, True)  # already hidden: no second notice
    assert len(notes(owner)) == 1
    services.set_listing_hidden(centre, listing.id, False)
    assert [n.kind for n in notes(owner)] == ["market.hidden", "market.shown"]


def test_hiding_without_a_reason_still_says_why(make, market):
    owner = make.user()
    listing = market.listing(owner)
    services.set_listing_hidden(make.centre(), listing.id, True)
    [note] = notes(owner)
    assert "신고를 살펴본 결과" in note.body


def test_the_owner_appeals_to_the_centre(make, market):
    owner, stranger, centre = make.user(), make.user(), make.centre()
    listing = market.listing(owner)
    with pytest.raises(Conflict):
        services.appeal_hidden(owner, listing.id, "왜요?")
    services.set_listing_hidden(centre, listing.id, True, "광고")
    report = services.appeal_hidden(owner, listing.id, "사진을 바꿨습니다.")
    assert report.target_type == "listing" and report.target_id == listing.id
    assert report.comment.startswith("이의 신청") and "사진을 바꿨습니다." in report.comment
    assert db.session.get(Report, report.id).status == "open"
    with pytest.raises(NotFound):  # a stranger does not see a hidden listing
        services.appeal_hidden(stranger, listing.id, "")


def test_the_pages_carry_the_reason_and_the_appeal(client, make, auth, market):
    owner, centre = make.user(), make.centre()
    listing = market.listing(owner)
    auth.login(centre)
    r = client.post(f"/market/{listing.id}/hide", data={"hidden": "1", "reason": "연락처 도배"})
    assert r.status_code == 302
    db.session.rollback()
    assert "연락처 도배" in notes(owner)[0].body
    auth.logout()
    auth.login(owner)
    page = client.get(f"/market/{listing.id}").get_data(as_text=True)
    assert 'id="appeal"' in page
    r = client.post(f"/market/{listing.id}/appeal", data={"comment": "번호를 지웠어요"})
    assert r.status_code == 302
    db.session.rollback()
    assert db.session.execute(select(Report.comment)).scalar_one().endswith("번호를 지웠어요")


def test_only_the_owner_appeals(make, market):
    owner, centre = make.user(), make.centre()
    listing = market.listing(owner)
    services.set_listing_hidden(centre, listing.id, True)
    with pytest.raises(Forbidden):
        services.appeal_hidden(centre, listing.id, "")
