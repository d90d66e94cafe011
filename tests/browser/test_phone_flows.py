"""The everyday pages on a 390 px phone: money that never wraps, one date format, disclosure arrows,
a navigation that shows every item, link previews, demo photos, and no element cut off."""

from __future__ import annotations

import re

import pytest

from tests.browser.conftest import PHONE
from tests.browser.helpers import cut_off

pytestmark = pytest.mark.browser

MONEY = re.compile(r"^[+-]?(\d{1,3}(,\d{3})*원|₩\d{1,3}(,\d{3})*)$")
KO_WHEN = re.compile(r"\d{4}\.\d{2}\.\d{2} 오[전후] \d{1,2}:\d{2}")
EN_WHEN = re.compile(r"[A-Z][a-z]{2} \d{1,2}, \d{4}, \d{1,2}:\d{2} [AP]M")

# Every .money element: its text, whether it is one line, its white-space and digits.
_MONEY_JS = """(sel) => [...document.querySelectorAll(sel)].map(el => {
    const style = getComputedStyle(el);
    const range = document.createRange();
    range.selectNodeContents(el);
    // Lines are boxes stacked below each other: a smaller or bordered box on the same line
    // (a flag beside a figure) overlaps its line and is not a line of its own.
    const rects = [...range.getClientRects()].filter(r => r.width > 0).sort((a, b) => a.top - b.top);
    let lines = 0, bottom = -Infinity;
    for (const r of rects) {
        if (r.top >= bottom - 1) { lines += 1; bottom = r.bottom; } else { bottom = Math.max(bottom, r.bottom); }
    }
    return {text: el.innerText.trim(), lines, ws: style.whiteSpace, digits: style.fontVariantNumeric};
})"""


def _shop_id(live_server) -> int:
    from sqlalchemy import select

    from sharing.core.extensions import db
    from sharing.orgs.models import Organization

    with live_server.app_context():
        shop = db.session.execute(select(Organization.id).where(Organization.name == "동네목수")).scalar_one()
        db.session.remove()
    return shop


def _money_on(page, selector: str) -> list[dict]:
    found = page.evaluate(_MONEY_JS, selector)
    assert found, f"no money shown at {selector} on {page.url}"
    return found


def _assert_money(found: list[dict], where: str) -> None:
    bad = [m for m in found if not MONEY.match(m["text"]) or m["lines"] != 1]
    bad += [m for m in found if m["ws"] != "nowrap" or "tabular-nums" not in m["digits"]]
    assert not bad, f"{where}: amounts not in the one money format or wrapped: {bad[:5]}"


@pytest.mark.parametrize(
    ("who", "path", "selector"),
    [
        ("minji", "/card", "table .money"),
        ("junho", "/card/shop/{shop}", "table .money"),
        ("centre", "/card/fund", "table .money"),
    ],
)
def test_money_has_separators_and_never_wraps(page, live_server, who, path, selector):
    live_server.login_as(page, who)
    page.goto(path.format(shop=_shop_id(live_server)))
    _assert_money(_money_on(page, selector), path)


def test_plan_side_table_figures_never_wrap(page, live_server):
    live_server.login_as(page, "centre")
    page.goto("/admin/plan")
    cells = page.evaluate(_MONEY_JS, ".plan-chart-pair td.num")
    assert cells
    bad = [c for c in cells if c["lines"] != 1 or c["ws"] != "nowrap"]
    assert not bad, bad[:5]


def test_dates_read_the_same_everywhere(page, live_server):
    from sharing.auth.services import find_by_email
    from sharing.core.db import transaction
    from sharing.core.extensions import db
    from sharing.notify import services as notify

    with live_server.app_context():
        with transaction():
            notify.notify(find_by_email(live_server.accounts["minji"][0]), "test", "날짜 확인", email=False)
        db.session.remove()
    live_server.login_as(page, "minji")
    for path in ("/inbox", "/card"):
        page.goto(path)
        text = page.locator("main").inner_text()
        assert KO_WHEN.search(text), f"{path}: no date-time like 2026.12.04 오후 10:32"
        assert not re.search(r"\b[AP]M\b|\d{2}\. \d{1,2}\. \d{1,2}\.|\d{4}-\d{2}-\d{2} \d{2}:\d{2}", text), (
            path
        )
    page.goto("/inbox?lang=en")
    page.checks.lang = "en"
    text = page.locator("main").inner_text()
    assert EN_WHEN.search(text), text[:300]
    assert not re.search(r"오[전후]", text)


def test_english_plan_and_api_docs_speak_english(page, live_server):
    live_server.login_as(page, "centre")
    page.goto("/admin/plan?lang=en")
    page.checks.lang = "en"
    # the page's own words (the Python-drawn chart SVG is left aside here)
    text = page.evaluate(
        "() => { const m = document.querySelector('main').cloneNode(true);"
        " m.querySelectorAll('svg').forEach(s => s.remove()); return m.innerText; }"
    )
    assert "백만원" not in text and "million won" in text
    page.goto("/api/docs?lang=en")
    assert page.evaluate("document.documentElement.lang") == "en"
    assert not re.search(
        r"[가-힣]", page.locator("main h1").inner_text() + page.locator("title").inner_text()
    )


