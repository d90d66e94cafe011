"""Trade-card journey: a resident tops up, then pays a shop from the shop's QR page; the card balance
goes down by exactly the amount paid (the price less the shop's discount), and the shop sees it."""

from __future__ import annotations

import pytest

from tests.browser.conftest import PHONE, scroll_width, text_of
from tests.browser.helpers import flashes, sign_up, submit, unique_email, won

pytestmark = pytest.mark.browser

SHOP = "동네목수"  # a demo village enterprise: 5% discount, no mileage; junho is its member


def _shop_id(live_server) -> int:
    from sqlalchemy import select

    from sharing.core.extensions import db
    from sharing.orgs.models import Organization

    with live_server.app_context():
        org = db.session.execute(select(Organization).where(Organization.name == SHOP)).scalar_one()
        assert (org.discount_bp, org.mileage_bp) == (500, 0), "the demo shop's card policy changed"
        org_id = org.id
        db.session.remove()
    return org_id


def _balance(page) -> int:
    page.goto("/card")
    figure = page.locator(".card-figures div", has_text="카드 잔액").locator("dd")
    return won(figure.inner_text())


def test_resident_tops_up_and_pays_a_shop_from_its_qr_page(new_page, live_server):
    shop_id = _shop_id(live_server)

    # --- the shop prints its QR page (a member of the organisation) --------------------------------
    desk = new_page()
    live_server.login_as(desk, "junho", next_path=f"/card/shop/{shop_id}/qr")
    assert desk.locator("h1").inner_text() == SHOP
    qr = desk.get_by_role("img", name=f"{SHOP} 결제 페이지로 가는 QR 코드")
    desk.wait_for_function("img => img.complete && img.naturalWidth > 0", arg=qr.element_handle())
    pay_url = desk.locator(".card-qr-url").inner_text().strip()
    assert pay_url == f"{live_server.url}/card/pay/{shop_id}"
    qr_svg = desk.request.get(f"/card/shop/{shop_id}/qr.svg")
    assert qr_svg.ok and qr_svg.headers["content-type"].startswith("image/svg+xml")
    assert "할인 5% · 마일리지 0%" in text_of(desk)

    # --- a new resident tops up 30,000 won -------------------------------------------------------------
    phone = new_page()
    name = "오가을"
    sign_up(phone, email=unique_email("payer"), password="payer-pass-1", name=name, dong="장위1동")
    assert _balance(phone) == 0
    topup = phone.locator("section[aria-labelledby=topup-h] form")
    topup.get_by_label("충전할 금액(원)").fill("30000")
    submit(phone, topup.get_by_role("button", name="충전하기"))
    assert "30,000원을 충전했습니다. 잔액 30,000원." in flashes(phone)
    before = _balance(phone)
    assert before == 30_000

    # --- scans the QR code (opens the printed address) and pays 12,000 won ------------------------------
    phone.goto(pay_url)
    assert phone.locator("h1").inner_text() == f"{SHOP} 결제"
    pay = phone.locator("#pay-form")
    pay.get_by_label("결제할 금액(원)").fill("12000")
    # the live preview (static/js/card.js) does the server's arithmetic: 5% off, 1% to the fund
    preview = phone.locator(".card-preview-list")
    assert preview.locator("[data-preview=discount]").inner_text() == "600"
    assert preview.locator("[data-preview=paid]").inner_text() == "11,400"
    assert preview.locator("[data-preview=fund_fee]").inner_text() == "114"
    assert scroll_width(phone) <= PHONE["width"], "the pay page scrolls sideways on a phone"
    submit(phone, pay.get_by_role("button", name="다음: 결제 확인"))
    # the confirmation page (no script dialog): the shop, the figures, the card afterwards
    assert phone.locator("h1").inner_text() == "결제 확인"
    assert won(phone.locator("[data-figure=discount]").inner_text()) == 600
    assert won(phone.locator("[data-figure=balance_after]").inner_text()) == 30_000 - 11_400
    submit(phone, phone.get_by_role("button", name="11,400원 결제하기"))
    assert f"{SHOP}에 11,400원을 결제했습니다." in flashes(phone)
    assert "/card/payments/" in phone.url
    receipt = phone.locator("table.card-receipt")
    assert won(receipt.locator("tr", has_text="낸 금액").locator("td").inner_text()) == 11_400
    assert won(receipt.locator("tr", has_text="카드에서").locator("td").inner_text()) == 11_400
    receipt_url = phone.url

    # --- the card balance went down by the amount paid --------------------------------------------------
    after = _balance(phone)
    assert before - after == 11_400
    history = phone.locator("section[aria-labelledby=history-h] tbody tr").first.inner_text()
    assert SHOP in history and "-11,400원" in history

    # --- and the shop's desk shows the payment -------------------------------------------------------
    desk.goto(f"/card/shop/{shop_id}")
    row = desk.locator("section[aria-labelledby=received-h] tbody tr", has_text=name)
    assert row.count() == 1, text_of(desk)
    assert "12,000" in row.inner_text()
    desk.goto(receipt_url)  # a member of the paid organisation may open the receipt
    assert desk.locator("h1").inner_text().endswith(SHOP)
