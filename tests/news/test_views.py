"""The news pages: reading, writing, the centre's buttons, reports, follows, every role, XSS."""

from __future__ import annotations

import io
import re
from datetime import timedelta

import pytest
from PIL import Image
from sqlalchemy import select

from sharing.core.db import utcnow
from sharing.core.extensions import db
from sharing.news import services
from sharing.news.models import Follow, Post
from sharing.records.models import AuditLog, Report
from tests.helpers import field_error, has_korean, page_text
from tests.news.conftest import ROLES, XSS_PAYLOADS, assert_safe_html, future, make_due


def _login(auth, cast, role):
    user = cast.user(role)
    if user is not None:
        assert auth.login(user).status_code == 302
    return user


def _post(post_id: int) -> Post | None:
    db.session.rollback()
    return db.session.get(Post, post_id)


def _titles(response) -> list[str]:
    return re.findall(r'class="news-title"><a href="/news/\d+">([^<]+)</a>', page_text(response))


# --- reading ----------------------------------------------------------------------------------------


def test_empty_list_and_filters_empty_state(client):
    r = client.get("/news")
    assert r.status_code == 200 and "아직 올라온 소식이 없습니다." in page_text(r)
    r = client.get("/news?category=culture")
    assert "조건에 맞는 소식이 아직 없습니다." in page_text(r)


def test_list_order_filters_and_paging(client, auth, cast, write):
    first = write(title="첫째", category="culture", dong="성북동")
    write(title="둘째", category="education")
    write(title="셋째", category="culture", actor=cast.other_member, organization_id=cast.other_org.id)
    write(title="임시 글", status="draft")
    write(title="예약 글", publish_at=utcnow() + timedelta(days=1))
    r = client.get("/news")
    assert _titles(r) == ["셋째", "둘째", "첫째"] and "소식 3건" in page_text(r)
    assert _titles(client.get("/news?category=culture")) == ["셋째", "첫째"]
    assert _titles(client.get("/news?dong=성북동")) == ["첫째"]
    assert _titles(client.get(f"/news?organization_id={cast.other_org.id}")) == ["셋째"]
    assert _titles(client.get("/news?category=nonsense&dong=역삼동")) == ["셋째", "둘째", "첫째"]
    _login(auth, cast, "centre")
    client.post(f"/news/{first}/pin", data={"pinned": "1"})
    r = client.get("/news")
    assert _titles(r) == ["첫째", "셋째", "둘째"] and "고정" in page_text(r)
    for n in range(20):
        write(title=f"더 {n}")
    r = client.get("/news")
    assert len(_titles(r)) == 20 and 'rel="next"' in page_text(r)
    assert len(_titles(client.get("/news?page=2"))) == 3


@pytest.mark.parametrize("role", ROLES)
def test_post_page_by_role(client, auth, cast, write, role):
    public = write(title="공개 글", body="## 안내\n\n내용", event_date=future(4), event_place="마을 마당")
    draft = write(title="임시 글", status="draft")
    scheduled = write(title="예약 글", publish_at=utcnow() + timedelta(hours=5))
    _login(auth, cast, role)
    r = client.get(f"/news/{public}")
    assert r.status_code == 200
    body = page_text(r)
    assert '<h1 id="post-title">공개 글</h1>' in body and "<h3>안내</h3>" in body
    assert "마을 마당" in body and f"/news/{public}/event.ics" in body
    insider = role in ("author", "centre")
    assert ("고치기" in body) == insider
    assert ("센터 관리" in body) == (role == "centre")
    assert ("이 소식 신고하기" in body) == (role not in ("anonymous", "author", "centre"))
    for post_id in (draft, scheduled):
        assert client.get(f"/news/{post_id}").status_code == (200 if insider else 404)
    assert client.get("/news/99999").status_code == 404


def test_edited_mark_and_state_labels(client, auth, cast, write):
    from sharing.news import services

    post_id = write()
    services.update(cast.author, post_id, {"body": "고친 본문"})
    assert "수정됨" in page_text(client.get(f"/news/{post_id}"))
    assert "수정됨" in page_text(client.get("/news"))
    scheduled = write(title="예약", publish_at=utcnow() + timedelta(days=2))
    _login(auth, cast, "author")
    assert "예약:" in page_text(client.get(f"/news/{scheduled}"))
    r = client.get("/news/manage")
    assert r.status_code == 200 and "예약" in page_text(r) and f"/news/{scheduled}" in page_text(r)


