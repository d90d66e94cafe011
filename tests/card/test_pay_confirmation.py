"""Paying a shop through a confirmation page: its figures come from services.payment_preview, the same
code pay() posts with; figures that changed meanwhile are refused (409) and shown again."""

import re

import pytest

from sharing.card import services
from sharing.core.errors import Conflict
from sharing.orgs import services as orgs

from .conftest import fresh, snapshot


@pytest.fixture
def world(make):
    owner = make.user(name="가게주인")
    org = make.org(owner, discount_bp=1000, mileage_bp=300, name="나무와 열매")
    payer = make.user(name="결제주민")
    services.topup(payer, 50_000)
    return {"owner": owner, "org": org.id, "payer": payer, "centre": make.centre()}


def _quote(html: str) -> str:
    return re.search(r'name="quote" value="([^"]+)"', html).group(1)


def _figure(html: str, name: str) -> str:
    return re.search(rf'data-figure="{name}"><span class="money">([^<]+)<', html).group(1)


@pytest.mark.parametrize("use_mileage", [False, True])
def test_the_preview_is_what_pay_posts(make, world, use_mileage):
    payer, org = world["payer"], world["org"]
    other = make.org(make.user(), discount_bp=0, mileage_bp=500)
    services.pay(payer, other.id, 20_000)  # earns 1,000 mileage
    preview = services.payment_preview(payer, org, 12_345, use_mileage=use_mileage)
    payment = services.pay(payer, org, 12_345, use_mileage=use_mileage, expected=preview.quote)
    for name in ("amount", "discount", "paid", "from_card", "from_mileage", "mileage_earned", "fund_fee"):
        assert getattr(payment, name) == getattr(preview.figures, name), name
    fresh()
    after = services.card_summary(payer)
    assert after.balance == preview.balance_after and after.mileage == preview.mileage_after
    assert preview.figures.from_mileage == (min(1000, preview.figures.paid) if use_mileage else 0)


def test_pay_refuses_figures_that_changed(world):
    payer, org = world["payer"], world["org"]
    preview = services.payment_preview(payer, org, 10_000)
    orgs.set_card_policy(world["centre"], org, discount_bp=500, mileage_bp=300)
    before = snapshot()
    with pytest.raises(Conflict) as refused:
        services.pay(payer, org, 10_000, expected=preview.quote)
    assert refused.value.code == "figures_changed" and refused.value.status == 409
    assert snapshot() == before


def test_the_confirmation_page_then_the_payment(client, auth, world):
    org = world["org"]
    auth.login(world["payer"])
    before = snapshot()
    page = client.post(f"/card/pay/{org}", data={"amount": 10_000, "idempotency_key": "a" * 32})
    html = page.get_data(as_text=True)
    assert page.status_code == 200 and "결제 확인" in html and "나무와 열매" in html
    assert _figure(html, "amount") == "10,000원" and _figure(html, "discount") == "1,000원"
    assert _figure(html, "paid") == "9,000원" and _figure(html, "mileage_earned") == "270원"
    assert _figure(html, "balance_after") == "41,000원" and _figure(html, "mileage_after") == "270원"
    assert "data-confirm" not in html  # no script dialog: the page is the confirmation
    assert snapshot() == before  # nothing paid yet
    data = {"amount": 10_000, "idempotency_key": "a" * 32, "confirmed": "1", "quote": _quote(html)}
    paid = client.post(f"/card/pay/{org}", data=data)
    assert paid.status_code == 302 and "/card/payments/" in paid.headers["Location"]
    fresh()
    assert services.card_summary(world["payer"]).balance == 41_000


def test_a_rate_changed_before_confirming_is_refused_with_the_new_figures(client, auth, world):
    org = world["org"]
    auth.login(world["payer"])
    html = client.post(f"/card/pay/{org}", data={"amount": 10_000, "idempotency_key": "b" * 32}).get_data(
        as_text=True
    )
    old_quote = _quote(html)
    orgs.set_card_policy(world["centre"], org, discount_bp=500, mileage_bp=300)
    before = snapshot()
    data = {"amount": 10_000, "idempotency_key": "b" * 32, "confirmed": "1", "quote": old_quote}
    refused = client.post(f"/card/pay/{org}", data=data)
    html = refused.get_data(as_text=True)
    assert refused.status_code == 409
    assert "결제 조건(할인·마일리지)이 바뀌었습니다" in html
    assert _figure(html, "discount") == "500원" and _figure(html, "paid") == "9,500원"
    assert _figure(html, "balance_after") == "40,500원"
    assert _quote(html) != old_quote
    fresh()
    assert snapshot() == before
    paid = client.post(f"/card/pay/{org}", data={**data, "quote": _quote(html)})
    assert paid.status_code == 302
    fresh()
    assert services.card_summary(world["payer"]).balance == 40_500


def test_a_member_is_refused_at_the_confirmation_step(client, auth, world):
    services.topup(world["owner"], 10_000)
    auth.login(world["owner"])
    r = client.post(f"/card/pay/{world['org']}", data={"amount": 1000, "idempotency_key": "c" * 32})
    assert r.status_code == 403
