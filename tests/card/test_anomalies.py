"""The fund's anomaly list (상품권 깡): each rule found when planted through the services, and only then."""

from datetime import UTC, datetime, timedelta
from itertools import count

import pytest

from sharing.card import services
from sharing.core.extensions import db
from sharing.core.time import aware

_keys = count(1)


def _key() -> str:
    return f"anomaly-test-{next(_keys)}"


def topup(user, amount):
    return services.topup(user, amount, idempotency_key=_key())


def pay(user, org, amount):
    return services.pay(user, org.id, amount, idempotency_key=_key())


def payout(make, owner, org):
    """A member requests a payout and the centre approves it: the posted payout transaction."""
    request = services.request_payout(owner, org.id, idempotency_key=_key())
    posted = services.approve_payout(make.centre(), request.id, f"bank-{request.id}")
    return db.session.get(services.CardTransaction, posted.transaction_id)


def found(rule=None, **kw):
    items = services.anomalies(**kw)
    return [a for a in items if rule is None or a.rule == rule]


@pytest.fixture
def shop(make):
    """A verified shop without discount or mileage: the card pays the price."""
    owner = make.user()
    return make.org(owner), owner


# --- concentrated_spending ---------------------------------------------------------------------------


def test_a_card_spending_its_topups_at_one_shop_is_found(make, shop):
    org, _owner = shop
    other = make.org()
    t = services.Thresholds()
    card = make.user()
    topup(card, t.share_min_topup)
    share = t.share_min_topup * t.share_pct // 100
    pay(card, org, share - 1)
    pay(card, other, 1)
    assert found("concentrated_spending") == []  # just under the share

    pay(card, org, 1)
    (hit,) = found("concentrated_spending")
    assert (hit.user_id, hit.organization_id, hit.amount, hit.count) == (card.id, org.id, share, 2)
    assert org.name in hit.reason and f"{share:,}" in hit.reason
    assert hit.first_at <= hit.last_at


