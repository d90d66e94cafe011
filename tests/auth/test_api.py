"""Accounts over the API, as ../shared/API.md writes them."""

import pytest

from tests.factories import Factory


def _register(client, **over):
    body = {
        "email": "Minji@Example.kr",
        "password": "secret-pass-1",
        "name": "김민지",
        "dong": "정릉3동",
        "privacy_consent": True,
        "terms_consent": True,
    }
    body.update(over)
    return client.post("/api/v1/users", json=body)


def test_register_token_me_and_revoke(client):
    r = _register(client)
    assert r.status_code == 201
    assert r.json["email"] == "minji@example.kr"
    assert r.json["dong"] == "정릉3동"
    assert "password_hash" not in r.json

    r = client.post("/api/v1/tokens", json={"email": "MINJI@example.kr", "password": "secret-pass-1"})
    assert r.status_code == 201
    token = r.json["token"]
    assert r.json["expires_at"].endswith("+09:00")
    headers = {"Authorization": f"Bearer {token}"}

    me = client.get("/api/v1/me", headers=headers)
    assert me.status_code == 200
    assert me.json["role"] == "resident"
    assert me.json["organizations"] == []

    assert client.delete("/api/v1/tokens/current", headers=headers).status_code == 204
    assert client.get("/api/v1/me", headers=headers).status_code == 401


def test_email_taken_case_insensitively(client):
    assert _register(client).status_code == 201
    r = _register(client, email="MINJI@example.KR")
    assert r.status_code == 409
    assert r.json["error"]["code"] == "email_taken"


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("dong", "역삼동"),
        ("dong", ""),
        ("email", "not-an-email"),
        ("password", "short"),
        ("name", ""),
        ("name", "가" * 51),
        ("email", 12),
    ],
)
def test_register_invalid_fields_are_422_in_korean(client, field, value):
    r = _register(client, **{field: value})
    assert r.status_code == 422, r.json
    assert field in r.json["error"]["fields"]
    assert any("\uac00" <= ch <= "\ud7a3" for ch in r.json["error"]["message"])


def test_missing_fields_and_unknown_fields(client):
    r = client.post("/api/v1/users", json={"email": "a@b.kr"})
    assert r.status_code == 422
    assert {"password", "name", "dong"} <= set(r.json["error"]["fields"])
    r = _register(client, role="centre")
    assert r.status_code == 422
    assert "role" in r.json["error"]["fields"]


@pytest.mark.parametrize(
    ("data", "ctype"),
    [("{not json", "application/json"), ("[1, 2]", "application/json"), ("a=b", "text/plain")],
)
def test_malformed_bodies_are_400(client, data, ctype):
    r = client.post("/api/v1/users", data=data, content_type=ctype)
    assert r.status_code == 400
    assert r.json["error"]["code"] == "malformed_request"


def test_wrong_password_is_401_and_nothing_issued(client):
    _register(client)
    r = client.post("/api/v1/tokens", json={"email": "minji@example.kr", "password": "wrong-pass-1"})
    assert r.status_code == 401
    assert r.json["error"]["code"] == "invalid_credentials"


def test_me_needs_a_valid_token(client):
    assert client.get("/api/v1/me").status_code == 401
    r = client.get("/api/v1/me", headers={"Authorization": "Bearer nope"})
    assert r.status_code == 401
    assert r.json["error"]["code"] == "unauthorized"


def test_session_cookie_does_not_authenticate_the_api(client, make, auth):
    user = make.user()
    auth.login(user)
    assert client.get("/api/v1/me").status_code == 401


def test_token_requests_are_rate_limited(app_factory, make):
    user = make.user()
    limited = app_factory(RATELIMIT_ENABLED=True, AUTH_RATE_LIMIT="3 per minute")
    client = limited.test_client()
    body = {"email": user.email, "password": "wrong-pass-1"}
    statuses = [client.post("/api/v1/tokens", json=body).status_code for _ in range(4)]
    assert statuses == [401, 401, 401, 429]
    r = client.post("/api/v1/tokens", json=body)
    assert r.status_code == 429
    assert r.json["error"]["code"] == "too_many_requests"
    assert "잠시 후" in r.json["error"]["message"]


