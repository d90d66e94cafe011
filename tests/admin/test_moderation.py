"""Residents' reports and the centre's moderation queue, with a fake feature owning the targets."""

from urllib.parse import urlsplit

import pytest
from sqlalchemy import select

from sharing.admin import services
from sharing.auth.models import User
from sharing.core.extensions import db
from sharing.records.models import AuditLog, Report
from tests.factories import Factory


def _report(client, auth, user, target_type="listing", target_id=1, reason="spam", **extra):
    body = {"target_type": target_type, "target_id": target_id, "reason": reason, **extra}
    return client.post("/api/v1/reports", json=body, headers=auth.headers(user))


def _resolve(client, auth, centre, report_id, action, **extra):
    return client.post(
        f"/api/v1/admin/reports/{report_id}/resolve",
        json={"action": action, **extra},
        headers=auth.headers(centre),
    )


def _audit(action):
    db.session.rollback()
    return db.session.execute(select(AuditLog).where(AuditLog.action == action)).scalars().all()


def _reports(target_type, target_id):
    db.session.rollback()
    return (
        db.session.execute(
            select(Report)
            .where(Report.target_type == target_type, Report.target_id == target_id)
            .order_by(Report.id)
        )
        .scalars()
        .all()
    )


@pytest.fixture
def listing(fake_feature, make):
    author = make.user(name="판매자")
    fake_feature.add(7, title="캠핑 의자 빌려드려요", author_id=author.id)
    return {"id": 7, "author": author}


# --- Residents' side --------------------------------------------------------------------------


def test_report_is_created(client, auth, resident, listing):
    r = _report(client, auth, resident, target_id=7, reason="spam", comment="  광고입니다  ")
    assert r.status_code == 201, r.json
    assert r.json["status"] == "open"
    assert r.json["target_type"] == "listing"
    assert r.json["target_id"] == 7
    assert r.json["comment"] == "광고입니다"
    assert r.json["created_at"].endswith("+09:00")
    rows = _reports("listing", 7)
    assert len(rows) == 1 and rows[0].reporter_id == resident.id


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"target_type": "comment", "target_id": 7, "reason": "spam"}, "target_type"),
        ({"target_type": "listing", "target_id": 7, "reason": "boring"}, "reason"),
        ({"target_type": "listing", "target_id": "7", "reason": "spam"}, "target_id"),
        ({"target_type": "listing", "target_id": 0, "reason": "spam"}, "target_id"),
        ({"target_type": "listing", "reason": "spam"}, "target_id"),
        ({"target_type": "listing", "target_id": 7}, "reason"),
        ({"target_type": "listing", "target_id": 7, "reason": "spam", "comment": "가" * 1001}, "comment"),
        ({"target_type": "listing", "target_id": 7, "reason": "spam", "extra": 1}, "extra"),
    ],
)
def test_report_validation_is_422(client, auth, resident, listing, body, field):
    r = client.post("/api/v1/reports", json=body, headers=auth.headers(resident))
    assert r.status_code == 422, r.json
    assert field in r.json["error"]["fields"]
    assert _reports("listing", 7) == []


def test_report_malformed_body_is_400(client, auth, resident):
    r = client.post(
        "/api/v1/reports", data="{nope", content_type="application/json", headers=auth.headers(resident)
    )
    assert r.status_code == 400


def test_report_of_a_missing_target_is_404(client, auth, resident, listing):
    r = _report(client, auth, resident, target_id=999)
    assert r.status_code == 404
    assert r.json["error"]["code"] == "target_not_found"
    r = _report(client, auth, resident, target_type="user", target_id=99999)
    assert r.status_code == 404


def test_report_without_a_describing_feature_is_accepted(client, auth, resident, fake_feature):
    """No feature answers for posts here: existence cannot be checked, the report is queued."""
    r = _report(client, auth, resident, target_type="post", target_id=42, reason="wrong_info")
    assert r.status_code == 201


def test_the_same_resident_reports_once_while_open(client, auth, resident, make, listing):
    assert _report(client, auth, resident, target_id=7).status_code == 201
    r = _report(client, auth, resident, target_id=7, reason="abuse")
    assert r.status_code == 409
    assert r.json["error"]["code"] == "already_reported"
    assert _report(client, auth, make.user(), target_id=7).status_code == 201
    assert len(_reports("listing", 7)) == 2


