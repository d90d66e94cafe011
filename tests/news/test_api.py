"""The news API as API.md writes it: every route for every role, errors, XSS, covers, follows."""

from __future__ import annotations

import io
import json
from datetime import time, timedelta

import pytest
from PIL import Image
from sqlalchemy import select

from sharing.core.db import utcnow
from sharing.core.extensions import db
from sharing.news.models import Post
from sharing.notify.models import Notification
from sharing.records.models import Report
from tests.helpers import has_korean
from tests.news.conftest import ROLES, XSS_PAYLOADS, assert_safe_html, future, make_due


def _headers(auth, cast, role):
    user = cast.user(role)
    return auth.headers(user) if user is not None else {}


def _body(**over):
    body = {"title": "개울장 소식", "body": "이번 주 **개울장**", "category": "social_economy"}
    body.update(over)
    return body


# --- POST /api/v1/posts ------------------------------------------------------------------------------

CREATE_STATUS = {
    "anonymous": (401, "unauthorized"),
    "resident": (403, "not_a_publisher"),
    "unverified_member": (403, "organization_not_verified"),
    "author": (201, None),
    "other_member": (403, "not_member"),
    "centre": (201, None),
}


@pytest.mark.parametrize("role", ROLES)
def test_create_by_role(client, auth, cast, role):
    org_id = {"unverified_member": cast.unverified_org.id, "centre": None}.get(role, cast.org.id)
    body = _body(organization_id=org_id) if org_id else _body()
    r = client.post("/api/v1/posts", json=body, headers=_headers(auth, cast, role))
    status, code = CREATE_STATUS[role]
    assert r.status_code == status, r.json
    if code:
        assert r.json["error"]["code"] == code and has_korean(r.json["error"]["message"])
    else:
        assert r.json["title"] == "개울장 소식" and r.json["state"] == "published"
        assert r.json["body_html"] == "<p>이번 주 <strong>개울장</strong></p>\n"
        assert r.json["publish_at"].endswith("+09:00") and r.json["edited_at"] is None
        assert r.json["organization_id"] == org_id and r.json["url"] == f"/news/{r.json['id']}"


def test_unverified_organisation_message(client, auth, cast):
    r = client.post(
        "/api/v1/posts",
        json=_body(organization_id=cast.unverified_org.id),
        headers=auth.headers(cast.unverified_member),
    )
    assert r.status_code == 403
    assert r.json["error"]["code"] == "organization_not_verified"
    assert "인증" in r.json["error"]["message"]


@pytest.mark.parametrize(
    ("over", "field"),
    [
        ({"category": "gossip"}, "category"),
        ({"title": ""}, "title"),
        ({"body": "가" * 20_001}, "body"),
        ({"dong": "역삼동"}, "dong"),
        ({"event_date": "2001-01-01", "event_place": "공원"}, "event_date"),
        ({"event_date": "내일"}, "event_date"),
        ({"event_time": "25:99", "event_date": "2099-01-01"}, "event_time"),
        ({"category": "market_day"}, "event_date"),
        ({"category": "market_day", "event_date": "2099-05-01"}, "event_place"),
        ({"organization_id": "3"}, "organization_id"),
        ({"status": "secret"}, "status"),
        ({"unknown": 1}, "unknown"),
    ],
)
def test_create_invalid_is_422_with_korean_field_errors(client, auth, cast, over, field):
    body = _body(**{"organization_id": cast.org.id, **over})
    r = client.post("/api/v1/posts", json=body, headers=auth.headers(cast.author))
    assert r.status_code == 422, r.json
    assert field in r.json["error"]["fields"], r.json
    assert has_korean(json.dumps(r.json["error"]["fields"][field], ensure_ascii=False))


def test_malformed_json_is_400(client, auth, cast):
    r = client.post(
        "/api/v1/posts", data="{", content_type="application/json", headers=auth.headers(cast.author)
    )
    assert r.status_code == 400


def test_market_day_event_fields(client, auth, cast):
    day = future(5).isoformat()
    r = client.post(
        "/api/v1/posts",
        json=_body(
            organization_id=cast.org.id,
            category="market_day",
            event_date=day,
            event_time="10:30",
            event_end_time="16:00",
            event_place="정릉천 개울장 마당",
            dong="정릉3동",
        ),
        headers=auth.headers(cast.author),
    )
    assert r.status_code == 201, r.json
    assert (r.json["event_date"], r.json["event_time"], r.json["event_end_time"]) == (day, "10:30", "16:00")
    assert r.json["category_label"] == "장터·행사" and r.json["dong"] == "정릉3동"


