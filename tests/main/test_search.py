"""The site-wide search: each feature's ``search_preview`` and the /search page over all three."""

from __future__ import annotations

import re

import pytest

from sharing.archive import services as archive
from sharing.market import services as market
from sharing.news import services as news
from tests.helpers import page_text


@pytest.fixture
def fill(make):
    """``fill(word, n)``: n listings, n resources and n posts with ``word`` in their title."""
    owner = make.user(name="나눔이")
    writer = make.user(name="글쓴이")
    org = make.org(writer, name="동네목수")

    def _fill(word: str, n: int, *, listings=True, resources=True, posts=True):
        for i in range(n):
            if listings:
                market.create(
                    owner,
                    market.ListingInput(
                        title=f"{word} 물건 {i}",
                        kind="share",
                        category="tools",
                        dong="정릉3동",
                        description="잘 됩니다.",
                    ),
                )
            if resources:
                archive.create(
                    owner,
                    {
                        "kind": "equipment",
                        "category": "repair",
                        "name": f"{word} 자원 {i}",
                        "description": "마을 자원입니다.",
                        "dong": "정릉3동",
                    },
                )
            if posts:
                news.create(
                    writer,
                    {
                        "title": f"{word} 소식 {i}",
                        "body": "본문입니다.",
                        "category": "culture",
                        "organization_id": org.id,
                    },
                )

    return _fill


# --- each feature's preview ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    "preview, attr",
    [(market.search_preview, "title"), (archive.search_preview, "name"), (news.search_preview, "title")],
)
def test_each_preview_gives_a_few_and_the_total(fill, preview, attr):
    fill("뜨개질", 5)
    fill("자전거", 2)
    items, total = preview("뜨개질", 3)
    assert total == 5 and len(items) == 3
    assert all("뜨개질" in getattr(item, attr) for item in items)
    items, total = preview("자전거", 3)
    assert total == 2 and sorted(getattr(i, attr) for i in items)[0].startswith("자전거")
    assert preview("없는말", 3) == ([], 0)
    assert preview("   ", 3) == ([], 0)


def test_market_preview_leaves_out_hidden_listings(make, fill):
    fill("뜨개질", 1, resources=False, posts=False)
    listing = market.search_preview("뜨개질", 3)[0][0]
    centre = make.centre(email="centre@example.kr")
    market.set_listing_hidden(centre, listing.id, True, reason="광고")
    assert market.search_preview("뜨개질", 3) == ([], 0)


# --- the page ------------------------------------------------------------------------------------------


def _sections(body: str) -> list[str]:
    return re.findall(r'<section class="search-section search-(\w+)"', body)


def test_home_page_has_the_search_box(client):
    body = page_text(client.get("/"))
    assert re.search(r'<form method="get" action="/search" class="site-search" role="search"', body)
    assert re.search(r'<input type="search" id="site-q" name="q"', body)


def test_search_page_shows_each_section_with_a_more_link(client, fill):
    fill("뜨개질", 4)
    r = client.get("/search?q=뜨개질")
    assert r.status_code == 200
    body = page_text(r)
    assert _sections(body) == ["market", "archive", "news"]
    assert "'뜨개질' 검색 결과 12건" in body
    assert (
        body.count("뜨개질 물건") == 3 and body.count("뜨개질 자원") == 3 and body.count("뜨개질 소식") == 3
    )
    q = "%EB%9C%A8%EA%B0%9C%EC%A7%88"
    for path in ("/market", "/archive", "/news"):
        assert f'href="{path}?q={q}"' in body, path
    assert 'value="뜨개질"' in body


def test_search_page_shows_only_sections_with_results(client, fill):
    fill("자전거", 1, listings=False, resources=False)
    body = page_text(client.get("/search?q=자전거"))
    assert _sections(body) == ["news"] and "자전거 소식 0" in body


def test_search_page_empty_states(client, fill):
    fill("뜨개질", 1)
    r = client.get("/search?q=없는말")
    assert r.status_code == 200 and _sections(page_text(r)) == []
    assert "'없는말'에 대한 검색 결과가 없습니다." in page_text(r)
    r = client.get("/search")
    assert r.status_code == 200 and _sections(page_text(r)) == []
    assert "찾을 말을 입력하면" in page_text(r)


def test_search_page_takes_percent_and_underscore_literally(client, fill):
    fill("50%할인", 1)
    fill("500할인", 1)
    body = page_text(client.get("/search?q=50%25"))
    assert "50%할인 소식" in body and "500할인" not in body
