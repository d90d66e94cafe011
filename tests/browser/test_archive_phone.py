"""/archive on a 390 px phone, as /market: the search box, then the other filters in a closed drawer
that says how many are on, then the results (two compact cards a row, the first above the fold at
390x844), the facets after them. The 행정동 and 태그 facets keep their disclosure arrows, nothing sticks
out sideways, and every filter works without script.
"""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

import pytest

from tests.browser.conftest import PHONE, scroll_width, text_of
from tests.browser.helpers import cut_off, submit

pytestmark = pytest.mark.browser

CARDS = "main ul.card-list > li.card"


def _query(page) -> dict:
    return {k: v[0] for k, v in parse_qs(urlsplit(page.url).query).items()}


def _assert_results_first(page) -> None:
    cards = page.locator(CARDS)
    assert cards.count() >= 2, text_of(page)
    first, second = cards.nth(0).bounding_box(), cards.nth(1).bounding_box()
    assert first["y"] + 40 < PHONE["height"], f"the first resource starts below the fold at {first['y']}px"
    assert abs(first["y"] - second["y"]) < 1, f"two cards a row on a phone: {first} {second}"
    assert first["width"] < PHONE["width"] / 2 and second["x"] > first["x"] + first["width"]


def test_archive_shows_results_first_two_compact_cards_a_row(page):
    page.goto("/archive")
    _assert_results_first(page)
    search = page.get_by_role("search", name="자원 찾기")
    assert search.get_by_label("검색어").is_visible(), "the search box stays out of the drawer"
    drawer = page.locator("details.filter-drawer")
    assert drawer.count() == 1 and drawer.get_attribute("open") is None, "the filters are a closed drawer"
    summary = drawer.locator("summary")
    assert not any(ch.isdigit() for ch in summary.inner_text()), summary.inner_text()
    assert summary.bounding_box()["height"] < 80
    # the facets come after the results on a phone
    facets = page.get_by_role("navigation", name="분류별로 좁혀 보기")
    assert facets.bounding_box()["y"] > page.locator(CARDS).first.bounding_box()["y"]
    assert not cut_off(page), cut_off(page)


def test_signed_in_the_first_resources_are_still_above_the_fold(page, live_server):
    live_server.login_as(page, "centre", next_path="/archive?kind=space")
    _assert_results_first(page)
    assert not cut_off(page), cut_off(page)


def test_the_drawer_counts_the_filters_and_applies_one(page):
    page.goto("/archive?q=&kind=space&dong=정릉3동")
    drawer = page.locator("details.filter-drawer")
    summary = drawer.locator("summary")
    assert "2개 적용 중" in summary.inner_text(), summary.inner_text()
    assert drawer.get_attribute("open") is None
    summary.click()
    assert drawer.get_by_label("유형").is_visible()
    assert drawer.get_by_label("유형").input_value() == "space"
    assert drawer.get_by_label("행정동").input_value() == "정릉3동"
    assert not cut_off(page), cut_off(page)  # the open drawer fits too
    drawer.get_by_label("분야").select_option("culture")
    submit(page, drawer.get_by_role("button", name="조건 적용"))
    assert _query(page) == {"kind": "space", "category": "culture", "dong": "정릉3동"}
    assert "3개 적용 중" in page.locator("details.filter-drawer summary").inner_text()
    assert "정릉3동 마을활력소 다목적실" in page.locator(CARDS).first.inner_text()
    assert page.locator(CARDS).count() == 1
    # the search words are not a filter of the drawer
    page.goto("/archive?q=공구&tag=대여")
    assert "1개 적용 중" in page.locator("details.filter-drawer summary").inner_text()
    assert scroll_width(page) <= PHONE["width"]


def test_dong_and_tag_facets_keep_their_disclosure_arrows(page):
    page.goto("/archive")
    facets = page.get_by_role("navigation", name="분류별로 좁혀 보기")
    for title in ("행정동", "태그"):
        summary = facets.locator("details > summary", has_text=title)
        assert summary.count() == 1, title
        details = summary.locator("xpath=..")
        assert details.get_attribute("open") is None, f"{title} starts closed"
        arrow = summary.evaluate("(el) => getComputedStyle(el, '::before').content")
        assert "▸" in arrow, (title, arrow)
        summary.click()
        assert details.get_attribute("open") is not None
        assert details.locator("li a").first.is_visible()


def test_every_filter_works_without_script(browser, live_server):
    context = browser.new_context(
        viewport=PHONE, locale="ko-KR", base_url=live_server.url, java_script_enabled=False
    )
    try:
        page = context.new_page()
        page.goto("/archive")
        drawer = page.locator("details.filter-drawer")
        drawer.locator("summary").click()
        drawer.get_by_label("유형").select_option("equipment")
        drawer.get_by_label("태그").fill("대여")
        submit(page, drawer.get_by_role("button", name="조건 적용"))
        assert _query(page) == {"kind": "equipment", "tag": "대여"}
        assert "2개 적용 중" in page.locator("details.filter-drawer summary").inner_text()
        cards = page.locator(CARDS)
        assert cards.count() >= 2
        assert all("장비·물품" in text for text in cards.all_inner_texts())
        # a facet link narrows further, no script either
        facets = page.get_by_role("navigation", name="분류별로 좁혀 보기")
        facets.locator("details > summary", has_text="행정동").click()
        link = facets.locator("details", has_text="행정동").locator("li a").first
        dong = link.locator("span").first.inner_text()
        submit(page, link)
        assert _query(page)["dong"] == dong and _query(page)["kind"] == "equipment"
        assert "3개 적용 중" in page.locator("details.filter-drawer summary").inner_text()
        # the search box, outside the drawer
        search = page.get_by_role("search", name="자원 찾기")
        search.get_by_label("검색어").fill("텐트")
        submit(page, search.get_by_role("button", name="찾기", exact=True))
        assert _query(page).get("q") == "텐트"
    finally:
        context.close()


def test_on_a_desktop_the_facets_stay_beside_the_results(new_page):
    wide = new_page(width=1280, height=800)
    wide.goto("/archive")
    facets = wide.get_by_role("navigation", name="분류별로 좁혀 보기").bounding_box()
    first = wide.locator(CARDS).first.bounding_box()
    assert facets["x"] + facets["width"] <= first["x"], (facets, first)
    assert first["y"] < 800


def test_in_english_with_the_drawer_open_nothing_sticks_out(page, live_server):
    live_server.login_as(page, "centre")
    page.goto("/archive?zone=장위-석관&category=repair&lang=en")
    page.checks.lang = "en"
    drawer = page.locator("details.filter-drawer")
    assert "2" in drawer.locator("summary").inner_text()
    _assert_results_first(page)
    drawer.locator("summary").click()
    assert drawer.get_by_role("button").is_visible()
    assert not cut_off(page), cut_off(page)
