"""Foundation journeys: sign-up, sign-in, an organisation; keyboard only; 360 px wide pages."""

from __future__ import annotations

import uuid

import pytest

from tests.browser.conftest import scroll_width, text_of

pytestmark = pytest.mark.browser


def test_resident_signs_up_signs_in_and_registers_an_organisation(page, live_server):
    email = f"resident-{uuid.uuid4().hex[:8]}@example.kr"
    page.goto("/")
    page.locator("header").get_by_role("link", name="회원가입").click()
    page.wait_for_url("**/auth/register")
    form = page.locator("main form")
    form.get_by_label("이메일", exact=True).fill(email)
    form.get_by_label("비밀번호", exact=True).fill("resident-pass-1")
    form.get_by_label("비밀번호 확인").fill("resident-pass-2")  # a typo first
    form.get_by_label("이름(표시 이름)").fill("정하늘")
    form.get_by_label("사는 동").select_option("정릉3동")
    form.get_by_label("개인정보 수집·이용에 동의합니다. (필수)").check()
    form.get_by_label("이용약관에 동의합니다. (필수)").check()
    with page.expect_navigation():
        form.get_by_role("button", name="가입하기").click()
    # the form again, the message beside the field, what was typed kept
    error = page.locator("#password2-error")
    assert "서로 다릅니다" in error.inner_text()
    assert page.locator("#password2").get_attribute("aria-describedby") == "password2-error"
    assert page.locator("#email").input_value() == email
    page.locator("main form").get_by_label("비밀번호", exact=True).fill("resident-pass-1")
    page.locator("main form").get_by_label("비밀번호 확인").fill("resident-pass-1")
    with page.expect_navigation():
        page.locator("main form").get_by_role("button", name="가입하기").click()
    assert "가입을 환영합니다, 정하늘 님." in text_of(page)
    assert page.locator("header").get_by_role("link", name="정하늘").is_visible()

    live_server.logout(page)
    assert "로그아웃했습니다" in text_of(page)
    assert page.locator("header").get_by_role("link", name="로그인").is_visible()

    live_server.login(page, email.upper(), "resident-pass-1", next_path="/organizations")
    assert page.url == live_server.url + "/organizations"
    page.get_by_role("link", name="조직 등록").click()
    page.wait_for_url("**/organizations/new")
    form = page.locator("main form")
    form.get_by_label("조직 이름").fill("정릉 골목부엌")
    form.get_by_label("조직 유형").select_option("social_cooperative")
    form.get_by_label("소재지(행정동)").select_option("정릉3동")
    form.get_by_label("소개").fill("골목에서 함께 밥을 짓는 협동조합")
    with page.expect_navigation():
        form.get_by_role("button", name="등록").click()
    assert page.locator("h1").inner_text() == "정릉 골목부엌"
    body = text_of(page)
    assert "센터의 인증을 기다려 주세요" in body
    assert "인증 대기" in body
    assert "사회적협동조합" in body


def test_centre_verifies_the_new_organisation(page, live_server):
    from sharing.auth.services import find_by_email
    from sharing.core.extensions import db
    from sharing.orgs import services as org_services

    with live_server.app_context():
        founder = find_by_email(live_server.accounts["minji"][0])
        org = org_services.create(
            founder,
            org_services.OrganizationInput(f"검증 대기 {uuid.uuid4().hex[:4]}", "cooperative", "종암동"),
        )
        org_id = org.id
        db.session.remove()
    live_server.login_as(page, "centre", next_path=f"/organizations/{org_id}")
    with page.expect_navigation():
        page.get_by_role("button", name="인증하기").click()
    assert "인증했습니다" in text_of(page)
    assert "센터 인증" in text_of(page)
    # un-verifying asks first; dismissing the question changes nothing
    page.once("dialog", lambda dialog: dialog.dismiss())
    page.get_by_role("button", name="인증 취소").click()
    assert "센터 인증" in text_of(page)
    page.once("dialog", lambda dialog: dialog.accept())
    with page.expect_navigation():
        page.get_by_role("button", name="인증 취소").click()
    assert "인증을 취소했습니다" in text_of(page)