# --- GET list and one ----------------------------------------------------------------------------------


def test_list_newest_first_pinned_first_filters_and_paging(client, auth, cast, write):
    a = write(title="가", category="culture", dong="성북동")
    b = write(title="나", category="education")
    c = write(title="다", category="culture", actor=cast.other_member, organization_id=cast.other_org.id)
    write(title="임시", status="draft")
    write(title="예약", publish_at=utcnow() + timedelta(days=1))
    r = client.get("/api/v1/posts")
    assert r.status_code == 200
    assert [i["id"] for i in r.json["items"]] == [c, b, a]
    assert r.json["total"] == 3 and r.json["page"] == 1 and r.json["per_page"] == 20
    assert "body" not in r.json["items"][0] and r.json["items"][0]["excerpt"]
    assert client.post(f"/api/v1/posts/{a}/pin", headers=auth.headers(cast.centre)).status_code == 200
    ids = [i["id"] for i in client.get("/api/v1/posts").json["items"]]
    assert ids == [a, c, b]
    assert [i["id"] for i in client.get("/api/v1/posts?category=culture").json["items"]] == [a, c]
    assert [i["id"] for i in client.get("/api/v1/posts?dong=성북동").json["items"]] == [a]
    assert [
        i["id"] for i in client.get(f"/api/v1/posts?organization_id={cast.other_org.id}").json["items"]
    ] == [c]
    page2 = client.get("/api/v1/posts?per_page=2&page=2").json
    assert [i["id"] for i in page2["items"]] == [b] and page2["total"] == 3
    for bad in ("category=gossip", "dong=역삼동", "per_page=101", "page=0", "status=x"):
        assert client.get(f"/api/v1/posts?{bad}").status_code == 422, bad


def test_unpublished_lists_are_for_their_authors_and_the_centre(client, auth, cast, write):
    draft = write(title="임시", status="draft")
    scheduled = write(title="예약", publish_at=utcnow() + timedelta(days=1))
    write(title="남의 임시", status="draft", actor=cast.other_member, organization_id=cast.other_org.id)
    assert client.get("/api/v1/posts?status=draft").status_code == 401
    mine = client.get("/api/v1/posts?status=unpublished", headers=auth.headers(cast.author)).json
    assert sorted(i["id"] for i in mine["items"]) == sorted([draft, scheduled])
    assert client.get("/api/v1/posts?status=draft", headers=auth.headers(cast.resident)).json["total"] == 0
    assert client.get("/api/v1/posts?status=draft", headers=auth.headers(cast.centre)).json["total"] == 2
    r = client.get("/api/v1/posts?status=scheduled", headers=auth.headers(cast.author))
    assert [i["state"] for i in r.json["items"]] == ["scheduled"]


@pytest.mark.parametrize("role", ROLES)
def test_get_one_by_role_for_public_draft_scheduled_and_hidden(client, auth, cast, write, role):
    public = write()
    draft = write(status="draft")
    scheduled = write(publish_at=utcnow() + timedelta(hours=3))
    hidden = write()
    client.post(f"/api/v1/posts/{hidden}/hide", headers=auth.headers(cast.centre))
    headers = _headers(auth, cast, role)
    insider = role in ("author", "centre")
    assert client.get(f"/api/v1/posts/{public}", headers=headers).status_code == 200
    for post_id in (draft, scheduled, hidden):
        r = client.get(f"/api/v1/posts/{post_id}", headers=headers)
        assert r.status_code == (200 if insider else 404), (role, post_id)
    assert client.get("/api/v1/posts/999999", headers=headers).status_code == 404


def test_scheduled_post_appears_and_notifies_when_listing(client, auth, cast, write, make):
    follower = make.user()
    client.post("/api/v1/follows", json={"category": "culture"}, headers=auth.headers(follower))
    post_id = write(category="culture", publish_at=utcnow() + timedelta(hours=1))
    assert client.get("/api/v1/posts").json["total"] == 0
    assert client.get(f"/api/v1/posts/{post_id}").status_code == 404
    make_due(post_id)
    assert [i["id"] for i in client.get("/api/v1/posts").json["items"]] == [post_id]
    db.session.rollback()
    notes = (
        db.session.execute(select(Notification).where(Notification.user_id == follower.id)).scalars().all()
    )
    assert [n.link for n in notes] == [f"/news/{post_id}"]


