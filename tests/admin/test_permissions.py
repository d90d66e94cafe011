"""Every console route is the centre's: anonymous visitors sign in first, residents get 403."""

from urllib.parse import parse_qs, unquote, urlsplit

import pytest

from sharing.core.db import transaction
from sharing.records.log import add_report

HTML_GET = [
    "/admin",
    "/admin/organizations",
    "/admin/organizations?status=all",
    "/admin/reports",
    "/admin/reports?status=all",
    "/admin/users",
    "/admin/users?q=%EA%B9%80",
    "/admin/audit-log",
    "/admin/audit-log.csv",
]
HTML_POST = [
    ("/admin/organizations/{org}/verify", {"verified": "1"}),
    ("/admin/organizations/{org}/card-policy", {"org{org}-discount_bp": "1", "org{org}-mileage_bp": "0.5"}),
    ("/admin/reports/{report}/resolve", {"action": "dismiss"}),
    ("/admin/users/{user}/suspend", {"suspended": "1"}),
]
API = [
    ("GET", "/api/v1/admin/summary", None),
    ("GET", "/api/v1/admin/organizations", None),
    ("GET", "/api/v1/admin/reports", None),
    ("POST", "/api/v1/admin/reports/{report}/resolve", {"action": "dismiss"}),
    ("GET", "/api/v1/admin/users?q=a&role=resident", None),
    ("PATCH", "/api/v1/admin/users/{user}", {"suspended": True}),
    ("GET", "/api/v1/admin/audit-log", None),
]


@pytest.fixture
def objects(make, resident):
    other = make.user()
    org = make.org(other, verified=False)
    with transaction():
        report = add_report(resident, "user", other.id, "spam", "")
    return {"org": org.id, "report": report.id, "user": other.id}


def _fill(template: str, objects: dict) -> str:
    return template.format(**objects)


@pytest.mark.parametrize("path", HTML_GET)
def test_anonymous_is_sent_to_sign_in(client, path):
    r = client.get(path)
    assert r.status_code == 302
    target = urlsplit(r.headers["Location"])
    assert target.path == "/auth/login"
    assert parse_qs(target.query)["next"] == [unquote(path)]


@pytest.mark.parametrize(("path", "data"), HTML_POST)
def test_anonymous_posts_are_sent_to_sign_in_and_change_nothing(client, objects, path, data):
    r = client.post(_fill(path, objects), data={_fill(k, objects): v for k, v in data.items()})
    assert r.status_code == 302
    assert urlsplit(r.headers["Location"]).path == "/auth/login"


@pytest.mark.parametrize("path", HTML_GET)
def test_residents_get_403(client, auth, resident, path):
    auth.login(resident)
    r = client.get(path)
    assert r.status_code == 403
    assert "권한" in r.get_data(as_text=True) or "센터" in r.get_data(as_text=True)


@pytest.mark.parametrize(("path", "data"), HTML_POST)
def test_residents_cannot_post(client, auth, resident, objects, path, data, app):
    from sharing.core.extensions import db
    from sharing.records.models import AuditLog

    before = db.session.query(AuditLog).count()
    auth.login(resident)
    r = client.post(_fill(path, objects), data={_fill(k, objects): v for k, v in data.items()})
    assert r.status_code == 403
    db.session.rollback()
    assert db.session.query(AuditLog).count() == before


@pytest.mark.parametrize("path", HTML_GET)
def test_centre_sees_every_page(client, auth, centre, objects, path):
    auth.login(centre)
    r = client.get(path)
    assert r.status_code == 200, path


@pytest.mark.parametrize(("method", "path", "body"), API)
def test_api_anonymous_is_401(client, objects, method, path, body):
    r = client.open(_fill(path, objects), method=method, json=body)
    assert r.status_code == 401
    assert r.json["error"]["code"] == "unauthorized"


@pytest.mark.parametrize(("method", "path", "body"), API)
def test_api_residents_get_403(client, auth, resident, objects, method, path, body):
    r = client.open(_fill(path, objects), method=method, json=body, headers=auth.headers(resident))
    assert r.status_code == 403
    assert r.json["error"]["code"] == "forbidden"


@pytest.mark.parametrize(("method", "path", "body"), API)
def test_api_centre_is_allowed(client, auth, centre, objects, method, path, body):
    r = client.open(_fill(path, objects), method=method, json=body, headers=auth.headers(centre))
    assert r.status_code == 200, r.json


def test_api_ignores_the_session_cookie(client, auth, centre):
    auth.login(centre)
    assert client.get("/api/v1/admin/users").status_code == 401


def test_report_pages_need_sign_in(client, resident):
    r = client.get(f"/reports/new?target_type=user&target_id={resident.id}")
    assert r.status_code == 302
    assert urlsplit(r.headers["Location"]).path == "/auth/login"
    r = client.post(
        "/api/v1/reports", json={"target_type": "user", "target_id": resident.id, "reason": "spam"}
    )
    assert r.status_code == 401


def test_a_suspended_centre_account_loses_the_console(client, auth, make, centre, runner):
    other_centre = make.centre()
    auth.login(other_centre)
    assert client.get("/admin").status_code == 200
    # only the operator suspends a centre account
    result = runner.invoke(args=["users", "suspend", other_centre.email])
    assert result.exit_code == 0, result.output
    r = client.get("/admin")
    assert r.status_code == 302
    assert urlsplit(r.headers["Location"]).path == "/auth/login"


def test_openapi_documents_the_admin_api(client):
    spec = client.get("/api/v1/openapi.json").json
    paths = spec["paths"]
    for path in (
        "/api/v1/reports",
        "/api/v1/admin/reports",
        "/api/v1/admin/reports/{report_id}/resolve",
        "/api/v1/admin/users",
        "/api/v1/admin/users/{user_id}",
        "/api/v1/admin/audit-log",
        "/api/v1/admin/organizations",
        "/api/v1/admin/summary",
    ):
        assert path in paths, path
    listing = paths["/api/v1/admin/users"]["get"]
    assert listing["security"] == [{"bearer": []}]
    assert set(listing["responses"]["200"]["content"]["application/json"]["schema"]["required"]) == {
        "items",
        "page",
        "per_page",
        "total",
    }
    assert "403" in listing["responses"]
    assert "201" in paths["/api/v1/reports"]["post"]["responses"]
