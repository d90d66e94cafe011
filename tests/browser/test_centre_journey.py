"""Centre journey: the 마을사회적경제센터 verifies a new organisation, handles a resident's report about
a listing (hides it), reads the fund audit (the ledger is intact) and finds its actions in the log."""

from __future__ import annotations

import uuid

import pytest

from tests.browser.conftest import text_of
from tests.browser.helpers import confirm_and_submit, flashes, submit

pytestmark = pytest.mark.browser


def _setup(live_server) -> tuple[int, str, int, str]:
    """A pending organisation founded by seoyeon and a listing of minji's (made through the services)."""
    from sharing.auth.services import find_by_email
    from sharing.core.extensions import db
    from sharing.market import services as market
    from sharing.orgs import services as orgs

    tag = uuid.uuid4().hex[:4]
    with live_server.app_context():
        founder = find_by_email(live_server.accounts["seoyeon"][0])
        org = orgs.create(
            founder,
            orgs.OrganizationInput(
                f"삼선 나눔부엌 {tag}", "social_cooperative", "삼선동", "반찬 나눔 협동조합"
            ),
        )
        owner = find_by_email(live_server.accounts["minji"][0])
        listing = market.create(
            owner,
            market.ListingInput(
                title=f"수상한 건강식품 {tag}",
                kind="sell",
                category="other",
                dong="정릉3동",
                description="먹기만 하면 낫는다는 약",
                price=90_000,
            ),
        )
        ids = (org.id, org.name, listing.id, listing.title)
        db.session.remove()
    return ids


def test_centre_verifies_an_organisation_handles_a_report_and_reads_the_audit(new_page, live_server):
    org_id, org_name, listing_id, listing_title = _setup(live_server)

    # --- a resident reports the listing from its page ---------------------------------------------------
    resident = new_page()
    live_server.login_as(resident, "dohyun", next_path=f"/market/{listing_id}")
    details = resident.locator("details.report")
    details.locator("summary").click()
    details.get_by_label("신고 사유").select_option("unsafe")
    details.get_by_label("자세한 내용(선택)").fill("효능을 과장한 건강식품 판매 같습니다.")
    confirm_and_submit(resident, details.get_by_role("button", name="신고"))
    assert "신고를 접수했습니다." in flashes(resident)

    centre = new_page()
    live_server.login_as(centre, "centre", next_path="/admin")
    assert centre.locator("h1").count() == 1
    nav = centre.get_by_role("navigation", name="관리 메뉴")

    # --- verifies the organisation -------------------------------------------------------------------------
    submit(centre, nav.get_by_role("link", name="조직 인증"))
    row = centre.locator("table.admin-table tbody tr").filter(has=centre.get_by_role("link", name=org_name))
    assert row.count() == 1, text_of(centre)
    assert "인증 대기" in row.inner_text() and "박서연" in row.inner_text()
    submit(centre, row.get_by_role("button", name="인증", exact=True))
    assert "조직을 인증했습니다." in flashes(centre)
    assert centre.get_by_role("link", name=org_name).count() == 0  # gone from the pending list
    centre.goto(f"/organizations/{org_id}")
    assert "센터 인증" in text_of(centre)

    # --- handles the report: hides the listing -----------------------------------------------------------
    centre.goto("/admin")
    submit(centre, centre.get_by_role("navigation", name="관리 메뉴").get_by_role("link", name="신고 처리"))
    group = centre.locator("ul.report-queue > li").filter(
        has=centre.get_by_role("heading", name=listing_title)
    )
    assert group.count() == 1, text_of(centre)
    body = group.inner_text()
    assert "신고 1건" in body and "공개 중" in body
    group.locator("details summary").click()
    assert "효능을 과장한 건강식품" in group.locator("details").inner_text()
    confirm_and_submit(centre, group.get_by_role("button", name="숨기기"))
    assert "대상을 숨기고 신고를 처리했습니다." in flashes(centre)
    assert centre.get_by_role("heading", name=listing_title).count() == 0  # no longer open

    # the listing is gone for residents (404) and marked hidden for its owner
    response = resident.goto(f"/market/{listing_id}")
    assert response.status == 404
    owner = new_page()
    live_server.login_as(owner, "minji", next_path=f"/market/{listing_id}")
    assert "센터가 숨김" in text_of(owner)

    # --- reads the fund audit: the ledger is intact ------------------------------------------------------------
    centre.goto("/admin")
    submit(centre, centre.get_by_role("navigation", name="관리 메뉴").get_by_role("link", name="기금 감사"))
    submit(centre, centre.get_by_role("link", name="감사 실행"))
    assert centre.locator("h1").inner_text() == "원장 감사"
    assert centre.get_by_role("status").inner_text().strip() == "✓ 이상 없음"
    summary = centre.locator("table.card-receipt")
    assert summary.locator("tr", has_text="해시 체인").locator("td").inner_text() == "온전함"
    assert summary.locator("tr", has_text="분개 합계가 0").locator("td").inner_text() == "예"
    checked = summary.locator("tr", has_text="검사한 결제").locator("td").inner_text()
    assert int(checked.replace(",", "")) > 0  # the demo payments were checked
    fund = summary.locator("tr", has_text="기금 잔액").first.locator("td").inner_text()
    expected = summary.locator("tr", has_text="있어야 할 기금 잔액").locator("td").inner_text()
    assert fund == expected
    assert "문제가 없습니다." in text_of(centre)

    # --- every action is in the audit log ------------------------------------------------------------------
    centre.goto("/admin/audit-log")
    rows = centre.locator("table.admin-table tbody tr")
    verified = rows.filter(has=centre.get_by_role("cell", name="조직 인증", exact=True)).filter(
        has=centre.locator(f'a[href="/organizations/{org_id}"]')
    )
    assert verified.count() == 1, text_of(centre)
    assert rows.filter(has=centre.get_by_role("cell", name="신고 처리: 숨김", exact=True)).count() >= 1