def test_refunds_count_against_the_share_and_small_cards_are_ignored(make, shop):
    org, owner = shop
    t = services.Thresholds()
    card = make.user()
    topup(card, t.share_min_topup)
    payment = pay(card, org, t.share_min_topup)
    assert [a.user_id for a in found("concentrated_spending")] == [card.id]
    services.refund(owner, payment.id, t.share_min_topup // 2, idempotency_key=_key())
    assert found("concentrated_spending") == []

    small = make.user()
    topup(small, t.share_min_topup - 1)
    pay(small, org, t.share_min_topup - 1)  # everything at one shop, but below the minimum volume
    assert found("concentrated_spending") == []


# --- round_amounts ------------------------------------------------------------------------------------


def test_the_same_round_amount_repeated_from_one_card_is_found(make, shop):
    org, _owner = shop
    t = services.Thresholds()
    card = make.user()
    topup(card, t.round_unit * (t.round_min_card + 4))
    for _ in range(t.round_min_card - 1):
        pay(card, org, t.round_unit)
    pay(card, org, t.round_unit + 1)  # not round
    pay(card, org, t.round_unit * 2)  # another amount
    assert found("round_amounts_card") == []

    pay(card, org, t.round_unit)
    (hit,) = found("round_amounts_card")
    assert (hit.user_id, hit.amount, hit.count) == (card.id, t.round_unit, t.round_min_card)
    assert hit.organization_id is None


def test_the_same_round_amount_repeated_at_one_shop_is_found(make, shop):
    org, _owner = shop
    t = services.Thresholds()
    cards = [make.user() for _ in range(t.round_min_card - 1)]
    for card in cards:
        topup(card, t.round_unit * t.round_min_card)
    paid = 0
    while paid < t.round_min_shop - 1:
        pay(cards[paid % len(cards)], org, t.round_unit)
        paid += 1
    assert found("round_amounts_shop") == []

    pay(cards[0], org, t.round_unit)
    (hit,) = found("round_amounts_shop")
    assert (hit.organization_id, hit.amount, hit.count) == (org.id, t.round_unit, t.round_min_shop)
    assert f"{len(cards)}장" in hit.reason
    assert found("round_amounts_card") == []  # no single card reached its own threshold


# --- quick_payout -------------------------------------------------------------------------------------


def test_a_payout_right_after_topped_up_payments_is_found(make, shop):
    org, owner = shop
    t = services.Thresholds()
    cards = [make.user(), make.user()]
    topup(cards[0], t.payout_min)
    topup(cards[1], t.payout_min)
    pay(cards[0], org, t.payout_min // 2)
    pay(cards[1], org, t.payout_min // 2 - 1)
    payout(make, owner, org)
    assert found("quick_payout") == []  # one won short of the minimum

    pay(cards[1], org, 1)
    posted = payout(make, owner, org)
    (hit,) = found("quick_payout")
    assert (hit.organization_id, hit.amount, hit.count) == (org.id, t.payout_min, 3)
    assert f"{posted.amount:,}" in hit.reason and "2장" in hit.reason
    assert hit.last_at == aware(posted.created_at)


def test_a_payout_counts_only_payments_right_after_a_topup_and_right_before_it(make, shop):
    org, owner = shop
    t = services.Thresholds()
    card = make.user()
    topup(card, t.payout_min)
    pay(card, org, t.payout_min)
    payout(make, owner, org)
    assert len(found("quick_payout")) == 1
    for tight in (services.Thresholds(topup_hours=0), services.Thresholds(payout_hours=0)):
        # no payment right after its top-up, or no payout right after the payments
        assert [a for a in services.anomalies(tight) if a.rule == "quick_payout"] == []


# --- the window, the demo data, the routes ------------------------------------------------------------


def test_the_window_bounds_every_rule(make, shop):
    org, owner = shop
    t = services.Thresholds()
    card = make.user()
    topup(card, max(t.payout_min, t.round_unit * t.round_min_shop))
    for _ in range(max(t.round_min_card, t.round_min_shop, t.payout_min // t.round_unit)):
        pay(card, org, t.round_unit)
    payout(make, owner, org)
    now = datetime.now(UTC)
    rules = {a.rule for a in found(now=now)}
    assert rules == {"concentrated_spending", "round_amounts_card", "round_amounts_shop", "quick_payout"}
    assert found(now=now + timedelta(days=t.window_days + 1)) == []
    assert found(now=now - timedelta(days=1)) == []  # a window ending before it all happened


def test_the_demo_data_has_no_anomalies(app, runner):
    result = runner.invoke(args=["seed", "demo"])
    assert result.exit_code == 0, result.output
    assert services.fund_summary().payments > 0  # the demo did pay
    assert services.anomalies() == []


def test_api_lists_anomalies_for_the_centre_only(client, auth, make, shop):
    org, _owner = shop
    t = services.Thresholds()
    card, amount = make.user(), 2 * t.round_unit
    assert amount * t.round_min_card >= t.share_min_topup
    topup(card, amount * t.round_min_card)
    for _ in range(t.round_min_card):
        pay(card, org, amount)
    centre = auth.headers(make.centre())
    assert client.get("/api/v1/fund/anomalies", headers=auth.headers(card)).status_code == 403
    assert client.get("/api/v1/fund/anomalies").status_code == 401

    r = client.get("/api/v1/fund/anomalies", headers=centre)
    assert r.status_code == 200
    assert r.json["total"] == 2 and r.json["page"] == 1
    by_rule = {a["rule"]: a for a in r.json["items"]}
    assert set(by_rule) == {"concentrated_spending", "round_amounts_card"}
    assert by_rule["round_amounts_card"]["user_id"] == card.id
    assert by_rule["round_amounts_card"]["amount"] == amount
    assert by_rule["round_amounts_card"]["count"] == t.round_min_card
    assert by_rule["round_amounts_card"]["first_at"].endswith("+09:00")
    assert by_rule["concentrated_spending"]["organization_id"] == org.id

    r = client.get("/api/v1/fund/anomalies?per_page=1&page=2", headers=centre)
    assert (r.json["total"], len(r.json["items"]), r.json["per_page"]) == (2, 1, 1)


def test_fund_page_explains_the_rules_and_lists_the_anomalies(client, auth, make, shop):
    org, _owner = shop
    t = services.Thresholds()
    auth.login(make.centre())
    page = client.get("/card/fund").get_data(as_text=True)
    assert "찾은 이상 거래가 없습니다" in page
    for rule in services.anomaly_rules():
        assert rule.explanation in page

    card = make.user()
    topup(card, t.share_min_topup)
    pay(card, org, t.share_min_topup)
    page = client.get("/card/fund").get_data(as_text=True)
    (hit,) = services.anomalies()
    assert hit.reason in page and "찾은 이상 거래가 없습니다" not in page
