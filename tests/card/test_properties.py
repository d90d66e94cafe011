"""Random sequences of top-ups, payments, refunds, payouts and policy changes: after every step every
invariant holds, balances follow a simple model, and a refused step moves nothing."""

import itertools

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sharing.auth.models import User
from sharing.card import services
from sharing.card.money import payment_figures, refund_figures
from sharing.core.db import transaction, utcnow
from sharing.core.errors import Conflict
from sharing.core.extensions import db
from sharing.orgs.models import Membership, Organization

from .conftest import check_invariants, snapshot

_seq = itertools.count(1)

ops = st.lists(
    st.one_of(
        st.tuples(st.just("topup"), st.integers(0, 1), st.integers(1, 400_000)),
        st.tuples(
            st.just("pay"), st.integers(0, 1), st.integers(0, 1), st.integers(1, 150_000), st.booleans()
        ),
        st.tuples(st.just("refund"), st.integers(0, 7), st.one_of(st.none(), st.integers(1, 150_000))),
        st.tuples(st.just("payout"), st.integers(0, 1), st.one_of(st.none(), st.integers(1, 100_000))),
        st.tuples(st.just("policy"), st.integers(0, 1), st.integers(0, 2000), st.integers(0, 2000)),
    ),
    min_size=1,
    max_size=12,
)


def _fresh_world():
    """Two residents and two verified shops (with an owner each), made directly: fast, and new per example."""
    with transaction():
        users = []
        for _ in range(4):
            n = next(_seq)
            u = User(
                email=f"prop{n}-{id(users)}@example.kr", password_hash="!", name=f"주민{n}", dong="정릉3동"
            )
            db.session.add(u)
            users.append(u)
        db.session.flush()
        orgs = []
        for i, (d, m) in enumerate(((500, 300), (0, 1000))):
            org = Organization(
                name=f"가게{next(_seq)}",
                kind="small_business",
                dong="장위1동",
                verified_at=utcnow(),
                discount_bp=d,
                mileage_bp=m,
            )
            db.session.add(org)
            db.session.flush()
            db.session.add(Membership(organization_id=org.id, user_id=users[2 + i].id, role="founder"))
            orgs.append(org)
    centre = User(
        email=f"propcentre{next(_seq)}@example.kr",
        password_hash="!",
        name="센터",
        dong="정릉3동",
        role="centre",
    )
    with transaction():
        db.session.add(centre)
    return users[:2], users[2:], orgs, centre


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(steps=ops)
def test_random_sequences_keep_every_invariant(app, steps):
    app.config.update(CARD_MONTHLY_TOPUP_CAP=10**12, CARD_BALANCE_CAP=1_500_000)
    residents, owners, orgs, centre = _fresh_world()
    card = {u.id: 0 for u in residents}
    mileage = {u.id: 0 for u in residents}
    merchant = {o.id: 0 for o in orgs}
    fund_start = services.fund_summary().balance
    fund = 0
    payments = []  # (payment, payer id, refunded so far)
    for step in steps:
        before = snapshot()
        kind = step[0]
        try:
            if kind == "topup":
                _k, who, amount = step

                user = residents[who]
                expect_conflict = card[user.id] + amount > 1_500_000
                result = services.topup(user, amount)
                assert not expect_conflict
                card[user.id] += amount
                assert result.balance == card[user.id]
            elif kind == "pay":
                _k, who, shop, amount, use = step
                user, org = residents[who], orgs[shop]
                f = payment_figures(
                    amount,
                    discount_bp=org.discount_bp,
                    mileage_bp=org.mileage_bp,
                    fund_rate_bp=100,
                    mileage_available=mileage[user.id],
                    use_mileage=use,
                )
                expect_conflict = card[user.id] < f.from_card
                p = services.pay(user, org.id, amount, use_mileage=use)
                assert not expect_conflict
                for name in ("discount", "paid", "from_card", "from_mileage", "fund_fee", "mileage_earned"):
                    assert getattr(p, name) == getattr(f, name), name
                card[user.id] -= f.from_card
                mileage[user.id] += f.mileage_earned - f.from_mileage
                merchant[org.id] += f.merchant_net
                fund += f.fund_fee
                payments.append([p, user.id, 0])
            elif kind == "refund":
                _k, index, amount = step
                if not payments:
                    continue
                entry = payments[index % len(payments)]
                p, payer, refunded = entry
                remaining = p.amount - refunded
                part = remaining if amount is None else amount
                expect_conflict = remaining <= 0 or part > remaining
                if not expect_conflict:
                    f = refund_figures(p, refunded, part)
                    expect_conflict = merchant[p.organization_id] < f.merchant_net
                actor = centre if index % 2 else owners[[o.id for o in orgs].index(p.organization_id)]
                r = services.refund(actor, p.id, amount)
                assert not expect_conflict
                assert (r.paid, r.fund_fee, r.mileage_clawback) == (f.paid, f.fund_fee, f.mileage_clawback)
                entry[2] += part
                merchant[p.organization_id] -= f.merchant_net
                fund -= f.fund_fee
                from_card = max(0, f.mileage_clawback - (mileage[payer] + f.to_mileage))
                assert r.clawback_from_card == from_card
                card[payer] += f.to_card - from_card
                mileage[payer] += f.to_mileage - (f.mileage_clawback - from_card)
            elif kind == "payout":
                _k, shop, amount = step
                org = orgs[shop]
                balance = merchant[org.id]
                out = balance if amount is None else amount
                expect_conflict = out <= 0 or out > balance
                row = services.request_payout(owners[shop], org.id, amount)
                assert not expect_conflict
                services.approve_payout(centre, row.id, f"이체-{row.id}")
                merchant[org.id] -= out
            else:
                _k, shop, dbp, mbp = step
                from sharing.orgs.services import set_card_policy

                set_card_policy(centre, orgs[shop].id, discount_bp=dbp, mileage_bp=mbp)
                db.session.refresh(orgs[shop])
        except Conflict:
            assert expect_conflict, step
            assert snapshot() == before, step
        for u in residents:
            summary = services.card_summary(u)
            assert (summary.balance, summary.mileage) == (card[u.id], mileage[u.id])
        for o in orgs:
            assert services.merchant_balance(o.id) == merchant[o.id]
        assert services.fund_summary().balance == fund_start + fund
        check_invariants()
    # Paying everything back ends exactly where the refunds say: each fully refunded payment's
    # refunds add up to its own figures.
    for p, _payer, refunded in payments:
        if refunded == p.amount:
            refunds = services.view_payment(centre, p.id)[1]
            assert sum(r.fund_fee for r in refunds) == p.fund_fee
            assert sum(r.paid for r in refunds) == p.paid
            assert sum(r.mileage_clawback for r in refunds) == p.mileage_earned
