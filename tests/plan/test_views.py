"""The centre's plan pages: sign-in redirect, 403 for residents, results, scores, exports, print view."""

from __future__ import annotations

import csv
import io
from urllib.parse import quote

import pytest
from sqlalchemy import func, select

from sharing.core.extensions import db
from sharing.plan.models import PlanResult, PlanScore
from sharing.records.models import AuditLog

PAGES = [
    "/admin/plan",
    "/admin/plan/1-1",
    "/admin/plan/3-1",
    "/admin/plan/4-4",
    "/admin/plan/evaluation",
    "/admin/plan/evaluation?year=2019",
    "/admin/plan/report/2018",
    "/admin/plan/export/targets.csv",
    "/admin/plan/export/budget.csv",
    "/admin/plan/export/results.csv",
    "/admin/plan/export/scores.csv",
    "/admin/plan/export/tables.csv",
    "/admin/plan/export/discrepancies.csv",
]
POSTS = [
    ("/admin/plan/1-1/results", {"year": "2017", "indicator": "발굴단 구성", "actual": "3"}),
    ("/admin/plan/evaluation/2018/self", {"score-self-use-feedback": "10"}),
]


@pytest.mark.parametrize("url", PAGES)
def test_anonymous_visitors_are_sent_to_sign_in(client, plan, url):
    response = client.get(url)
    assert response.status_code == 302
    path = url.split("?")[0]
    assert response.headers["Location"].startswith("/auth/login?next=" + quote(path, safe=""))


@pytest.mark.parametrize("url,data", POSTS)
def test_anonymous_posts_are_sent_to_sign_in(client, plan, url, data):
    response = client.post(url, data=data)
    assert response.status_code == 302 and "/auth/login" in response.headers["Location"]
    assert db.session.scalar(select(func.count()).select_from(PlanResult)) == 0


@pytest.mark.parametrize("url", PAGES)
def test_residents_get_403(client, plan, auth, resident, url):
    auth.login(resident)
    assert client.get(url).status_code == 403


@pytest.mark.parametrize("url,data", POSTS)
def test_residents_cannot_post(client, plan, auth, resident, url, data):
    auth.login(resident)
    assert client.post(url, data=data).status_code == 403
    assert db.session.scalar(select(func.count()).select_from(PlanResult)) == 0
    assert db.session.scalar(select(func.count()).select_from(PlanScore)) == 0


@pytest.mark.parametrize("url", PAGES)
def test_the_centre_sees_every_page(client, plan, auth, centre, url):
    auth.login(centre)
    assert client.get(url).status_code == 200


def test_overview_page(client, plan, auth, centre):
    auth.login(centre)
    html = client.get("/admin/plan").get_data(as_text=True)
    assert "지속가능한 사회적경제 공동체 구축" in html
    assert html.count('href="/admin/plan/') >= 13
    assert "<svg" in html and 'aria-hidden="true"' in html
    assert "<caption>" in html and 'scope="col"' in html
    assert "7,156" in html and "7,157" in html and "1,994" in html and "1,989" in html
    assert "불일치" in html
    assert 'href="/admin"' in html
    assert "style=" not in html


def test_unknown_project_page_is_404(client, plan, auth, centre):
    auth.login(centre)
    assert client.get("/admin/plan/9-9").status_code == 404


def test_platform_page_shows_live_indicators(client, plan, auth, centre):
    auth.login(centre)
    html = client.get("/admin/plan/3-1").get_data(as_text=True)
    assert "이 플랫폼의 현재 지표" in html
    assert "사회적경제기금 도입" in html and "지역거래카드 도입" in html
    assert html.count("<svg") == 9
    assert "style=" not in html


def test_record_a_result_through_the_form(client, plan, auth, centre):
    auth.login(centre)
    response = client.post(
        "/admin/plan/1-1/results",
        data={
            "year": "2018",
            "indicator": "발굴단 구성",
            "actual": "3",
            "note": "동별 발굴단",
            "evidence_url": "https://example.kr/a",
        },
    )
    assert response.status_code == 302
    html = client.get("/admin/plan/1-1").get_data(as_text=True)
    assert "75.0%" in html  # 3 / 4 × 100
    db.session.rollback()  # a fresh snapshot after the request's commit
    result = db.session.scalar(select(PlanResult))
    assert result.year == 2018 and result.actual == 3 and result.evidence_url == "https://example.kr/a"
    assert db.session.scalar(select(func.count()).where(AuditLog.action == "plan.result")) == 1


