"""The console's pages: dashboard, organisations, users and the audit log, and what they record."""

import csv
import io

import pytest
from sqlalchemy import select

from sharing.auth.models import User
from sharing.core.db import transaction
from sharing.core.extensions import db
from sharing.orgs.models import Organization
from sharing.records.log import add_report
from sharing.records.models import AuditLog
from tests.factories import Factory


def _audit(**where):
    db.session.rollback()
    stmt = select(AuditLog).order_by(AuditLog.id)
    for key, value in where.items():
        stmt = stmt.where(getattr(AuditLog, key) == value)
    return db.session.execute(stmt).scalars().all()


def _fresh(model, obj_id):
    db.session.rollback()
    return db.session.get(model, obj_id)


# --- Dashboard --------------------------------------------------------------------------------


def test_dashboard_counts_and_links(client, auth, make, centre, resident):
    make.org(verified=False, name="정릉 마을부엌")
    make.org(verified=False)
    make.org(verified=True)
    second = make.user()
    with transaction():
        add_report(resident, "user", centre.id, "spam", "")
        add_report(second, "user", centre.id, "abuse", "")
    auth.login(centre)
    r = client.get("/admin")
    assert r.status_code == 200
    html = r.get_data(as_text=True)
    assert "2곳" in html  # awaiting verification
    assert "2건" in html  # open reports
    assert "신고된 대상 1개" in html
    assert 'href="/card/fund"' in html
    assert 'href="/admin/plan"' in html
    for path in ("/admin/organizations", "/admin/reports", "/admin/users", "/admin/audit-log"):
        assert f'href="{path}"' in html
    assert "조직 인증" in html  # the factory's verification shows in the recent log
    assert 'aria-current="page"' in html
    assert "admin.css" in html

    api = client.get("/api/v1/admin/summary", headers=auth.headers(centre)).json
    assert api["organizations_pending"] == 2
    assert api["open_reports"] == 2 and api["reported_targets"] == 1
    assert api["users"] == db.session.query(User).count()
    assert api["recent_actions"][0]["action"] == "organization.verify"


def test_empty_dashboard(client, auth, centre):
    auth.login(centre)
    html = client.get("/admin").get_data(as_text=True)
    assert "아직 기록된 조치가 없습니다" in html


# --- Organisations ----------------------------------------------------------------------------


def test_organizations_awaiting_verification(client, auth, make, centre):
    founder = make.user(name="박서연")
    org = make.org(
        founder, verified=False, kind="social_cooperative", dong="정릉3동", name="정릉 돌봄 협동조합"
    )
    make.org(verified=True, name="인증된 마을기업")
    auth.login(centre)
    html = client.get("/admin/organizations").get_data(as_text=True)
    assert "정릉 돌봄 협동조합" in html
    assert "사회적협동조합" in html
    assert "정릉3동" in html
    assert "박서연" in html and founder.email in html
    assert "인증된 마을기업" not in html
    assert f'action="/admin/organizations/{org.id}/verify"' in html
    assert 'scope="col"' in html and "table-wrap" in html

    html = client.get("/admin/organizations?status=verified").get_data(as_text=True)
    assert "인증된 마을기업" in html and "정릉 돌봄 협동조합" not in html
    assert "data-confirm" in html  # un-verifying asks first
    html = client.get("/admin/organizations?status=all&kind=village_enterprise").get_data(as_text=True)
    assert "인증된 마을기업" in html and "정릉 돌봄 협동조합" not in html
    html = client.get("/admin/organizations?dong=석관동").get_data(as_text=True)
    assert "조건에 맞는 조직이 없습니다" in html  # a filtered empty list says so

    api = client.get("/api/v1/admin/organizations", headers=auth.headers(centre)).json
    assert api["total"] == 1
    assert api["items"][0]["founder"]["name"] == "박서연"
    assert api["items"][0]["verified"] is False
    r = client.get("/api/v1/admin/organizations?status=bogus", headers=auth.headers(centre))
    assert r.status_code == 422


def test_organizations_empty_and_paged(client, auth, make, centre):
    auth.login(centre)
    assert "인증을 기다리는 조직이 없습니다" in client.get("/admin/organizations").get_data(as_text=True)
    founder = make.user()
    for n in range(22):
        make.org(founder, verified=False, name=f"조직{n:02d}")
    html = client.get("/admin/organizations").get_data(as_text=True)
    assert "22곳" in html and 'rel="next"' in html
    html = client.get("/admin/organizations?page=2").get_data(as_text=True)
    assert html.count("/verify") == 2