@pytest.mark.parametrize("role", ROLES)
def test_manage_page_by_role(client, auth, cast, write, role):
    draft = write(title="조직 임시", status="draft")
    _login(auth, cast, role)
    r = client.get("/news/manage")
    if role == "anonymous":
        assert r.status_code == 302 and "/auth/login" in r.headers["Location"]
        return
    assert r.status_code == 200
    assert (f"/news/{draft}" in page_text(r)) == (role in ("author", "centre"))


def test_organisation_news_page(client, auth, cast, write):
    write(title="동네목수 소식")
    write(title="다른 조직 소식", actor=cast.other_member, organization_id=cast.other_org.id)
    r = client.get(f"/news/organizations/{cast.org.id}")
    assert r.status_code == 200 and _titles(r) == ["동네목수 소식"]
    assert f"/news/feed.atom?organization_id={cast.org.id}" in page_text(r)
    assert client.get("/news/organizations/99999").status_code == 404
    r = client.get(f"/news/organizations/{cast.unverified_org.id}")
    assert r.status_code == 200 and "이 조직이 올린 소식이 아직 없습니다." in page_text(r)
    _login(auth, cast, "resident")
    r = client.post(
        "/news/follows",
        data={
            "kind": "organization",
            "organization_id": str(cast.org.id),
            "next": f"/news/organizations/{cast.org.id}",
        },
    )
    assert r.status_code == 302 and r.headers["Location"].endswith(f"/news/organizations/{cast.org.id}")
    assert "구독 끊기" in page_text(client.get(f"/news/organizations/{cast.org.id}"))


def test_home_page_shows_latest_news(client, cast, write):
    write(title="홈에 보일 소식")
    r = client.get("/")
    assert r.status_code == 200 and "홈에 보일 소식" in page_text(r)


def test_home_page_shows_a_change_at_once_though_its_sections_are_kept(client, cast, write):
    """The home sections are kept for a while; a write in this process shows on the next visit."""
    write(title="먼저 쓴 소식")
    assert "먼저 쓴 소식" in page_text(client.get("/"))
    post_id = write(title="나중에 쓴 소식")
    assert "나중에 쓴 소식" in page_text(client.get("/"))
    services.set_post_hidden(cast.centre, post_id, True)
    assert "나중에 쓴 소식" not in page_text(client.get("/"))
    scheduled = write(title="예약한 소식", publish_at=utcnow() + timedelta(hours=1))
    assert "예약한 소식" not in page_text(client.get("/"))
    make_due(scheduled)  # its time comes (a direct update: no service call)
    assert "예약한 소식" in page_text(client.get("/"))


# --- writing ------------------------------------------------------------------------------------------

NEW_STATUS = {
    "anonymous": 302,
    "resident": 403,
    "unverified_member": 403,
    "author": 200,
    "other_member": 200,
    "centre": 200,
}


@pytest.mark.parametrize("role", ROLES)
def test_new_form_by_role(client, auth, cast, role):
    _login(auth, cast, role)
    r = client.get("/news/new")
    assert r.status_code == NEW_STATUS[role]
    if r.status_code == 403:
        assert has_korean(page_text(r))
        if role == "unverified_member":
            assert "인증" in page_text(r)
    if r.status_code == 200:
        body = page_text(r)
        assert 'enctype="multipart/form-data"' in body and 'for="title"' in body
        assert ("마을사회적경제센터" in body) == (role == "centre")


def _form(**over):
    data = {
        "title": "웹에서 쓴 소식",
        "body": "**안녕하세요**",
        "category": "culture",
        "dong": "",
        "publish": "now",
        "event_place": "",
        "cover_alt": "",
    }
    data.update(over)
    return data


def _png() -> bytes:
    buf = io.BytesIO()
    Image.new("RGB", (30, 20), (0, 90, 200)).save(buf, "PNG")
    return buf.getvalue()


def test_create_through_the_form_with_cover_and_event(client, auth, cast):
    _login(auth, cast, "author")
    r = client.post(
        "/news/new",
        data=_form(
            organization_id=str(cast.org.id),
            category="market_day",
            event_date=future(6).isoformat(),
            event_time="11:00",
            event_place="정릉천",
            cover=(io.BytesIO(_png()), "c.png"),
            cover_alt="장터 사진",
        ),
        content_type="multipart/form-data",
    )
    assert r.status_code == 302, page_text(r)
    post_id = int(r.headers["Location"].rsplit("/", 1)[1])
    post = _post(post_id)
    assert post.organization_id == cast.org.id and post.cover_key and post.cover_alt == "장터 사진"
    body = page_text(client.get(f"/news/{post_id}"))
    assert (
        "<strong>안녕하세요</strong>" in body
        and f"/media/{post.cover_key}" in body
        and 'alt="장터 사진"' in body
    )


