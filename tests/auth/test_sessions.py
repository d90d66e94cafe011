"""Session secrets and revocable sessions: no constant key, and a copied cookie dies with its session."""

from __future__ import annotations

import stat
from urllib.parse import urlsplit

import pytest
from flask.sessions import SecureCookieSessionInterface

from config import PUBLISHED_SECRET_KEYS, DevelopmentConfig
from sharing import create_app
from sharing.auth import recovery
from sharing.auth import services as auth_services
from sharing.auth.models import User
from sharing.core.extensions import db
from tests.factories import Factory
from tests.helpers import csrf_token


def _dev_app(database_url, folder):
    return create_app(DevelopmentConfig, SQLALCHEMY_DATABASE_URI=database_url, INSTANCE_FOLDER=str(folder))


# --- the secret key ------------------------------------------------------------------------------


def test_development_makes_its_own_key_once_and_keeps_it(database_url, tmp_path, monkeypatch):
    monkeypatch.delenv("SECRET_KEY", raising=False)
    monkeypatch.setattr(DevelopmentConfig, "SECRET_KEY", None)
    first = _dev_app(database_url, tmp_path / "a")
    key_file = tmp_path / "a" / "secret_key"
    assert stat.S_IMODE(key_file.stat().st_mode) == 0o600
    assert first.config["SECRET_KEY"] == key_file.read_text().strip()
    assert len(first.config["SECRET_KEY"]) >= 32
    assert first.config["SECRET_KEY"] not in PUBLISHED_SECRET_KEYS
    # the next start reuses it (sessions survive a restart); another installation has its own
    assert _dev_app(database_url, tmp_path / "a").config["SECRET_KEY"] == first.config["SECRET_KEY"]
    assert _dev_app(database_url, tmp_path / "b").config["SECRET_KEY"] != first.config["SECRET_KEY"]


def test_testing_apps_get_a_random_key_each(app_factory):
    assert app_factory().config["SECRET_KEY"] != app_factory().config["SECRET_KEY"]


@pytest.mark.parametrize("published", PUBLISHED_SECRET_KEYS)
def test_a_published_key_is_refused_outside_production_too(database_url, tmp_path, published):
    with pytest.raises(RuntimeError, match="SECRET_KEY"):
        create_app(DevelopmentConfig, SQLALCHEMY_DATABASE_URI=database_url, SECRET_KEY=published)


def _forged_cookie(app, secret: str, user) -> str:
    """A session cookie signed with ``secret``, naming ``user`` as Flask-Login would."""
    forger = create_app("testing", SQLALCHEMY_DATABASE_URI=app.config["SQLALCHEMY_DATABASE_URI"])
    forger.secret_key = secret
    serializer = SecureCookieSessionInterface().get_signing_serializer(forger)
    return serializer.dumps({"_user_id": user.get_id(), "_fresh": True})


def test_a_cookie_signed_with_the_old_constant_does_not_open_the_console(
    app, make, database_url, tmp_path, monkeypatch
):
    """``make run`` starts the development config without SECRET_KEY: its key is not a constant."""
    monkeypatch.delenv("SECRET_KEY", raising=False)
    monkeypatch.setattr(DevelopmentConfig, "SECRET_KEY", None)
    centre = make.centre()
    cookie = _forged_cookie(app, PUBLISHED_SECRET_KEYS[0], centre)
    dev = _dev_app(database_url, tmp_path / "instance")
    client = dev.test_client()
    client.set_cookie("session", cookie)
    r = client.get("/admin")
    assert r.status_code == 302 and urlsplit(r.headers["Location"]).path == "/auth/login"


# --- revocable sessions -------------------------------------------------------------------------


def _signed_in_client(app, user):
    client = app.test_client()
    r = client.post("/auth/login", data={"email": user.email, "password": Factory.PASSWORD})
    assert r.status_code == 302
    return client


def _copy(app, client):
    """Another browser holding a copy of ``client``'s session cookie."""
    thief = app.test_client()
    thief.set_cookie("session", client.get_cookie("session").value)
    return thief


