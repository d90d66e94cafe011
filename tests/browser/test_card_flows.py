"""The card's everyday flows on a phone (390 px): the history filter without a false error, the
payment confirmation page with its figures, refunds that say list price and amount returned."""

from __future__ import annotations

import pytest

from tests.browser.conftest import PHONE, scroll_width, text_of
from tests.browser.helpers import confirm_and_submit, flashes, sign_up, submit, unique_email, won

pytestmark = pytest.mark.browser


def _history_errors(page) -> list[str]:
    return page.locator("section[aria-labelledby=history-h] .error").all_inner_texts()


def test_my_card_shows_no_error_under_the_history_filter(page, live_server):
    live_server.login_as(page, "minji")
    page.goto("/card")
    history = page.locator("section[aria-labelledby=history-h]")
    assert history.get_by_label("구분").input_value() == ""
    assert _history_errors(page) == []
    assert history.locator(".has-error, [aria-invalid=true]").count() == 0
    assert scroll_width(page) <= PHONE["width"]
    # choosing a kind and coming back to "전체" stays clean too
    history.get_by_label("구분").select_option("payment")
    with page.expect_navigation():
        history.get_by_role("button", name="보기").click()
    assert _history_errors(page) == []
    page.goto("/card?lang=en")
    page.checks.lang = "en"
    assert _history_errors(page) == []
    assert "Not a valid choice" not in page.locator("main").inner_text()


SHOP = "동네목수"  # a demo village enterprise: 5% discount, no mileage; junho is its member


def _set_policy(live_server, discount_bp: int, mileage_bp: int) -> tuple[int, tuple[int, int]]:
    """Set the demo shop's rates directly (as the centre would); answers its id and the old rates."""
    from sqlalchemy import select

    from sharing.core.extensions import db
    from sharing.orgs.models import Organization

    with live_server.app_context():
        org = db.session.execute(select(Organization).where(Organization.name == SHOP)).scalar_one()
        old = (org.discount_bp, org.mileage_bp)
        org.discount_bp, org.mileage_bp = discount_bp, mileage_bp
        db.session.commit()
        org_id = org.id
        db.session.remove()
    return org_id, old


def _figure(page, name: str) -> int:
    return won(page.locator(f"[data-figure={name}]").inner_text())


def test_paying_goes_through_a_confirmation_page_with_the_amounts(new_page, live_server):
    shop_id, old = _set_policy(live_server, 500, 0)
    try:
        phone = new_page()
        sign_up(phone, email=unique_email("confirm"), password="payer-pass-1", name="한겨울", dong="장위1동")
        phone.goto("/card")
        topup = phone.locator("section[aria-labelledby=topup-h] form")
        topup.get_by_label("충전할 금액(원)").fill("20000")
        submit(phone, topup.get_by_role("button", name="충전하기"))

        phone.goto(f"/card/pay/{shop_id}")
        assert phone.locator("#pay-form").get_attribute("data-confirm") is None  # no script dialog
        phone.locator("#pay-form").get_by_label("결제할 금액(원)").fill("10000")
        submit(phone, phone.get_by_role("button", name="다음: 결제 확인"))
        main = text_of(phone)
        assert phone.locator("h1").inner_text() == "결제 확인"
        assert SHOP in main
        assert (_figure(phone, "amount"), _figure(phone, "discount"), _figure(phone, "paid")) == (
            10_000,
            500,
            9500,
        )
        assert _figure(phone, "balance_after") == 20_000 - 9500
        assert scroll_width(phone) <= PHONE["width"], "the confirmation page scrolls sideways on a phone"

        # the centre changes the shop's rates before the resident confirms: refused, new figures shown
        _set_policy(live_server, 1000, 0)
        submit(phone, phone.get_by_role("button", name="9,500원 결제하기"))
        assert "결제 조건(할인·마일리지)이 바뀌었습니다" in flashes(phone)
        assert (_figure(phone, "discount"), _figure(phone, "paid")) == (1000, 9000)
        assert _figure(phone, "balance_after") == 20_000 - 9000
        assert "/card/payments/" not in phone.url  # nothing paid: the confirmation page again
        submit(phone, phone.get_by_role("button", name="9,000원 결제하기"))
        assert f"{SHOP}에 9,000원을 결제했습니다." in flashes(phone)
        receipt_url = phone.url

        # the shop refunds half of it: the flash names the list price and what went back to the card
        desk = new_page()
        live_server.login_as(desk, "junho", next_path=receipt_url.replace(live_server.url, ""))
        refund = desk.locator("section[aria-labelledby=refunds-h] form")
        refund.get_by_label("환불할 금액(원, 비우면 남은 금액 전부)").fill("5000")
        confirm_and_submit(desk, refund.get_by_role("button", name="환불하기"))
        assert "가격 5,000원을 환불했습니다. 주민의 카드로 4,500원이 돌아갔습니다." in flashes(desk)
        assert "환불한 가격 5,000원 · 카드로 돌려준 금액 4,500원" in text_of(desk)

        # the payer's history says the same, and the inbox tells of the refund
        phone.goto("/card")
        history = phone.locator("section[aria-labelledby=history-h] tbody").inner_text()
        assert "환불한 가격 5,000원" in history and "카드로 돌려준 금액 4,500원" in history
        assert scroll_width(phone) <= PHONE["width"]
        phone.goto("/inbox")
        assert f"{SHOP} 결제가 환불되었습니다" in text_of(phone)
    finally:
        _set_policy(live_server, *old)