def test_form_errors_are_shown_beside_fields(client, auth, cast):
    _login(auth, cast, "author")
    r = client.post("/news/new", data=_form(organization_id=str(cast.org.id), category="market_day"))
    assert r.status_code == 422
    assert "날짜" in field_error(r, "event_date") and "장소" in field_error(r, "event_place")
    r = client.post(
        "/news/new",
        data=_form(organization_id=str(cast.org.id), event_date=(future(0) - timedelta(days=1)).isoformat()),
    )
    assert r.status_code == 422 and "지난" in field_error(r, "event_date")
    r = client.post("/news/new", data=_form(organization_id=str(cast.org.id), body="가" * 20_001))
    assert r.status_code == 422 and field_error(r, "body")
    r = client.post("/news/new", data=_form(organization_id=str(cast.org.id), publish="schedule"))
    assert r.status_code == 422 and "예약" in field_error(r, "publish_at")
    r = client.post(
        "/news/new",
        data=_form(organization_id=str(cast.org.id), cover=(io.BytesIO(b"not an image"), "x.jpg")),
        content_type="multipart/form-data",
    )
    assert r.status_code == 422 and has_korean(field_error(r, "cover") or "")
    r = client.post("/news/new", data=_form(organization_id=str(cast.other_org.id)))
    assert r.status_code == 422  # not among the choices offered to this member
    assert db.session.execute(select(Post)).first() is None


def test_schedule_and_draft_from_the_form(client, auth, cast):
    _login(auth, cast, "author")
    later = (utcnow() + timedelta(days=1)).strftime("%Y-%m-%dT%H:%M")
    r = client.post(
        "/news/new", data=_form(organization_id=str(cast.org.id), publish="schedule", publish_at=later)
    )
    assert r.status_code == 302
    r = client.post("/news/new", data=_form(organization_id=str(cast.org.id), publish="draft", title="초안"))
    assert r.status_code == 302
    auth.logout()
    assert _titles(client.get("/news")) == []


def test_centre_writes_as_the_centre(client, auth, cast):
    _login(auth, cast, "centre")
    r = client.post("/news/new", data=_form(organization_id="", category="notice", title="센터 공지"))
    assert r.status_code == 302
    db.session.rollback()
    post = db.session.execute(select(Post)).scalar_one()
    assert post.organization_id is None and post.author_id == cast.centre.id


EDIT_STATUS = {
    "anonymous": 302,
    "resident": 403,
    "unverified_member": 403,
    "author": 200,
    "other_member": 403,
    "centre": 200,
}


@pytest.mark.parametrize("role", ROLES)
def test_edit_by_role(client, auth, cast, write, role):
    post_id = write(title="원래 제목")
    _login(auth, cast, role)
    assert client.get(f"/news/{post_id}/edit").status_code == EDIT_STATUS[role]
    r = client.post(f"/news/{post_id}/edit", data=_form(title="고친 제목"))
    expected = 302 if EDIT_STATUS[role] == 200 else EDIT_STATUS[role]
    assert r.status_code == expected
    if role == "anonymous":
        assert "/auth/login" in r.headers["Location"]
    assert _post(post_id).title == ("고친 제목" if expected == 302 and role != "anonymous" else "원래 제목")


@pytest.mark.parametrize("role", ROLES)
def test_delete_by_role(client, auth, cast, write, role):
    post_id = write()
    _login(auth, cast, role)
    r = client.post(f"/news/{post_id}/delete")
    allowed = role in ("author", "centre")
    assert r.status_code == (302 if allowed or role == "anonymous" else 403)
    assert (_post(post_id) is None) == allowed


def test_delete_button_asks_first(client, auth, cast, write):
    post_id = write()
    _login(auth, cast, "author")
    body = page_text(client.get(f"/news/{post_id}"))
    assert re.search(rf'action="/news/{post_id}/delete" class="inline" data-confirm="[^"]+"', body)


@pytest.mark.parametrize("role", ROLES)
def test_pin_and_hide_buttons_by_role(client, auth, cast, write, role):
    post_id = write()
    _login(auth, cast, role)
    pin = client.post(f"/news/{post_id}/pin", data={"pinned": "1"})
    hide = client.post(f"/news/{post_id}/hide", data={"hidden": "1"})
    post = _post(post_id)
    if role == "centre":
        assert pin.status_code == hide.status_code == 302
        assert post.pinned_at is not None and post.hidden_at is not None
        actions = set(db.session.execute(select(AuditLog.action)).scalars())
        assert {"post.pin", "post.hide"} <= actions
        assert "숨김" in page_text(client.get(f"/news/{post_id}"))
    else:
        expected = 302 if role == "anonymous" else 403
        assert pin.status_code == hide.status_code == expected
        assert post.pinned_at is None and post.hidden_at is None


