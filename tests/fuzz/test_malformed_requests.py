"""Malformed requests are 400s, never 500s: JSON nested past any real document on every JSON route,
and a redirect target carrying CR/LF (it would split the Location header)."""

from __future__ import annotations

import re

import pytest

from sharing.core.extensions import db
from sharing.web.inputs import JSON_MAX_DEPTH
from tests.fuzz.world import seed

DEEP = "[" * 100_000 + "]" * 100_000
JUST_PAST = '{"title": ' + "[" * JSON_MAX_DEPTH + "]" * JSON_MAX_DEPTH + "}"  # past the limit, decodable


@pytest.fixture
def env(app_factory):
    app = app_factory(PROPAGATE_TEST_ERRORS=False)
    token = seed(app)
    yield app, {"Authorization": f"Bearer {token}", "Idempotency-Key": "deep-1"}
    with app.app_context():
        db.session.remove()
        db.engine.dispose()


def _json_routes(app):
    """(method, path) of every API route taking a body, with 1 for each URL part."""
    for rule in app.url_map.iter_rules():
        if not rule.rule.startswith("/api/"):
            continue
        for method in sorted(rule.methods & {"POST", "PATCH", "PUT"}):
            yield (
                method,
                re.sub(r"<(?:[^:>]+:)?([^>]+)>", lambda m: "1-1" if "code" in m[1] else "1", rule.rule),
            )


@pytest.mark.parametrize("body", [DEEP, JUST_PAST], ids=["100000-levels", "just-past-the-limit"])
def test_deeply_nested_json_is_a_400_on_every_json_route(env, body):
    app, headers = env
    client = app.test_client()
    routes = list(_json_routes(app))
    assert len(routes) > 20
    for method, path in routes:
        response = client.open(
            path, method=method, data=body, content_type="application/json", headers=headers
        )
        assert response.status_code < 500, (method, path, response.status_code)
    for method, path in [
        ("POST", "/api/v1/tokens"),
        ("POST", "/api/v1/listings"),
        ("PATCH", "/api/v1/listings/2"),
        ("POST", "/api/v1/resources"),
        ("POST", "/api/v1/card/topups"),
    ]:
        response = client.open(
            path, method=method, data=body, content_type="application/json", headers=headers
        )
        assert response.status_code == 400, (path, response.status_code)
        assert response.get_json()["error"]["code"] == "malformed_request"
        assert response.get_json()["error"]["message"]


def test_json_within_the_limit_still_reaches_validation(env):
    app, headers = env
    body = '{"title": ' + "[" * (JSON_MAX_DEPTH - 2) + "]" * (JSON_MAX_DEPTH - 2) + "}"
    response = app.test_client().post(
        "/api/v1/listings", data=body, content_type="application/json", headers=headers
    )
    assert response.status_code == 422
    assert "title" in response.get_json()["error"]["fields"]


@pytest.mark.parametrize("target", ["/market%0d%0aSet-Cookie:%20a=b", "/x%0aLocation:%20//evil.example"])
def test_a_next_with_line_breaks_goes_home_without_splitting_headers(env, target):
    app, _headers = env
    response = app.test_client().get(f"/lang/en?next={target}")
    assert response.status_code == 302
    assert response.headers["Location"] == "/"
    assert not any("a=b" in cookie for cookie in response.headers.getlist("Set-Cookie"))
    assert "evil" not in response.headers["Location"]


def test_a_next_with_other_control_characters_goes_home(env):
    app, _headers = env
    response = app.test_client().get("/lang/en?next=/%09/evil.example")
    assert response.status_code == 302
    assert response.headers["Location"] == "/"


def test_a_plain_next_still_redirects(env):
    app, _headers = env
    response = app.test_client().get("/lang/en?next=/market")
    assert response.status_code == 302
    assert response.headers["Location"].endswith("/market")