def test_verify_unverify_and_card_policy_are_logged(client, auth, make, centre):
    org = make.org(verified=False)
    auth.login(centre)
    r = client.post(
        f"/admin/organizations/{org.id}/verify", data={"verified": "1", "next": "/admin/organizations"}
    )
    assert r.status_code == 302 and r.headers["Location"] == "/admin/organizations"
    assert _fresh(Organization, org.id).verified
    (entry,) = _audit(action="organization.verify", actor_id=centre.id)
    assert (entry.target_type, entry.target_id) == ("organization", org.id)

    r = client.post(
        f"/admin/organizations/{org.id}/card-policy",
        data={
            f"org{org.id}-discount_bp": "5",  # percent on screen, basis points stored
            f"org{org.id}-mileage_bp": "2",
            "next": "/admin/organizations?status=all",
        },
    )
    assert r.status_code == 302 and r.headers["Location"] == "/admin/organizations?status=all"
    fresh = _fresh(Organization, org.id)
    assert (fresh.discount_bp, fresh.mileage_bp) == (500, 200)
    (entry,) = _audit(action="organization.card_policy", actor_id=centre.id)
    assert entry.detail == {"discount_bp": 500, "mileage_bp": 200}

    r = client.post(
        f"/admin/organizations/{org.id}/card-policy",
        data={f"org{org.id}-discount_bp": "25", f"org{org.id}-mileage_bp": "0"},
        follow_redirects=True,
    )
    assert "0%에서 20% 사이로 입력해 주세요" in r.get_data(as_text=True)
    assert _fresh(Organization, org.id).discount_bp == 500
    assert len(_audit(action="organization.card_policy", actor_id=centre.id)) == 1

    client.post(f"/admin/organizations/{org.id}/verify", data={"verified": "0"})
    assert not _fresh(Organization, org.id).verified
    assert len(_audit(action="organization.unverify", actor_id=centre.id)) == 1
    assert client.post("/admin/organizations/99999/verify", data={"verified": "1"}).status_code == 404


# --- Users ------------------------------------------------------------------------------------


def test_user_search_filters_and_paging(client, auth, make, centre):
    make.user(name="김민지", email="minji@example.kr")
    make.user(name="이준호", email="junho@example.kr")
    make.user(name="최도현", email="Dohyun@Example.kr", role="centre")
    headers = auth.headers(centre)

    def names(query):
        r = client.get(f"/api/v1/admin/users?{query}", headers=headers)
        assert r.status_code == 200, r.json
        return sorted(u["name"] for u in r.json["items"])

    assert names("q=민지") == ["김민지"]
    assert names("q=JUNHO@") == ["이준호"]
    assert names("q=dohyun") == ["최도현"]
    assert names("q=%25") == []  # a LIKE wildcard is a literal character
    assert names("role=centre") == sorted(["최도현", "센터 담당자"])
    assert "김민지" in names("role=resident")
    assert client.get("/api/v1/admin/users?role=admin", headers=headers).status_code == 422
    r = client.get("/api/v1/admin/users?per_page=2&page=2", headers=headers).json
    assert r["total"] == 4 and r["page"] == 2 and len(r["items"]) == 2
    assert set(r["items"][0]) >= {"id", "email", "name", "dong", "role", "suspended", "created_at"}

    auth.login(centre)
    html = client.get("/admin/users?q=민지").get_data(as_text=True)
    assert "minji@example.kr" in html and "junho@example.kr" not in html
    assert "data-confirm" in html
    html = client.get("/admin/users?q=아무도없음").get_data(as_text=True)
    assert "조건에 맞는 사용자가 없습니다" in html


def test_suspension_through_the_api_is_logged(client, auth, make, centre):
    user = make.user()
    headers = auth.headers(centre)
    user_headers = auth.headers(user)
    r = client.patch(f"/api/v1/admin/users/{user.id}", json={"suspended": True}, headers=headers)
    assert r.status_code == 200
    assert r.json["suspended"] is True and r.json["role"] == "resident"
    assert len(_audit(action="user.suspend", target_id=user.id)) == 1
    assert client.get("/api/v1/me", headers=user_headers).status_code == 401

    r = client.patch(f"/api/v1/admin/users/{user.id}", json={"suspended": False}, headers=headers)
    assert r.json["suspended"] is False
    assert len(_audit(action="user.restore", target_id=user.id)) == 1
    r = client.post("/api/v1/tokens", json={"email": user.email, "password": Factory.PASSWORD})
    assert r.status_code == 201


