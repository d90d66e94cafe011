"""Organisations over the web: the directory, registration, members, the centre's verification and
card policy, with every permission and error path."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import select

from sharing.core.extensions import db
from sharing.orgs import services as org_services
from sharing.orgs.models import Membership, Organization
from sharing.records.models import AuditLog
from tests.helpers import field_error, has_korean, html_lang, page_text


def _reread(org_id: int) -> Organization | None:
    db.session.rollback()  # end the test's read snapshot before reading what the requests wrote
    return db.session.get(Organization, org_id)


def _names(response) -> list[str]:
    return re.findall(r'<h2><a href="/organizations/\d+">([^<]+)</a></h2>', page_text(response))


# --- the directory ----------------------------------------------------------------------------


def test_directory_lists_every_organisation_with_its_state(client, make):
    make.org(name="동네목수", kind="village_enterprise", dong="장위1동")
    make.org(name="키득키득", kind="social_cooperative", dong="정릉3동", verified=False)
    r = client.get("/organizations")
    assert r.status_code == 200
    assert html_lang(r) == "ko"
    body = page_text(r)
    assert _names(r) == ["동네목수", "키득키득"]
    assert "✓ 인증됨" in body and "인증 대기" in body  # state in words, not colour alone
    assert "2곳" in body


def test_directory_empty_state(client):
    r = client.get("/organizations")
    assert "조건에 맞는 조직이 없습니다" in page_text(r)


def test_directory_filters_by_kind_and_dong(client, make):
    make.org(name="가 마을기업", kind="village_enterprise", dong="장위1동")
    make.org(name="나 협동조합", kind="cooperative", dong="장위1동")
    make.org(name="다 마을기업", kind="village_enterprise", dong="석관동")
    assert _names(client.get("/organizations?kind=village_enterprise")) == ["가 마을기업", "다 마을기업"]
    assert _names(client.get("/organizations?dong=장위1동")) == ["가 마을기업", "나 협동조합"]
    assert _names(client.get("/organizations?kind=village_enterprise&dong=석관동")) == ["다 마을기업"]
    assert _names(client.get("/organizations?kind=cooperative&dong=석관동")) == []
    # the filter form keeps the choice
    body = page_text(client.get("/organizations?kind=cooperative"))
    assert re.search(r'<option selected value="cooperative">|<option value="cooperative" selected>', body)


@pytest.mark.parametrize(
    "query", ["kind=bank", "dong=역삼동", "kind=&dong=", "page=abc", "page=-3", "page=0", "page=" + "9" * 30]
)
def test_directory_survives_odd_queries(client, make, query):
    make.org(name="동네목수")
    r = client.get(f"/organizations?{query}")
    assert r.status_code == 200
    assert "동네목수" in page_text(r) or "page=" + "9" in query


def test_directory_pages_by_twenty_and_keeps_filters(client, make):
    founder = make.user()
    for n in range(23):
        org_services.create(
            founder, org_services.OrganizationInput(f"조직{n:02d}", "cooperative", "종암동", "")
        )
    make.org(name="다른 동", kind="cooperative", dong="석관동")
    first = client.get("/organizations?kind=cooperative&dong=종암동")
    assert len(_names(first)) == 20
    assert "23곳" in page_text(first)
    assert "1 / 2 쪽" in page_text(first)
    next_link = re.search(r'href="([^"]+)" rel="next"', page_text(first)).group(1)
    assert "kind=cooperative" in next_link and "page=2" in next_link
    second = client.get(next_link.replace("&amp;", "&"))
    assert _names(second) == ["조직20", "조직21", "조직22"]
    assert 'rel="prev"' in page_text(second)
    assert _names(client.get("/organizations?kind=cooperative&dong=종암동&page=9")) == []


# --- one organisation -------------------------------------------------------------------------


def test_show_page_and_404s(client, make):
    org = make.org(name="동네목수", discount_bp=500, mileage_bp=0)
    r = client.get(f"/organizations/{org.id}")
    assert r.status_code == 200
    assert "동네목수" in page_text(r)
    assert "할인 5" in page_text(r)
    for path in ("/organizations/999999", "/organizations/" + "9" * 25, "/organizations/abc"):
        r = client.get(path)
        assert r.status_code == 404
        assert has_korean(page_text(r))


def test_management_is_shown_only_to_members_and_the_centre(client, make, auth):
    member = make.user()
    org = make.org(member)
    anonymous = page_text(client.get(f"/organizations/{org.id}"))
    assert "구성원 추가" not in anonymous and "센터 관리" not in anonymous
    auth.login(make.user())
    stranger = page_text(client.get(f"/organizations/{org.id}"))
    assert "구성원 추가" not in stranger and "센터 관리" not in stranger
    auth.login(member)
    mine = page_text(client.get(f"/organizations/{org.id}"))
    assert "구성원 추가" in mine and "센터 관리" not in mine
    auth.login(make.centre())
    centre = page_text(client.get(f"/organizations/{org.id}"))
    assert "센터 관리" in centre and 'data-confirm="인증을 취소할까요?"' in centre


# --- registration -----------------------------------------------------------------------------

GOOD = {
    "name": "성북 마을부엌",
    "kind": "village_enterprise",
    "dong": "정릉3동",
    "description": "밥을 나눠요",
}


def test_registration_needs_sign_in(client):
    r = client.get("/organizations/new")
    assert r.status_code == 302
    assert r.headers["Location"].startswith("/auth/login?next=")
    r = client.post("/organizations/new", data=GOOD)
    assert r.status_code == 302
    assert db.session.execute(select(Organization)).first() is None


def test_registration_makes_the_founder_a_member_and_waits_for_the_centre(client, make, auth):
    user = make.user()
    auth.login(user)
    assert client.get("/organizations/new").status_code == 200
    r = client.post("/organizations/new", data=GOOD)
    assert r.status_code == 302
    org_id = int(r.headers["Location"].rsplit("/", 1)[1])
    org = _reread(org_id)
    assert (org.name, org.kind, org.dong, org.verified) == (
        "성북 마을부엌",
        "village_enterprise",
        "정릉3동",
        False,
    )
    assert org_services.is_member(user, org_id)
    assert "센터의 인증을 기다려" in page_text(client.get(f"/organizations/{org_id}"))


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("name", ""),
        ("name", "   "),
        ("name", "가" * 101),
        ("kind", "bank"),
        ("kind", ""),
        ("dong", "역삼동"),
        ("description", "가" * 5001),
    ],
)
def test_registration_errors_beside_the_field(client, make, auth, field, value):
    auth.login(make.user())
    r = client.post("/organizations/new", data={**GOOD, field: value})
    assert r.status_code == 422
    message = field_error(r, field)
    assert message and has_korean(message)
    assert db.session.execute(select(Organization)).first() is None  # nothing half-written


# --- invitations ------------------------------------------------------------------------------


def test_member_invites_a_resident(client, make, auth):
    member = make.user()
    org = make.org(member)
    guest = make.user(email="guest@example.kr")
    auth.login(member)
    r = client.post(f"/organizations/{org.id}/invite", data={"email": "GUEST@example.kr"})
    assert r.status_code == 302
    db.session.rollback()
    assert org_services.is_member(guest, org.id)
    assert "구성원으로 추가했습니다" in page_text(client.get(f"/organizations/{org.id}"))


@pytest.mark.parametrize(
    ("email", "status", "expected"),
    [
        ("nobody@example.kr", 404, "가입된 주민을 찾을 수 없습니다"),
        ("", 422, "필수"),
        ("a" * 255, 422, "254자"),
    ],
)
def test_invite_errors_beside_the_field(client, make, auth, email, status, expected):
    member = make.user()
    org = make.org(member)
    auth.login(member)
    r = client.post(f"/organizations/{org.id}/invite", data={"email": email})
    assert r.status_code == status
    assert expected in field_error(r, "email")


def test_inviting_a_member_again_is_409(client, make, auth):
    member = make.user()
    org = make.org(member)
    auth.login(member)
    r = client.post(f"/organizations/{org.id}/invite", data={"email": member.email})
    assert r.status_code == 409
    assert "이미 구성원" in field_error(r, "email")


def test_invite_permissions(client, make, auth):
    org = make.org()
    guest = make.user()
    r = client.post(f"/organizations/{org.id}/invite", data={"email": guest.email})
    assert r.status_code == 302 and "/auth/login" in r.headers["Location"]
    auth.login(make.user())
    r = client.post(f"/organizations/{org.id}/invite", data={"email": guest.email})
    assert r.status_code == 403
    assert "권한이 없습니다" in page_text(r)
    assert client.post(f"/organizations/{org.id}/invite", data={"email": ""}).status_code == 403
    assert client.post("/organizations/999999/invite", data={"email": guest.email}).status_code == 404
    db.session.rollback()
    assert not org_services.is_member(guest, org.id)
    auth.login(make.centre())  # the centre may add members
    assert client.post(f"/organizations/{org.id}/invite", data={"email": guest.email}).status_code == 302


# --- verification (centre only) ---------------------------------------------------------------


def test_centre_verifies_and_unverifies_with_an_audit_line(client, make, auth):
    org = make.org(verified=False)
    centre = make.centre()
    auth.login(centre)
    r = client.post(f"/organizations/{org.id}/verify", data={"verified": "1"})
    assert r.status_code == 302
    assert _reread(org.id).verified
    assert "인증했습니다" in page_text(client.get(f"/organizations/{org.id}"))
    r = client.post(f"/organizations/{org.id}/verify", data={"verified": "0"})
    assert r.status_code == 302
    assert not _reread(org.id).verified
    actions = db.session.execute(
        select(AuditLog.action).where(AuditLog.actor_id == centre.id).order_by(AuditLog.id)
    ).scalars()
    assert list(actions) == ["organization.verify", "organization.unverify"]


@pytest.mark.parametrize("who", ["anonymous", "resident", "member"])
def test_only_the_centre_verifies(client, make, auth, who):
    member = make.user()
    org = make.org(member, verified=False)
    if who == "resident":
        auth.login(make.user())
    elif who == "member":
        auth.login(member)
    r = client.post(f"/organizations/{org.id}/verify", data={"verified": "1"})
    if who == "anonymous":
        assert r.status_code == 302 and "/auth/login" in r.headers["Location"]
    else:
        assert r.status_code == 403
        assert has_korean(page_text(r))
    assert not _reread(org.id).verified


def test_verifying_an_unknown_organisation_is_404(client, make, auth):
    auth.login(make.centre())
    assert client.post("/organizations/999999/verify").status_code == 404


# --- card policy (centre only) ----------------------------------------------------------------


def test_centre_sets_the_card_policy(client, make, auth):
    org = make.org()
    auth.login(make.centre())
    r = client.post(f"/organizations/{org.id}/card-policy", data={"discount_bp": "2.5", "mileage_bp": "20"})
    assert r.status_code == 302
    fresh = _reread(org.id)
    assert (fresh.discount_bp, fresh.mileage_bp) == (250, 2000)  # typed in percent, kept in bp
    assert "카드 정책을 저장했습니다" in page_text(client.get(f"/organizations/{org.id}"))


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("discount_bp", "20.01"),
        ("discount_bp", "-1"),
        ("mileage_bp", "abc"),
        ("mileage_bp", ""),
        ("discount_bp", "1.505"),
        ("discount_bp", "500"),
    ],
)
def test_card_policy_errors_beside_the_field(client, make, auth, field, value):
    org = make.org(discount_bp=100, mileage_bp=100)
    auth.login(make.centre())
    data = {"discount_bp": "5", "mileage_bp": "5", field: value}
    r = client.post(f"/organizations/{org.id}/card-policy", data=data)
    assert r.status_code == 422
    assert has_korean(field_error(r, field))
    fresh = _reread(org.id)
    assert (fresh.discount_bp, fresh.mileage_bp) == (100, 100)


@pytest.mark.parametrize("who", ["anonymous", "resident", "member"])
def test_only_the_centre_sets_the_card_policy(client, make, auth, who):
    member = make.user()
    org = make.org(member)
    if who == "resident":
        auth.login(make.user())
    elif who == "member":
        auth.login(member)
    for data in ({"discount_bp": "5", "mileage_bp": "5"}, {"discount_bp": "9999", "mileage_bp": ""}):
        r = client.post(f"/organizations/{org.id}/card-policy", data=data)
        if who == "anonymous":
            assert r.status_code == 302
        else:
            assert r.status_code == 403
    assert _reread(org.id).discount_bp == 0


def test_card_policy_for_an_unknown_organisation_is_404(client, make, auth):
    auth.login(make.centre())
    r = client.post("/organizations/999999/card-policy", data={"discount_bp": "1", "mileage_bp": "1"})
    assert r.status_code == 404


def test_membership_rows_are_unique(make):
    member = make.user()
    org = make.org(member)
    rows = db.session.execute(select(Membership).where(Membership.organization_id == org.id)).scalars()
    assert [m.role for m in rows] == ["founder"]
