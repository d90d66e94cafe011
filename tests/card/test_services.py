"""The card's services without HTTP: top-ups, payments, refunds, payouts, adjustments, limits."""

import pytest
from sqlalchemy import select, text
from sqlalchemy.exc import DBAPIError

from sharing.card import services
from sharing.card.models import CardAccount, CardEntry, CardTransaction, Payment
from sharing.core.db import transaction
from sharing.core.errors import Conflict, Forbidden, Invalid, NotFound
from sharing.core.extensions import db
from sharing.orgs import services as org_services

from .conftest import check_invariants, moving_snapshot, snapshot


def test_topup_pay_refund_to_the_won(make, shop, resident):
    org, owner = shop
    p = services.pay(resident, org.id, 10_001)
    assert (p.amount, p.discount, p.paid, p.from_card, p.from_mileage) == (10_001, 500, 9501, 9501, 0)
    assert (p.fund_fee, p.fund_rate_bp, p.mileage_earned, p.merchant_net) == (95, 100, 285, 9121)
    card = services.card_summary(resident)
    assert (card.balance, card.mileage) == (100_000 - 9501, 285)
    assert services.merchant_balance(org.id) == 9121
    assert services.fund_summary().balance == 95

    r = services.refund(owner, p.id)
    assert (r.amount, r.paid, r.to_card, r.fund_fee, r.mileage_clawback, r.merchant_net) == (
        10_001,
        9501,
        9501,
        95,
        285,
        9121,
    )
    card = services.card_summary(resident)
    assert (card.balance, card.mileage) == (100_000, 0)
    assert services.merchant_balance(org.id) == 0
    fund = services.fund_summary()
    assert (fund.balance, fund.accrued, fund.refunded, fund.payments) == (0, 95, 95, 1)
    check_invariants()


def test_second_full_refund_is_409_and_moves_nothing(shop, resident):
    org, owner = shop
    p = services.pay(resident, org.id, 5000)
    services.refund(owner, p.id)
    before = snapshot()
    with pytest.raises(Conflict) as err:
        services.refund(owner, p.id)
    assert err.value.code == "already_refunded"
    with pytest.raises(Conflict):
        services.refund(owner, p.id, 1)
    assert snapshot() == before


def test_partial_refunds_never_exceed_the_payment(shop, resident):
    org, owner = shop
    p = services.pay(resident, org.id, 3333)
    r1 = services.refund(owner, p.id, 1000)
    r2 = services.refund(owner, p.id, 1111)
    before = snapshot()
    with pytest.raises(Conflict) as err:
        services.refund(owner, p.id, 1223)
    assert err.value.code == "refund_exceeds_payment"
    assert "1,222" in err.value.message
    assert snapshot() == before
    r3 = services.refund(owner, p.id)
    assert r1.amount + r2.amount + r3.amount == 3333
    assert r1.fund_fee + r2.fund_fee + r3.fund_fee == p.fund_fee
    assert r1.mileage_clawback + r2.mileage_clawback + r3.mileage_clawback == p.mileage_earned
    assert r1.paid + r2.paid + r3.paid == p.paid
    assert services.card_summary(resident).balance == 100_000
    assert services.fund_summary().balance == 0
    check_invariants()


def test_mileage_pays_and_refunds_go_back_in_proportion(make, shop):
    org, owner = shop
    user = make.user()
    services.topup(user, 50_000)
    services.pay(user, org.id, 20_000)  # earns floor(19000 * 3%) = 570 mileage
    assert services.card_summary(user).mileage == 570
    p = services.pay(user, org.id, 2000, use_mileage=True)  # paid 1900: 570 mileage + 1330 card
    assert (p.paid, p.from_mileage, p.from_card, p.mileage_earned) == (1900, 570, 1330, 57)
    assert services.card_summary(user).mileage == 57
    r = services.refund(owner, p.id, 1000)  # paid part 950: half of it
    assert r.paid == 950
    assert r.to_mileage == 950 * 570 // 1900 == 285
    assert r.to_card == 665
    services.refund(owner, p.id)
    summary = services.card_summary(user)
    assert summary.mileage == 570
    check_invariants()


