"""Text no database stores (NUL, lone UTF-16 surrogates): a 422, never a 500.

PostgreSQL refuses NUL in text columns, neither database encodes a lone surrogate (JSON may carry
``"\\ud800"``), and SQLite's FTS5 search trips on NUL. The fuzzer found them in listing titles,
report comments and resource descriptions; these requests pin every way in (JSON body at any depth,
query string, web form, URL part, the Idempotency-Key header) on both backends.
"""

from __future__ import annotations

import json

import pytest

from sharing.core.extensions import db
from tests.factories import Factory
from tests.fuzz.world import seed

RESOURCE = {
    "kind": "equipment",
    "name": "사다리",
    "description": "빌려요",
    "category": "food",
    "dong": "정릉3동",
}
BAD = ["a\x00b", "a\ud800b"]


@pytest.fixture
def env(app_factory):
    app = app_factory(PROPAGATE_TEST_ERRORS=False)
    token = seed(app)
    yield app, {"Authorization": f"Bearer {token}"}
    with app.app_context():
        db.session.remove()
        db.engine.dispose()


def _json(client, method, path, body, headers):
    raw = json.dumps(body)  # ensure_ascii: a lone surrogate travels as the escape "\ud800"
    return client.open(path, method=method, data=raw, content_type="application/json", headers=headers)


@pytest.mark.parametrize("bad", BAD, ids=["nul", "surrogate"])
def test_json_bodies_refuse_unstorable_text(env, bad):
    app, headers = env
    client = app.test_client()
    calls = [
        ("POST", "/api/v1/resources", {**RESOURCE, "name": bad}, "name"),
        ("POST", "/api/v1/resources", {**RESOURCE, "tags": ["마을", bad]}, "tags"),
        ("POST", "/api/v1/listings/1/reports", {"reason": "spam", "comment": bad}, "comment"),
        ("POST", "/api/v1/tokens", {"email": f"{bad}@example.kr", "password": "x"}, "email"),
        ("PATCH", "/api/v1/me", {"name": bad}, "name"),
        ("POST", "/api/v1/card/payments", {"organization_id": 1, "amount": 100, bad: 1}, "a?b"),
    ]
    for method, path, body, field in calls:
        response = _json(client, method, path, body, headers)
        assert response.status_code == 422, (path, response.status_code)
        assert field in response.get_json()["error"]["fields"], (path, response.get_json())
    assert client.get("/api/v1/resources/2").status_code == 404  # nothing was stored


@pytest.mark.parametrize("bad", ["a%00b"])
def test_query_strings_forms_and_headers_refuse_nul(env, bad):
    app, headers = env
    client = app.test_client()
    for path in ("/api/v1/listings", "/api/v1/resources", "/market", "/archive", "/news"):
        response = client.get(f"{path}?q={bad}", headers=headers)
        assert response.status_code == 422, (path, response.status_code)
    assert "q" in client.get(f"/api/v1/listings?q={bad}").get_json()["error"]["fields"]
    login = client.post("/auth/login", data={"email": "fuzz\x00@example.kr", "password": Factory.PASSWORD})
    assert login.status_code == 422
    assert client.get("/api/v1/plan/projects/1-1%00", headers=headers).status_code == 404
    topup = client.post(
        "/api/v1/card/topups", json={"amount": 100}, headers={**headers, "Idempotency-Key": "k\x00"}
    )
    assert topup.status_code == 422
    assert "Idempotency-Key" in topup.get_json()["error"]["fields"]
    # Ordinary Korean text, emoji and escapes go through.
    ok = client.post("/api/v1/resources", json={**RESOURCE, "name": "공유 부엌 🍚 \\n"}, headers=headers)
    assert ok.status_code == 201, ok.get_json()