def test_report_form_page(client, auth, resident, listing):
    auth.login(resident)
    r = client.get("/reports/new?target_type=listing&target_id=7&next=/market/7")
    assert r.status_code == 200
    html = r.get_data(as_text=True)
    assert "캠핑 의자 빌려드려요" in html
    assert 'name="reason"' in html and "스팸·광고" in html
    assert "<legend>" in html

    r = client.post(
        "/reports/new",
        data={
            "target_type": "listing",
            "target_id": "7",
            "reason": "unsafe",
            "comment": "위험",
            "next": "/market/7",
        },
    )
    assert r.status_code == 302
    assert r.headers["Location"] == "/market/7"
    rows = _reports("listing", 7)
    assert [(x.reason, x.comment) for x in rows] == [("unsafe", "위험")]


def test_report_form_errors_and_safe_redirect(client, auth, resident, listing):
    auth.login(resident)
    r = client.post("/reports/new", data={"target_type": "listing", "target_id": "7", "reason": ""})
    assert r.status_code == 422
    assert "필수 항목" in r.get_data(as_text=True)
    r = client.post(
        "/reports/new",
        data={"target_type": "listing", "target_id": "7", "reason": "spam", "next": "https://evil.example/x"},
    )
    assert r.status_code == 302
    assert urlsplit(r.headers["Location"]).netloc in ("", "localhost")
    assert r.headers["Location"].endswith("/market/7")
    r = client.post("/reports/new", data={"target_type": "listing", "target_id": "7", "reason": "spam"})
    assert r.status_code == 422
    assert "이미 신고한" in r.get_data(as_text=True)


@pytest.mark.parametrize(
    "query",
    ["target_type=listing&target_id=999", "target_type=bogus&target_id=7", "target_type=listing&target_id=x"],
)
def test_report_form_404s(client, auth, resident, listing, query):
    auth.login(resident)
    assert client.get(f"/reports/new?{query}").status_code == 404


# --- The queue --------------------------------------------------------------------------------


def test_queue_groups_reports_by_target(client, auth, make, centre, resident, listing):
    second, third = make.user(), make.user()
    _report(client, auth, resident, target_id=7, reason="spam", comment="광고")
    _report(client, auth, second, target_id=7, reason="spam")
    _report(client, auth, third, target_id=7, reason="abuse")
    _report(client, auth, resident, target_type="user", target_id=listing["author"].id, reason="abuse")

    r = client.get("/api/v1/admin/reports", headers=auth.headers(centre))
    assert r.status_code == 200
    assert r.json["total"] == 2 and r.json["page"] == 1 and r.json["per_page"] == 20
    first = r.json["items"][0]
    assert (first["target_type"], first["target_id"], first["count"]) == ("listing", 7, 3)
    assert first["reasons"] == {"spam": 2, "abuse": 1}
    assert first["target"]["title"] == "캠핑 의자 빌려드려요"
    assert first["target"]["author_id"] == listing["author"].id
    assert first["target"]["url"] == "/market/7"
    assert first["target"]["hidden"] is False
    assert first["report_id"] == max(rep["id"] for rep in first["reports"])
    assert len(first["reports"]) == 3
    user_group = r.json["items"][1]
    assert user_group["target"]["title"] == "판매자"

    r = client.get("/api/v1/admin/reports?target_type=user&per_page=1", headers=auth.headers(centre))
    assert r.json["total"] == 1 and r.json["items"][0]["target_type"] == "user"
    assert client.get("/api/v1/admin/reports?status=nope", headers=auth.headers(centre)).status_code == 422

    auth.login(centre)
    html = client.get("/admin/reports").get_data(as_text=True)
    assert "캠핑 의자 빌려드려요" in html
    assert "신고 3건" in html
    assert "스팸·광고 2" in html
    assert 'href="/market/7"' in html
    assert "data-confirm" in html


def test_queue_pages(client, auth, centre, resident, fake_feature, make):
    for target in range(1, 24):
        fake_feature.add(target, title=f"물품 {target}", author_id=None)
        _report(client, auth, resident, target_id=target)
    r = client.get("/api/v1/admin/reports?page=2&per_page=20", headers=auth.headers(centre))
    assert r.json["total"] == 23
    assert len(r.json["items"]) == 3
    auth.login(centre)
    html = client.get("/admin/reports").get_data(as_text=True)
    assert 'rel="next"' in html


