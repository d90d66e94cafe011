"""What a refund gave back: the list price refunded and the amount returned to the card, one
definition (services.refund_amounts) for the flash, the shop's row, the history, the receipt and the
payer's notice."""

import re
from types import SimpleNamespace

from hypothesis import given, settings
from hypothesis import strategies as st
from sqlalchemy import select

from sharing.card import services
from sharing.card.money import payment_figures, refund_figures, split_clawback
from sharing.core.extensions import db
from sharing.notify.models import Notification, OutboxMail

from .conftest import fresh


def _text(html: str) -> str:
    """The page's words, tags dropped and spaces collapsed."""
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", "", html))


def _world(make, *, discount_bp=1000, mileage_bp=300):
    owner = make.user(name="가게주인")
    org = make.org(owner, discount_bp=discount_bp, mileage_bp=mileage_bp, name="나무와 열매")
    payer = make.user(name="결제주민")
    services.topup(payer, 50_000)
    payment = services.pay(payer, org.id, 10_000)
    return owner, org, payer, payment


def test_half_of_a_discounted_payment(make):
    owner, _org, payer, payment = _world(make)
    refund = services.refund(owner, payment.id, 5000)
    a = services.refund_amounts(refund)
    assert a.list_price == 5000  # what the shop typed
    assert a.discount == 500 and a.paid == 4500  # 10% of it was never paid
    assert a.to_card == 4500 and a.to_mileage == 0
    # earned 3% of 9,000 = 270; half of it after the fund's 1%: floor(4,455 × 270 / 8,910)
    assert a.mileage_taken_back == 135 and a.taken_from_card == 0
    assert a.mileage_change == -135
    fresh()
    summary = services.card_summary(payer)
    assert summary.balance == 50_000 - 9000 + 4500
    assert summary.mileage == 270 - 135


def test_mileage_already_spent_is_withheld_from_the_card(make):
    owner, _org, payer, payment = _world(make)
    other_owner = make.user()
    other = make.org(other_owner, discount_bp=0, mileage_bp=0)
    services.pay(payer, other.id, 270, use_mileage=True)  # spends the 270 earned
    a = services.refund_amounts(services.refund(owner, payment.id))
    assert a.list_price == 10_000 and a.paid == 9000
    assert a.mileage_taken_back == 270 and a.taken_from_card == 270
    assert a.to_card == 9000 - 270  # what the card actually received


def test_refunds_of_a_payment_add_up_in_every_place(make, client, auth):
    owner, org, payer, payment = _world(make)
    first = services.refund(owner, payment.id, 3000)
    second = services.refund(owner, payment.id, 2000)
    together = services.refund_amounts([first, second])
    assert together.list_price == 5000
    assert (
        together.to_card == services.refund_amounts(first).to_card + services.refund_amounts(second).to_card
    )
    assert services.refund_totals([payment.id])[payment.id] == together
    fresh()
    auth.login(owner)
    shop = _text(client.get(f"/card/shop/{org.id}").get_data(as_text=True))
    assert "환불한 가격 5,000원" in shop and f"카드로 돌려준 금액 {together.to_card:,}원" in shop
    auth.login(payer)
    history = _text(client.get("/card").get_data(as_text=True))
    assert "환불한 가격 5,000원" in history and f"카드로 돌려준 금액 {together.to_card:,}원" in history
    assert "환불한 가격 3,000원" in history and "환불한 가격 2,000원" in history  # the refund rows
    receipt = _text(client.get(f"/card/payments/{payment.id}").get_data(as_text=True))
    assert "환불한 가격 5,000원" in receipt and f"{together.to_card:,}" in receipt
    assert "할인분 500원" in receipt