# --- PATCH / DELETE ------------------------------------------------------------------------------------

EDIT_STATUS = {
    "anonymous": 401,
    "resident": 403,
    "unverified_member": 403,
    "author": 200,
    "other_member": 403,
    "centre": 200,
}


@pytest.mark.parametrize("role", ROLES)
def test_patch_and_delete_by_role(client, auth, cast, write, role):
    post_id = write()
    headers = _headers(auth, cast, role)
    r = client.patch(f"/api/v1/posts/{post_id}", json={"title": "고친 제목"}, headers=headers)
    assert r.status_code == EDIT_STATUS[role], r.json
    if r.status_code == 200:
        assert r.json["title"] == "고친 제목" and r.json["edited_at"].endswith("+09:00")
    r = client.delete(f"/api/v1/posts/{post_id}", headers=headers)
    assert r.status_code == (204 if EDIT_STATUS[role] == 200 else EDIT_STATUS[role])
    assert client.get(f"/api/v1/posts/{post_id}").status_code == (404 if r.status_code == 204 else 200)


def test_patch_errors(client, auth, cast, write):
    post_id = write()
    h = auth.headers(cast.author)
    assert client.patch(f"/api/v1/posts/{post_id}", json={"category": "x"}, headers=h).status_code == 422
    r = client.patch(f"/api/v1/posts/{post_id}", json={"organization_id": cast.other_org.id}, headers=h)
    assert r.status_code == 422 and "organization_id" in r.json["error"]["fields"]
    assert client.patch("/api/v1/posts/999999", json={"title": "x"}, headers=h).status_code == 404
    r = client.patch(f"/api/v1/posts/{post_id}", json={"dong": None, "event_date": None}, headers=h)
    assert r.status_code == 200 and r.json["dong"] is None


def test_draft_then_publish_over_the_api(client, auth, cast):
    h = auth.headers(cast.author)
    r = client.post("/api/v1/posts", json=_body(organization_id=cast.org.id, status="draft"), headers=h)
    assert r.status_code == 201 and r.json["state"] == "draft"
    post_id = r.json["id"]
    assert client.get(f"/api/v1/posts/{post_id}").status_code == 404
    r = client.patch(f"/api/v1/posts/{post_id}", json={"status": "published"}, headers=h)
    assert r.json["state"] == "published" and r.json["edited_at"] is None
    assert client.get(f"/api/v1/posts/{post_id}").status_code == 200


# --- centre moderation and reports ---------------------------------------------------------------------


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("action", ["pin", "unpin", "hide", "unhide"])
def test_moderation_routes_are_the_centres(client, auth, cast, write, role, action):
    post_id = write()
    r = client.post(f"/api/v1/posts/{post_id}/{action}", headers=_headers(auth, cast, role))
    expected = {"anonymous": 401, "centre": 200}.get(role, 403)
    assert r.status_code == expected
    if expected == 200:
        assert r.json["pinned"] == (action == "pin") and r.json["hidden"] == (action == "hide")


@pytest.mark.parametrize("role", ROLES)
def test_reports_by_role(client, auth, cast, write, role):
    post_id = write()
    r = client.post(
        f"/api/v1/posts/{post_id}/reports",
        json={"reason": "wrong_info", "comment": "날짜가 틀려요"},
        headers=_headers(auth, cast, role),
    )
    assert r.status_code == (401 if role == "anonymous" else 201)
    if r.status_code == 201:
        db.session.rollback()
        report = db.session.get(Report, r.json["id"])
        assert (report.target_type, report.target_id, report.comment) == ("post", post_id, "날짜가 틀려요")


def test_report_errors(client, auth, cast, write):
    post_id = write()
    h = auth.headers(cast.resident)
    assert (
        client.post(f"/api/v1/posts/{post_id}/reports", json={"reason": "meh"}, headers=h).status_code == 422
    )
    assert client.post("/api/v1/posts/99999/reports", json={"reason": "spam"}, headers=h).status_code == 404


# --- covers -----------------------------------------------------------------------------------------------


def _png(size=(40, 30)) -> bytes:
    buf = io.BytesIO()
    Image.new("RGB", size, (10, 120, 60)).save(buf, "PNG")
    return buf.getvalue()


def _jpeg_with_gps() -> bytes:
    img = Image.new("RGB", (50, 40), (200, 10, 10))
    exif = Image.Exif()
    exif[0x010F] = "Camera Maker"
    exif[0x8825] = {1: "N", 2: (37.0, 35.0, 0.0)}
    buf = io.BytesIO()
    img.save(buf, "JPEG", exif=exif.tobytes())
    return buf.getvalue()


