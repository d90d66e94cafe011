"""Card pages for each role, and a permission check for every route."""

import re

import pytest

from sharing.card import services
from sharing.core.extensions import db
from tests.factories import Factory

from .conftest import fresh, snapshot


@pytest.fixture
def world(make):
    member = make.user(name="가게주인")
    org = make.org(member, discount_bp=500, mileage_bp=300, name="동네가게")
    pending = make.org(make.user(), verified=False)
    payer = make.user(name="결제주민")
    services.topup(payer, 100_000)
    payment = services.pay(payer, org.id, 10_001)
    return {
        "anonymous": None,
        "resident": payer,
        "other": make.user(),
        "member": member,
        "centre": make.centre(),
        "org": org.id,
        "pending": pending.id,
        "payment": payment.id,
    }


def _routes(w):
    o, p, u = w["org"], w["payment"], w["pending"]
    everyone = {"resident": 200, "other": 200, "member": 200, "centre": 200}
    payer_view = {"resident": 200, "other": 403, "member": 200, "centre": 200}
    shop = {"resident": 403, "other": 403, "member": 200, "centre": 200}
    centre = {"resident": 403, "other": 403, "member": 403, "centre": 200}
    return [
        ("/card", everyone),
        ("/card?kind=payment&date_from=2020-01-01&page=2", everyone),
        ("/card?kind=bogus&date_from=nope", everyone),
        # /card/shops is public: tests/card/test_shops.py
        (f"/card/pay/{o}", everyone),
        (f"/card/pay/{o}?amount=12345", everyone),
        (f"/card/pay/{u}", dict.fromkeys(everyone, 404)),
        ("/card/pay/999999", dict.fromkeys(everyone, 404)),
        (f"/card/payments/{p}", payer_view),
        ("/card/payments/999999", dict.fromkeys(everyone, 404)),
        (f"/card/shop/{o}", shop),
        (f"/card/shop/{o}/qr", shop),
        (f"/card/shop/{o}/qr.svg", shop),
        (f"/card/shop/{o}/statement.csv", shop),
        (f"/card/shop/{o}/statement.csv?month=2026-13", {**shop, "member": 404, "centre": 404}),
        (f"/card/shop/{u}", dict.fromkeys(everyone, 404)),
        # /card/fund is public (its detailed tables are the centre's): tests/card/test_checkpoints.py
        ("/card/fund/audit", centre),
        ("/card/fund/audit.csv", centre),
        ("/card/desk", centre),
    ]


@pytest.mark.parametrize("role", ["anonymous", "resident", "other", "member", "centre"])
def test_every_route_for_every_role(client, auth, world, role):
    if world[role] is not None:
        assert auth.login(world[role]).status_code in (302, 303)
    for url, expected in _routes(world):
        r = client.get(url)
        if role == "anonymous":
            assert r.status_code == 302, url
            assert "/auth/login" in r.headers["Location"], url
            continue
        assert r.status_code == expected[role], (url, r.status_code)
        if r.status_code == 200 and r.mimetype == "text/html":
            html = r.get_data(as_text=True)
            assert 'style="' not in html, url  # the CSP forbids inline styles
            assert not re.search(r"<script(?![^>]*\bsrc=)", html), url  # and inline scripts
            assert "<h1" in html


@pytest.mark.parametrize("role", ["anonymous", "resident", "other"])
def test_money_posts_are_refused_to_the_wrong_people(client, auth, world, role):
    if world[role] is not None:
        auth.login(world[role])
    before = snapshot()
    o, p = world["org"], world["payment"]
    r = client.post(f"/card/shop/{o}/payments/{p}/refund", data={"idempotency_key": "a" * 32})
    assert r.status_code == (302 if role == "anonymous" else 403)
    r = client.post(f"/card/shop/{o}/payout", data={"idempotency_key": "b" * 32})
    assert r.status_code == (302 if role == "anonymous" else 403)
    for url in ("/card/desk/topups/1/confirm", "/card/desk/payouts/1/approve"):
        r = client.post(url, data={"reference": "R-1"})
        assert r.status_code == (302 if role == "anonymous" else 403), url
    if role == "anonymous":
        assert client.post("/card/topup", data={"amount": 1000}).status_code == 302
        assert client.post(f"/card/pay/{o}", data={"amount": 1000}).status_code == 302
    assert snapshot() == before


