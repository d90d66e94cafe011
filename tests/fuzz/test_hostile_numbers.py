"""Numbers no column can hold, where a client can put them: refused with a 4xx, never a 5xx.

PostgreSQL's integer columns end at 2^31-1 and SQLite's at 2^63-1; an id or a page past that used to
reach the driver (``integer out of range`` on PostgreSQL, ``OverflowError`` on SQLite) and answer 500.
The OpenAPI document now states the bound of every id a body or a query takes, and the web pages'
``?page=`` and ``?organization_id=`` are clamped.
"""

from __future__ import annotations

import pytest

from sharing.core.extensions import db
from sharing.web.schemas import ID_MAX
from tests.factories import Factory
from tests.fuzz.world import seed

PAST_INT4, PAST_INT8 = 2**31, 2**70

LISTING = {"title": "드릴", "kind": "share", "category": "tools", "dong": "정릉3동"}
RESOURCE = {
    "kind": "equipment",
    "name": "사다리",
    "description": "빌려요",
    "category": "food",
    "dong": "정릉3동",
}
POST = {"title": "소식", "body": "본문", "category": "notice"}

API_CALLS = [
    ("POST", "/api/v1/card/payments", {"amount": 100}, "organization_id"),
    ("POST", "/api/v1/listings", LISTING, "organization_id"),
    ("POST", "/api/v1/resources", RESOURCE, "organization_id"),
    ("POST", "/api/v1/posts", POST, "organization_id"),
    ("POST", "/api/v1/follows", {}, "organization_id"),
    ("POST", "/api/v1/reports", {"target_type": "listing", "reason": "spam"}, "target_id"),
    ("GET", "/api/v1/posts", None, "organization_id"),
    ("GET", "/api/v1/posts?status=draft", None, "organization_id"),
    ("GET", "/api/v1/admin/audit-log", None, "actor_id"),
    ("GET", "/api/v1/listings", None, "page"),
    ("GET", "/api/v1/card/transactions", None, "page"),
]
PAGES = [
    "/news?page={n}",
    "/news?organization_id={n}",
    "/news/feed.atom?organization_id={n}",
    "/archive?page={n}",
    "/market?page={n}",
    "/organizations?page={n}",
    "/card?page={n}",
    "/card/shop/1?page={n}",
    "/admin/users?page={n}",
    "/admin/reports?page={n}",
    "/admin/organizations?page={n}",
    "/archive/stale?page={n}",
]


def _integer_inputs(node, path=()):
    """(where, schema) of every integer a request body or query parameter takes, in the document."""
    if isinstance(node, dict):
        if node.get("type") == "integer":
            yield path, node
        for key, value in node.items():
            yield from _integer_inputs(value, (*path, key))
    elif isinstance(node, list):
        for i, value in enumerate(node):
            yield from _integer_inputs(value, (*path, i))


def test_every_documented_id_input_states_its_bound(app, client):
    raw = client.get("/api/v1/openapi.json").get_json()
    components = raw.get("components", {}).get("schemas", {})
    inputs = {name for op in raw["paths"].values() for o in op.values() for name in _body_refs(o)}
    unbounded = []
    for name in sorted(inputs):
        for where, field in _integer_inputs(components[name]):
            if str(where[-1]).endswith("_id") and field.get("maximum", 2**63) > ID_MAX:
                unbounded.append((name, where[-1]))
    for path, ops in raw["paths"].items():
        for method, op in ops.items():
            for param in op.get("parameters", []):
                field = param.get("schema", {})
                if (
                    param.get("in") == "query"
                    and str(param.get("name", "")).endswith("_id")
                    and field.get("type") == "integer"
                    and field.get("maximum", 2**63) > ID_MAX
                ):
                    unbounded.append((f"{method.upper()} {path}", param["name"]))
    assert unbounded == []


def _body_refs(operation):
    for content in operation.get("requestBody", {}).get("content", {}).values():
        ref = content.get("schema", {}).get("$ref", "")
        if ref:
            yield ref.rsplit("/", 1)[-1]


@pytest.fixture
def hostile(app_factory):
    app = app_factory(PROPAGATE_TEST_ERRORS=False)
    token = seed(app)
    with app.app_context():
        from sharing.auth.services import create_admin

        create_admin("centre-hostile@example.kr", Factory.PASSWORD)
        db.session.remove()
    yield app, {"Authorization": f"Bearer {token}"}
    with app.app_context():
        db.session.remove()
        db.engine.dispose()


@pytest.mark.parametrize("n", [PAST_INT4, PAST_INT8])
def test_api_refuses_numbers_past_the_columns(hostile, n):
    app, headers = hostile
    client = app.test_client()
    answers = {}
    for method, path, body, name in API_CALLS:
        if body is None:
            response = client.get(f"{path}{'&' if '?' in path else '?'}{name}={n}", headers=headers)
        else:
            response = client.open(path, method=method, json={**body, name: n}, headers=headers)
        answers[(method, path, name)] = response.status_code
        assert response.status_code < 500, (method, path, response.get_json())
    assert answers[("POST", "/api/v1/card/payments", "organization_id")] == 422
    assert answers[("GET", "/api/v1/posts", "organization_id")] == 422


@pytest.mark.parametrize("n", [PAST_INT4, PAST_INT8])
def test_web_pages_survive_numbers_past_the_columns(hostile, n):
    app, _headers = hostile
    client = app.test_client()
    for email in ("fuzz@example.kr", "centre-hostile@example.kr"):
        client.post("/auth/login", data={"email": email, "password": Factory.PASSWORD})
        for page in PAGES:
            response = client.get(page.format(n=n))
            assert response.status_code < 500, (email, page, response.status_code)
        client.post("/auth/logout")
    assert client.get(f"/news?organization_id={n}").status_code == 200
