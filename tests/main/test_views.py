"""The home page, the language switch, error pages and the API documentation page."""

from __future__ import annotations

import pytest

from tests.helpers import has_korean, html_lang, page_text


def test_home_is_korean(client):
    r = client.get("/")
    assert r.status_code == 200
    assert html_lang(r) == "ko"
    body = page_text(r)
    assert "<title>처음 · 성북 공유 플랫폼</title>" in body
    assert '<a class="skip-link" href="#main">본문 바로가기</a>' in body
    assert '<main id="main"' in body
    assert "사회적경제조직" in body
    assert 'aria-label="주 메뉴"' in body
    assert "1%는 사회적경제기금으로" in body or "card.index" not in body


def test_home_for_a_signed_in_resident(client, make, auth):
    user = make.user(name="김민지")
    auth.login(user)
    body = page_text(client.get("/"))
    assert "김민지" in body and "로그아웃" in body
    assert "회원가입" not in body


@pytest.mark.parametrize("path", ["/?lang=en", "/lang/en"])
def test_language_switch_to_english_and_back(client, path):
    r = client.get(path, follow_redirects=True)
    assert r.status_code == 200
    assert html_lang(r) == "en"
    # the choice sticks for the session
    assert html_lang(client.get("/organizations")) == "en"
    assert 'lang="ko">한국어</a>' in page_text(client.get("/"))
    r = client.get("/lang/ko?next=/organizations")
    assert r.status_code == 302
    assert r.headers["Location"] == "/organizations"
    assert html_lang(client.get("/")) == "ko"


@pytest.mark.parametrize("target", ["https://evil.com", "//evil.com", "/\\evil.com"])
def test_language_switch_only_goes_back_to_local_pages(client, target):
    r = client.get("/lang/en", query_string={"next": target})
    assert r.headers["Location"] == "/"


def test_unknown_language_is_ignored(client):
    assert html_lang(client.get("/?lang=xx")) == "ko"
    client.get("/lang/fr")
    assert html_lang(client.get("/")) == "ko"


def test_404_page_is_korean(client):
    r = client.get("/no/such/page")
    assert r.status_code == 404
    assert html_lang(r) == "ko"
    assert "요청한 페이지를 찾을 수 없습니다" in page_text(r)


def test_405_page_is_korean(client):
    r = client.delete("/")
    assert r.status_code == 405
    assert has_korean(page_text(r))


def test_json_clients_get_json_errors_outside_the_api_too(client):
    r = client.get("/no/such/page", headers={"Accept": "application/json"})
    assert r.status_code == 404
    assert r.json["error"]["code"] == "not_found"


def test_api_docs_page(client):
    r = client.get("/api/docs")
    assert r.status_code == 200
    body = page_text(r)
    assert "/api/v1/organizations" in body
    assert "/api/v1/openapi.json" in body


def test_openapi_types_integer_path_parameters(client):
    spec = client.get("/api/v1/openapi.json").json
    params = spec["paths"]["/api/v1/organizations/{org_id}"]["get"]["parameters"]
    assert params[0]["schema"] == {"type": "integer"}


def test_media_unknown_key_is_404(client):
    for key in ("nope", "..", ".hidden", "a" * 300):
        assert client.get(f"/media/{key}").status_code == 404


def test_static_files_are_served(client):
    assert client.get("/static/css/app.css").status_code == 200
    assert client.get("/static/js/app.js").status_code == 200


def test_home_shows_a_signed_in_resident_their_card_loans_and_notifications(client, make, auth, app):
    from sqlalchemy import event

    from sharing.core.extensions import db

    user = make.user(name="김민지")
    auth.login(user)
    statements = []

    def count(*_args):
        statements.append(1)

    with app.app_context():
        engine = db.engine
    event.listen(engine, "before_cursor_execute", count)
    try:
        body = page_text(client.get("/"))
    finally:
        event.remove(engine, "before_cursor_execute", count)
    assert "김민지 님의 오늘" in body
    assert "잔액" in body and "마일리지" in body and "0원" in body
    assert "진행 중인 빌림이나 요청이 없습니다." in body
    assert "새 알림이 없습니다." in body
    assert len(statements) <= 20  # a fixed handful, not one per item


def test_home_for_a_visitor_has_no_personal_part(client):
    body = page_text(client.get("/"))
    assert "my-day" not in body and "내 카드" not in body


def test_how_it_works_page_is_linked_from_every_page(client):
    home = page_text(client.get("/"))
    assert 'href="/guide"' in home  # the footer's 이용 안내
    r = client.get("/guide")
    assert r.status_code == 200
    body = page_text(r)
    assert "<h1>이용 안내</h1>" in body
    for part in ("공유장터", "자원 아카이브", "마을소식", "지역거래카드"):
        assert part in body