def test_spent_mileage_is_clawed_back_from_the_card(make, shop):
    org, owner = shop
    other = make.org(make.user(), discount_bp=0, mileage_bp=0)
    user = make.user()
    services.topup(user, 50_000)
    p = services.pay(user, org.id, 10_000)  # earns 285
    services.pay(user, other.id, 285, use_mileage=True)  # spends all of it elsewhere
    assert services.card_summary(user).mileage == 0
    card_before = services.card_summary(user).balance
    r = services.refund(owner, p.id)
    assert r.mileage_clawback == 285 and r.clawback_from_card == 285
    summary = services.card_summary(user)
    assert summary.mileage == 0
    assert summary.balance == card_before + p.paid - 285
    check_invariants()


def test_payment_keeps_the_rates_of_its_day(make, shop, resident, app):
    org, owner = shop
    p = services.pay(resident, org.id, 10_000)
    centre = make.centre()
    org_services.set_card_policy(centre, org.id, discount_bp=2000, mileage_bp=0)
    app.config["CARD_FUND_RATE_BP"] = 250
    later = services.pay(resident, org.id, 10_000)
    assert (later.discount, later.fund_fee, later.fund_rate_bp, later.mileage_earned) == (2000, 200, 250, 0)
    db.session.expire_all()
    again = db.session.get(Payment, p.id)
    assert (again.discount_bp, again.mileage_bp, again.fund_rate_bp) == (500, 300, 100)
    r = services.refund(owner, p.id)
    assert (r.discount, r.fund_fee, r.mileage_clawback) == (500, 95, 285)
    check_invariants()


@pytest.mark.parametrize("amount", [0, -1, 10_000_001, 1.5, "1000", True, None, 10**20])
def test_refused_amounts_move_nothing(shop, resident, amount):
    org, owner = shop
    p = services.pay(resident, org.id, 1000)
    before = snapshot()
    with pytest.raises(Invalid):
        services.pay(resident, org.id, amount)
    with pytest.raises(Invalid):
        services.topup(resident, amount)
    if amount is not None:
        with pytest.raises(Invalid):
            services.refund(owner, p.id, amount)
    assert snapshot() == before


def test_unknown_or_unverified_shop_is_404_and_moves_nothing(make, resident):
    pending = make.org(make.user(), verified=False)
    before = moving_snapshot()
    for org_id in (pending.id, 999_999):
        with pytest.raises(NotFound) as err:
            services.pay(resident, org_id, 1000)
        assert err.value.code == "organization_not_found"
    assert moving_snapshot() == before


def test_insufficient_funds_is_409_in_korean_and_moves_nothing(make, shop):
    org, _owner = shop
    user = make.user()
    services.topup(user, 1000)
    before = snapshot()
    with pytest.raises(Conflict) as err:
        services.pay(user, org.id, 2000)
    assert err.value.code == "insufficient_funds"
    assert "잔액" in err.value.message
    assert snapshot() == before
    assert services.pay(user, org.id, 1052).paid == 1000  # 1052 - 5% (52) = exactly the balance
    assert services.card_summary(user).balance == 0


def test_refund_permissions(make, shop, resident):
    org, owner = shop
    p = services.pay(resident, org.id, 1000)
    other_org, other_owner = make.org(make.user()), None
    other_owner = other_org.members[0]
    before = snapshot()
    for actor in (resident, other_owner, make.user()):
        with pytest.raises(Forbidden):
            services.refund(actor, p.id)
    with pytest.raises(NotFound):
        services.refund(owner, 999_999)
    assert snapshot() == before
    assert services.refund(make.centre(), p.id).amount == 1000


