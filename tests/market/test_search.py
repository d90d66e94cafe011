"""Korean substring search (2-char LIKE and >=3-char index), filters and free dates."""

from __future__ import annotations

from sharing.market import services
from sharing.market.services import results as cards

from .conftest import day


def titles(client, query):
    r = client.get(f"/api/v1/listings?{query}")
    assert r.status_code == 200, r.json
    return [item["title"] for item in r.json["items"]]


def test_korean_substrings(client, make, market):
    owner = make.user()
    market.listing(owner, title="전동드릴 빌려드려요", description="충전식")
    market.listing(owner, title="캠핑 텐트", description="전동드릴은 없어요, 텐트만")
    market.listing(owner, title="그림책 묶음", description="동화책 스무 권", category="books")
    assert set(titles(client, "q=드릴")) == {"전동드릴 빌려드려요", "캠핑 텐트"}  # 2 characters
    assert titles(client, "q=드릴")[0] == "전동드릴 빌려드려요"  # title match ranks first
    assert titles(client, "q=전동드릴")[0] == "전동드릴 빌려드려요"  # >= 3 characters: the index
    assert titles(client, "q=동화책") == ["그림책 묶음"]
    assert titles(client, "q=림책") == ["그림책 묶음"]
    assert titles(client, "q=자전거") == []
    assert titles(client, "q=%25") == []  # LIKE wildcards are literal
    assert titles(client, 'q="드릴') == []
    assert len(titles(client, "q=")) == 3


def test_filters(client, make, market):
    owner = make.user()
    market.listing(owner, title="사다리", kind="share", dong="성북동")
    market.listing(owner, title="텐트", kind="rent", category="leisure", dong="석관동")
    market.listing(owner, title="책장", kind="sell", category="furniture", dong="석관동")
    assert titles(client, "kind=rent") == ["텐트"]
    assert titles(client, "dong=석관동") == ["책장", "텐트"]
    assert titles(client, "category=furniture&dong=석관동") == ["책장"]
    for bad in (
        "kind=lend",
        "dong=역삼동",
        "category=x",
        "available_from=tomorrow",
        "per_page=101",
        "page=0",
    ):
        assert client.get(f"/api/v1/listings?{bad}").status_code == 422, bad
    r = client.get(f"/api/v1/listings?available_from={day(5)}&available_to={day(1)}")
    assert r.status_code == 422 and "available_to" in r.json["error"]["fields"]


def test_free_dates(client, make, market):
    owner = make.user()
    busy = market.listing(owner, title="바쁜 드릴")
    market.listing(owner, title="한가한 드릴")
    loan = market.request(busy, start=3, days=3)  # days 3..5
    services.accept(owner, loan.id)
    waiting = market.request(busy, start=10, days=2)  # only requested: does not block
    assert waiting.status == "requested"
    assert titles(client, f"available_from={day(4)}&available_to={day(8)}") == ["한가한 드릴"]
    assert titles(client, f"available_from={day(5)}") == ["한가한 드릴"]
    assert sorted(titles(client, f"available_from={day(6)}&available_to={day(12)}")) == [
        "바쁜 드릴",
        "한가한 드릴",
    ]
    assert set(titles(client, f"q=드릴&available_from={day(1)}&available_to={day(2)}")) == {
        "바쁜 드릴",
        "한가한 드릴",
    }


def test_paging_and_the_html_page(client, make, market):
    owner = make.user()
    for n in range(25):
        market.listing(owner, title=f"공구 {n}")
    r = client.get("/api/v1/listings?page=2&per_page=20")
    assert r.json["total"] == 25 and len(r.json["items"]) == 5 and r.json["page"] == 2
    page = client.get("/market?q=공구&page=2")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert "공구 0" in html and "무료 대여" in html and 'rel="prev"' in html
    assert client.get("/market?q=없는물건이름").status_code == 200
    assert "조건에 맞는 물건이 없습니다" in client.get("/market?q=없는물건이름").get_data(as_text=True)


def test_home_items_and_metrics(app, make, market):
    owner = make.user()
    a = market.listing(owner, title="첫째")
    market.listing(owner, title="둘째")
    services.set_listing_hidden(make.centre(), a.id, True)
    assert [x.title for x in services.home_items(4)] == ["둘째"]
    assert services.metrics() == {"listings": 2, "loans_completed": 0}
    monthly = services.monthly_metrics()
    assert sum(v["listings"] for v in monthly.values()) == 2
    assert all(len(k) == 7 and k[4] == "-" for k in monthly)


