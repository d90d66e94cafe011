"""Organisations over the API, as ../shared/API.md writes them, with every error path."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from sharing.core.extensions import db
from sharing.orgs import services as org_services
from sharing.orgs.models import Organization
from tests.helpers import has_korean

BODY = {
    "name": "성북 마을부엌",
    "kind": "village_enterprise",
    "dong": "정릉3동",
    "description": "밥을 나눠요",
}


def _count() -> int:
    db.session.rollback()
    return db.session.execute(select(func.count()).select_from(Organization)).scalar_one()


def _error(r, status: int, code: str | None = None) -> dict:
    assert r.status_code == status, r.get_data(as_text=True)
    error = r.json["error"]
    assert has_korean(error["message"])
    if code:
        assert error["code"] == code
    return error


# --- registration -----------------------------------------------------------------------------


def test_create_answers_201_unverified_and_the_caller_is_a_member(client, make, auth):
    user = make.user()
    headers = auth.headers(user)
    r = client.post("/api/v1/organizations", json=BODY, headers=headers)
    assert r.status_code == 201
    org = r.json
    assert org["verified"] is False
    assert {k: org[k] for k in ("name", "kind", "dong", "description")} == BODY
    assert (org["discount_bp"], org["mileage_bp"]) == (0, 0)
    assert org["created_at"].endswith("+09:00")
    me = client.get("/api/v1/me", headers=headers).json
    assert me["organizations"] == [
        {"id": org["id"], "name": "성북 마을부엌", "kind": "village_enterprise", "verified": False}
    ]
    assert client.get(f"/api/v1/organizations/{org['id']}").json["name"] == "성북 마을부엌"


def test_create_description_is_optional_and_names_are_trimmed(client, make, auth):
    body = {k: v for k, v in BODY.items() if k != "description"} | {"name": "  동네목수  "}
    r = client.post("/api/v1/organizations", json=body, headers=auth.headers(make.user()))
    assert r.status_code == 201
    assert (r.json["name"], r.json["description"]) == ("동네목수", "")


def test_create_needs_a_token(client, make, auth):
    _error(client.post("/api/v1/organizations", json=BODY), 401, "unauthorized")
    bad = {"Authorization": "Bearer not-a-token"}
    _error(client.post("/api/v1/organizations", json=BODY, headers=bad), 401)
    # the web session does not count for the API
    user = make.user()
    auth.login(user)
    _error(client.post("/api/v1/organizations", json=BODY), 401)
    assert _count() == 0


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("name", ""),
        ("name", "   "),
        ("name", "가" * 101),
        ("name", None),
        ("name", 12),
        ("kind", "bank"),
        ("kind", "VILLAGE_ENTERPRISE"),
        ("dong", "역삼동"),
        ("dong", "정릉3"),
        ("description", "가" * 5001),
        ("verified", True),
        ("id", 5),
    ],
)
def test_create_invalid_fields_are_422(client, make, auth, field, value):
    r = client.post("/api/v1/organizations", json={**BODY, field: value}, headers=auth.headers(make.user()))
    error = _error(r, 422, "invalid")
    assert field in error["fields"]
    assert all(has_korean(m) for m in error["fields"][field])
    assert _count() == 0


def test_create_missing_fields_are_422(client, make, auth):
    r = client.post("/api/v1/organizations", json={}, headers=auth.headers(make.user()))
    assert set(_error(r, 422)["fields"]) == {"name", "kind", "dong"}


@pytest.mark.parametrize(
    ("data", "ctype"),
    [
        ("{not json", "application/json"),
        ('"a string"', "application/json"),
        ("[]", "application/json"),
        ("name=x&kind=cooperative", "application/x-www-form-urlencoded"),
        ("<org/>", "application/xml"),
        ("", "application/json"),
    ],
)
def test_create_malformed_bodies_are_400(client, make, auth, data, ctype):
    r = client.post("/api/v1/organizations", data=data, content_type=ctype, headers=auth.headers(make.user()))
    _error(r, 400, "malformed_request")
    assert _count() == 0


# --- the list ---------------------------------------------------------------------------------


@pytest.fixture
def directory(make):
    make.org(name="가 마을기업", kind="village_enterprise", dong="장위1동")
    make.org(name="나 협동조합", kind="cooperative", dong="장위1동", verified=False)
    make.org(name="다 마을기업", kind="village_enterprise", dong="석관동", verified=False)


def _list(client, query=""):
    r = client.get(f"/api/v1/organizations{query}")
    assert r.status_code == 200, r.json
    return r.json


def test_list_filters(client, directory):
    whole = _list(client)
    assert [o["name"] for o in whole["items"]] == ["가 마을기업", "나 협동조합", "다 마을기업"]
    assert (whole["page"], whole["per_page"], whole["total"]) == (1, 20, 3)
    assert [o["name"] for o in _list(client, "?kind=village_enterprise")["items"]] == [
        "가 마을기업",
        "다 마을기업",
    ]
    assert [o["name"] for o in _list(client, "?dong=장위1동")["items"]] == ["가 마을기업", "나 협동조합"]
    assert [o["name"] for o in _list(client, "?verified=true")["items"]] == ["가 마을기업"]
    assert [o["name"] for o in _list(client, "?verified=false")["items"]] == ["나 협동조합", "다 마을기업"]
    both = _list(client, "?kind=village_enterprise&dong=석관동&verified=false")
    assert [o["name"] for o in both["items"]] == ["다 마을기업"]
    assert both["total"] == 1
    # empty parameters (a form submitted as is) are no filter
    assert _list(client, "?kind=&dong=&verified=")["total"] == 3


def test_list_pages(client, directory):
    first = _list(client, "?per_page=2")
    assert [o["name"] for o in first["items"]] == ["가 마을기업", "나 협동조합"]
    assert (first["page"], first["per_page"], first["total"]) == (1, 2, 3)
    second = _list(client, "?per_page=2&page=2")
    assert [o["name"] for o in second["items"]] == ["다 마을기업"]
    assert _list(client, "?per_page=2&page=50")["items"] == []
    assert _list(client, "?per_page=100")["total"] == 3


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ("kind=bank", "kind"),
        ("dong=역삼동", "dong"),
        ("dong=Seongbuk", "dong"),
        ("verified=maybe", "verified"),
        ("page=0", "page"),
        ("page=-1", "page"),
        ("page=abc", "page"),
        ("page=" + "9" * 30, "page"),
        ("per_page=0", "per_page"),
        ("per_page=101", "per_page"),
        ("colour=blue", "colour"),
    ],
)
def test_list_bad_queries_are_422(client, directory, query, field):
    error = _error(client.get(f"/api/v1/organizations?{query}"), 422, "invalid")
    assert field in error["fields"]


def test_show_404(client):
    _error(client.get("/api/v1/organizations/999999"), 404, "not_found")
    _error(client.get("/api/v1/organizations/" + "9" * 25), 404)


# --- verification (centre only) ---------------------------------------------------------------


def test_centre_verifies_and_unverifies(client, make, auth):
    org = make.org(verified=False)
    headers = auth.headers(make.centre())
    r = client.post(f"/api/v1/organizations/{org.id}/verify", headers=headers)
    assert r.status_code == 200
    assert r.json == {"id": org.id, "verified": True}
    assert client.post(f"/api/v1/organizations/{org.id}/verify", headers=headers).json["verified"] is True
    assert client.get(f"/api/v1/organizations/{org.id}").json["verified"] is True
    r = client.post(f"/api/v1/organizations/{org.id}/unverify", headers=headers)
    assert r.json == {"id": org.id, "verified": False}
    db.session.rollback()
    assert not org_services.get(org.id).verified


@pytest.mark.parametrize("action", ["verify", "unverify"])
def test_verification_permissions(client, make, auth, action):
    member = make.user()
    org = make.org(member, verified=action == "unverify")
    url = f"/api/v1/organizations/{org.id}/{action}"
    _error(client.post(url), 401)
    _error(client.post(url, headers=auth.headers(make.user())), 403, "forbidden")
    _error(client.post(url, headers=auth.headers(member)), 403, "forbidden")
    _error(client.post(f"/api/v1/organizations/999999/{action}", headers=auth.headers(make.centre())), 404)
    db.session.rollback()
    assert org_services.get(org.id).verified is (action == "unverify")


# --- card policy (centre only) ----------------------------------------------------------------


@pytest.mark.parametrize(("discount", "mileage"), [(0, 0), (2000, 2000), (500, 300)])
def test_centre_sets_the_card_policy(client, make, auth, discount, mileage):
    org = make.org()
    r = client.patch(
        f"/api/v1/organizations/{org.id}/card-policy",
        json={"discount_bp": discount, "mileage_bp": mileage},
        headers=auth.headers(make.centre()),
    )
    assert r.status_code == 200
    assert (r.json["discount_bp"], r.json["mileage_bp"]) == (discount, mileage)
    assert r.json["id"] == org.id


@pytest.mark.parametrize(
    "body",
    [
        {"discount_bp": 2001, "mileage_bp": 0},
        {"discount_bp": -1, "mileage_bp": 0},
        {"discount_bp": 0, "mileage_bp": 99999999999999999999},
        {"discount_bp": "100", "mileage_bp": 0},
        {"discount_bp": 1.5, "mileage_bp": 0},
        {"discount_bp": True, "mileage_bp": 0},
        {"discount_bp": None, "mileage_bp": 0},
        {"discount_bp": 100},
        {"discount_bp": 100, "mileage_bp": 100, "fund_rate_bp": 0},
    ],
)
def test_card_policy_invalid_is_422(client, make, auth, body):
    org = make.org(discount_bp=100, mileage_bp=100)
    r = client.patch(
        f"/api/v1/organizations/{org.id}/card-policy", json=body, headers=auth.headers(make.centre())
    )
    assert _error(r, 422, "invalid")["fields"]
    db.session.rollback()
    fresh = org_services.get(org.id)
    assert (fresh.discount_bp, fresh.mileage_bp) == (100, 100)


def test_card_policy_permissions_and_errors(client, make, auth):
    member = make.user()
    org = make.org(member)
    url = f"/api/v1/organizations/{org.id}/card-policy"
    body = {"discount_bp": 500, "mileage_bp": 500}
    _error(client.patch(url, json=body), 401)
    _error(client.patch(url, json=body, headers=auth.headers(member)), 403)
    _error(client.patch(url, json=body, headers=auth.headers(make.user())), 403)
    centre = auth.headers(make.centre())
    _error(client.patch("/api/v1/organizations/999999/card-policy", json=body, headers=centre), 404)
    _error(client.patch(url, data="{", content_type="application/json", headers=centre), 400)
    _error(client.post(url, json=body, headers=centre), 405, "method_not_allowed")


# --- members ----------------------------------------------------------------------------------


def test_invite_over_the_api(client, make, auth):
    member = make.user()
    org = make.org(member)
    guest = make.user(email="guest@example.kr")
    url = f"/api/v1/organizations/{org.id}/members"
    r = client.post(url, json={"email": "Guest@Example.kr"}, headers=auth.headers(member))
    assert r.status_code == 201
    assert r.json == {"organization_id": org.id, "user_id": guest.id}
    _error(client.post(url, json={"email": guest.email}, headers=auth.headers(member)), 409, "already_member")
    _error(
        client.post(url, json={"email": "no@example.kr"}, headers=auth.headers(member)), 404, "user_not_found"
    )
    _error(client.post(url, json={"email": ""}, headers=auth.headers(member)), 422)
    _error(client.post(url, json={"email": "a" * 255}, headers=auth.headers(member)), 422)
    _error(client.post(url, json={"email": guest.email}, headers=auth.headers(make.user())), 403)
    _error(client.post(url, json={"email": guest.email}), 401)


def test_unknown_api_paths_and_methods_answer_json(client):
    _error(client.get("/api/v1/nothing-here"), 404, "not_found")
    _error(client.delete("/api/v1/organizations"), 405, "method_not_allowed")