@pytest.mark.parametrize("body", [{"role": "centre"}, {"role": "centre", "suspended": False}])
def test_the_centre_cannot_promote_a_resident(client, auth, make, centre, body):
    """Centre accounts are made only by the operator's command (flask users create-admin)."""
    user = make.user()
    r = client.patch(f"/api/v1/admin/users/{user.id}", json=body, headers=auth.headers(centre))
    assert r.status_code == 422 and "role" in r.json["error"]["fields"]
    assert _fresh(User, user.id).role == "resident"
    assert client.get("/api/v1/admin/users", headers=auth.headers(user)).status_code == 403
    auth.login(centre)
    assert client.post(f"/admin/users/{user.id}/role", data={"role": "centre"}).status_code in (404, 405)
    assert _fresh(User, user.id).role == "resident"
    assert _audit(target_type="user", target_id=user.id) == []


def test_the_centre_cannot_suspend_another_centre_account(client, auth, make, centre):
    colleague = make.user(role="centre", name="두번째 담당자")
    colleague_headers = auth.headers(colleague)
    r = client.patch(
        f"/api/v1/admin/users/{colleague.id}", json={"suspended": True}, headers=auth.headers(centre)
    )
    assert r.status_code == 403 and r.json["error"]["code"] == "centre_account"
    assert _fresh(User, colleague.id).suspended_at is None
    assert client.get("/api/v1/me", headers=colleague_headers).status_code == 200
    auth.login(centre)
    r = client.post(f"/admin/users/{colleague.id}/suspend", data={"suspended": "1"}, follow_redirects=True)
    assert "센터 계정은 정지할 수 없습니다" in r.get_data(as_text=True)
    assert _fresh(User, colleague.id).suspended_at is None
    assert _audit(target_type="user", target_id=colleague.id) == []


@pytest.mark.parametrize(
    ("body", "status"),
    [
        ({}, 422),
        ({"role": "admin"}, 422),
        ({"suspended": "yes"}, 422),
        ({"suspended": 1}, 422),
        ({"x": 1}, 422),
    ],
)
def test_user_patch_validation(client, auth, make, centre, body, status):
    user = make.user()
    r = client.patch(f"/api/v1/admin/users/{user.id}", json=body, headers=auth.headers(centre))
    assert r.status_code == status, r.json
    assert _audit(target_type="user", target_id=user.id) == []


def test_centre_cannot_demote_or_suspend_itself(client, auth, centre):
    headers = auth.headers(centre)
    r = client.patch(f"/api/v1/admin/users/{centre.id}", json={"role": "resident"}, headers=headers)
    assert r.status_code == 422 and _fresh(User, centre.id).role == "centre"
    r = client.patch(f"/api/v1/admin/users/{centre.id}", json={"suspended": True}, headers=headers)
    assert r.status_code == 409
    assert _fresh(User, centre.id).suspended_at is None
    assert (
        client.patch("/api/v1/admin/users/99999", json={"suspended": True}, headers=headers).status_code
        == 404
    )


def test_suspension_through_the_console(client, auth, make, centre):
    user = make.user(name="정지될 주민")
    auth.login(centre)
    r = client.post(f"/admin/users/{user.id}/suspend", data={"suspended": "1", "next": "/admin/users?q=x"})
    assert r.status_code == 302 and r.headers["Location"] == "/admin/users?q=x"
    assert _fresh(User, user.id).suspended_at is not None
    assert len(_audit(action="user.suspend", actor_id=centre.id)) == 1
    html = client.get("/admin/users?status=suspended").get_data(as_text=True)
    assert "정지될 주민" in html and "정지 해제" in html

    r = client.post(f"/admin/users/{centre.id}/suspend", data={"suspended": "1"}, follow_redirects=True)
    assert "자기 계정은 정지할 수 없습니다" in r.get_data(as_text=True)

    client.post(f"/admin/users/{user.id}/suspend", data={"suspended": "0"})
    assert _fresh(User, user.id).suspended_at is None
    assert len(_audit(action="user.restore", actor_id=centre.id)) == 1


def test_suspended_users_cannot_sign_in(client, auth, make, centre):
    user = make.user()
    token_headers = auth.headers(user)
    auth.login(user)
    assert client.get("/auth/profile").status_code == 200
    client.patch(f"/api/v1/admin/users/{user.id}", json={"suspended": True}, headers=auth.headers(centre))
    # the open session ends, the token stops working, and neither sign-in works
    assert client.get("/auth/profile").status_code == 302
    assert client.get("/api/v1/me", headers=token_headers).status_code == 401
    r = client.post("/api/v1/tokens", json={"email": user.email, "password": Factory.PASSWORD})
    assert r.status_code in (401, 403) and "token" not in r.json
    r = auth.login(user)
    assert r.status_code != 302
    assert "정지" in r.get_data(as_text=True)
    assert client.get("/auth/profile").status_code == 302


