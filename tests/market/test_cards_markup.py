"""The listing card (drawn in Python, sharing.market.widgets) on the results page: every value
escaped, each kind's price line, the organisation, the status, in Korean and in English."""

from __future__ import annotations

import re

from sharing.market import services


def cards(html: str) -> list[str]:
    return re.findall(r'<li class="card listing-card">.*?</li>', html, flags=re.S)


def test_cards_escape_and_show_each_kind(client, make, market):
    owner = make.user()
    member = make.user()
    org = make.org(member)
    market.listing(owner, title='<script>alert("x")</script> & 드릴', kind="share")
    market.listing(owner, title="책장", kind="sell", price=12000)
    market.listing(member, title="텐트", kind="rent", price_per_day=3000, organization_id=org.id)
    market.listing(owner, title="그릇", kind="giveaway")
    market.listing(owner, title="자전거", kind="swap")
    html = client.get("/market").get_data(as_text=True)
    found = cards(html)
    assert len(found) == 5
    assert "<script>alert" not in html
    assert "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt; &amp; 드릴" in html
    by_title = {
        re.search(r'class="listing-title"><a href="/market/\d+">(.*?)</a>', c).group(1): c for c in found
    }
    assert '<p class="price">12,000원</p>' in by_title["책장"]
    assert '<p class="price">하루 3,000원</p>' in by_title["텐트"]
    assert f'{org.name} <span class="tag ok">✓ 인증 조직</span>' in by_title["텐트"]
    assert '<p class="price">무료 나눔</p>' in by_title["그릇"]
    assert '<p class="price">물물교환</p>' in by_title["자전거"]
    assert '<span class="tag kind kind-rent">유료 대여</span> 정릉3동 · ' in by_title["텐트"]
    client.get("/lang/en")
    english = {c for c in cards(client.get("/market").get_data(as_text=True)) if ">텐트<" in c}.pop()
    assert '<p class="price">₩3,000 per day</p>' in english
    assert "하루" not in english and "유료 대여" not in english


def test_my_listings_show_the_status(client, make, auth, market):
    owner = make.user()
    listing = market.listing(owner, title="잠시 멈춘 사다리")
    services.set_status(owner, listing.id, "paused")
    auth.login(owner)
    html = client.get("/market/mine").get_data(as_text=True)
    (card,) = cards(html)
    assert '상태: <span class="tag warn">잠시 멈춤</span>' in card


def test_filters_tie_hints_and_errors_to_their_controls(client):
    html = client.get("/market?kind=zzz&q=%3Cb%3E").get_data(as_text=True)
    assert '<select aria-describedby="kind-error" aria-invalid="true" id="kind" name="kind">' in html
    assert '<p class="error" id="kind-error"><strong>오류:</strong> 올바르지 않은 선택값입니다.</p>' in html
    assert 'id="q" maxlength="100" name="q" type="search" value="&lt;b&gt;"' in html
    assert (
        '<input aria-describedby="available_from-hint" id="available_from" name="available_from" type="date"'
        in html
    )
    assert '<p class="hint" id="available_from-hint">이 기간에 빌릴 수 있는 물건만</p>' in html
    assert '<option selected value="">전체</option>' in html  # an empty filter shows "all"
