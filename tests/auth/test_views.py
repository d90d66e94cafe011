"""Sign-up, sign-in, sign-out and the profile over the web pages, with every error path."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from sharing.auth import services as auth_services
from sharing.auth.models import User
from sharing.core.extensions import db
from tests.factories import Factory
from tests.helpers import csrf_token, field_error, has_korean, html_lang, page_text

GOOD = {
    "email": "Minji@Example.kr",
    "password": "secret-pass-1",
    "password2": "secret-pass-1",
    "name": "김민지",
    "dong": "정릉3동",
    "privacy_consent": "y",
    "terms_consent": "y",
}


def _signup(client, query: str = "", **over):
    return client.post(f"/auth/register{query}", data={**GOOD, **over})


def _user_count() -> int:
    return db.session.execute(select(func.count()).select_from(User)).scalar_one()


def _reread(user) -> User:
    db.session.rollback()  # end the test's read snapshot (SQLite WAL) before reading what requests wrote
    return db.session.get(User, user.id)


def _signed_in(client) -> bool:
    return client.get("/auth/profile").status_code == 200


# --- sign-up ----------------------------------------------------------------------------------


def test_register_page_is_korean_with_labelled_fields(client):
    r = client.get("/auth/register")
    assert r.status_code == 200
    assert html_lang(r) == "ko"
    body = page_text(r)
    assert "회원가입" in body
    for field_id in ("email", "password", "password2", "name", "dong"):
        assert f'<label for="{field_id}"' in body
    # the 20 dongs, and before them an empty choice that asks people to choose (selected at first)
    assert body.count("<option") == 21
    assert '<select id="dong" name="dong" required><option value="">사는 동을 고르세요</option>' in body


def test_signup_creates_the_account_and_signs_in(client):
    r = _signup(client)
    assert r.status_code == 302
    assert r.headers["Location"] == "/"
    user = auth_services.find_by_email("minji@example.kr")
    assert user is not None
    assert user.email == "minji@example.kr"  # stored lower-case
    assert user.role == "resident"
    assert user.password_hash.startswith("scrypt:")
    home = client.get("/")
    assert "가입을 환영합니다" in page_text(home)
    assert _signed_in(client)


def test_signup_follows_a_local_next_only(client):
    r = _signup(client, "?next=/organizations")
    assert r.headers["Location"] == "/organizations"
    client.post("/auth/logout")
    r = _signup(client, "?next=https://evil.com/", email="other@example.kr")
    assert r.status_code == 302
    assert r.headers["Location"] == "/"


@pytest.mark.parametrize(
    ("field", "value", "expected"),
    [
        ("email", "not-an-email", "이메일"),
        ("email", "", "필수"),
        ("email", "a" * 250 + "@example.kr", "254자"),
        ("password", "short", "8자 이상"),
        ("password", "x" * 129, "128자"),
        ("password2", "different-pass", "서로 다릅니다"),
        ("name", "", "필수"),
        ("name", "   ", "필수"),
        ("name", "가" * 51, "50자"),
        ("dong", "역삼동", "선택"),
        ("dong", "", "필수"),
    ],
)
def test_signup_errors_are_shown_beside_the_field_in_korean(client, field, value, expected):
    data = {field: value}
    if field == "password":
        data["password2"] = value
    r = _signup(client, **data)
    assert r.status_code == 422
    message = field_error(r, field)
    assert message, f"no error beside {field}"
    assert has_korean(message)
    assert expected in message
    assert f'id="{field}"' in page_text(r) and 'aria-invalid="true"' in page_text(r)
    assert "입력값을 확인해 주세요" in page_text(r)  # the summary at the top
    assert _user_count() == 0  # nothing half-written
    assert not _signed_in(client)


def test_signup_shows_every_fields_error_at_once(client):
    r = _signup(
        client, email="not-an-email", password="short", password2="short", dong="", privacy_consent=""
    )
    assert r.status_code == 422
    assert "올바른 이메일" in field_error(r, "email")  # the service's check, though the form failed
    assert field_error(r, "password") == "오류: 비밀번호는 8자 이상 128자 이하여야 합니다."
    assert "필수" in field_error(r, "dong")
    assert "동의해야" in field_error(r, "privacy_consent")
    assert field_error(r, "name") is None and field_error(r, "terms_consent") is None
    assert _user_count() == 0


def test_signup_keeps_what_was_typed_except_passwords(client):
    r = _signup(client, name="가" * 51)
    body = page_text(r)
    assert 'value="Minji@Example.kr"' in body
    assert "secret-pass-1" not in body


def test_signup_with_a_taken_email_is_409_case_insensitively(client, make):
    make.user(email="minji@example.kr")
    r = _signup(client, email="MINJI@EXAMPLE.KR")
    assert r.status_code == 409
    assert "이미 가입된 이메일" in field_error(r, "email")
    assert _user_count() == 1
    assert not _signed_in(client)


@pytest.mark.parametrize(
    ("data", "ctype"),
    [("email=a@b.kr", "text/plain"), ("{not json", "application/json"), ("\xff\xfe", "application/xml")],
)
def test_signup_with_a_wrong_content_type_is_the_form_again_not_a_500(client, data, ctype):
    r = client.post("/auth/register", data=data, content_type=ctype)
    assert r.status_code in (400, 422)
    assert has_korean(page_text(r))
    assert _user_count() == 0


# --- sign-in ----------------------------------------------------------------------------------


def test_login_page(client):
    r = client.get("/auth/login")
    assert r.status_code == 200
    assert "로그인" in page_text(r)
    assert 'autocomplete="current-password"' in page_text(r)


def test_login_and_logout(client, make):
    user = make.user(email="junho@example.kr")
    r = client.post("/auth/login", data={"email": "JUNHO@example.kr", "password": Factory.PASSWORD})
    assert r.status_code == 302
    assert r.headers["Location"] == "/"
    assert _signed_in(client)
    profile = client.get("/auth/profile")
    assert user.name in page_text(profile)

    # GET only asks; POST signs out
    r = client.get("/auth/logout")
    assert r.status_code == 200
    assert _signed_in(client)
    r = client.post("/auth/logout")
    assert r.status_code == 302
    assert not _signed_in(client)
    assert "로그아웃했습니다" in page_text(client.get("/"))


def test_login_follows_a_local_next(client, make):
    user = make.user()
    r = client.post(
        "/auth/login?next=/organizations?kind=village_enterprise",
        data={"email": user.email, "password": Factory.PASSWORD},
    )
    assert r.headers["Location"] == "/organizations?kind=village_enterprise"


@pytest.mark.parametrize(
    "target",
    [
        "//evil.com",
        "https://evil.com",
        "/\\evil.com",
        "\\\\evil.com",
        "http:/evil.com",
        "javascript:alert(1)",
        "/\t/evil.com",
        "///evil.com",
        "evil.com",
        "/market\r\nSet-Cookie: a=b",
        "/x\nLocation: //evil.example",
    ],
)
def test_login_never_redirects_off_site(client, make, target):
    user = make.user()
    r = client.post(
        "/auth/login", query_string={"next": target}, data={"email": user.email, "password": Factory.PASSWORD}
    )
    assert r.status_code == 302
    assert r.headers["Location"] == "/"
    assert not any("a=b" in cookie for cookie in r.headers.getlist("Set-Cookie"))
    assert _signed_in(client)  # the sign-in itself succeeded


def test_protected_page_sends_to_login_and_back(client, make):
    user = make.user()
    r = client.get("/auth/profile")
    assert r.status_code == 302
    assert r.headers["Location"].startswith("/auth/login?next=")
    r = client.post(r.headers["Location"], data={"email": user.email, "password": Factory.PASSWORD})
    assert r.headers["Location"] == "/auth/profile"


@pytest.mark.parametrize("email", ["nobody@example.kr", "USER@example.kr"])
def test_wrong_credentials_are_refused_with_one_korean_message(client, make, email):
    make.user(email="user@example.kr")
    password = "wrong-pass-1" if email.startswith("USER") else Factory.PASSWORD
    r = client.post("/auth/login", data={"email": email, "password": password})
    assert r.status_code == 401
    assert "이메일 또는 비밀번호가 올바르지 않습니다" in field_error(r, "password")
    assert not _signed_in(client)


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"email": "", "password": "x"}, "email"),
        ({"email": "a@b.kr", "password": ""}, "password"),
        ({"email": "a" * 255, "password": "x"}, "email"),
        ({"email": "a@b.kr", "password": "x" * 129}, "password"),
    ],
)
def test_login_form_errors_are_422(client, data, field):
    r = client.post("/auth/login", data=data)
    assert r.status_code == 422
    assert has_korean(field_error(r, field))


def test_suspended_account_cannot_sign_in(client, make):
    centre = make.centre()
    user = make.user()
    auth_services.set_suspended(centre, user.id, True)
    r = client.post("/auth/login", data={"email": user.email, "password": Factory.PASSWORD})
    assert r.status_code == 403
    assert "정지" in field_error(r, "password")
    assert not _signed_in(client)


def test_suspension_ends_an_open_session(client, make, auth):
    centre = make.centre()
    user = make.user()
    auth.login(user)
    assert _signed_in(client)
    auth_services.set_suspended(centre, user.id, True)
    assert not _signed_in(client)


def test_web_login_is_rate_limited_in_korean(app_factory, make):
    user = make.user()
    limited = app_factory(RATELIMIT_ENABLED=True, AUTH_RATE_LIMIT="2 per minute")
    client = limited.test_client()
    bad = {"email": user.email, "password": "wrong-pass-1"}
    statuses = [client.post("/auth/login", data=bad).status_code for _ in range(3)]
    assert statuses == [401, 401, 429]
    r = client.post("/auth/login", data={"email": user.email, "password": Factory.PASSWORD})
    assert r.status_code == 429  # even the right password waits
    body = page_text(r)
    assert "요청이 너무 많습니다" in body
    assert html_lang(r) == "ko"
    assert client.get("/auth/login").status_code == 200  # only POSTs count


# --- CSRF ------------------------------------------------------------------------------------


@pytest.fixture
def csrf_client(app_factory):
    return app_factory(WTF_CSRF_ENABLED=True).test_client()


def test_csrf_refuses_a_post_without_token_in_korean(csrf_client, make):
    user = make.user()
    r = csrf_client.post("/auth/login", data={"email": user.email, "password": Factory.PASSWORD})
    assert r.status_code == 400
    body = page_text(r)
    assert "보안 토큰" in body
    assert html_lang(r) == "ko"
    assert "Traceback" not in body
    assert not _signed_in(csrf_client)


def test_csrf_refuses_a_wrong_token(csrf_client, make):
    user = make.user()
    csrf_client.get("/auth/login")
    r = csrf_client.post(
        "/auth/login", data={"email": user.email, "password": Factory.PASSWORD, "csrf_token": "forged"}
    )
    assert r.status_code == 400


def test_csrf_accepts_the_form_token_and_protects_logout(csrf_client, make):
    user = make.user()
    token = csrf_token(csrf_client.get("/auth/login"))
    r = csrf_client.post(
        "/auth/login", data={"email": user.email, "password": Factory.PASSWORD, "csrf_token": token}
    )
    assert r.status_code == 302
    assert csrf_client.post("/auth/logout").status_code == 400  # no token: still signed in
    assert _signed_in(csrf_client)
    token = csrf_token(csrf_client.get("/auth/profile"))
    assert csrf_client.post("/auth/logout", data={"csrf_token": token}).status_code == 302
    assert not _signed_in(csrf_client)


def test_csrf_does_not_apply_to_the_bearer_api(csrf_client):
    r = csrf_client.post(
        "/api/v1/users",
        json={
            "email": "a@example.kr",
            "password": "secret-pass-1",
            "name": "가",
            "dong": "종암동",
            "privacy_consent": True,
            "terms_consent": True,
        },
    )
    assert r.status_code == 201


# --- profile ----------------------------------------------------------------------------------


def test_profile_update(client, make, auth):
    user = make.user(dong="정릉3동")
    auth.login(user)
    r = client.post("/auth/profile", data={"name": "새 이름", "dong": "석관동"})
    assert r.status_code == 302
    fresh = _reread(user)
    assert (fresh.name, fresh.dong) == ("새 이름", "석관동")
    assert "저장했습니다" in page_text(client.get("/auth/profile"))


@pytest.mark.parametrize(
    ("field", "value"), [("name", ""), ("name", "가" * 51), ("dong", "역삼동"), ("dong", "")]
)
def test_profile_errors_beside_the_field(client, make, auth, field, value):
    user = make.user(dong="정릉3동")
    auth.login(user)
    data = {"name": "새 이름", "dong": "석관동", field: value}
    r = client.post("/auth/profile", data=data)
    assert r.status_code == 422
    assert has_korean(field_error(r, field))
    fresh = _reread(user)
    assert fresh.dong == "정릉3동"


def test_profile_lists_my_organisations(client, make, auth):
    user = make.user()
    make.org(user, name="동네목수", verified=False)
    auth.login(user)
    body = page_text(client.get("/auth/profile"))
    assert "동네목수" in body
    assert "인증 대기" in body