def _focused(page) -> dict:
    return page.evaluate(
        """() => {
        const el = document.activeElement;
        const style = getComputedStyle(el);
        return {
            tag: el.tagName, cls: el.className, href: el.getAttribute('href'),
            text: (el.innerText || el.value || '').trim(),
            outline: style.outlineStyle, outlineWidth: parseFloat(style.outlineWidth) || 0,
            shadow: style.boxShadow, visible: el.getBoundingClientRect().width > 0,
        };
    }"""
    )


def test_keyboard_only_walk_through_the_home_page(page, live_server):
    page.goto("/")
    page.keyboard.press("Tab")
    first = _focused(page)
    assert first["cls"] == "skip-link", first
    assert first["text"] == "본문 바로가기"
    assert first["visible"]
    assert first["outline"] != "none" and first["outlineWidth"] >= 2
    # the skip link takes focus to the main content
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "main"

    page.goto("/")
    nav_links = page.evaluate(
        "() => [...document.querySelectorAll('header nav a')].map(a => a.getAttribute('href'))"
    )
    assert "/organizations" in nav_links and len(nav_links) >= 4
    reached = []
    for _ in range(80):
        page.keyboard.press("Tab")
        now = _focused(page)
        if now["tag"] == "BODY" or (reached and now == reached[0]):
            break
        assert (now["outline"] != "none" and now["outlineWidth"] >= 2) or now["shadow"] != "none", now
        reached.append(now)
    hrefs = {r["href"] for r in reached}
    missing = [href for href in nav_links if href not in hrefs]
    assert not missing, f"not reachable with Tab: {missing}"
    assert any(r["text"] == "성북 공유 플랫폼" for r in reached)  # the brand link too


def test_keyboard_only_sign_in(page, live_server):
    email, password = live_server.accounts["seoyeon"]
    page.goto("/auth/login")
    page.locator("#email").focus()
    page.keyboard.type(email)
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.id") == "password"
    page.keyboard.type(password)
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert page.locator("header").get_by_role("link", name="박서연").is_visible()


@pytest.mark.parametrize("path", ["/", "/auth/register", "/auth/login", "/organizations", "/organizations/1"])
def test_pages_fit_a_360px_screen(new_page, path):
    page = new_page(width=360, height=740)
    response = page.goto(path)
    assert response.status == 200
    assert scroll_width(page) <= 360, f"{path} scrolls sideways: {scroll_width(page)}px"


def test_signed_in_pages_fit_a_360px_screen(new_page, live_server):
    page = new_page(width=360, height=740)
    live_server.login_as(page, "junho")
    for path in ("/", "/auth/profile", "/organizations/new", "/organizations/1"):
        page.goto(path)
        assert scroll_width(page) <= 360, f"{path} scrolls sideways: {scroll_width(page)}px"


def test_form_errors_fit_a_360px_screen(new_page):
    page = new_page(width=360, height=740)
    page.goto("/auth/register")
    with page.expect_navigation():
        page.locator("main form").get_by_role("button", name="가입하기").click()
    assert page.locator(".error-summary").is_visible()
    assert scroll_width(page) <= 360


def test_switching_to_english(page, live_server):
    page.goto("/")
    with page.expect_navigation():
        page.get_by_role("link", name="English").click()
    assert page.evaluate("document.documentElement.lang") == "en"
    page.checks.lang = "en"
    with page.expect_navigation():
        page.get_by_role("link", name="한국어").click()
    assert page.evaluate("document.documentElement.lang") == "ko"
    page.checks.lang = "ko"


def test_health_check_answers_on_the_live_server(page, live_server):
    response = page.goto("/healthz")
    assert response.status == 200
    assert response.json()["ok"] is True
    page.checks.lang = None
