"""Searching the news: the service, the /news page's search box and the API's ``q``."""

from __future__ import annotations

import re
from datetime import timedelta

from sharing.core.db import utcnow
from sharing.core.extensions import db
from sharing.core.search import contains
from sharing.news import services
from sharing.news.models import Post
from tests.helpers import page_text


def _titles_of(stmt) -> list[str]:
    return [p.title for p in db.session.execute(stmt).unique().scalars()]


def _titles(response) -> list[str]:
    return re.findall(r'class="news-title"><a href="/news/\d+">([^<]+)</a>', page_text(response))


# --- services -----------------------------------------------------------------------------------------


def test_search_finds_words_in_title_or_body_case_insensitively(cast, write):
    write(title="개울장 열려요", body="토요일 오전")
    write(title="Repair Cafe 안내", body="고장 난 물건을 고쳐요")
    write(title="돌봄 교실", body="이번 주 **개울장**에서 만나요")
    write(title="다른 소식", body="아무 내용")
    assert _titles_of(services.search(q="개울장")) == ["돌봄 교실", "개울장 열려요"]
    assert _titles_of(services.search(q="repair cafe")) == ["Repair Cafe 안내"]
    assert _titles_of(services.search(q="  REPAIR   cafe ")) == ["Repair Cafe 안내"]  # spaces normalised
    assert _titles_of(services.search(q="없는말")) == []
    assert len(_titles_of(services.search(q=""))) == 4  # no words: the whole list


def test_percent_and_underscore_are_literal(cast, write):
    write(title="할인 50% 행사", body="선착순")
    write(title="5000원 행사", body="선착순")
    write(title="file_name 정리", body="파일")
    write(title="filename 정리", body="파일")
    assert _titles_of(services.search(q="50%")) == ["할인 50% 행사"]
    assert _titles_of(services.search(q="%")) == ["할인 50% 행사"]
    assert _titles_of(services.search(q="file_name")) == ["file_name 정리"]
    assert _titles_of(services.search(q="_")) == ["file_name 정리"]


def test_search_keeps_filters_and_visibility(cast, write):
    write(title="장터 문화", category="culture")
    write(title="장터 교육", category="education")
    write(title="장터 임시", status="draft")
    write(title="장터 예약", publish_at=utcnow() + timedelta(days=1))
    assert _titles_of(services.search(q="장터")) == ["장터 교육", "장터 문화"]
    assert _titles_of(services.search(q="장터", category="culture")) == ["장터 문화"]


def test_a_common_and_a_rare_word_read_the_same_posts_either_way(cast, write, monkeypatch):
    """Three or more characters go through the text index: a word in fewer than ``SERVED_MAX`` posts
    is read by id from the index, a commoner one (on SQLite) by walking the list's order. Both give
    the list the plain comparison gives, in the same order, after edits and deletions too."""
    from sqlalchemy import select

    from sharing.core import search as core_search
    from sharing.news.models import POST_SEARCH

    monkeypatch.setattr(core_search, "SERVED_MAX", 3)
    for n in range(4):
        write(title=f"수리공방 {n}", body="토요일")
    rare = write(title="돌봄", body="놀이터 청소")
    write(title="다른 소식", body="아무 내용")
    dialect = db.engine.dialect.name

    def plain(q):
        return _titles_of(services.posts.ordered(select(Post).where(contains((Post.title, Post.body), q))))

    for q, served in (("놀이터", True), ("수리공방", dialect != "sqlite")):
        assert (POST_SEARCH.served(Post, q, dialect=dialect) is not None) is served, q
        assert _titles_of(services.search(q=q)) == plain(q) != []
    with db.session.begin_nested():
        db.session.get(Post, rare).body = "공원 청소"
    assert _titles_of(services.search(q="놀이터")) == [] and _titles_of(services.search(q="공원 청")) == [
        "돌봄"
    ]


def test_contains_is_none_without_words():
    assert contains((Post.title,), "   ") is None
    assert contains((Post.title,), None) is None
    assert contains((Post.title,), "a") is not None


