"""Exact refunds: any sequence of partial refunds ends exactly at the full refund, no leg's running
total ever exceeds what that leg received, and a leg of zero won is not posted."""

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import func, select

from sharing.card import services
from sharing.card.models import CardEntry
from sharing.card.money import legs_for, payment_figures, refund_figures
from sharing.core.extensions import db

from .conftest import check_invariants

MAX_BP = 2000
rates = st.integers(0, MAX_BP)


def _sequence(amount: int, cuts: list[int]) -> list[int]:
    """Refund amounts (each >= 1) from ``cuts``, the last one taking whatever is left."""
    parts, left = [], amount
    for cut in cuts:
        if left <= 1:
            break
        part = 1 + cut % (left - 1)
        parts.append(part)
        left -= part
    return parts + [left]


@settings(max_examples=600, deadline=None)
@given(
    st.integers(1, 1000),
    rates,
    rates,
    rates,
    st.integers(0, 1000),
    st.lists(st.integers(0, 10**6), max_size=8),
)
def test_refund_sequences_end_exactly_and_never_overshoot_a_leg(amount, dbp, mbp, fbp, mileage, cuts):
    p = payment_figures(
        amount, discount_bp=dbp, mileage_bp=mbp, fund_rate_bp=fbp, mileage_available=mileage, use_mileage=True
    )
    received = {
        "discount": p.discount,
        "paid": p.paid,
        "to_card": p.from_card,
        "to_mileage": p.from_mileage,
        "fund_fee": p.fund_fee,
        "mileage_clawback": p.mileage_earned,
        "merchant_net": p.merchant_net,
    }
    running = dict.fromkeys(received, 0)
    refunded = 0
    for part in _sequence(amount, cuts):
        r = refund_figures(p, refunded, part)
        refunded += part
        assert r.paid == r.amount - r.discount == r.to_card + r.to_mileage
        assert r.merchant_net == r.paid - r.fund_fee - r.mileage_clawback
        for name in received:
            value = getattr(r, name)
            assert value >= 0, name
            running[name] += value
            assert running[name] <= received[name], name
    assert refunded == amount
    assert running == received


@settings(max_examples=300, deadline=None)
@given(st.integers(1, 1000), rates, rates, rates, st.integers(0, 1000))
def test_cumulative_legs_grow_by_at_most_one_won_per_won(amount, dbp, mbp, fbp, mileage):
    p = payment_figures(
        amount, discount_bp=dbp, mileage_bp=mbp, fund_rate_bp=fbp, mileage_available=mileage, use_mileage=True
    )
    previous = legs_for(p, 0)
    assert previous == legs_for(p, 0) and all(v == 0 for v in vars(previous).values())
    for r in range(1, amount + 1):
        now = legs_for(p, r)
        for name, value in vars(now).items():
            assert 0 <= value - getattr(previous, name) <= 1, (r, name)
        previous = now
    assert (previous.fee, previous.clawback, previous.net) == (p.fund_fee, p.mileage_earned, p.merchant_net)


def test_the_last_won_of_a_discounted_price_is_refunded_without_entries(make, shop, resident):
    org, owner = shop  # 5% discount: a 20 won price is 19 paid, so one won of it is all discount
    payment = services.pay(resident, org.id, 20)
    first = services.refund(owner, payment.id, 19)
    last = services.refund(owner, payment.id, 1)
    assert first.paid + last.paid == payment.paid
    assert last.paid == 0 and last.discount == 1
    db.session.commit()
    legs = db.session.execute(
        select(func.count()).select_from(CardEntry).where(CardEntry.transaction_id == last.id)
    ).scalar_one()
    assert legs == 0
    assert services.refunded_amount(payment.id) == payment.amount
    check_invariants()


def test_a_refund_is_not_refused_by_the_balance_cap(app, make, shop, resident):
    org, owner = shop
    app.config["CARD_BALANCE_CAP"] = 100_000  # the resident's top-up filled the card to the cap
    payment = services.pay(resident, org.id, 50_000)
    services.topup(resident, payment.from_card)  # back at the cap, within both caps
    result = services.refund(owner, payment.id)
    assert services.card_summary(resident).balance == 100_000 + result.to_card > 100_000
    check_invariants()


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    st.integers(1, 1000),
    rates,
    rates,
    st.sampled_from([0, 100, MAX_BP]),
    st.lists(st.integers(0, 10**6), max_size=5),
)
def test_a_shop_never_paid_out_can_always_refund_in_parts(app, make, amount, dbp, mbp, fbp, cuts):
    app.config["CARD_FUND_RATE_BP"] = fbp
    owner, payer = make.user(), make.user()
    org = make.org(owner, discount_bp=dbp, mileage_bp=mbp)
    services.topup(payer, 1000)
    payment = services.pay(payer, org.id, amount)
    for part in _sequence(amount, cuts):
        services.refund(owner, payment.id, part)
    summary = services.card_summary(payer)
    assert (summary.balance, summary.mileage) == (1000, 0)
    assert services.merchant_balance(org.id) == 0
    check_invariants()
