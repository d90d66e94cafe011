"""An organisation's address and opening hours (set by its members or the centre), its page's links
to its news, its listings and, for members, its shop dashboard; the market's organisation filter."""

from __future__ import annotations

import re

import pytest

from sharing.card import services as card
from sharing.core.db import transaction
from sharing.core.extensions import db
from sharing.market import services as market
from sharing.orgs.models import Organization
from tests.helpers import field_error, has_korean, page_text

DESCRIPTION = re.compile(r'<textarea[^>]*name="description"')


def _reread(org_id):
    db.session.rollback()  # end the test's read snapshot before reading what the requests wrote
    return db.session.get(Organization, org_id)


def test_a_member_sets_address_hours_and_a_first_description(client, make, auth):
    member = make.user()
    org = make.org(member)
    with transaction():
        db.session.get(Organization, org.id).description = ""
    auth.login(member)
    form = client.get(f"/organizations/{org.id}/profile").get_data(as_text=True)
    assert DESCRIPTION.search(form)  # none yet: it may be written here
    r = client.post(
        f"/organizations/{org.id}/profile",
        data={
            "address": " 서울 성북구 장위로 12 ",
            "opening_hours": "평일 10:00-19:00",
            "description": "빵집",
        },
    )
    assert r.status_code == 302
    fresh = _reread(org.id)
    assert (fresh.address, fresh.opening_hours, fresh.description) == (
        "서울 성북구 장위로 12",
        "평일 10:00-19:00",
        "빵집",
    )
    assert not DESCRIPTION.search(client.get(f"/organizations/{org.id}/profile").get_data(as_text=True))
    client.post(
        f"/organizations/{org.id}/profile",
        data={"address": "장위로 12", "opening_hours": "", "description": "바꾼 소개"},
    )
    assert _reread(org.id).description == "빵집"  # a written description is kept
    assert "장위로 12" in page_text(client.get("/card/shops"))


@pytest.mark.parametrize(
    ("name", "value", "says"),
    [
        ("address", "가" * 201, "200자"),
        ("opening_hours", "가" * 201, "200자"),
        ("address", "  ", "주소를 입력해"),
    ],
)
def test_a_bad_entry_is_a_korean_error_at_the_field(client, make, auth, name, value, says):
    member = make.user()
    org = make.org(member)
    auth.login(member)
    data = {"address": "장위로 12", "opening_hours": "10-19시", name: value}
    r = client.post(f"/organizations/{org.id}/profile", data=data)
    assert r.status_code == 422
    error = field_error(r, name)
    assert error and has_korean(error) and says in error
    assert _reread(org.id).address == ""


def test_the_centre_may_set_them_and_others_may_not(client, make, auth):
    org = make.org()
    auth.login(make.user())
    r = client.post(f"/organizations/{org.id}/profile", data={"address": "x", "opening_hours": ""})
    assert r.status_code == 403 and _reread(org.id).address == ""
    auth.logout()
    auth.login(make.centre())
    r = client.post(f"/organizations/{org.id}/profile", data={"address": "센터가 적음", "opening_hours": ""})
    assert r.status_code == 302 and _reread(org.id).address == "센터가 적음"


def test_the_page_links_to_news_listings_and_for_members_the_dashboard(client, make, auth):
    member = make.user()
    org = make.org(member)
    html = client.get(f"/organizations/{org.id}").get_data(as_text=True)
    assert f"/news?organization_id={org.id}" in html
    assert f"/market?organization_id={org.id}" in html
    assert f"/card/shop/{org.id}" not in html  # not for visitors
    auth.login(member)
    html = client.get(f"/organizations/{org.id}").get_data(as_text=True)
    assert f"/card/shop/{org.id}" in html and f"/organizations/{org.id}/profile" in html


def test_the_market_filters_by_organisation(client, make):
    member = make.user()
    org = make.org(member)
    base = {"kind": "share", "category": "tools", "dong": "정릉3동", "description": "설명"}
    market.create(member, market.ListingInput(title="조직의 사다리", organization_id=org.id, **base))
    market.create(member, market.ListingInput(title="개인의 망치", **base))
    html = page_text(client.get(f"/market?organization_id={org.id}"))
    assert "조직의 사다리" in html and "개인의 망치" not in html and org.name in html
    everything = page_text(client.get("/market?organization_id=999999"))
    assert "조직의 사다리" in everything and "개인의 망치" in everything


def test_the_shop_dashboard_totals_and_six_months(client, make, auth):
    member = make.user()
    org = make.org(member)
    payer = make.user()
    card.topup(payer, 100_000)
    p = card.pay(payer, org.id, 10_000)
    card.pay(payer, org.id, 5000)
    card.refund(member, p.id, 4000)
    totals = card.shop_totals(org.id)
    assert (totals.payments, totals.volume, totals.refunds, totals.refunded) == (2, 15_000, 1, 4000)
    assert totals.fund == card.fund_summary().balance == 150 - 40
    months = card.shop_months(org.id)
    assert len(months) == 6 and months[-1][1] == 11_000 and all(v == 0 for _m, v in months[:-1])
    auth.login(member)
    html = client.get(f"/card/shop/{org.id}").get_data(as_text=True)
    assert 'data-total="volume">15,000원' in html
    assert 'data-total="refunded">4,000원' in html
    assert 'data-total="fund">110원' in html
    assert html.count("<rect ") == 6