@pytest.mark.parametrize("role", ROLES)
def test_report_by_role(client, auth, cast, write, role):
    post_id = write()
    _login(auth, cast, role)
    r = client.post(f"/news/{post_id}/report", data={"reason": "spam", "comment": "광고"})
    assert r.status_code == 302
    db.session.rollback()
    reports = db.session.execute(select(Report)).scalars().all()
    assert len(reports) == (0 if role == "anonymous" else 1)
    if role != "anonymous":
        assert client.post("/news/99999/report", data={"reason": "spam"}).status_code == 404
        r = client.post(f"/news/{post_id}/report", data={"reason": "nonsense"}, follow_redirects=True)
        assert "신고 사유를 선택해 주세요." in page_text(r)


# --- follows ------------------------------------------------------------------------------------------


def test_follows_page(client, auth, cast, make):
    assert client.get("/news/follows").status_code == 302
    _login(auth, cast, "resident")
    r = client.get("/news/follows")
    assert r.status_code == 200 and "아직 구독한 것이 없습니다." in page_text(r)
    assert (
        client.post("/news/follows", data={"kind": "category", "category": "market_day"}).status_code == 302
    )
    assert client.post("/news/follows", data={"kind": "dong", "dong": "정릉3동"}).status_code == 302
    r = client.post("/news/follows", data={"kind": "dong", "dong": ""}, follow_redirects=True)
    assert "구독할 항목을 선택해 주세요." in page_text(r) or "성북구" in page_text(r)
    body = page_text(client.get("/news/follows"))
    assert "장터·행사" in body and "정릉3동" in body
    db.session.rollback()
    rows = db.session.execute(select(Follow).order_by(Follow.id)).scalars().all()
    assert [(f.kind, f.value) for f in rows] == [("category", "market_day"), ("dong", "정릉3동")]
    other = make.user()
    auth.login(other)
    assert client.post(f"/news/follows/{rows[0].id}/delete").status_code == 404
    _login(auth, cast, "resident")
    assert client.post(f"/news/follows/{rows[0].id}/delete").status_code == 302
    db.session.rollback()
    assert len(db.session.execute(select(Follow)).scalars().all()) == 1


# --- XSS through the pages ------------------------------------------------------------------------------


def test_hostile_markdown_never_reaches_a_page(client, cast, write):
    ids = [write(title=payload[:200], body=payload) for payload in XSS_PAYLOADS]
    for post_id in ids:
        body = page_text(client.get(f"/news/{post_id}"))
        article = re.search(r'<div class="news-body">(.*?)</div>\n</article>', body, re.S).group(1)
        assert_safe_html(article)
        assert_safe_html(body, page=True)
    for page in (1, 2):
        assert_safe_html(page_text(client.get(f"/news?page={page}")), page=True)
    assert_safe_html(page_text(client.get("/")), page=True)


def test_events_calendar_month_view(client, cast, write):
    day = future(3)
    write(title="개울장", category="market_day", event_date=day, event_place="정릉천")
    write(title="목공 교실", category="education", event_date=day, event_place="공방")
    month = f"{day.year:04d}-{day.month:02d}"
    r = client.get(f"/news/events?month={month}")
    assert r.status_code == 200
    body = page_text(r)
    assert body.count('<th scope="col">') == 7 and "<caption" in body
    assert f"{day.year}년 {day.month}월" in body
    assert "개울장" in body and "목공 교실" in body and "장터" in body
    assert 'rel="prev"' in body and 'rel="next"' in body and 'id="event-list"' in body
    assert re.search(r'<ol class="news-event-list">.*개울장.*</ol>', body, re.S)
    prev = re.search(r'href="/news/events\?month=(\d{4}-\d{2})" rel="prev"', body).group(1)
    assert "이 달에는 등록된 행사가 없습니다." in page_text(client.get(f"/news/events?month={prev}")) or prev
    assert client.get("/news/events?month=garbage").status_code == 200
    assert client.get("/news/events?month=1999-13").status_code == 200


def test_news_filter_lists_a_newly_verified_organisation_at_once(client, cast):
    """The filter's organisations are kept for a while; the centre's verification shows at once."""
    from sharing.orgs import services as org_services

    option = f'<option value="{cast.unverified_org.id}">'
    assert option not in client.get("/news").get_data(as_text=True)
    org_services.set_verified(cast.centre, cast.unverified_org.id, True)
    assert option in client.get("/news").get_data(as_text=True)
    org_services.set_verified(cast.centre, cast.unverified_org.id, False, reason="서류 보완")
    assert option not in client.get("/news").get_data(as_text=True)
