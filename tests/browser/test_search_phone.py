"""Phone journeys at 390 px: searching the news, the home page's one search box over the market, the
archive and the news, and the first-visit hint after registration."""

from __future__ import annotations

import re

import pytest

from tests.browser.conftest import PHONE, scroll_width, text_of
from tests.browser.helpers import sign_up, submit, unique_email

pytestmark = pytest.mark.browser


def _news_titles(page) -> list[str]:
    return [t.strip() for t in page.locator("main .news-list .news-title").all_inner_texts()]


def test_news_keyword_search(page):
    assert page.viewport_size == PHONE
    page.goto("/news")
    everything = len(_news_titles(page))
    box = page.locator("main form[role=search]").get_by_label("검색어")
    box.fill("벼룩시장")
    submit(page, page.locator("main form[role=search]").get_by_role("button", name="보기"))
    assert "q=" in page.url
    titles = _news_titles(page)
    assert 0 < len(titles) < everything
    # every post found says the word, in its title or its text
    for item in page.locator("main .news-list .news-item").all():
        assert "벼룩시장" in item.inner_text()
    assert "'벼룩시장' 검색 결과" in text_of(page, ".count")
    assert page.locator("main form[role=search]").get_by_label("검색어").input_value() == "벼룩시장"
    assert scroll_width(page) <= PHONE["width"]

    box = page.locator("main form[role=search]").get_by_label("검색어")
    box.fill("50%_없는말")
    submit(page, page.locator("main form[role=search]").get_by_role("button", name="보기"))
    assert _news_titles(page) == []
    assert "'50%_없는말'에 대한 검색 결과가 없습니다." in text_of(page)


def test_one_search_box_on_the_home_page_finds_listings_resources_and_posts(page):
    page.goto("/")
    search = page.get_by_role("search", name="장터·자원·소식 통합 검색")
    search.get_by_label("장터·자원·소식 검색").fill("공구")
    submit(page, search.get_by_role("button", name="검색"))
    assert re.search(r"/search\?q=", page.url)
    sections = page.locator("main section.search-section")
    assert [s.get_attribute("class").split()[-1] for s in sections.all()] == [
        "search-market",
        "search-archive",
        "search-news",
    ]
    for section in sections.all():
        found = section.locator("li.card")
        assert 1 <= found.count() <= 3
        assert "공구" in section.inner_text()
    assert scroll_width(page) <= PHONE["width"]

    # "더 보기" leads to the section's own search, with the words kept
    more = page.locator("main section.search-market").get_by_role("link", name=re.compile("더 보기"))
    submit(page, more)
    assert "/market?q=" in page.url
    assert page.locator("main input[name=q]").input_value() == "공구"

    page.goto("/")
    search = page.get_by_role("search", name="장터·자원·소식 통합 검색")
    search.get_by_label("장터·자원·소식 검색").fill("없는말없는말")
    submit(page, search.get_by_role("button", name="검색"))
    assert page.locator("main section.search-section").count() == 0
    assert "'없는말없는말'에 대한 검색 결과가 없습니다." in text_of(page)


def test_first_visit_hint_after_registration_until_dismissed(page):
    email = unique_email("welcome")
    sign_up(page, email=email, password="quiet-river-lantern-7", name="새이웃", dong="정릉3동")
    page.goto("/")
    hint = page.get_by_role("region", name="처음 오셨나요? 이렇게 시작해 보세요")
    assert hint.count() == 1 and hint.is_visible()
    links = {a.inner_text().strip(): a.get_attribute("href") for a in hint.get_by_role("link").all()}
    assert links.get("장터 둘러보기") == "/market" and links.get("자원 찾기") == "/archive"
    assert links.get("지역거래카드") == "/card" and links.get("이용 안내") == "/guide"
    assert scroll_width(page) <= PHONE["width"]

    submit(page, hint.get_by_role("button", name="안내 닫기"))
    assert page.get_by_role("region", name="처음 오셨나요? 이렇게 시작해 보세요").count() == 0
    page.reload()
    assert page.locator("section.welcome-hint").count() == 0  # dismissed stays dismissed
    assert "새이웃 님의 오늘" in text_of(page)