@pytest.mark.parametrize("role", ROLES)
def test_cover_by_role(client, auth, cast, write, role):
    post_id = write()
    r = client.post(
        f"/api/v1/posts/{post_id}/cover",
        data={"file": (io.BytesIO(_png()), "cover.png"), "alt": "장터 풍경"},
        headers=_headers(auth, cast, role),
        content_type="multipart/form-data",
    )
    assert r.status_code == EDIT_STATUS[role], r.json
    if r.status_code == 200:
        assert r.json["cover_url"].startswith("/media/") and r.json["cover_alt"] == "장터 풍경"
        assert client.get(r.json["cover_thumb_url"]).status_code == 200


def test_cover_strips_exif_and_refuses_non_images(client, auth, cast, write):
    post_id = write()
    h = auth.headers(cast.author)
    r = client.post(
        f"/api/v1/posts/{post_id}/cover",
        data={"file": (io.BytesIO(_jpeg_with_gps()), "gps.jpg")},
        headers=h,
        content_type="multipart/form-data",
    )
    assert r.status_code == 200
    stored = Image.open(io.BytesIO(client.get(r.json["cover_url"]).data))
    assert not stored.getexif()
    r = client.post(
        f"/api/v1/posts/{post_id}/cover",
        data={"file": (io.BytesIO(b"<svg onload=alert(1)></svg>"), "x.png")},
        headers=h,
        content_type="multipart/form-data",
    )
    assert r.status_code == 422 and has_korean(json.dumps(r.json["error"]["fields"], ensure_ascii=False))
    r = client.post(f"/api/v1/posts/{post_id}/cover", data={}, headers=h, content_type="multipart/form-data")
    assert r.status_code == 422
    r = client.delete(f"/api/v1/posts/{post_id}/cover", headers=h)
    assert r.status_code == 200 and r.json["cover_url"] is None
    assert (
        client.delete(f"/api/v1/posts/{post_id}/cover", headers=auth.headers(cast.resident)).status_code
        == 403
    )


def test_cover_too_large_is_413(app_factory, make, tmp_path):
    from tests.conftest import IsolatedClient  # noqa: F401 - the factory sets it

    app = app_factory(IMAGE_MAX_BYTES=1000)
    with app.app_context():
        from sharing.auth import services as auth_services
        from sharing.news import services

        member = make.user()
        org = make.org(member)
        post = services.create(
            member, {"title": "t", "body": "b", "category": "culture", "organization_id": org.id}
        )
        token, _ = auth_services.issue_token(member)
        r = app.test_client().post(
            f"/api/v1/posts/{post.id}/cover",
            data={"file": (io.BytesIO(_png((400, 400)) + b"\0" * 2000), "big.png")},
            headers={"Authorization": f"Bearer {token}"},
            content_type="multipart/form-data",
        )
        assert r.status_code == 413 and has_korean(r.json["error"]["message"])


# --- XSS through the API ---------------------------------------------------------------------------


def test_hostile_markdown_never_reaches_the_api_unescaped(client, auth, cast):
    h = auth.headers(cast.author)
    for payload in XSS_PAYLOADS:
        r = client.post(
            "/api/v1/posts",
            json=_body(organization_id=cast.org.id, title=payload[:200], body=payload),
            headers=h,
        )
        assert r.status_code == 201, r.json
        raw = r.get_data(as_text=True)
        assert "<" not in raw and ">" not in raw and "=" not in raw  # escaped JSON text, same values
        assert r.json["body"] == payload  # the source is kept as written
        assert_safe_html(r.json["body_html"])
        one = client.get(f"/api/v1/posts/{r.json['id']}")
        assert_safe_html(one.json["body_html"])
        assert "javascript:" not in one.get_data(as_text=True).lower()
    listing = client.get("/api/v1/posts?per_page=100")
    assert listing.json["total"] == len(XSS_PAYLOADS)
    assert "<script" not in listing.get_data(as_text=True).lower()


def test_stale_cached_html_is_cleaned_again_on_output(client, cast, write):
    post_id = write()
    db.session.execute(
        Post.__table__.update()
        .where(Post.id == post_id)
        .values(body_html='<p onclick="x()">hi</p><script>x()</script>')
    )
    db.session.commit()
    r = client.get(f"/api/v1/posts/{post_id}")
    assert r.json["body_html"] == "<p>hi</p>"