def test_list_items_are_exactly_the_listing_answer(client, make, auth, market):
    """The fast list path (sharing.market.services.results) answers the same fields and values as GET one."""
    import io

    from PIL import Image

    member = make.user()
    org = make.org(member)
    a = market.listing(member, kind="rent", price_per_day=2000, organization_id=org.id, deposit="보증금")
    market.listing(make.user(), kind="sell", price=5000)
    out = io.BytesIO()
    Image.new("RGB", (30, 20)).save(out, "PNG")
    r = client.post(
        f"/api/v1/listings/{a.id}/photos",
        data={"file": (io.BytesIO(out.getvalue()), "a.png")},
        headers=auth.headers(member),
        content_type="multipart/form-data",
    )
    assert r.status_code == 201
    items = client.get("/api/v1/listings").json["items"]
    assert len(items) == 2
    for item in items:
        assert item == client.get(f"/api/v1/listings/{item['id']}").json
    assert items[1]["photos"][0]["width"] == 30


def test_search_order_is_title_first_then_newest_across_pages(client, make, market):
    """Both query lengths (LIKE and the text index) order alike: title matches newest first, then the
    description matches newest first; a page that straddles the two groups is continuous."""
    owner = make.user()
    market.listing(owner, title="오래된 전동드릴", description="충전식")
    market.listing(owner, title="공구 세트", description="전동드릴 포함")
    market.listing(owner, title="새 전동드릴", description="거의 새것")
    market.listing(owner, title="사다리", description="전동드릴은 없어요")
    market.listing(owner, title="텐트", description="캠핑용")
    expected = ["새 전동드릴", "오래된 전동드릴", "사다리", "공구 세트"]
    for q in ("전동드릴", "드릴"):
        assert titles(client, f"q={q}") == expected, q
        pages = [titles(client, f"q={q}&per_page=3&page={n}") for n in (1, 2)]
        assert pages == [expected[:3], expected[3:]], q
        assert client.get(f"/api/v1/listings?q={q}&per_page=3").json["total"] == 4


def test_each_viewer_sees_what_is_theirs_with_statements_reused(app, make, market):
    """Search statements are kept per filters and viewer: who sees a hidden listing still follows
    the viewer (anonymous, the centre, the owner, a member of the owning organisation)."""
    from sharing.orgs import services as orgs

    member, other = make.user(), make.user()
    org = make.org(member)
    own = market.listing(member, title="조직 사다리", organization_id=org.id)
    market.listing(make.user(), title="공개 사다리")
    services.set_listing_hidden(make.centre(), own.id, True)

    def seen(viewer):
        stmt, _count = services.search(q="사다리", viewer=viewer)
        return sorted(c.title for c in cards.page_of(stmt, page=1, per_page=20))

    for _ in range(2):  # the second round runs on the kept statements
        assert seen(None) == ["공개 사다리"]
        assert seen(other) == ["공개 사다리"]
        assert seen(member) == ["공개 사다리", "조직 사다리"]
        assert seen(make.centre()) == ["공개 사다리", "조직 사다리"]
    orgs.invite(member, org.id, other.email)
    from sharing.core.extensions import db

    db.session.expire_all()
    assert seen(db.session.get(type(other), other.id)) == ["공개 사다리", "조직 사다리"]


def test_a_category_name_finds_the_listings_of_that_category(client, make, market):
    owner = make.user()
    market.listing(owner, title="전동드릴", description="충전식", category="tools")
    market.listing(owner, title="접이식 사다리", description="2m 알루미늄", category="tools")
    market.listing(owner, title="공구함 나눔", description="작은 상자", category="furniture")
    market.listing(owner, title="그림책 묶음", description="동화책", category="books")
    found = titles(client, "q=공구")
    assert set(found) == {"전동드릴", "접이식 사다리", "공구함 나눔"}
    assert found[0] == "공구함 나눔"  # a title that says it still comes first
    assert set(titles(client, "q=공구&kind=share")) == set(found)  # filters still apply
    assert titles(client, "q=공구&category=books") == []
    assert titles(client, "q=도서") == ["그림책 묶음"]
    assert titles(client, "q=구") == ["공구함 나눔"]  # one character names no category
    assert titles(client, "q=공구&per_page=1&page=2") == [found[1]]
    r = client.get("/api/v1/listings?q=공구")
    assert r.json["total"] == 3


def test_category_names_in_the_reader_language(app):
    from sharing.market.services.search import categories_named

    with app.test_request_context("/market?lang=en"):
        assert categories_named("공구") == ("tools",)
        assert "tools" in categories_named("tool")
        assert categories_named("x") == ()


def test_the_market_page_finds_a_category_by_its_name(client, make, market):
    market.listing(make.user(), title="접이식 사다리", description="알루미늄", category="tools")
    page = client.get("/market?q=공구").get_data(as_text=True)
    assert "접이식 사다리" in page and "'공구' 검색 결과" in page