def test_openapi_lists_every_api_route(app, client):
    spec = client.get("/api/v1/openapi.json").json
    assert spec["openapi"].startswith("3.")
    documented = {(p, m) for p, ops in spec["paths"].items() for m in ops}
    for rule in app.url_map.iter_rules():
        if rule.rule.startswith("/api/v1/") and rule.endpoint != "openapi.openapi_json":
            path = rule.rule.replace("<int:", "{").replace("<", "{").replace(">", "}")
            for method in rule.methods - {"HEAD", "OPTIONS"}:
                assert (path, method.lower()) in documented
    assert "/api/v1/users" in spec["paths"]
    assert client.get("/api/docs").status_code == 200


# --- more error paths (foundation acceptance) --------------------------------------------------


@pytest.mark.parametrize(
    "body",
    [
        {"email": "a" * 255, "password": "secret-pass-1"},
        {"email": "minji@example.kr", "password": "x" * 129},
        {"email": "minji@example.kr"},
        {"password": "secret-pass-1"},
        {"email": 5, "password": "secret-pass-1"},
        {"email": "minji@example.kr", "password": "secret-pass-1", "scope": "admin"},
    ],
)
def test_token_request_invalid_fields_are_422(client, body):
    _register(client)
    r = client.post("/api/v1/tokens", json=body)
    assert r.status_code == 422
    assert r.json["error"]["fields"]


@pytest.mark.parametrize(
    ("data", "ctype"), [("{", "application/json"), ("email=a", "application/x-www-form-urlencoded")]
)
def test_token_request_malformed_is_400(client, data, ctype):
    r = client.post("/api/v1/tokens", data=data, content_type=ctype)
    assert r.status_code == 400


def test_register_password_over_128_is_422(client):
    r = _register(client, password="x" * 129)
    assert r.status_code == 422
    assert "password" in r.json["error"]["fields"]


def test_patch_me(client, make, auth):
    user = make.user(dong="정릉3동")
    headers = auth.headers(user)
    r = client.patch("/api/v1/me", json={"dong": "석관동"}, headers=headers)
    assert r.status_code == 200
    assert (r.json["dong"], r.json["name"]) == ("석관동", user.name)
    for body, field in (
        ({"dong": "역삼동"}, "dong"),
        ({"name": ""}, "name"),
        ({"name": "가" * 51}, "name"),
        ({"role": "centre"}, "role"),
    ):
        r = client.patch("/api/v1/me", json=body, headers=headers)
        assert r.status_code == 422
        assert field in r.json["error"]["fields"]
    assert client.get("/api/v1/me", headers=headers).json["role"] == "resident"
    assert client.patch("/api/v1/me", json={"dong": "석관동"}).status_code == 401


def test_expired_and_suspended_tokens_are_401(client, make, auth, app):
    from datetime import timedelta

    from sqlalchemy import update

    from sharing.auth import services
    from sharing.auth.models import ApiToken
    from sharing.core.db import transaction, utcnow
    from sharing.core.extensions import db

    user = make.user()
    headers = auth.headers(user)
    assert client.get("/api/v1/me", headers=headers).status_code == 200
    with transaction():
        db.session.execute(update(ApiToken).values(expires_at=utcnow() - timedelta(seconds=1)))
    assert client.get("/api/v1/me", headers=headers).status_code == 401

    other = make.user()
    headers = auth.headers(other)
    services.set_suspended(make.centre(), other.id, True)
    assert client.get("/api/v1/me", headers=headers).status_code == 401
    r = client.post("/api/v1/tokens", json={"email": other.email, "password": Factory.PASSWORD})
    assert r.status_code == 403
    assert r.json["error"]["code"] == "suspended"


def test_revoking_needs_a_token(client):
    assert client.delete("/api/v1/tokens/current").status_code == 401
    r = client.delete("/api/v1/tokens/current", headers={"Authorization": "Bearer nope"})
    assert r.status_code == 401


def test_centre_role_shows_in_me(client, make, auth):
    centre = make.centre()
    assert client.get("/api/v1/me", headers=auth.headers(centre)).json["role"] == "centre"