def test_resident_pages_show_the_card(client, auth, world):
    auth.login(world["resident"])
    html = client.get("/card").get_data(as_text=True)
    assert "90,499" in html and "285" in html  # 100,000 - 9,501 and the mileage
    assert "동네가게" in html
    html = client.get(f"/card/pay/{world['org']}?amount=10001").get_data(as_text=True)
    assert 'data-preview="fund_fee">95<' in html and 'data-preview="discount">500<' in html
    assert 'name="idempotency_key"' in html
    html = client.get(f"/card/payments/{world['payment']}").get_data(as_text=True)
    assert "9,121" in html and "환불하기" not in html  # the payer cannot refund
    html = client.get("/card/shops").get_data(as_text=True)
    assert "동네가게" in html


def test_web_topup_and_double_submitted_payment(client, auth, world):
    auth.login(world["resident"])
    r = client.post("/card/topup", data={"amount": 5000, "idempotency_key": "c" * 32})
    assert r.status_code == 302
    r = client.post("/card/topup", data={"amount": 5000, "idempotency_key": "c" * 32})
    assert r.status_code == 302
    fresh()
    user = db.session.get(type(world["resident"]), world["resident"].id)
    assert services.card_summary(user).balance == 100_000 - 9501 + 5000
    form = {"amount": 2000, "idempotency_key": "d" * 32}
    confirmation = client.post(f"/card/pay/{world['org']}", data=form)
    assert confirmation.status_code == 200 and "결제 확인" in confirmation.get_data(as_text=True)
    quote = re.search(r'name="quote" value="([^"]+)"', confirmation.get_data(as_text=True)).group(1)
    form = {**form, "confirmed": "1", "quote": quote}
    first = client.post(f"/card/pay/{world['org']}", data=form)
    assert first.status_code == 302 and "/card/payments/" in first.headers["Location"]
    before = snapshot()
    again = client.post(f"/card/pay/{world['org']}", data=form)
    assert again.headers["Location"] == first.headers["Location"]
    assert snapshot() == before
    r = client.post(f"/card/pay/{world['org']}", data={"amount": 9_000_000, "idempotency_key": "e" * 32})
    assert r.status_code == 409  # told on the confirmation page, with no button to pay
    assert "잔액이 부족합니다" in r.get_data(as_text=True) and 'name="confirmed"' not in r.get_data(
        as_text=True
    )
    big = {
        "amount": 9_000_000,
        "idempotency_key": "e" * 32,
        "confirmed": "1",
        "quote": "9000000:450000:8550000:0:256500",
    }
    r = client.post(f"/card/pay/{world['org']}", data=big)
    assert r.status_code == 409
    assert "잔액이 부족합니다" in r.get_data(as_text=True)
    r = client.post(f"/card/pay/{world['org']}", data={"amount": 0, "idempotency_key": "f" * 32})
    assert r.status_code == 422
    assert snapshot() == before