# --- follows ----------------------------------------------------------------------------------------


def test_follows_api(client, auth, cast, make):
    user = make.user()
    h = auth.headers(user)
    assert client.get("/api/v1/follows").status_code == 401
    assert client.post("/api/v1/follows", json={"dong": "성북동"}).status_code == 401
    r = client.post("/api/v1/follows", json={"category": "market_day"}, headers=h)
    assert r.status_code == 201 and r.json["kind"] == "category" and r.json["label"] == "장터·행사"
    assert client.post("/api/v1/follows", json={"category": "market_day"}, headers=h).status_code == 200
    r = client.post("/api/v1/follows", json={"organization_id": cast.org.id}, headers=h)
    assert r.status_code == 201 and r.json["label"] == "동네목수"
    assert client.post("/api/v1/follows", json={"dong": "성북동"}, headers=h).status_code == 201
    for bad in ({}, {"dong": "역삼동"}, {"category": "x"}, {"dong": "성북동", "category": "culture"}):
        assert client.post("/api/v1/follows", json=bad, headers=h).status_code == 422, bad
    assert client.post("/api/v1/follows", json={"organization_id": 99999}, headers=h).status_code == 404
    listing = client.get("/api/v1/follows", headers=h).json
    assert listing["total"] == 3
    follow_id = listing["items"][0]["id"]
    other = auth.headers(make.user())
    assert client.delete(f"/api/v1/follows/{follow_id}", headers=other).status_code == 404
    assert client.delete(f"/api/v1/follows/{follow_id}").status_code == 401
    assert client.delete(f"/api/v1/follows/{follow_id}", headers=h).status_code == 204
    assert client.get("/api/v1/follows", headers=h).json["total"] == 2


def test_every_news_route_is_documented(client):
    spec = client.get("/api/v1/openapi.json").json
    for path, methods in {
        "/api/v1/posts": {"get", "post"},
        "/api/v1/posts/{post_id}": {"get", "patch", "delete"},
        "/api/v1/posts/{post_id}/cover": {"post", "delete"},
        "/api/v1/posts/{post_id}/reports": {"post"},
        "/api/v1/follows": {"get", "post"},
        "/api/v1/follows/{follow_id}": {"delete"},
    }.items():
        assert methods <= set(spec["paths"][path]), path
        for method in methods:
            assert not spec["paths"][path][method]["summary"].startswith("news_api.")
    assert "201" in spec["paths"]["/api/v1/posts"]["post"]["responses"]


def test_list_items_are_the_list_schema_of_every_kind_of_post(client, auth, cast, write):
    """The list answer is built from plain rows; each item equals ``PostListOut`` of the post."""
    from sharing.news import services
    from sharing.news.schemas import PostListOut

    write(title="센터 소식", actor=cast.centre, dong=None, category="notice")
    event = write(
        title="개울장 열려요 & '모여요' = 5",
        category="market_day",
        dong="정릉3동",
        event_date=future(),
        event_time=time(10, 0),
        event_end_time=time(16, 30),
        event_place="개울장 마당",
    )
    edited = write(title="고칠 소식", body="처음 본문")
    services.update(cast.author, edited, {"body": "고친 본문"})
    pinned = write(title="고정할 소식", category="culture")
    services.set_post_pinned(cast.centre, pinned, True)
    client.post(
        f"/api/v1/posts/{event}/cover",
        data={"file": (io.BytesIO(_png()), "cover.png"), "alt": "장터 풍경"},
        headers=auth.headers(cast.author),
        content_type="multipart/form-data",
    )
    r = client.get("/api/v1/posts?per_page=50")
    assert r.status_code == 200 and r.json["total"] == 4
    db.session.rollback()
    for item in r.json["items"]:
        post = db.session.get(Post, item["id"])
        assert item == json.loads(json.dumps(PostListOut().dump(post))), item["title"]
    assert r.json["items"][0]["id"] == pinned
    assert {i["id"] for i in r.json["items"] if i["cover_thumb_url"]} == {event}


@pytest.mark.parametrize(
    "text", ["javascript:alert(1)", "JaVaScRiPt :x", "javaſcript:x", "lİvescrİpt:x", "DATA:x"]
)
def test_json_answers_escape_a_scheme_colon_in_every_case_form(app, text):
    from sharing.news.api import _json

    with app.test_request_context():
        body = _json({"title": text}).get_data(as_text=True)
    assert json.loads(body)["title"] == text and ":" not in body.split('"title"', 1)[1].split(",")[0][1:]