def test_empty_queue(client, auth, centre):
    auth.login(centre)
    html = client.get("/admin/reports").get_data(as_text=True)
    assert "처리할 신고가 없습니다" in html


# --- Resolving --------------------------------------------------------------------------------


def test_hide_then_restore(client, auth, make, centre, resident, listing, fake_feature):
    other = make.user()
    first = _report(client, auth, resident, target_id=7).json["id"]
    second = _report(client, auth, other, target_id=7, reason="abuse").json["id"]

    r = _resolve(client, auth, centre, first, "hide", note="광고 게시물")
    assert r.status_code == 200, r.json
    assert r.json["action"] == "hide"
    assert sorted(x["id"] for x in r.json["resolved"]) == sorted([first, second])
    assert fake_feature.items[7]["hidden"] is True
    assert fake_feature.calls == [(centre.id, 7, True)]
    for row in _reports("listing", 7):
        assert (row.status, row.resolution, row.resolved_by_id) == ("actioned", "hide", centre.id)
        assert row.resolved_at is not None
    (entry,) = _audit("report.hide")
    assert (entry.actor_id, entry.target_type, entry.target_id) == (centre.id, "listing", 7)
    assert sorted(entry.detail["report_ids"]) == sorted([first, second])
    assert entry.detail["note"] == "광고 게시물"

    assert client.get("/api/v1/admin/reports", headers=auth.headers(centre)).json["total"] == 0
    r = client.get("/api/v1/admin/reports?status=actioned", headers=auth.headers(centre))
    assert r.json["items"][0]["target"]["hidden"] is True

    r = _resolve(client, auth, centre, first, "restore")
    assert r.status_code == 200
    assert r.json["resolved"] == []
    assert fake_feature.items[7]["hidden"] is False
    assert len(_audit("report.restore")) == 1


def test_dismiss_once(client, auth, centre, resident, listing, fake_feature):
    report_id = _report(client, auth, resident, target_id=7).json["id"]
    r = _resolve(client, auth, centre, report_id, "dismiss")
    assert r.status_code == 200
    (row,) = _reports("listing", 7)
    assert (row.status, row.resolution, row.resolved_by_id) == ("dismissed", "dismiss", centre.id)
    assert fake_feature.calls == []
    assert len(_audit("report.dismiss")) == 1
    r = _resolve(client, auth, centre, report_id, "dismiss")
    assert r.status_code == 409
    assert r.json["error"]["code"] == "already_resolved"
    assert len(_audit("report.dismiss")) == 1
    # a fresh report after the dismissal opens the target again
    assert _report(client, auth, resident, target_id=7).status_code == 201


def test_suspend_the_author(client, auth, centre, resident, listing):
    author = listing["author"]
    author_token_headers = auth.headers(author)
    report_id = _report(client, auth, resident, target_id=7, reason="abuse").json["id"]
    r = _resolve(client, auth, centre, report_id, "suspend")
    assert r.status_code == 200, r.json
    db.session.rollback()
    assert db.session.get(User, author.id).suspended_at is not None
    (row,) = _reports("listing", 7)
    assert (row.status, row.resolution) == ("actioned", "suspend")
    (entry,) = _audit("report.suspend")
    assert entry.detail["author_id"] == author.id
    (suspension,) = _audit("user.suspend")
    assert suspension.target_id == author.id and suspension.actor_id == centre.id
    # the suspended author can no longer use the API or sign in
    assert client.get("/api/v1/me", headers=author_token_headers).status_code == 401
    r = client.post("/api/v1/tokens", json={"email": author.email, "password": Factory.PASSWORD})
    assert r.status_code in (401, 403)
    assert "token" not in (r.json or {})
    r = auth.login(author)
    assert r.status_code != 302
    assert client.get("/auth/profile").status_code == 302


def test_reported_user_can_be_suspended_but_not_hidden(client, auth, make, centre, resident, fake_feature):
    troll = make.user(name="문제 계정")
    report_id = _report(client, auth, resident, target_type="user", target_id=troll.id, reason="abuse").json[
        "id"
    ]
    r = _resolve(client, auth, centre, report_id, "hide")
    assert r.status_code == 409
    assert r.json["error"]["code"] == "moderation_unavailable"
    r = _resolve(client, auth, centre, report_id, "suspend")
    assert r.status_code == 200
    db.session.rollback()
    assert db.session.get(User, troll.id).suspended_at is not None


