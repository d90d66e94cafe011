"""One definition of a card shop: the list, the fund page, the card's metrics and the plan's 3-1
figures count the same organisations; the month-end shop count and fund balance per month."""

from __future__ import annotations

import re
from datetime import UTC, datetime

import pytest
from sqlalchemy import update

from sharing.card import services
from sharing.card.services import ledger
from sharing.core.db import transaction
from sharing.core.extensions import db
from sharing.orgs import services as org_services
from sharing.orgs.models import Organization
from sharing.plan.services import metrics as plan_metrics


def _listed_count(client) -> int:
    html = client.get("/card/shops").get_data(as_text=True)
    return int(re.search(r'class="count" role="status">(\d+)곳', html).group(1))


def test_plan_counts_the_shops_the_list_shows(client, make, resident):
    """Before, the plan counted only verified organisations already paid (7 of the list's 8)."""
    paid = [make.org() for _ in range(2)]
    unpaid = [make.org() for _ in range(2)]  # verified, takes the card, not paid yet
    make.org(verified=False)  # not a shop
    withdrawn = make.org()
    org_services.set_verified(make._centre(), withdrawn.id, False, "휴업")  # no longer a shop
    for org in paid:
        services.pay(resident, org.id, 1000)
    listed = _listed_count(client)
    assert listed == len(paid) + len(unpaid) == 4
    assert plan_metrics.platform_metrics()["organizations_on_card"] == listed
    assert services.metrics()["organizations_on_card"] == listed
    assert len(services.card_policies()) == listed
    this_month = plan_metrics.monthly_platform_metrics(1)[-1]
    assert this_month["organizations_on_card"] == listed


def test_shop_search_by_name_address_and_kind(make):
    coop = make.org(name="나무와 열매", kind="cooperative")
    other = make.org(name="장위 빵집", kind="small_business")
    with transaction():
        db.session.get(Organization, other.id).address = "서울 성북구 장위로 12"
    names = lambda q: [o.name for o in db.session.execute(services.shops_stmt(q)).scalars()]  # noqa: E731
    assert names("열매") == [coop.name]
    assert names("장위로") == [other.name]
    assert names("협동조합") == [coop.name]
    assert names("100%_") == []
    assert set(names("")) == {coop.name, other.name}


@pytest.fixture
def clock(monkeypatch):
    """Post ledger transactions at a chosen time (the ledger stamps them with ``ledger.utcnow``)."""
    now = {"at": None}
    real = ledger.utcnow
    monkeypatch.setattr(ledger, "utcnow", lambda: now["at"] or real())

    def at(moment: datetime) -> None:
        now["at"] = moment

    return at


def _verified_at(org, moment: datetime) -> None:
    with transaction():
        db.session.execute(update(Organization).where(Organization.id == org.id).values(verified_at=moment))


def test_monthly_metrics_give_month_end_shops_and_fund_balance(make, resident, clock):
    first, second = make.org(), make.org()
    owner = make.user()
    third = make.org(owner)
    _verified_at(first, datetime(2026, 8, 20, tzinfo=UTC))
    _verified_at(second, datetime(2026, 9, 3, tzinfo=UTC))
    _verified_at(third, datetime(2026, 10, 31, 16, tzinfo=UTC))  # 1 November in Seoul
    clock(datetime(2026, 9, 10, 3, tzinfo=UTC))
    services.pay(resident, first.id, 10_000)  # fund fee 100
    clock(datetime(2026, 9, 30, 15, 30, tzinfo=UTC))  # 1 October 00:30 in Seoul
    p = services.pay(resident, second.id, 20_000)  # 200
    clock(datetime(2026, 11, 2, 1, tzinfo=UTC))
    services.pay(resident, third.id, 5000)  # 50
    services.refund(make._centre(), p.id, 10_000)  # the fund gives back 100
    clock(None)
    monthly = services.monthly_metrics()
    assert {
        m: (f["organizations_on_card"], f["fund_balance"]) for m, f in monthly.items() if m <= "2026-11"
    } == {
        "2026-08": (1, 0),
        "2026-09": (2, 100),
        "2026-10": (2, 300),
        "2026-11": (3, 250),
    }
    assert monthly["2026-11"]["card_payments"] == 1
    assert services.fund_summary().balance == max(monthly.items())[1]["fund_balance"] == 250
    plan = {
        row["month"]: row
        for row in plan_metrics.monthly_platform_metrics(24)
        if "2026-08" <= row["month"] <= "2026-11"
    }
    assert [(plan[m]["organizations_on_card"], plan[m]["fund_balance"]) for m in sorted(plan)] == [
        (1, 0),
        (2, 100),
        (2, 300),
        (3, 250),
    ]


def test_the_public_shop_list_shows_address_hours_rates_and_searches(client, make):
    shop = make.org(name="나무와 열매", kind="cooperative", discount_bp=250, mileage_bp=300)
    make.org(name="장위 빵집")
    with transaction():
        org = db.session.get(Organization, shop.id)
        org.address, org.opening_hours = "서울 성북구 장위로 12", "평일 10:00-19:00"
    html = client.get("/card/shops").get_data(as_text=True)  # nobody signed in
    assert "서울 성북구 장위로 12" in html and "평일 10:00-19:00" in html
    assert "할인 2.5%" in html and "마일리지 3%" in html and "일반협동조합" in html
    found = client.get("/card/shops?q=장위로").get_data(as_text=True)
    assert "나무와 열매" in found and "장위 빵집" not in found
    none = client.get("/card/shops?q=없는가게").get_data(as_text=True)
    assert "맞는 가맹 조직이 없습니다" in none and 'class="count" role="status">0곳' in none


def test_the_shop_list_pages_keep_the_search(client, make):
    for n in range(22):
        make.org(name=f"빵집 {n:02d}")
    first = client.get("/card/shops?q=빵집").get_data(as_text=True)
    assert "22곳" in first and "q=%EB%B9%B5%EC%A7%91&amp;page=2" in first
    second = client.get("/card/shops?q=빵집&page=2").get_data(as_text=True)
    assert "빵집 21" in second and "빵집 00" not in second
