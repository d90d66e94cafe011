"""Phone journeys of the accounts and the home page, at 390 px: registration shows every error at
once beside its field and makes people choose their dong; the home page knows who is signed in."""

from __future__ import annotations

import pytest

from tests.browser.conftest import PHONE, scroll_width, text_of
from tests.browser.helpers import submit, unique_email

pytestmark = pytest.mark.browser


def _error_beside(page, field_id: str) -> str:
    """The error text inside the field's own box (empty when there is none)."""
    box = page.locator(f".field:has(#{field_id})")
    error = box.locator(f"#{field_id}-error")
    return error.inner_text().strip() if error.count() else ""


def test_registration_shows_every_error_at_once_and_asks_for_the_dong(page):
    assert page.viewport_size == PHONE
    page.goto("/auth/register")
    form = page.locator("main form")
    dong = form.get_by_label("사는 동")
    # Nobody lives in the first dong of the list by default: the choice starts empty.
    assert dong.input_value() == ""
    assert dong.locator("option:checked").inner_text().strip() == "사는 동을 고르세요"
    assert dong.get_attribute("required") is not None

    form.get_by_label("이메일", exact=True).fill("not-an-email")
    form.get_by_label("비밀번호", exact=True).fill("short")
    form.get_by_label("비밀번호 확인").fill("short")
    form.get_by_label("이름(표시 이름)").fill("김민지")
    submit(page, form.get_by_role("button", name="가입하기"))

    assert "/auth/register" in page.url
    # Every field's problem, in one answer, each beside its own field.
    assert "이메일" in _error_beside(page, "email")
    assert "8자 이상" in _error_beside(page, "password")
    assert "필수" in _error_beside(page, "dong")
    assert "동의" in _error_beside(page, "privacy_consent")
    assert "동의" in _error_beside(page, "terms_consent")
    assert _error_beside(page, "name") == ""
    for field_id in ("email", "password", "dong"):
        assert page.locator(f"#{field_id}").get_attribute("aria-invalid") == "true"
    summary = text_of(page, ".error-summary")
    for label in ("이메일", "비밀번호", "사는 동", "개인정보"):
        assert label in summary
    # What was typed stays (not the passwords), and nothing is cut off on the phone.
    assert form.get_by_label("이메일", exact=True).input_value() == "not-an-email"
    assert form.get_by_label("이름(표시 이름)").input_value() == "김민지"
    assert scroll_width(page) <= PHONE["width"]

    # Put right, it goes through.
    email = unique_email("choose")
    form.get_by_label("이메일", exact=True).fill(email)
    form.get_by_label("비밀번호", exact=True).fill("quiet-river-lantern-7")
    form.get_by_label("비밀번호 확인").fill("quiet-river-lantern-7")
    form.get_by_label("사는 동").select_option("정릉3동")
    form.get_by_label("개인정보 수집·이용에 동의합니다. (필수)").check()
    form.get_by_label("이용약관에 동의합니다. (필수)").check()
    submit(page, form.get_by_role("button", name="가입하기"))
    assert "가입을 환영합니다, 김민지 님." in text_of(page)


def test_the_home_page_knows_who_is_signed_in(page, live_server):
    page.goto("/")
    anonymous = text_of(page)
    assert "내 카드" not in anonymous  # visitors see today's page

    live_server.login_as(page, "minji")
    page.goto("/")
    mine = page.locator("section.my-day")
    assert mine.count() == 1
    card = text_of(page, "section.my-day .my-card")
    assert "잔액" in card and "마일리지" in card and "원" in card
    loans = text_of(page, "section.my-day .my-loans")
    # minji's request for a neighbour's listing waits for the owner
    assert "수락 대기" in loans
    first = mine.locator(".my-loans a").first
    assert "/market/" in (first.get_attribute("href") or "")
    assert "알림" in text_of(page, "section.my-day")
    assert scroll_width(page) <= PHONE["width"]