def test_topup_caps_are_clear_409s(make, app):
    user = make.user()
    app.config.update(CARD_BALANCE_CAP=150_000, CARD_MONTHLY_TOPUP_CAP=120_000)
    services.topup(user, 100_000)
    before = snapshot()
    with pytest.raises(Conflict) as err:
        services.topup(user, 30_000)
    assert err.value.code == "monthly_topup_cap_exceeded"
    assert "20,000" in err.value.message and "한 달" in err.value.message
    app.config.update(CARD_BALANCE_CAP=110_000, CARD_MONTHLY_TOPUP_CAP=500_000)
    with pytest.raises(Conflict) as err:
        services.topup(user, 20_000)
    assert err.value.code == "balance_cap_exceeded"
    assert "10,000" in err.value.message
    assert snapshot() == before
    assert services.topup(user, 10_000).balance == 110_000


def test_default_caps_from_config(make):
    user = make.user()
    for _ in range(5):
        services.topup(user, 100_000)
    with pytest.raises(Conflict) as err:
        services.topup(user, 1)
    assert err.value.code == "monthly_topup_cap_exceeded"


def test_payout_moves_merchant_balance_to_settlement(make, shop, resident):
    org, owner = shop
    centre = make.centre()
    p = services.pay(resident, org.id, 10_000)
    with pytest.raises(Forbidden):
        services.request_payout(resident, org.id)
    with pytest.raises(Conflict):
        services.request_payout(owner, org.id, p.merchant_net + 1)
    first = services.request_payout(owner, org.id, 1000)
    assert (first.amount, first.status) == (1000, "requested")
    assert services.merchant_balance(org.id) == p.merchant_net  # nothing leaves before approval
    rest = services.request_payout(owner, org.id)  # what is not already requested
    assert rest.amount == p.merchant_net - 1000
    with pytest.raises(Conflict) as err:
        services.request_payout(owner, org.id)
    assert err.value.code == "nothing_to_pay_out"
    with pytest.raises(Forbidden):
        services.approve_payout(owner, first.id, "TR-1")
    for row in (first, rest):
        services.approve_payout(centre, row.id, f"TR-{row.id}")
    assert services.merchant_balance(org.id) == 0
    before = snapshot()
    with pytest.raises(Conflict) as err:
        services.refund(owner, p.id)  # the merchant's share has left the system
    assert err.value.code == "merchant_insufficient_funds"
    assert snapshot() == before
    check_invariants()


def test_centre_adjustment(make, resident):
    centre = make.centre()
    account_id = services.card_summary(resident).account_id
    with pytest.raises(Forbidden):
        services.adjust(resident, account_id, 100, "보정")
    with pytest.raises(Invalid):
        services.adjust(centre, account_id, 0, "보정")
    with pytest.raises(Invalid):
        services.adjust(centre, account_id, 100, "")
    fund_id = db.session.execute(select(CardAccount.id).where(CardAccount.owner_key == "fund")).scalar()
    if fund_id:
        with pytest.raises(Conflict):
            services.adjust(centre, fund_id, 100, "기금")
    with pytest.raises(Conflict):
        services.adjust(centre, account_id, -100_001, "너무 많이")
    services.adjust(centre, account_id, -1000, "중복 충전 정정")
    assert services.card_summary(resident).balance == 99_000
    items, _total = services.history(resident)
    assert items[0].kind == "adjustment" and items[0].card == -1000
    check_invariants()


def test_pay_joins_an_outer_transaction_like_the_market(shop, resident):
    org, _owner = shop
    before = snapshot()
    with pytest.raises(RuntimeError), transaction():
        services.pay(resident, org.id, 1000)
        raise RuntimeError("the rental hand-over failed afterwards")
    db.session.expire_all()
    assert snapshot()["balances"] == before["balances"]
    with transaction():
        p = services.pay(resident, org.id, 1000, idempotency_key="rental-7")
        assert p.id is not None
    assert services.pay(resident, org.id, 1000, idempotency_key="rental-7").id == p.id
    check_invariants()