def _in(client) -> bool:
    return client.get("/auth/profile").status_code == 200


def test_a_cookie_copied_before_logout_stops_working(app, make):
    user = make.user()
    client = _signed_in_client(app, user)
    thief = _copy(app, client)
    assert _in(thief)
    client.post("/auth/logout")
    assert not _in(client)
    assert not _in(thief)


def test_the_same_cookie_still_works_without_logout(app, make):
    user = make.user()
    client = _signed_in_client(app, user)
    assert _in(_copy(app, client)) and _in(client)


def test_a_cookie_from_before_revocable_sessions_signs_in_again(app, make):
    user = make.user()
    forged = _forged_cookie(app, app.config["SECRET_KEY"], user)
    client = app.test_client()
    client.set_cookie("session", forged)
    assert _in(client)  # the current form works
    old = SecureCookieSessionInterface().get_signing_serializer(app).dumps({"_user_id": str(user.id)})
    client.set_cookie("session", old)
    assert not _in(client)


def test_sign_out_everywhere_ends_every_session_and_token(app, make, auth):
    user = make.user()
    client = _signed_in_client(app, user)
    laptop = _signed_in_client(app, user)
    headers = auth.headers(user)
    assert client.get("/api/v1/me", headers=headers).status_code == 200
    page = client.get("/auth/profile").get_data(as_text=True)
    assert "모든 기기에서 로그아웃" in page
    assert client.get("/auth/logout-everywhere").status_code == 405  # a POST only
    r = client.post("/auth/logout-everywhere")
    assert r.status_code == 302
    assert not _in(client) and not _in(laptop)
    assert client.get("/api/v1/me", headers=headers).status_code == 401
    assert _in(_signed_in_client(app, user))  # signing in again works


def test_sign_out_everywhere_needs_the_csrf_token(app_factory, make):
    app = app_factory(WTF_CSRF_ENABLED=True)
    user = make.user()
    client = app.test_client()
    token = csrf_token(client.get("/auth/login"))
    client.post("/auth/login", data={"email": user.email, "password": Factory.PASSWORD, "csrf_token": token})
    laptop = _copy(app, client)
    assert client.post("/auth/logout-everywhere").status_code == 400
    assert _in(laptop)
    token = csrf_token(client.get("/auth/profile"))
    assert client.post("/auth/logout-everywhere", data={"csrf_token": token}).status_code == 302
    assert not _in(laptop)


def test_password_change_ends_the_other_sessions_and_tokens(app, make, auth):
    user = make.user()
    client = _signed_in_client(app, user)
    laptop = _signed_in_client(app, user)
    headers = auth.headers(user)
    new = "dasi-bollae-jeongneung-77"
    r = client.post(
        "/auth/password", data={"current_password": Factory.PASSWORD, "password": new, "password2": new}
    )
    assert r.status_code == 302
    assert _in(client)  # the browser that changed it stays signed in
    assert not _in(laptop)
    assert client.get("/api/v1/me", headers=headers).status_code == 401
    assert (
        app.test_client().post("/auth/login", data={"email": user.email, "password": new}).status_code == 302
    )


def test_suspension_and_a_role_change_end_the_sessions(app, make, runner):
    user = make.user()
    client = _signed_in_client(app, user)
    assert runner.invoke(args=["users", "suspend", user.email]).exit_code == 0
    assert runner.invoke(args=["users", "suspend", user.email, "--restore"]).exit_code == 0
    assert not _in(client)  # restoring the account does not bring the old cookie back

    client = _signed_in_client(app, user)
    auth_services.create_admin(user.email, "centre-jeongneung-2026", "센터")
    assert not _in(client)
    db.session.rollback()
    assert db.session.get(User, user.id).role == "centre"


def test_the_generation_is_per_account(app, make):
    user, neighbour = make.user(), make.user()
    client = _signed_in_client(app, user)
    other = _signed_in_client(app, neighbour)
    recovery.change_password(db.session.get(User, neighbour.id), Factory.PASSWORD, "saero-bakkun-mal-2026")
    assert _in(client) and not _in(other)
