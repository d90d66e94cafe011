"""Password strength, change, reset by e-mail, e-mail verification and the consents at registration."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import select

from sharing.auth import recovery
from sharing.auth import services as auth_services
from sharing.auth.demo import CENTRE, RESIDENTS
from sharing.auth.models import User
from sharing.auth.passwords import PASSWORD_MIN_SCORE, password_problems
from sharing.core.extensions import db
from sharing.notify.models import OutboxMail
from tests.factories import Factory
from tests.helpers import field_error, has_korean

STRONG = "gireum-dong-jajeongeo-42"


def _body(**over) -> dict:
    body = {
        "email": "minji@example.kr",
        "password": STRONG,
        "name": "김민지",
        "dong": "정릉3동",
        "privacy_consent": True,
        "terms_consent": True,
    }
    return {**body, **over}


def _register_api(client, **over):
    return client.post("/api/v1/users", json=_body(**over))


def _mails(to: str) -> list[OutboxMail]:
    db.session.rollback()
    return list(db.session.execute(select(OutboxMail).where(OutboxMail.to_address == to)).scalars())


def _link(mail: OutboxMail, path: str) -> str:
    match = re.search(rf"https?://[^/\s]+({re.escape(path)}[^\s]+)", mail.body)
    assert match, mail.body
    return match.group(1)


def _user(email: str) -> User:
    db.session.rollback()
    return auth_services.find_by_email(email)


# --- strength -----------------------------------------------------------------------------------


@pytest.mark.parametrize("weak", ["password", "12345678", "qwertyuiop", "minji@example.kr1", "password-1234"])
def test_common_passwords_are_refused_in_korean(client, weak):
    r = _register_api(client, password=weak)
    assert r.status_code == 422
    messages = r.json["error"]["fields"]["password"]
    assert messages and all(has_korean(m) for m in messages)
    assert _user("minji@example.kr") is None


def test_the_longest_password_is_measured_not_a_500(client):
    long_one = "gireum-" * 18 + "x"  # 127 characters: past zxcvbn's default 72
    assert _register_api(client, password=long_one).status_code in (201, 422)
    assert _register_api(client, email="b@example.kr", password="x" * 128).status_code == 422


def test_zxcvbn_warnings_become_our_korean_messages(app):
    problems = password_problems("password")
    assert len(problems) == 2 and "흔히 쓰이는" in problems[1]
    assert password_problems(STRONG) == []


def test_the_web_form_refuses_a_weak_password(client):
    data = {
        "email": "minji@example.kr",
        "password": "12345678",
        "password2": "12345678",
        "name": "김민지",
        "dong": "정릉3동",
        "privacy_consent": "y",
        "terms_consent": "y",
    }
    r = client.post("/auth/register", data=data)
    assert r.status_code == 422
    assert "추측하기 쉬운" in field_error(r, "password")


def test_demo_and_factory_passwords_meet_the_minimum(app):
    from zxcvbn import zxcvbn

    for password in (CENTRE[1], *(r[1] for r in RESIDENTS), Factory.PASSWORD):
        assert zxcvbn(password)["score"] >= PASSWORD_MIN_SCORE, password


# --- consent --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "over",
    [
        {"privacy_consent": False},
        {"terms_consent": False},
        {"privacy_consent": "true"},
        {"terms_consent": 1},
        {"privacy_consent": None},
    ],
)
def test_registration_needs_both_consents_over_the_api(client, over):
    r = _register_api(client, **over)
    assert r.status_code == 422
    assert set(over) <= set(r.json["error"]["fields"])
    assert _user("minji@example.kr") is None


@pytest.mark.parametrize("missing", ["privacy_consent", "terms_consent"])
def test_registration_needs_both_consents_fields_present(client, missing):
    body = _body()
    del body[missing]
    r = client.post("/api/v1/users", json=body)
    assert r.status_code == 422 and missing in r.json["error"]["fields"]


def test_the_versions_agreed_to_are_recorded(client):
    assert _register_api(client).status_code == 201
    user = _user("minji@example.kr")
    assert user.privacy_consent_version == auth_services.PRIVACY_VERSION
    assert user.terms_consent_version == auth_services.TERMS_VERSION
    assert user.privacy_consent_at is not None and user.terms_consent_at is not None


@pytest.mark.parametrize("unticked", ["privacy_consent", "terms_consent"])
def test_the_web_form_asks_for_each_consent(client, unticked):
    page = client.get("/auth/register").get_data(as_text=True)
    assert 'name="privacy_consent"' in page and 'name="terms_consent"' in page
    assert 'href="/privacy"' in page and 'href="/terms"' in page
    data = {
        "email": "minji@example.kr",
        "password": STRONG,
        "password2": STRONG,
        "name": "김민지",
        "dong": "정릉3동",
        "privacy_consent": "y",
        "terms_consent": "y",
    }
    del data[unticked]
    r = client.post("/auth/register", data=data)
    assert r.status_code == 422
    assert "동의해야" in field_error(r, unticked)
    assert _user("minji@example.kr") is None


def test_privacy_and_terms_pages_are_linked_from_every_page(client):
    home = client.get("/").get_data(as_text=True)
    assert 'href="/privacy"' in home and 'href="/terms"' in home
    privacy = client.get("/privacy").get_data(as_text=True)
    assert (
        "개인정보처리방침" in privacy and "보유 기간" in privacy and auth_services.PRIVACY_VERSION in privacy
    )
    assert "이용약관" in client.get("/terms").get_data(as_text=True)


# --- change ---------------------------------------------------------------------------------------


def test_password_change_asks_for_the_current_password(client, make, auth):
    user = make.user()
    auth.login(user)
    r = client.post(
        "/auth/password",
        data={"current_password": "not-my-password", "password": STRONG, "password2": STRONG},
    )
    assert r.status_code == 422
    assert "현재 비밀번호" in field_error(r, "current_password")
    r = client.post(
        "/auth/password",
        data={"current_password": Factory.PASSWORD, "password": "12345678", "password2": "12345678"},
    )
    assert r.status_code == 422 and "추측하기 쉬운" in field_error(r, "password")
    assert auth_services.authenticate(user.email, Factory.PASSWORD)


# --- reset ----------------------------------------------------------------------------------------


def test_reset_answers_the_same_for_unknown_addresses(client, make):
    user = make.user()
    known = client.post("/auth/reset", data={"email": user.email}, follow_redirects=True)
    unknown = client.post("/auth/reset", data={"email": "nobody@example.kr"}, follow_redirects=True)
    assert known.status_code == unknown.status_code == 200
    strip = lambda r: re.sub(r'name="csrf_token"[^>]*', "", r.get_data(as_text=True))  # noqa: E731
    assert strip(known) == strip(unknown)
    assert len(_mails(user.email)) == 1 and _mails("nobody@example.kr") == []


def test_reset_link_works_once(client, make, auth):
    user = make.user()
    headers = auth.headers(user)
    client.post("/auth/reset", data={"email": user.email.upper()})
    (mail,) = _mails(user.email)
    link = _link(mail, "/auth/reset/")
    assert client.get(link).status_code == 200
    r = client.post(link, data={"password": STRONG, "password2": STRONG})
    assert r.status_code == 302
    db.session.rollback()
    assert auth_services.authenticate(user.email, STRONG)
    assert client.get("/api/v1/me", headers=headers).status_code == 401  # tokens end too
    # used: the password hash it was made for is gone
    r = client.post(link, data={"password": "another-gireum-line-88", "password2": "another-gireum-line-88"})
    assert r.status_code == 422 and "이미 쓰였거나" in r.get_data(as_text=True)
    db.session.rollback()
    assert auth_services.authenticate(user.email, STRONG)


def test_reset_link_expires_and_cannot_be_forged(app, make, monkeypatch):
    user = make.user()
    with app.test_request_context():
        recovery.request_reset(user.email)
    (mail,) = _mails(user.email)
    token = _link(mail, "/auth/reset/").rsplit("/", 1)[1]
    monkeypatch.setattr(recovery, "LINK_MAX_AGE", -1)  # any age is past it
    with pytest.raises(auth_services.Invalid):
        recovery.user_for_reset(token)
    monkeypatch.setattr(recovery, "LINK_MAX_AGE", 3600)
    assert recovery.user_for_reset(token).id == user.id
    for forged in (token[:-2] + "xx", token.replace(".", "", 1), ""):
        with pytest.raises(auth_services.Invalid):
            recovery.user_for_reset(forged)


# --- e-mail verification -------------------------------------------------------------------------


@pytest.fixture
def verifying(app_factory):
    app = app_factory(REQUIRE_EMAIL_VERIFICATION=True)
    with app.app_context():
        yield app


def test_verification_is_off_in_testing_and_on_in_production(app):
    from config import DevelopmentConfig, ProductionConfig, TestingConfig

    assert ProductionConfig.REQUIRE_EMAIL_VERIFICATION is True
    assert not TestingConfig.REQUIRE_EMAIL_VERIFICATION and not DevelopmentConfig.REQUIRE_EMAIL_VERIFICATION


def test_unverified_residents_cannot_pay_or_post_until_they_confirm(verifying):
    from sharing.card import services as card
    from sharing.market.services import listings

    client = verifying.test_client()
    assert _register_api(client).status_code == 201
    (mail,) = _mails("minji@example.kr")
    link = _link(mail, "/auth/verify/")
    token = client.post("/api/v1/tokens", json={"email": "minji@example.kr", "password": STRONG}).json[
        "token"
    ]
    headers = {"Authorization": f"Bearer {token}"}
    listing = {
        "title": "전동드릴",
        "description": "빌려드려요",
        "kind": "share",
        "category": "tools",
        "dong": "정릉3동",
    }
    r = client.post("/api/v1/listings", json=listing, headers=headers)
    assert r.status_code == 403 and r.json["error"]["code"] == "email_unverified"
    keyed = {**headers, "Idempotency-Key": "pay-1"}
    r = client.post("/api/v1/card/payments", json={"organization_id": 1, "amount": 1000}, headers=keyed)
    assert r.status_code == 403 and r.json["error"]["code"] == "email_unverified"
    user = _user("minji@example.kr")
    with pytest.raises(auth_services.Forbidden):
        listings.create(user, listings.ListingInput(**listing))
    with pytest.raises(auth_services.Forbidden):
        card.pay(user, 1, 1000, idempotency_key="k1")

    assert client.get(link).status_code == 302
    assert _user("minji@example.kr").email_verified_at is not None
    assert client.post("/api/v1/listings", json=listing, headers=headers).status_code == 201


def test_unverified_members_cannot_post_news(verifying, make):
    from sharing.news import posts

    member = make.user()  # made where verification is off: not confirmed
    org = make.org(member)
    body = {"title": "소식", "body": "본문", "category": "notice", "organization_id": org.id}
    with verifying.app_context(), pytest.raises(auth_services.Forbidden) as err:
        posts.create(member, body)
    assert err.value.code == "email_unverified"
    assert posts.create(member, body).id  # where verification is not required


def test_a_verification_link_is_bound_to_its_address(verifying):
    client = verifying.test_client()
    _register_api(client)
    (mail,) = _mails("minji@example.kr")
    link = _link(mail, "/auth/verify/")
    assert client.get(link[:-3] + "abc").status_code == 422
    user = _user("minji@example.kr")
    user.email = "changed@example.kr"
    db.session.commit()
    assert client.get(link).status_code == 422
    assert _user("changed@example.kr").email_verified_at is None


def test_the_profile_page_sends_the_link_again(verifying):
    client = verifying.test_client()
    _register_api(client)
    client.post("/auth/login", data={"email": "minji@example.kr", "password": STRONG})
    page = client.get("/auth/profile").get_data(as_text=True)
    assert "확인 메일 다시 받기" in page
    assert client.post("/auth/verify/resend").status_code == 302
    assert len(_mails("minji@example.kr")) == 2
    client.get(_link(_mails("minji@example.kr")[-1], "/auth/verify/"))
    assert "확인 메일 다시 받기" not in client.get("/auth/profile").get_data(as_text=True)
    assert client.post("/auth/verify/resend").status_code == 302
    assert len(_mails("minji@example.kr")) == 2  # confirmed: nothing more is sent