def test_collapsed_sections_show_a_disclosure_arrow(page):
    page.goto("/archive")
    summaries = page.locator("main details > summary")
    assert summaries.count() >= 2
    first = summaries.first
    arrow = page.evaluate(
        """(el) => { const s = getComputedStyle(el, '::before');
                     return {content: s.content, transform: s.transform}; }""",
        first.element_handle(),
    )
    assert "▸" in arrow["content"], arrow
    first.focus()
    assert page.evaluate("document.activeElement.tagName") == "SUMMARY"
    was_open = first.evaluate("(el) => el.parentElement.open")
    page.keyboard.press("Enter")
    assert first.evaluate("(el) => el.parentElement.open") != was_open
    # the arrow turns (after its short transition)
    page.wait_for_function(
        "([el, before]) => getComputedStyle(el, '::before').transform !== before",
        arg=[first.element_handle(), arrow["transform"]],
    )


def test_navigation_shows_every_item_on_a_phone_and_lines_up_on_a_desktop(page, new_page):
    page.goto("/")
    hidden = page.evaluate(
        """(w) => [...document.querySelectorAll('.main-nav a')].filter(a => {
            const r = a.getBoundingClientRect(); return r.right > w || r.left < 0 || r.width === 0;
        }).map(a => a.innerText)""",
        PHONE["width"],
    )
    assert not hidden, f"navigation items cut off at {PHONE['width']}px: {hidden}"
    wide = new_page(width=1280, height=800)
    wide.goto("/")
    lefts = wide.evaluate(
        """() => ({nav: document.querySelector('.main-nav a').getBoundingClientRect().left,
                  brand: document.querySelector('.brand').getBoundingClientRect().left,
                  main: document.querySelector('main h1, main h2').getBoundingClientRect().left})"""
    )
    assert abs(lefts["nav"] - lefts["main"]) <= 16 and abs(lefts["brand"] - lefts["main"]) <= 16, lefts


def _meta(page) -> dict:
    return page.evaluate(
        """() => Object.fromEntries([...document.querySelectorAll('meta[name], meta[property]')]
            .map(m => [m.getAttribute('name') || m.getAttribute('property'), m.content]))"""
    )


def test_shared_links_carry_a_description_and_a_preview(page, live_server):
    from sqlalchemy import select

    from sharing.core.extensions import db
    from sharing.market.models import Listing
    from sharing.news.models import Post

    for path in ("/", "/market", "/archive", "/news", "/auth/login"):
        page.goto(path)
        assert _meta(page).get("description"), f"{path}: no meta description"
    with live_server.app_context():
        listing = db.session.execute(
            select(Listing.id).where(Listing.status == "active", Listing.photo_count > 0).limit(1)
        ).scalar_one()
        post = db.session.execute(
            select(Post.id).where(Post.status == "published", Post.event_date.is_(None)).limit(1)
        ).scalar_one()
        event = db.session.execute(
            select(Post.id).where(Post.status == "published", Post.event_date.is_not(None)).limit(1)
        ).scalar_one()
        db.session.remove()
    page.goto(f"/market/{listing}")
    meta = _meta(page)
    assert meta.get("og:title") and meta.get("og:description") and meta.get("og:type"), meta
    assert meta.get("og:image", "").startswith(live_server.url + "/media/"), meta
    assert page.request.get(meta["og:image"]).ok
    for path in (f"/news/{post}", f"/news/{event}"):
        page.goto(path)
        meta = _meta(page)
        assert meta.get("og:title") and meta.get("og:type") == "article" and meta.get("og:description"), meta
    assert re.search(r"\d{4}\.\d{2}\.\d{2}", meta["og:description"]), meta  # the event's date


def test_demo_market_has_photos(page, live_server):
    from sqlalchemy import select

    from sharing.core.extensions import db
    from sharing.market.demo import SAMPLES
    from sharing.market.models import Listing

    titles = [row[2] for row in SAMPLES]
    with live_server.app_context():
        bare = (
            db.session.execute(
                select(Listing.title).where(Listing.title.in_(titles), Listing.photo_count == 0)
            )
            .scalars()
            .all()
        )
        db.session.remove()
    assert not bare, f"demo listings without a photo: {bare}"
    page.goto("/market?q=전동드릴")
    page.locator("main img").first.scroll_into_view_if_needed()  # thumbnails load lazily
    shown = page.wait_for_function(
        "() => [...document.querySelectorAll('main img')].filter(i => i.complete && i.naturalWidth > 0).length",
        timeout=5000,
    ).json_value()
    assert shown >= 1, "no photo drawn on /market"


@pytest.mark.parametrize(
    ("who", "paths"),
    [(None, ("/", "/market", "/archive")), ("minji", ("/card",)), ("centre", ("/card/fund", "/admin/plan"))],
)
def test_nothing_is_cut_off_at_390px(page, live_server, who, paths):
    if who:
        live_server.login_as(page, who)
    problems = {}
    for path in paths:
        page.goto(path)
        found = cut_off(page)
        if found:
            problems[path] = found[:10]
    assert not problems, f"cut off at {PHONE['width']}px: {problems}"
