"""The centre's console and the basic plan on a 390 px phone: labels instead of codes, names instead of
account numbers, charts whose words can be read, and budget cells that say when they are blank."""

from __future__ import annotations

import re
import uuid

import pytest

from tests.browser.conftest import PHONE, text_of
from tests.browser.helpers import submit

pytestmark = pytest.mark.browser

# The smallest text a chart may show on a phone, in CSS pixels as drawn.
READABLE_PX = 12


def _chart_text_sizes(page, selector: str) -> list[tuple[str, float]]:
    """Every ``<text>`` of the charts under ``selector`` with its font size as drawn on the screen."""
    return page.eval_on_selector_all(
        f"{selector} svg",
        """svgs => svgs.flatMap(svg => {
            const scale = svg.getBoundingClientRect().width / svg.viewBox.baseVal.width;
            return [...svg.querySelectorAll('text')].map(t =>
                [t.textContent, parseFloat(getComputedStyle(t).fontSize) * scale]);
        })""",
    )


def _report_on_a_listing(live_server) -> tuple[str, str]:
    """A resident's report on one of minji's listings; returns (the listing's title, minji's name)."""
    from sharing.auth.services import find_by_email
    from sharing.core.extensions import db
    from sharing.market import services as market
    from sharing.records.log import add_report

    tag = uuid.uuid4().hex[:4]
    with live_server.app_context():
        owner = find_by_email(live_server.accounts["minji"][0])
        reporter = find_by_email(live_server.accounts["dohyun"][0])
        listing = market.create(
            owner,
            market.ListingInput(
                title=f"의심스러운 물건 {tag}",
                kind="sell",
                category="other",
                dong="정릉3동",
                description="설명",
                price=10_000,
            ),
        )
        add_report(reporter, "listing", listing.id, "spam")
        db.session.commit()
        found = (listing.title, owner.name)
        db.session.remove()
    return found


def test_the_audit_log_speaks_korean_and_credits_the_plan_load_to_the_system(page, live_server):
    live_server.login_as(page, "centre", next_path="/admin/audit-log")
    rows = page.locator("table.admin-table tbody tr").filter(has_text="계획 자료 불러오기")
    assert rows.count() >= 1, text_of(page)
    first = rows.first.inner_text()
    assert "시스템" in first and "(삭제된 계정)" not in first

    # the object filter is a menu of Korean labels, not a box for English codes
    kind = page.get_by_label("대상 유형")
    assert kind.evaluate("e => e.tagName") == "SELECT"
    options = kind.locator("option").all_inner_texts()
    assert "기본계획" in options and "조직" in options
    assert not [o for o in options if re.fullmatch(r"[a-z_]+", o)], options
    kind.select_option(label="기본계획")
    submit(page, page.get_by_role("button", name="보기"))
    assert "target_type=plan" in page.url
    shown = page.locator("table.admin-table tbody tr")
    assert shown.count() >= 1 and shown.filter(has_text="계획 자료 불러오기").count() == shown.count()

    # every action in the menu has a Korean label
    actions = page.get_by_label("작업").locator("option").all_inner_texts()
    assert not [a for a in actions if re.fullmatch(r"[a-z_.]+", a)], actions


def test_a_report_names_the_author(page, live_server):
    title, author = _report_on_a_listing(live_server)
    live_server.login_as(page, "centre", next_path="/admin/reports")
    group = page.locator("ul.report-queue > li").filter(has=page.get_by_role("heading", name=title))
    assert group.count() == 1, text_of(page)
    body = group.inner_text()
    assert f"작성자 {author}" in body and "작성자 계정 #" not in body


def test_the_budget_chart_reads_years_in_full_and_its_words_are_readable(page, live_server):
    live_server.login_as(page, "centre", next_path="/admin/plan")
    texts = _chart_text_sizes(page, "#chart-h + .plan-chart-pair")
    words = [t for t, _size in texts]
    for year in ("2017", "2018", "2019", "2020"):
        assert any(year in w for w in words), words
    assert not [w for w in words if re.fullmatch(r"\d년", w)], words
    assert "빈 칸" in words  # 3's 2020, blank in the print, is not drawn as 0
    small = [(t, round(s, 1)) for t, s in texts if s < READABLE_PX]
    assert not small, f"chart text under {READABLE_PX}px at {PHONE['width']}px: {small[:5]}"


def test_the_side_table_keeps_each_amount_on_one_line(page, live_server):
    live_server.login_as(page, "centre", next_path="/admin/plan")
    cells = page.locator("#chart-h + .plan-chart-pair table td.num")
    assert cells.count() > 0
    for style in cells.evaluate_all("cs => cs.map(c => getComputedStyle(c).whiteSpace)"):
        assert style == "nowrap"
    # each cell's own figure, without its flag (빈 칸 or 계산, drawn as a tag on the same line)
    figures = cells.evaluate_all(
        "cs => cs.map(c => { const d = c.cloneNode(true);"
        " d.querySelectorAll('.tag').forEach(t => t.remove()); return d.textContent.trim(); })"
    )
    flags = cells.evaluate_all("cs => cs.map(c => c.querySelector('.tag')?.textContent.trim() || '')")
    assert "빈 칸" in flags  # 3's 2020: the print leaves it blank
    for figure, flag in zip(figures, flags, strict=True):
        if flag != "빈 칸":
            assert re.fullmatch(r"\d{1,3}(,\d{3})*(\.\d+)?", figure), (figure, flag)


def test_a_blank_budget_cell_is_shown_blank_and_flagged(page, live_server):
    live_server.login_as(page, "centre", next_path="/admin/plan")
    table = page.locator("#tasks-h ~ .table-wrap table")
    row = table.locator("tbody tr").filter(has=page.get_by_role("link", name=re.compile(r"^3-1 ")))
    cells = row.locator("td")
    years = table.locator("thead th").all_inner_texts()[1:-1]
    blank = cells.nth(years.index("2020")).inner_text()
    assert "0" not in blank and "빈 칸" in blank, blank
    total = cells.last.inner_text()
    assert "35" in total and "인쇄 40" in total, total  # computed, and the printed figure beside it

    row = table.locator("tbody tr").filter(has=page.get_by_role("link", name=re.compile(r"^4-1 ")))
    total = row.locator("td").last.inner_text()
    assert "57" in total and "인쇄 61" in total, total


def test_the_platform_trend_is_drawn_as_lines_with_readable_words(page, live_server):
    live_server.login_as(page, "centre", next_path="/admin/plan/3-1")
    trend = page.locator("#trend-h ~ .plan-small-multiples")
    assert trend.locator("svg polyline").count() >= 1
    texts = _chart_text_sizes(page, "#trend-h ~ .plan-small-multiples")
    assert texts
    small = [(t, round(s, 1)) for t, s in texts if s < READABLE_PX]
    assert not small, f"chart text under {READABLE_PX}px at {PHONE['width']}px: {small[:5]}"
    # the same figures as a table, one summary closed by default
    details = page.locator("#trend-h ~ details.plan-trend-table")
    assert details.count() == 1
    details.locator("summary").click()
    assert details.locator("table tbody tr").count() == 12