def test_shop_refunds_pays_out_and_exports(client, auth, world):
    auth.login(world["member"])
    o, p = world["org"], world["payment"]
    html = client.get(f"/card/shop/{o}").get_data(as_text=True)
    assert "결제주민" in html and "data-confirm" in html and "9,121" in html
    svg = client.get(f"/card/shop/{o}/qr.svg")
    assert svg.mimetype == "image/svg+xml" and b"<svg" in svg.data and b"style=" not in svg.data
    assert f"/card/pay/{o}" in client.get(f"/card/shop/{o}/qr").get_data(as_text=True)
    r = client.post(f"/card/shop/{o}/payments/{p}/refund", data={"amount": 1001, "idempotency_key": "1" * 32})
    assert r.status_code == 302
    fresh()
    assert services.refunded_amount(p) == 1001
    r = client.post(f"/card/shop/{o}/payout", data={"amount": 1000, "idempotency_key": "2" * 32})
    assert r.status_code == 302
    fresh()
    after_refund = 9121 - (951 - 9 - 28)  # refund of 1,001: paid 951
    assert services.merchant_balance(o) == after_refund  # requested: nothing leaves before approval
    assert "승인 대기" in client.get(f"/card/shop/{o}").get_data(as_text=True)
    auth.login(world["centre"])
    desk = client.get("/card/desk").get_data(as_text=True)
    assert "동네가게" in desk and "data-confirm" in desk and "1,000" in desk
    payout_id = services.payouts_of(o)[0].id
    r = client.post(f"/card/desk/payouts/{payout_id}/approve", data={"reference": "국민 TR-2026-77"})
    assert r.status_code == 302
    fresh()
    assert services.merchant_balance(o) == after_refund - 1000
    assert client.post(f"/card/desk/payouts/{payout_id}/approve", data={"reference": "x"}).status_code == 302
    fresh()
    assert services.merchant_balance(o) == after_refund - 1000  # approved once only
    auth.login(world["member"])
    assert "국민 TR-2026-77" in client.get(f"/card/shop/{o}").get_data(as_text=True)
    csv = client.get(f"/card/shop/{o}/statement.csv").get_data(as_text=True)
    assert csv.startswith("\ufeff일시")
    assert csv.count("\n") == 4  # header, payment, refund, payout
    assert csv.splitlines()[-1].endswith(",-1000,국민 TR-2026-77")
    r = client.post(
        f"/card/shop/{o}/payments/{p}/refund", data={"amount": 99_999, "idempotency_key": "3" * 32}
    )
    assert r.status_code == 302
    fresh()
    assert services.refunded_amount(p) == 1001


def test_centre_fund_page_audit_and_csv(client, auth, world):
    auth.login(world["centre"])
    html = client.get("/card/fund").get_data(as_text=True)
    assert "<svg" in html and "<table" in html and "동네가게" in html
    assert 'scope="col"' in html and "95" in html
    html = client.get("/card/fund/audit").get_data(as_text=True)
    assert "이상 없음" in html
    csv = client.get("/card/fund/audit.csv")
    assert csv.mimetype == "text/csv"
    text = csv.get_data(as_text=True)
    assert text.startswith("\ufeffok,payments_checked") and "True,1,95,95,True,True" in text


def test_a_member_paying_their_own_shop_gets_a_clear_403_page(client, auth, world):
    services.topup(world["member"], 10_000)
    notice = "자기 조직에 카드로 결제할 수 없습니다"
    auth.login(world["resident"])
    assert notice not in client.get(f"/card/pay/{world['org']}").get_data(as_text=True)
    auth.login(world["member"])
    assert notice in client.get(f"/card/pay/{world['org']}").get_data(as_text=True)
    before = snapshot()
    r = client.post(f"/card/pay/{world['org']}", data={"amount": 1000, "idempotency_key": "a" * 32})
    assert r.status_code == 403
    assert "자기 조직에 카드로 결제할 수 없습니다" in r.get_data(as_text=True)
    assert snapshot() == before


def test_the_qr_code_points_at_the_configured_address(app, client, world):
    app.config["PUBLIC_BASE_URL"] = "https://sharing.sb.go.kr"
    forged = {"Host": "evil.example"}  # signed in on the forged host too (the cookie follows it)
    login = {"email": world["member"].email, "password": Factory.PASSWORD}
    assert client.post("/auth/login", data=login, headers=forged).status_code == 302
    o = world["org"]
    page = client.get(f"/card/shop/{o}/qr", headers=forged).get_data(as_text=True)
    assert f"https://sharing.sb.go.kr/card/pay/{o}" in page and "evil.example" not in page


@pytest.mark.parametrize("path", ["/card", "/card?lang=en", "/card?kind=&date_from=&date_to="])
def test_the_history_filter_shows_no_error_on_a_plain_visit(client, auth, world, path):
    auth.login(world["resident"])
    html = client.get(path).get_data(as_text=True)
    assert 'class="error"' not in html and "has-error" not in html
    assert "올바르지 않은 선택값" not in html and "Not a valid choice" not in html
    bogus = client.get("/card?kind=bogus").get_data(as_text=True)
    assert "has-error" in bogus  # a code outside the vocabulary is still told