def test_service_idempotency(shop, resident):
    org, _owner = shop
    p = services.pay(resident, org.id, 1000, idempotency_key="k1")
    before = snapshot()
    assert services.pay(resident, org.id, 1000, idempotency_key="k1").id == p.id
    assert snapshot() == before
    with pytest.raises(Conflict) as err:
        services.pay(resident, org.id, 1001, idempotency_key="k1")
    assert err.value.code == "idempotency_key_reused"
    with pytest.raises(Conflict):
        services.topup(resident, 1000, idempotency_key="k1")
    with pytest.raises(Invalid):
        services.pay(resident, org.id, 1000, idempotency_key="x" * 101)
    assert snapshot() == before
    t1 = services.topup(resident, 500, idempotency_key="t")
    services.pay(resident, org.id, 100)
    assert services.topup(resident, 500, idempotency_key="t") == t1


def test_ledger_rows_are_append_only_in_the_database(shop, resident):
    org, _owner = shop
    services.pay(resident, org.id, 1000)
    for statement in (
        "UPDATE card_entries SET amount = amount + 1",
        "DELETE FROM card_entries",
        "UPDATE card_transactions SET amount = 1",
        "DELETE FROM card_transactions",
        "UPDATE card_payments SET fund_fee = 0",
        "DELETE FROM card_payments",
    ):
        with pytest.raises(DBAPIError), transaction():
            db.session.execute(text(statement))
    check_invariants()


def test_metrics(make, shop, resident):
    org, owner = shop
    assert services.metrics() == {
        "organizations_on_card": 1,  # the verified shop takes the card before its first payment
        "card_payments": 0,
        "card_volume": 0,
        "mileage_issued": 0,
        "fund_balance": 0,
    }
    p = services.pay(resident, org.id, 10_000)
    services.pay(resident, make.org(make.user()).id, 5000)
    services.refund(owner, p.id, 1000)
    m = services.metrics()
    assert m["organizations_on_card"] == 2
    assert m["card_payments"] == 2
    assert m["card_volume"] == 15_000
    assert m["mileage_issued"] == 285
    assert m["fund_balance"] == services.fund_summary().balance == 95 + 50 - 9
    monthly = services.monthly_metrics()
    assert len(monthly) == 1
    ((month, figures),) = monthly.items()
    assert len(month) == 7 and month[4] == "-"
    assert figures == {
        "card_payments": 2,
        "card_volume": 15_000,
        "mileage_issued": 285,
        "fund_fee": 145,
        "fund_balance": 95 + 50 - 9,
        "organizations_on_card": 2,
    }


def test_history_newest_first_with_filters(shop, resident):
    org, owner = shop
    p = services.pay(resident, org.id, 1000)
    services.refund(owner, p.id, 500)
    items, total = services.history(resident)
    assert total == 3
    assert [i.kind for i in items] == ["refund", "payment", "topup"]
    assert items[1].refunded == 500 and items[0].payment_id == p.id
    assert items[2].card == 100_000
    items, total = services.history(resident, kind="payment")
    assert total == 1 and items[0].card == -950 and items[0].mileage == 28
    items, total = services.history(resident, page=2, per_page=2)
    assert total == 3 and [i.kind for i in items] == ["topup"]


def test_accounts_are_created_lazily_once(make, shop):
    _org, _owner = shop
    user = make.user()
    assert services.card_summary(user).account_id is None
    services.topup(user, 1000)
    services.topup(user, 1000)
    keys = (
        db.session.execute(
            select(CardAccount.owner_key)
            .where(CardAccount.user_id == user.id)
            .order_by(CardAccount.owner_key)
        )
        .scalars()
        .all()
    )
    assert keys == [f"card:{user.id}", f"mileage:{user.id}"]
    assert db.session.execute(select(CardTransaction.seq).order_by(CardTransaction.seq)).scalars().all() == [
        1,
        2,
    ]
    assert db.session.query(CardEntry).count() == 4
