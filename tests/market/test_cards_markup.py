"""The listing cards (the listing_card macro fed by result_cards) and the search filters on the
results page: what a resident and a screen reader get: every value escaped, each kind's price line,
the organisation, the status, the links (honouring SCRIPT_NAME), in Korean and in English."""

from __future__ import annotations

import re

from sharing.market import services


def cards(html: str) -> list[str]:
    return re.findall(r'<li class="card listing-card">.*?</li>', html, flags=re.S)


def text(fragment: str) -> str:
    """The words a card shows, tags removed and spaces folded."""
    return " ".join(re.sub(r"<[^>]+>", " ", fragment).split())


def test_cards_escape_and_show_each_kind(client, make, market):
    owner = make.user()
    member = make.user()
    org = make.org(member)
    market.listing(owner, title='<script>alert("x")</script> & 드릴', kind="share")
    market.listing(owner, title="책장", kind="sell", price=12000)
    tent = market.listing(member, title="텐트", kind="rent", price_per_day=3000, organization_id=org.id)
    market.listing(owner, title="그릇", kind="giveaway")
    market.listing(owner, title="자전거", kind="swap")
    html = client.get("/market").get_data(as_text=True)
    found = cards(html)
    assert len(found) == 5
    assert "<script>alert" not in html
    assert "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt; &amp; 드릴" in html
    by_title = {
        re.search(r'<h2 class="listing-title"><a href="[^"]+">(.*?)</a>', c).group(1): c for c in found
    }
    assert f'<a href="/market/{tent.id}">텐트</a>' in by_title["텐트"]
    assert '<p class="price">12,000원</p>' in by_title["책장"]
    assert '<p class="price">하루 3,000원</p>' in by_title["텐트"]
    assert f"{org.name} ✓ 인증 조직" in text(by_title["텐트"])
    assert '<p class="price">무료 나눔</p>' in by_title["그릇"]
    assert '<p class="price">물물교환</p>' in by_title["자전거"]
    assert "유료 대여 정릉3동 · " in text(by_title["텐트"])
    assert '<div class="thumb thumb-empty" aria-hidden="true">유료 대여</div>' in by_title["텐트"]
    client.get("/lang/en")
    english = {c for c in cards(client.get("/market").get_data(as_text=True)) if ">텐트<" in c}.pop()
    assert '<p class="price">₩3,000 per day</p>' in english
    assert "하루" not in english and "유료 대여" not in english


def test_card_links_honour_the_script_name(client, make, market):
    owner = make.user()
    listing = market.listing(owner, title="사다리")
    html = client.get("/market", base_url="http://localhost/sharing").get_data(as_text=True)
    (card,) = cards(html)
    assert f'<a href="/sharing/market/{listing.id}">사다리</a>' in card


def test_my_listings_show_the_status(client, make, auth, market):
    owner = make.user()
    listing = market.listing(owner, title="잠시 멈춘 사다리")
    services.set_status(owner, listing.id, "paused")
    auth.login(owner)
    html = client.get("/market/mine").get_data(as_text=True)
    (card,) = cards(html)
    assert '<span class="tag warn">잠시 멈춤</span>' in card
    assert "상태: 잠시 멈춤" in text(card)


def control(html: str, name: str) -> str:
    return re.search(rf'<(?:input|select)[^>]*\bid="{name}"[^>]*>', html).group(0)


def test_filters_tie_hints_and_errors_to_their_controls(client):
    html = client.get("/market?kind=zzz&q=%3Cb%3E").get_data(as_text=True)
    kind = control(html, "kind")
    assert 'aria-describedby="kind-error"' in kind and 'aria-invalid="true"' in kind
    assert '<label for="kind">거래 방식</label>' in html
    assert '<p class="error" id="kind-error"><strong>오류:</strong> 올바르지 않은 선택값입니다.</p>' in html
    q = control(html, "q")
    assert 'maxlength="100"' in q and 'type="search"' in q and 'value="&lt;b&gt;"' in q
    assert "aria-invalid" not in q and "aria-describedby" not in q
    available = control(html, "available_from")
    assert 'aria-describedby="available_from-hint"' in available and 'type="date"' in available
    assert '<p class="hint" id="available_from-hint">이 기간에 빌릴 수 있는 물건만</p>' in html
    assert '<option selected value="">전체</option>' in html  # an empty filter shows "all"
