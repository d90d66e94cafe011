"""Security headers, cookies, error pages without internals, and the production configuration."""

from __future__ import annotations

import pytest

from config import ProductionConfig
from sharing import create_app
from tests.factories import Factory
from tests.helpers import has_korean, html_lang, page_text

PAGES = [
    "/",
    "/auth/login",
    "/auth/register",
    "/organizations",
    "/api/v1/organizations",
    "/nowhere",
    "/healthz",
]


def _csp(response) -> dict[str, str]:
    policy = response.headers["Content-Security-Policy"]
    return {
        part.strip().split(" ", 1)[0]: part.strip().partition(" ")[2]
        for part in policy.split(";")
        if part.strip()
    }


@pytest.mark.parametrize("path", PAGES)
def test_every_answer_carries_the_security_headers(client, path):
    r = client.get(path)
    csp = _csp(r)
    assert csp["default-src"] == "'self'"
    assert csp["script-src"] == "'self'"  # no 'unsafe-inline', no other host
    assert csp["style-src"] == "'self'"
    assert csp["frame-ancestors"] == "'none'"
    assert csp["object-src"] == "'none'"
    assert csp["form-action"] == "'self'"
    assert "unsafe-inline" not in r.headers["Content-Security-Policy"]
    assert "unsafe-eval" not in r.headers["Content-Security-Policy"]
    assert r.headers["X-Content-Type-Options"] == "nosniff"
    assert r.headers["Referrer-Policy"] == "strict-origin-when-cross-origin"
    assert r.headers["X-Frame-Options"] == "DENY"


@pytest.mark.parametrize("path", ["/", "/auth/login", "/auth/register", "/organizations"])
def test_pages_have_no_inline_script_or_style(client, path):
    body = page_text(client.get(path))
    assert "<script>" not in body and "<script type" not in body
    assert " style=" not in body and "<style" not in body
    assert " onclick=" not in body.lower() and " onload=" not in body.lower()


def test_session_cookie_is_httponly_and_samesite_lax(client, make):
    user = make.user()
    r = client.post("/auth/login", data={"email": user.email, "password": Factory.PASSWORD})
    cookie = r.headers["Set-Cookie"]
    assert cookie.startswith("session=")
    assert "HttpOnly" in cookie
    assert "SameSite=Lax" in cookie
    assert "Secure" not in cookie  # development and tests run on plain http


def _production(database_url, tmp_path, **over):
    return create_app(
        ProductionConfig,
        SQLALCHEMY_DATABASE_URI=database_url,
        UPLOAD_DIR=str(tmp_path / "uploads"),
        RATELIMIT_ENABLED=False,
        LEDGER_KEY="production-test-ledger-key-0123456789abcdef",  # production needs one
        LEDGER_CHECKPOINT_FILE=str(tmp_path / "ledger-checkpoints.jsonl"),
        **over,
    )


def test_production_cookie_is_secure(database_url, tmp_path, monkeypatch, make):
    monkeypatch.setenv("SECRET_KEY", "a-long-production-secret-0123456789")
    user = make.user()
    app = _production(database_url, tmp_path, WTF_CSRF_ENABLED=False)
    assert app.config["SECRET_KEY"] == "a-long-production-secret-0123456789"
    assert app.config["SESSION_COOKIE_SECURE"] is True
    assert app.config["REMEMBER_COOKIE_SECURE"] is True
    r = app.test_client().post(
        "/auth/login",
        data={"email": user.email, "password": Factory.PASSWORD},
        base_url="https://localhost",
    )
    assert r.status_code == 302
    cookie = r.headers["Set-Cookie"]
    assert "Secure" in cookie and "HttpOnly" in cookie and "SameSite=Lax" in cookie


@pytest.mark.parametrize("secret", [None, "", "dev-only-secret-change-me", "short"])
def test_production_refuses_to_start_without_a_secret_key(database_url, tmp_path, monkeypatch, secret):
    if secret is None:
        monkeypatch.delenv("SECRET_KEY", raising=False)
    else:
        monkeypatch.setenv("SECRET_KEY", secret)
    with pytest.raises(RuntimeError, match="SECRET_KEY"):
        _production(database_url, tmp_path)


def test_production_accepts_an_explicit_secret_key(database_url, tmp_path, monkeypatch):
    monkeypatch.delenv("SECRET_KEY", raising=False)
    app = _production(database_url, tmp_path, SECRET_KEY="explicit-secret-for-this-app-0123")
    assert app.config["SECRET_KEY"] == "explicit-secret-for-this-app-0123"


@pytest.fixture
def failing_app(app_factory):
    app = app_factory(PROPAGATE_TEST_ERRORS=False, PROPAGATE_EXCEPTIONS=False)

    def boom():
        raise RuntimeError("secret internals: password=hunter2 at /srv/sharing/db.py")

    app.add_url_rule("/test-boom", "test_boom", boom)
    app.add_url_rule("/api/v1/test-boom", "test_boom_api", boom)
    return app


def test_a_crash_is_a_korean_500_page_without_a_traceback(failing_app, caplog):
    r = failing_app.test_client().get("/test-boom")
    assert r.status_code == 500
    body = page_text(r)
    assert html_lang(r) == "ko"
    assert "일시적인 오류가 발생했습니다" in body
    for leak in ("Traceback", "RuntimeError", "hunter2", "/srv/sharing", 'File "'):
        assert leak not in body
    assert r.headers["Content-Security-Policy"]
    # ... while the log keeps the whole story for the operator
    assert any("hunter2" in (rec.exc_text or str(rec.exc_info)) for rec in caplog.records if rec.exc_info)


def test_a_crash_under_the_api_is_a_json_500(failing_app):
    r = failing_app.test_client().get("/api/v1/test-boom")
    assert r.status_code == 500
    assert r.json["error"]["code"] == "internal_error"
    assert has_korean(r.json["error"]["message"])
    assert "hunter2" not in r.get_data(as_text=True)


@pytest.mark.parametrize("config", ["development", "production"])
def test_debug_is_off_outside_development_overrides(database_url, tmp_path, monkeypatch, config):
    """The app create_app builds runs without the debugger: a crash is the plain 500 page, never a
    traceback or the interactive console (FLASK_DEBUG, a developer's override, is not set here)."""
    monkeypatch.delenv("FLASK_DEBUG", raising=False)
    app = create_app(
        config,
        SQLALCHEMY_DATABASE_URI=database_url,
        SECRET_KEY="a-long-explicit-secret-for-this-app-0123",
        UPLOAD_DIR=str(tmp_path / "uploads"),
        RATELIMIT_ENABLED=False,
        LEDGER_KEY="production-test-ledger-key-0123456789abcdef",
        LEDGER_CHECKPOINT_FILE=str(tmp_path / "ledger-checkpoints.jsonl"),
        PROPAGATE_EXCEPTIONS=False,
    )
    assert app.debug is False and app.config["DEBUG"] is False

    def boom():
        raise RuntimeError("secret internals: password=hunter2")

    app.add_url_rule("/test-boom", "test_boom", boom)
    r = app.test_client().get("/test-boom", base_url="https://localhost")
    assert r.status_code == 500
    body = r.get_data(as_text=True)
    for leak in ("Traceback", "hunter2", "Werkzeug Debugger", "__debugger__"):
        assert leak not in body


def test_request_body_size_is_limited(client):
    r = client.post("/api/v1/users", data=b"x" * (21 * 1024 * 1024), content_type="application/json")
    assert r.status_code == 413
    assert r.json["error"]["code"] == "too_large"