def test_missing_feature_is_a_clear_409_and_changes_nothing(client, auth, centre, resident, fake_feature):
    report_id = _report(client, auth, resident, target_type="post", target_id=42).json["id"]
    for action in ("hide", "restore"):
        r = _resolve(client, auth, centre, report_id, action)
        assert r.status_code == 409
        assert r.json["error"]["code"] == "moderation_unavailable"
    r = _resolve(client, auth, centre, report_id, "suspend")
    assert r.status_code == 409
    assert r.json["error"]["code"] == "author_unknown"
    (row,) = _reports("post", 42)
    assert row.status == "open" and row.resolved_by_id is None
    assert _audit("report.hide") == [] and _audit("report.suspend") == []
    assert _resolve(client, auth, centre, report_id, "dismiss").status_code == 200


def test_a_failing_feature_rolls_everything_back(client, auth, centre, resident, listing, fake_feature):
    report_id = _report(client, auth, resident, target_id=7).json["id"]
    fake_feature.fail_next = True
    r = _resolve(client, auth, centre, report_id, "hide")
    assert r.status_code == 409
    assert r.json["error"]["code"] == "feature_refused"
    (row,) = _reports("listing", 7)
    assert row.status == "open"
    assert _audit("report.hide") == []


@pytest.mark.parametrize(
    ("body", "status"), [({"action": "delete"}, 422), ({}, 422), ({"action": "hide", "x": 1}, 422)]
)
def test_resolve_validation(client, auth, centre, resident, listing, body, status):
    report_id = _report(client, auth, resident, target_id=7).json["id"]
    r = client.post(f"/api/v1/admin/reports/{report_id}/resolve", json=body, headers=auth.headers(centre))
    assert r.status_code == status


def test_resolve_unknown_report_is_404(client, auth, centre):
    r = _resolve(client, auth, centre, 12345, "dismiss")
    assert r.status_code == 404
    assert r.json["error"]["code"] == "report_not_found"


def test_resolve_through_the_console(client, auth, centre, resident, listing, fake_feature):
    report_id = _report(client, auth, resident, target_id=7).json["id"]
    auth.login(centre)
    r = client.post(f"/admin/reports/{report_id}/resolve", data={"action": "hide", "next": "/admin/reports"})
    assert r.status_code == 302
    assert r.headers["Location"] == "/admin/reports"
    assert fake_feature.items[7]["hidden"] is True
    html = client.get("/admin/reports?status=actioned").get_data(as_text=True)
    assert "숨김 상태" in html
    assert "대상을 숨기고" in html  # the flash message
    r = client.post(f"/admin/reports/{report_id}/resolve", data={"action": "dismiss"}, follow_redirects=True)
    assert r.status_code == 200
    assert "이미 처리된 신고" in r.get_data(as_text=True)
    r = client.post("/admin/reports/999/resolve", data={"action": "dismiss"})
    assert r.status_code == 404


def test_service_requires_the_centre(app, resident, listing):
    from sharing.core.errors import Forbidden

    with app.test_request_context():
        with pytest.raises(Forbidden):
            services.report_queue(resident)
        with pytest.raises(Forbidden):
            services.resolve(resident, 1, "hide")
        with pytest.raises(Forbidden):
            services.search_users(resident)
        with pytest.raises(Forbidden):
            services.audit_log(resident)
        with pytest.raises(Forbidden):
            services.dashboard(resident)


def test_reporting_an_account_from_the_web(client, auth, make, resident):
    troll = make.user(name="문제 계정")
    auth.login(resident)
    html = client.get(f"/reports/new?target_type=user&target_id={troll.id}").get_data(as_text=True)
    assert "문제 계정" in html
    assert "/admin/users" not in html  # residents are not sent into the console
    r = client.post(
        "/reports/new", data={"target_type": "user", "target_id": str(troll.id), "reason": "abuse"}
    )
    assert r.status_code == 302 and r.headers["Location"] == "/"
    assert [x.reporter_id for x in _reports("user", troll.id)] == [resident.id]


def test_queue_names_the_author_instead_of_an_account_number(client, auth, centre, resident, listing):
    _report(client, auth, resident, target_id=7, reason="spam")
    r = client.get("/api/v1/admin/reports", headers=auth.headers(centre))
    assert r.json["items"][0]["target"]["author_name"] == "판매자"
    auth.login(centre)
    html = client.get("/admin/reports").get_data(as_text=True)
    assert "작성자 판매자" in html and "작성자 계정 #" not in html
