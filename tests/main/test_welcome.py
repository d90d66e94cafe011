"""The first-visit hint: shown on the home page after a sign-up through the web form, until dismissed."""

from __future__ import annotations

from sqlalchemy import select

from sharing.auth import services as auth_services
from sharing.auth.models import User
from sharing.core.extensions import db
from tests.helpers import csrf_token, page_text

FORM = {
    "email": "newcomer@example.kr",
    "password": "secret-pass-1",
    "password2": "secret-pass-1",
    "name": "새이웃",
    "dong": "정릉3동",
    "privacy_consent": "y",
    "terms_consent": "y",
}
HINT = 'class="welcome-hint'


def _user(email: str) -> User:
    db.session.rollback()  # read what the requests wrote
    return db.session.execute(select(User).where(User.email == email)).scalar_one()


def test_web_registration_shows_the_hint_until_dismissed(client):
    r = client.post("/auth/register", data=FORM)
    assert r.status_code == 302
    assert _user(FORM["email"]).welcome_pending is True
    body = page_text(client.get("/"))
    assert HINT in body
    for href in ('href="/market"', 'href="/archive"', 'href="/card"', 'href="/guide"'):
        assert href in body.split(HINT, 1)[1].split("</section>", 1)[0], href
    r = client.post("/welcome/dismiss")
    assert r.status_code == 302 and r.headers["Location"].endswith("/")
    assert _user(FORM["email"]).welcome_pending is False
    assert HINT not in page_text(client.get("/"))
    client.get("/auth/logout")
    assert (
        client.post("/auth/login", data={"email": FORM["email"], "password": FORM["password"]}).status_code
        == 302
    )
    assert HINT not in page_text(client.get("/"))  # dismissed stays dismissed


def test_api_registration_and_other_accounts_get_no_hint(client, make, auth):
    body = {k: FORM[k] for k in ("email", "password", "name", "dong")}
    r = client.post("/api/v1/users", json={**body, "privacy_consent": True, "terms_consent": True})
    assert r.status_code == 201, r.json
    assert _user(FORM["email"]).welcome_pending is False
    resident = make.user(name="오래된주민")
    assert resident.welcome_pending is False
    auth.login(resident)
    assert HINT not in page_text(client.get("/"))


def test_register_service_sets_it_only_when_asked(app):
    reg = auth_services.Registration(
        "a@example.kr", "secret-pass-1", "주민", "성북동", privacy_consent=True, terms_consent=True
    )
    assert auth_services.register(reg).welcome_pending is False
    reg2 = auth_services.Registration(
        "b@example.kr", "secret-pass-1", "주민", "성북동", privacy_consent=True, terms_consent=True
    )
    user = auth_services.register(reg2, welcome=True)
    assert user.welcome_pending is True
    auth_services.dismiss_welcome(user)
    assert _user("b@example.kr").welcome_pending is False
    auth_services.dismiss_welcome(user)  # again: nothing to do
    assert _user("b@example.kr").welcome_pending is False


def test_demo_accounts_get_no_hint(app, monkeypatch):
    from werkzeug.security import generate_password_hash

    from sharing.auth import demo

    # scrypt costs ~0.4 s an account on the shared CPUs
    monkeypatch.setattr(
        auth_services, "hash_password", lambda pw: generate_password_hash(pw, "pbkdf2:sha256:1000")
    )
    demo.seed(0, lambda *_a: None)
    db.session.rollback()
    assert db.session.execute(select(User).where(User.welcome_pending.is_(True))).first() is None


def test_anonymous_may_not_dismiss(client):
    r = client.post("/welcome/dismiss")
    assert r.status_code == 302 and "/auth/login" in r.headers["Location"]


def test_dismissing_needs_the_form_token(app, app_factory):
    csrf_client = app_factory(WTF_CSRF_ENABLED=True).test_client()
    token = csrf_token(csrf_client.get("/auth/register"))
    assert csrf_client.post("/auth/register", data={**FORM, "csrf_token": token}).status_code == 302
    home = csrf_client.get("/")
    assert csrf_client.post("/welcome/dismiss").status_code == 400
    assert _user(FORM["email"]).welcome_pending is True
    r = csrf_client.post("/welcome/dismiss", data={"csrf_token": csrf_token(home)})
    assert r.status_code == 302 and _user(FORM["email"]).welcome_pending is False
