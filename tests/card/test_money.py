"""The card's arithmetic, to the won (API.md), as properties over random inputs."""

from hypothesis import given, settings
from hypothesis import strategies as st

from sharing.card.money import payment_figures, refund_figures, split_clawback

amounts = st.integers(min_value=1, max_value=10_000_000)
rates = st.integers(min_value=0, max_value=2000)
fund_rates = st.integers(min_value=0, max_value=1000)


def test_worked_example():
    f = payment_figures(10_001, discount_bp=500, mileage_bp=300, fund_rate_bp=100)
    assert (f.discount, f.paid, f.fund_fee, f.mileage_earned, f.merchant_net) == (500, 9501, 95, 285, 9121)
    assert (f.from_card, f.from_mileage) == (9501, 0)


def test_mileage_pays_first_up_to_what_is_owed():
    f = payment_figures(
        1000, discount_bp=0, mileage_bp=0, fund_rate_bp=100, mileage_available=300, use_mileage=True
    )
    assert (f.from_mileage, f.from_card) == (300, 700)
    f = payment_figures(
        1000, discount_bp=0, mileage_bp=0, fund_rate_bp=100, mileage_available=5000, use_mileage=True
    )
    assert (f.from_mileage, f.from_card) == (1000, 0)
    f = payment_figures(1000, discount_bp=0, mileage_bp=0, fund_rate_bp=100, mileage_available=5000)
    assert (f.from_mileage, f.from_card) == (0, 1000)


@settings(max_examples=200, deadline=None)
@given(amounts, rates, rates, fund_rates, st.integers(0, 20_000_000), st.booleans())
def test_payment_figures_follow_the_contract(amount, dbp, mbp, fbp, mileage, use):
    f = payment_figures(
        amount, discount_bp=dbp, mileage_bp=mbp, fund_rate_bp=fbp, mileage_available=mileage, use_mileage=use
    )
    assert f.discount == amount * dbp // 10000
    assert f.paid == amount - f.discount >= 1
    assert f.from_card + f.from_mileage == f.paid
    assert 0 <= f.from_mileage <= (mileage if use else 0)
    assert f.fund_fee == f.paid * fbp // 10000
    assert f.mileage_earned == f.paid * mbp // 10000
    assert f.merchant_net == f.paid - f.fund_fee - f.mileage_earned >= 0


@settings(max_examples=200, deadline=None)
@given(
    amounts,
    rates,
    rates,
    fund_rates,
    st.integers(0, 20_000_000),
    st.lists(st.floats(min_value=0.0, max_value=1.0), min_size=0, max_size=6),
)
def test_partial_refunds_end_exactly_at_the_full_refund(amount, dbp, mbp, fbp, mileage, cuts):
    p = payment_figures(
        amount, discount_bp=dbp, mileage_bp=mbp, fund_rate_bp=fbp, mileage_available=mileage, use_mileage=True
    )
    refunded, parts = 0, []
    for cut in cuts:
        left = amount - refunded
        part = min(left, max(1, int(left * cut)))
        if left <= 0:
            break
        parts.append(refund_figures(p, refunded, part))
        refunded += part
    if refunded < amount:
        parts.append(refund_figures(p, refunded, amount - refunded))
    for r in parts:
        for name in (
            "discount",
            "paid",
            "to_card",
            "to_mileage",
            "fund_fee",
            "mileage_clawback",
        ):
            assert getattr(r, name) >= 0, name
        assert r.merchant_net >= 0
        assert r.paid == r.amount - r.discount == r.to_card + r.to_mileage
        assert r.merchant_net == r.paid - r.fund_fee - r.mileage_clawback
    assert sum(r.amount for r in parts) == p.amount
    assert sum(r.discount for r in parts) == p.discount
    assert sum(r.paid for r in parts) == p.paid
    assert sum(r.to_card for r in parts) == p.from_card
    assert sum(r.to_mileage for r in parts) == p.from_mileage
    assert sum(r.fund_fee for r in parts) == p.fund_fee
    assert sum(r.mileage_clawback for r in parts) == p.mileage_earned
    assert sum(r.merchant_net for r in parts) == p.merchant_net


@settings(max_examples=200, deadline=None)
@given(amounts, rates, rates, fund_rates)
def test_a_full_refund_returns_each_leg_exactly(amount, dbp, mbp, fbp):
    p = payment_figures(amount, discount_bp=dbp, mileage_bp=mbp, fund_rate_bp=fbp)
    r = refund_figures(p, 0, amount)
    assert (r.discount, r.paid, r.to_card, r.to_mileage) == (p.discount, p.paid, p.from_card, p.from_mileage)
    assert (r.fund_fee, r.mileage_clawback, r.merchant_net) == (p.fund_fee, p.mileage_earned, p.merchant_net)


def test_clawback_comes_from_the_card_only_when_mileage_was_spent():
    assert split_clawback(100, 150, 0) == 0
    assert split_clawback(100, 40, 0) == 60
    assert split_clawback(100, 40, 30) == 30
    assert split_clawback(0, 0, 0) == 0