def test_search_preview_gives_the_first_few_and_the_total(cast, write):
    for n in range(5):
        write(title=f"장터 소식 {n}")
    write(title="다른 소식")
    items, total = services.search_preview("장터", 3)
    assert [p.title for p in items] == ["장터 소식 4", "장터 소식 3", "장터 소식 2"] and total == 5
    assert services.search_preview("", 3) == ([], 0)
    assert services.search_preview("없는말", 3) == ([], 0)


# --- the page -------------------------------------------------------------------------------------------


def test_page_has_a_search_box_and_searches(client, cast, write):
    write(title="개울장 열려요", category="culture")
    write(title="돌봄 교실", body="개울장에서 만나요", category="education")
    write(title="다른 소식")
    r = client.get("/news")
    assert r.status_code == 200 and re.search(r'<input[^>]+name="q"[^>]+type="search"', page_text(r))
    r = client.get("/news?q=개울장")
    assert _titles(r) == ["돌봄 교실", "개울장 열려요"]
    assert "소식 2건" in page_text(r) and 'value="개울장"' in page_text(r)
    assert _titles(client.get("/news?q=개울장&category=education")) == ["돌봄 교실"]


def test_page_empty_state_and_paging_keep_the_query(client, cast, write):
    r = client.get("/news?q=없는말")
    assert r.status_code == 200 and _titles(r) == []
    assert "'없는말'에 대한 검색 결과가 없습니다." in page_text(r)
    for n in range(22):
        write(title=f"장터 {n}")
    write(title="다른 소식")
    r = client.get("/news?q=장터")
    assert len(_titles(r)) == 20 and "소식 22건" in page_text(r)
    assert 'href="/news?q=%EC%9E%A5%ED%84%B0&amp;page=2"' in page_text(r)
    assert sorted(_titles(client.get("/news?q=장터&page=2"))) == ["장터 0", "장터 1"]


def test_page_query_with_percent_and_underscore(client, cast, write):
    write(title="할인 50% 행사")
    write(title="5000원 행사")
    write(title="a_b 모임")
    write(title="axb 모임")
    assert _titles(client.get("/news?q=50%25")) == ["할인 50% 행사"]
    assert _titles(client.get("/news?q=a_b")) == ["a_b 모임"]


def test_feed_link_follows_the_filters_not_the_words(client, cast, write):
    r = client.get("/news?q=장터&category=culture")
    assert 'href="/news/feed.atom?category=culture"' in page_text(r)


# --- the API ----------------------------------------------------------------------------------------------


def test_api_q_finds_title_and_body_and_is_checked(client, auth, cast, write):
    a = write(title="개울장 열려요")
    b = write(title="돌봄", body="Repair 개울장")
    write(title="100% 나눔")
    write(title="다른 소식")
    r = client.get("/api/v1/posts?q=개울장")
    assert r.status_code == 200 and [i["id"] for i in r.json["items"]] == [b, a] and r.json["total"] == 2
    assert [i["id"] for i in client.get("/api/v1/posts?q=repair").json["items"]] == [b]
    assert client.get("/api/v1/posts?q=%25").json["total"] == 1
    assert client.get("/api/v1/posts?q=" + "가" * 101).status_code == 422
    draft = write(title="개울장 임시", status="draft")
    mine = client.get("/api/v1/posts?status=draft&q=개울장", headers=auth.headers(cast.author)).json
    assert [i["id"] for i in mine["items"]] == [draft]
    assert (
        client.get("/api/v1/posts?status=draft&q=없는말", headers=auth.headers(cast.author)).json["total"]
        == 0
    )


def test_api_documents_q(client):
    spec = client.get("/api/v1/openapi.json").json
    op = spec["paths"]["/api/v1/posts"]["get"]
    assert "q" in op["description"]
    q = next(p for p in op["parameters"] if p["name"] == "q")
    assert q["in"] == "query" and q["description"] and q["schema"]["maxLength"] == 100