@pytest.mark.parametrize(
    "data",
    [
        {"year": "2016", "indicator": "발굴단 구성", "actual": "3"},
        {"year": "2017", "indicator": "", "actual": "3"},
        {"year": "2017", "indicator": "발굴단 구성", "actual": "셋"},
        {"year": "2017", "indicator": "발굴단 구성", "actual": "3", "evidence_url": "ftp://x"},
    ],
)
def test_an_invalid_result_form_is_422(client, plan, auth, centre, data):
    auth.login(centre)
    response = client.post("/admin/plan/1-1/results", data=data)
    assert response.status_code == 422
    assert "입력값을 확인해 주세요" in response.get_data(as_text=True)
    assert db.session.scalar(select(func.count()).select_from(PlanResult)) == 0


def test_save_a_scorecard(client, plan, auth, centre):
    auth.login(centre)
    data = {
        "score-self-plan-preparation": "5",
        "score-self-plan-performance": "4.5",
        "score-self-exec-schedule": "10",
        "score-self-exec-resources": "8",
        "score-self-exec-responsiveness": "7",
        "score-self-exec-effort": "9",
        "score-self-output-achievement": "25",
        "score-self-use-feedback": "15",
        "note-self-use-feedback": "차기계획 반영",
    }
    assert client.post("/admin/plan/evaluation/2018/self", data=data).status_code == 302
    html = client.get("/admin/plan/evaluation?year=2018").get_data(as_text=True)
    assert "83.5" in html and "모든 지표 채점" in html
    db.session.rollback()
    log = db.session.scalar(select(AuditLog).where(AuditLog.action == "plan.scores"))
    assert log.detail["year"] == 2018 and log.detail["kind"] == "self"


@pytest.mark.parametrize("value", ["31", "-1", "abc", "5.555"])
def test_a_score_out_of_range_is_refused(client, plan, auth, centre, value):
    auth.login(centre)
    response = client.post(
        "/admin/plan/evaluation/2018/self",
        data={"score-self-plan-preparation": "5", "score-self-output-achievement": value},
    )
    assert response.status_code == 422
    assert "0점에서 30점 사이" in response.get_data(as_text=True)
    assert db.session.scalar(select(func.count()).select_from(PlanScore)) == 0


def test_unknown_scorecard_kind_or_year(client, plan, auth, centre):
    auth.login(centre)
    assert client.post("/admin/plan/evaluation/2018/other", data={}).status_code == 404
    assert (
        client.post("/admin/plan/evaluation/2030/self", data={"score-self-use-feedback": "1"}).status_code
        == 422
    )


def test_csv_exports_have_a_bom(client, plan, auth, centre):
    auth.login(centre)
    response = client.get("/admin/plan/export/budget.csv")
    assert response.headers["Content-Type"].startswith("text/csv")
    assert "attachment" in response.headers["Content-Disposition"]
    body = response.data
    assert body.startswith("\ufeff".encode())
    text = body.decode("utf-8-sig")
    assert "지역자원 공유플랫폼 구축" in text and "7156" in text and "1989" in text
    targets = client.get("/admin/plan/export/targets.csv").data.decode("utf-8-sig")
    assert "발굴단 구성" in targets and "320억원" in targets
    assert client.get("/admin/plan/export/passwords.csv").status_code == 404


def test_printable_report(client, plan, auth, centre):
    auth.login(centre)
    client.post(
        "/admin/plan/4-3/results", data={"year": "2019", "indicator": "공공의무구매", "actual": "120"}
    )
    html = client.get("/admin/plan/report/2019").get_data(as_text=True)
    assert "data-print" in html and "plan.css" in html
    assert "120.0" in html  # 120 / 100
    assert client.get("/admin/plan/report/2030").status_code == 404


def test_the_results_export_neutralises_formulas(client, plan, auth, centre):
    auth.login(centre)
    data = {
        "year": "2017",
        "indicator": '=HYPERLINK("http://evil.example")',
        "actual": "-3",
        "note": "@SUM(A1)",
    }
    assert client.post("/admin/plan/1-1/results", data=data).status_code == 302
    response = client.get("/admin/plan/export/results.csv")
    body = response.get_data().decode("utf-8")
    assert body.startswith("\ufeff")
    rows = list(csv.reader(io.StringIO(body.lstrip("\ufeff"))))
    cells = {c for row in rows[1:] for c in row}
    assert '\'=HYPERLINK("http://evil.example")' in cells and "'@SUM(A1)" in cells
    assert not any(c.startswith(("=", "+", "@")) for c in cells)


def test_the_overview_shows_a_blank_cell_blank_and_flags_computed_totals(client, plan, auth, centre):
    auth.login(centre)
    html = client.get("/admin/plan").get_data(as_text=True)
    row = html[html.index('href="/admin/plan/3-1">3-1') :]
    row = row[: row.index("</tr>")]
    assert '<span class="tag warn">빈 칸</span>' in row and ">0<" not in row
    assert "인쇄 40" in row
    row = html[html.index('href="/admin/plan/4-1">4-1') :]
    assert "인쇄 61" in row[: row.index("</tr>")]
