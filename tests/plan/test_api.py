"""The plan API: centre only (401 without a token, 403 for residents), the plan, a project, results."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from sharing.core.extensions import db
from sharing.plan.models import PlanResult
from sharing.records.models import AuditLog

CODES = ["1-1", "1-2", "1-3", "2-1", "2-2", "2-3", "3-1", "3-2", "3-3", "4-1", "4-2", "4-3", "4-4"]
ROUTES = [
    ("get", "/api/v1/plan", None),
    ("get", "/api/v1/plan/projects/1-1", None),
    ("post", "/api/v1/plan/projects/1-1/results", {"year": 2017, "indicator": "발굴단 구성", "actual": 3}),
]


@pytest.mark.parametrize("method,url,body", ROUTES)
def test_anonymous_gets_401(client, plan, method, url, body):
    response = getattr(client, method)(url, json=body)
    assert response.status_code == 401
    assert response.get_json()["error"]["code"] == "unauthorized"


@pytest.mark.parametrize("method,url,body", ROUTES)
def test_residents_get_403(client, plan, auth, resident, method, url, body):
    response = getattr(client, method)(url, json=body, headers=auth.headers(resident))
    assert response.status_code == 403
    assert db.session.scalar(select(func.count()).select_from(PlanResult)) == 0


def test_the_whole_plan(client, plan, auth, centre):
    body = client.get("/api/v1/plan", headers=auth.headers(centre)).get_json()
    assert body["title"] == "성북구 사회적경제 기본계획"
    assert body["period"] == {"start": 2017, "end": 2020}
    assert body["vision"] == "지속가능한 사회적경제 공동체 구축"
    assert len(body["goals"]) == 3
    assert [t["code"] for t in body["tasks"]] == ["1", "2", "3", "4"]
    assert [p["code"] for t in body["tasks"] for p in t["projects"]] == CODES
    assert body["tasks"][2]["projects"][0]["title"] == "지역사회 공유 플랫폼 구축"
    b = body["budget"]
    assert b["stated_total"] == 7156 and b["computed_total"] == 7157
    assert b["stated_by_year"] == {"2017": 1645, "2018": 1784, "2019": 1739, "2020": 1994}
    assert b["computed_by_year"] == {"2017": 1645, "2018": 1784, "2019": 1739, "2020": 1989}
    assert {"where", "stated", "computed"} <= set(b["discrepancies"][0])
    wheres = {d["where"]: (d["stated"], d["computed"]) for d in b["discrepancies"]}
    assert wheres["재정계획 › 총액 › 2020년"] == (1994, 1989)
    assert all(isinstance(d["stated"], int) for d in b["discrepancies"])
    assert len(body["discrepancies"]) == 10


def test_plan_not_loaded_is_404(client, auth, centre):
    response = client.get("/api/v1/plan", headers=auth.headers(centre))
    assert response.status_code == 404
    assert response.get_json()["error"]["code"] == "plan_not_loaded"


@pytest.mark.parametrize("code", CODES)
def test_every_project(client, plan, auth, centre, code):
    body = client.get(f"/api/v1/plan/projects/{code}", headers=auth.headers(centre)).get_json()
    assert body["code"] == code
    assert body["direction"] and body["content"] and body["targets"]
    for row in body["targets"]:
        assert [c["year"] for c in row["years"]] == [2017, 2018, 2019, 2020]
    assert ("platform_metrics" in body) == (code == "3-1")


@pytest.mark.parametrize("code", ["5-1", "1-4", "0-0", "x"])
def test_unknown_project_is_404(client, plan, auth, centre, code):
    assert client.get(f"/api/v1/plan/projects/{code}", headers=auth.headers(centre)).status_code == 404
    response = client.post(
        f"/api/v1/plan/projects/{code}/results",
        json={"year": 2017, "indicator": "x", "actual": 1},
        headers=auth.headers(centre),
    )
    assert response.status_code == 404


def test_project_3_1_has_the_nine_platform_metrics(client, plan, auth, centre):
    body = client.get("/api/v1/plan/projects/3-1", headers=auth.headers(centre)).get_json()
    metrics = body["platform_metrics"]
    assert set(metrics) >= {
        "resources",
        "listings",
        "loans_completed",
        "posts",
        "organizations_on_card",
        "card_payments",
        "card_volume",
        "mileage_issued",
        "fund_balance",
    }
    assert all(type(v) is int for v in metrics.values())
    assert len(body["platform_monthly"]) == 12
    assert [s["year"] for s in body["platform_steps"]] == [2017, 2018, 2019, 2020]
    assert body["platform_steps"][3]["items"][2]["text"] == "사회적경제기금 도입"
    assert body["budget_lines"][0]["stated_total"] == 40 and body["budget_lines"][0]["computed_total"] == 35


def test_record_a_result_and_its_achievement_rate(client, plan, auth, centre):
    headers = auth.headers(centre)
    response = client.post(
        "/api/v1/plan/projects/4-3/results",
        json={"year": 2019, "indicator": "공공의무구매", "actual": 85.5, "note": "구매실적"},
        headers=headers,
    )
    assert response.status_code == 201, response.get_json()
    body = response.get_json()
    assert body["target"] == 100 and body["actual"] == 85.5 and body["achievement_rate"] == 85.5
    assert body["target_row"] == "4-3/public-purchase"
    assert body["created_at"].endswith("+09:00")
    # the plan's own way: 50억 / 35억 → 142.9
    client.post(
        "/api/v1/plan/projects/4-3/results",
        json={"year": 2017, "indicator": "공공의무구매", "actual": 71.45},
        headers=headers,
    )
    project = client.get("/api/v1/plan/projects/4-3", headers=headers).get_json()
    row = next(r for r in project["targets"] if r["key"] == "4-3/public-purchase")
    assert row["years"][2]["actual"] == 85.5 and row["years"][2]["rate"] == 85.5
    assert row["years"][0]["rate"] == 142.9  # 71.45 / 50 × 100 = 142.9
    assert len(project["results"]) == 2
    db.session.rollback()
    log = db.session.scalars(select(AuditLog).where(AuditLog.action == "plan.result")).all()
    assert len(log) == 2 and log[0].detail["project"] == "4-3" and log[0].actor_id == centre.id


def test_the_latest_result_counts_and_free_indicators_are_kept(client, plan, auth, centre):
    headers = auth.headers(centre)
    for actual in (2, 3):
        client.post(
            "/api/v1/plan/projects/1-1/results",
            json={"year": 2017, "indicator": "발굴단 구성", "actual": actual},
            headers=headers,
        )
    free = client.post(
        "/api/v1/plan/projects/1-1/results",
        json={"year": 2018, "indicator": "새 지표", "actual": 7},
        headers=headers,
    ).get_json()
    assert free["target_row"] is None and free["achievement_rate"] is None
    project = client.get("/api/v1/plan/projects/1-1", headers=headers).get_json()
    row = project["targets"][0]
    assert row["years"][0]["actual"] == 3 and row["years"][0]["rate"] == 100
    assert len(project["results"]) == 3


@pytest.mark.parametrize(
    "body,field",
    [
        ({"year": 2016, "indicator": "발굴단 구성", "actual": 1}, "year"),
        ({"year": 2021, "indicator": "발굴단 구성", "actual": 1}, "year"),
        ({"year": "2017", "indicator": "발굴단 구성", "actual": 1}, "year"),
        ({"year": 2017, "indicator": "발굴단 구성", "actual": "3"}, "actual"),
        ({"year": 2017, "indicator": "발굴단 구성", "actual": True}, "actual"),
        ({"year": 2017, "indicator": "발굴단 구성"}, "actual"),
        ({"year": 2017, "indicator": "가" * 201, "actual": 1}, "indicator"),
        ({"year": 2017, "indicator": "   ", "actual": 1}, "indicator"),
        ({"year": 2017, "actual": 1}, "indicator"),
        (
            {"year": 2017, "indicator": "x", "actual": 1, "evidence_url": "javascript:alert(1)"},
            "evidence_url",
        ),
        ({"year": 2017, "indicator": "x", "actual": 1, "unknown": 1}, "unknown"),
    ],
)
def test_invalid_results_are_422(client, plan, auth, centre, body, field):
    response = client.post("/api/v1/plan/projects/1-1/results", json=body, headers=auth.headers(centre))
    assert response.status_code == 422, response.get_json()
    assert field in response.get_json()["error"]["fields"]
    assert db.session.scalar(select(func.count()).select_from(PlanResult)) == 0


def test_an_indicator_of_200_characters_is_accepted(client, plan, auth, centre):
    response = client.post(
        "/api/v1/plan/projects/1-1/results",
        json={"year": 2020, "indicator": "가" * 200, "actual": 0},
        headers=auth.headers(centre),
    )
    assert response.status_code == 201


def test_malformed_json_is_400(client, plan, auth, centre):
    response = client.post(
        "/api/v1/plan/projects/1-1/results",
        data="{not json",
        content_type="application/json",
        headers=auth.headers(centre),
    )
    assert response.status_code == 400


def test_openapi_documents_the_plan_routes(client):
    paths = client.get("/api/v1/openapi.json").get_json()["paths"]
    assert "/api/v1/plan" in paths
    assert "/api/v1/plan/projects/{code}" in paths
    post = paths["/api/v1/plan/projects/{code}/results"]["post"]
    assert "201" in post["responses"] and "422" in post["responses"]


def test_a_project_says_which_years_are_blank_and_whether_its_total_is_computed(client, plan, auth, centre):
    body = client.get("/api/v1/plan", headers=auth.headers(centre)).get_json()
    projects = {p["code"]: p for t in body["tasks"] for p in t["projects"]}
    platform = projects["3-1"]
    assert platform["budget"] == {"2017": 25, "2018": 5, "2019": 5, "2020": None}  # blank, not 0
    assert platform["budget_blank_years"] == [2020]
    assert (platform["budget_total"], platform["budget_stated_total"]) == (35, 40)
    assert platform["budget_total_computed"] is True
    governance = projects["4-1"]
    assert (governance["budget_total"], governance["budget_stated_total"]) == (57, 61)
    assert governance["budget_total_computed"] is True and governance["budget_blank_years"] == []
    agreeing = [p for p in projects.values() if not p["non_budget"] and not p["budget_total_computed"]]
    assert agreeing and all(p["budget_total"] == p["budget_stated_total"] for p in agreeing)