def test_the_shops_flash_names_the_list_price_and_the_amount_returned(make, client, auth):
    owner, org, _payer, payment = _world(make)
    auth.login(owner)
    r = client.post(
        f"/card/shop/{org.id}/payments/{payment.id}/refund",
        data={"amount": 5000, "idempotency_key": "a" * 32},
        follow_redirects=True,
    )
    html = r.get_data(as_text=True)
    assert "가격 5,000원을 환불했습니다. 주민의 카드로 4,500원이 돌아갔습니다." in html
    assert "적립 마일리지 135원을 회수했습니다." in html
    assert "4,500원을 환불했습니다" not in html


def test_the_payer_is_notified_once(make):
    owner, _org, payer, payment = _world(make)
    services.refund(owner, payment.id, 5000, idempotency_key="k" * 32)
    services.refund(owner, payment.id, 5000, idempotency_key="k" * 32)  # a replay: no second notice
    fresh()
    notes = db.session.execute(select(Notification).where(Notification.user_id == payer.id)).scalars().all()
    refunded = [n for n in notes if n.kind == "card.refunded"]
    assert len(refunded) == 1
    note = refunded[0]
    assert "나무와 열매" in note.title and note.link == f"/card/payments/{payment.id}"
    assert "환불한 가격: 5,000원" in note.body and "카드로 돌려받은 금액: 4,500원" in note.body
    assert "회수된 적립 마일리지: 135원" in note.body
    mails = db.session.execute(select(OutboxMail).where(OutboxMail.to_address == payer.email)).scalars().all()
    mail = [m for m in mails if "나무와 열매" in m.subject]
    assert len(mail) == 1 and "카드로 돌려받은 금액: 4,500원" in mail[0].body
    owner_notes = db.session.execute(select(Notification).where(Notification.user_id == owner.id)).scalars()
    assert all(n.kind != "card.refunded" for n in owner_notes)


@settings(max_examples=300, deadline=None)
@given(
    amount=st.integers(1, 10_000_000),
    discount_bp=st.integers(0, 2000),
    mileage_bp=st.integers(0, 2000),
    fund_rate_bp=st.integers(0, 500),
    mileage_available=st.integers(0, 10_000_000),
    use_mileage=st.booleans(),
    cuts=st.lists(st.integers(1, 10_000_000), min_size=1, max_size=5),
    mileage_balance=st.integers(0, 10_000_000),
)
def test_the_figures_add_up_for_any_rates(
    amount, discount_bp, mileage_bp, fund_rate_bp, mileage_available, use_mileage, cuts, mileage_balance
):
    payment = payment_figures(
        amount,
        discount_bp=discount_bp,
        mileage_bp=mileage_bp,
        fund_rate_bp=fund_rate_bp,
        mileage_available=mileage_available,
        use_mileage=use_mileage,
    )
    refunds, before = [], 0
    for cut in cuts:
        part = min(cut, amount - before)
        if part <= 0:
            break
        f = refund_figures(payment, before, part)
        from_card = split_clawback(f.mileage_clawback, mileage_balance, f.to_mileage)
        row = SimpleNamespace(**vars(f), clawback_from_card=from_card)
        refunds.append(row)
        before += part
        a = services.refund_amounts(row)
        values = (
            a.list_price,
            a.discount,
            a.paid,
            a.to_card,
            a.to_mileage,
            a.mileage_taken_back,
            a.taken_from_card,
        )
        assert all(type(v) is int for v in values)
        assert all(v >= 0 for v in values)
        assert a.list_price == part
        assert a.list_price == a.discount + a.paid
        assert a.paid == a.to_card + a.to_mileage + a.taken_from_card
        assert 0 <= a.taken_from_card <= a.mileage_taken_back
        # what the resident's two accounts receive together
        assert a.to_card + a.mileage_change == a.paid - a.mileage_taken_back
    together = services.refund_amounts(refunds)
    assert together.list_price == before
    assert together.list_price == together.discount + together.paid
    assert together.to_card == sum(services.refund_amounts(r).to_card for r in refunds)
    if before == amount:  # refunded in full: exactly what the payment took
        assert together.discount == payment.discount and together.paid == payment.paid
        assert together.to_mileage == payment.from_mileage
        assert together.mileage_taken_back == payment.mileage_earned