# --- Audit log --------------------------------------------------------------------------------


def test_audit_log_lists_filters_and_pages(client, auth, make, centre):
    other_centre = make.user(role="centre", name="두번째 담당자")
    org = make.org(verified=False)
    from sharing.auth.services import set_suspended
    from sharing.orgs.services import set_verified

    set_verified(centre, org.id, True)
    user = make.user()
    set_suspended(other_centre, user.id, True)
    headers = auth.headers(centre)

    r = client.get("/api/v1/admin/audit-log?action=user.suspend", headers=headers).json
    assert r["total"] == 1
    item = r["items"][0]
    assert (item["actor_id"], item["actor_name"], item["target_type"], item["target_id"]) == (
        other_centre.id,
        other_centre.name,
        "user",
        user.id,
    )
    assert item["detail"] == {} and item["created_at"].endswith("+09:00")
    r = client.get(f"/api/v1/admin/audit-log?actor_id={centre.id}", headers=headers).json
    assert [i["action"] for i in r["items"]] == ["organization.verify"]
    r = client.get("/api/v1/admin/audit-log?target_type=organization&per_page=1", headers=headers).json
    assert r["total"] == 1 and r["per_page"] == 1
    assert client.get("/api/v1/admin/audit-log?actor_id=x", headers=headers).status_code == 422

    auth.login(centre)
    html = client.get("/admin/audit-log").get_data(as_text=True)
    assert "조직 인증" in html and "계정 정지" in html and "두번째 담당자" in html
    html = client.get(f"/admin/audit-log?actor_id={other_centre.id}").get_data(as_text=True)
    assert "계정 정지" in html and f'href="/organizations/{org.id}"' not in html
    html = client.get("/admin/audit-log?action=report.dismiss").get_data(as_text=True)
    assert "조건에 맞는 기록이 없습니다" in html
    assert 'href="/admin/audit-log.csv?action=report.dismiss"' in html


def test_audit_log_pages_in_html(client, auth, make, centre):
    from sharing.orgs.services import set_card_policy

    org = make.org()
    for n in range(21):
        set_card_policy(centre, org.id, discount_bp=n, mileage_bp=0)
    auth.login(centre)
    html = client.get(f"/admin/audit-log?actor_id={centre.id}").get_data(as_text=True)
    assert "21건" in html and 'rel="next"' in html


def test_audit_log_csv(client, auth, make, centre):
    user = make.user(name="=HYPERLINK(1)", role="centre")
    resident = make.user()
    from sharing.auth.services import set_suspended

    set_suspended(centre, resident.id, True)
    set_suspended(user, resident.id, False)  # the actor's name starts with "="
    auth.login(centre)
    r = client.get("/admin/audit-log.csv?action=")
    assert r.status_code == 200
    assert r.headers["Content-Type"].startswith("text/csv")
    assert "attachment" in r.headers["Content-Disposition"]
    body = r.get_data().decode("utf-8")
    assert body.startswith("\ufeff")
    rows = list(csv.reader(io.StringIO(body.lstrip("\ufeff"))))
    assert rows[0][:6] == ["id", "created_at", "actor_id", "actor_name", "actor_email", "action"]
    assert len(rows) == 3
    assert {row[5] for row in rows[1:]} == {"user.suspend", "user.restore"}
    assert "'=HYPERLINK(1)" in {row[3] for row in rows[1:]}
    assert all(row[1].endswith("+09:00") for row in rows[1:])


def test_audit_log_filters_by_object_type_from_a_menu_of_labels(client, auth, make, centre):
    from sharing.orgs.services import set_verified
    from sharing.records.log import record_action

    org = make.org(verified=False)
    set_verified(centre, org.id, True)
    with client.application.app_context():
        from sharing.core.extensions import db

        record_action(None, "plan.load", "plan", 1, version="x")
        db.session.commit()
    auth.login(centre)
    html = client.get("/admin/audit-log").get_data(as_text=True)
    assert '<select id="target_type" name="target_type"' in html
    assert (
        '<option value="plan">기본계획</option>' in html
        and '<option value="organization">조직</option>' in html
    )
    assert "계획 자료 불러오기" in html and "시스템" in html and "(삭제된 계정)" not in html
    html = client.get("/admin/audit-log?target_type=plan").get_data(as_text=True)
    assert "계획 자료 불러오기" in html and "조직 인증</td>" not in html and "1건" in html
    html = client.get("/admin/audit-log?target_type=nonsense").get_data(as_text=True)
    assert "2건" in html  # an unknown value is ignored, as on the public pages
