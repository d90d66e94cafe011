"""The scorecards: each indicator within its points, totals out of 100, year on year, the calendar."""

from __future__ import annotations

from decimal import Decimal

import pytest
from sqlalchemy import func, select

from sharing.core.errors import Forbidden, Invalid
from sharing.core.extensions import db
from sharing.plan.models import PlanScore
from sharing.plan.services import evaluation
from sharing.records.models import AuditLog


def test_scorecard_totals(plan, centre):
    card = evaluation.save_scores(
        centre,
        "self",
        2017,
        {"self-output-achievement": 27.5, "self-use-feedback": "20", "self-plan-preparation": 0},
    )
    assert card["total"] == Decimal("47.5") and card["max_total"] == 100 and card["bonus_max"] == 0
    assert card["scored"] == 3 and not card["complete"]
    stages = {s["stage"]: s["score"] for s in card["stages"]}
    assert stages["산출·결과"] == Decimal("27.5") and stages["계획"] == 0
    external = evaluation.save_scores(
        centre, "external", 2017, {"ext-capacity-improvement": 5, "ext-feedback": 20}
    )
    assert external["total"] == 25 and external["max_total"] == 100 and external["bonus_max"] == 5


@pytest.mark.parametrize(
    "scores",
    [
        {"self-output-achievement": 30.01},
        {"self-plan-preparation": 6},
        {"self-plan-preparation": -0.5},
        {"self-plan-preparation": "다섯"},
        {"self-plan-preparation": True},
        {"self-plan-preparation": "1.005"},
        {"no-such-indicator": 1},
        {"ext-feedback": 1},  # an external indicator on the self scorecard
    ],
)
def test_scores_outside_their_points_are_refused(plan, centre, scores):
    with pytest.raises(Invalid):
        evaluation.save_scores(centre, "self", 2018, {"self-use-feedback": 10, **scores})
    assert db.session.scalar(select(func.count()).select_from(PlanScore)) == 0


def test_scores_at_the_bounds_are_accepted(plan, centre):
    card = evaluation.save_scores(
        centre, "self", 2019, {"self-output-achievement": 30, "self-plan-preparation": 0}
    )
    assert card["total"] == 30


@pytest.mark.parametrize("year,kind", [(2016, "self"), (2021, "self"), (2018, "peer")])
def test_year_and_kind_are_checked(plan, centre, year, kind):
    with pytest.raises(Invalid):
        evaluation.save_scores(centre, kind, year, {"self-use-feedback": 1})


def test_residents_cannot_score(plan, resident):
    with pytest.raises(Forbidden):
        evaluation.save_scores(resident, "self", 2018, {"self-use-feedback": 1})


def test_rescoring_updates_and_blank_clears(plan, centre):
    evaluation.save_scores(centre, "self", 2018, {"self-use-feedback": 10, "self-plan-preparation": 3})
    card = evaluation.save_scores(
        centre, "self", 2018, {"self-use-feedback": 12, "self-plan-preparation": ""}
    )
    assert card["total"] == 12
    assert db.session.scalar(select(func.count()).select_from(PlanScore)) == 1
    log = db.session.scalars(select(AuditLog).where(AuditLog.action == "plan.scores")).all()
    assert len(log) == 2 and log[1].detail["scores"] == {
        "self-use-feedback": "12",
        "self-plan-preparation": None,
    }


def test_year_on_year(plan, centre):
    evaluation.save_scores(centre, "self", 2017, {"self-use-feedback": 10})
    evaluation.save_scores(centre, "self", 2018, {"self-use-feedback": 15, "self-exec-effort": 5})
    history = evaluation.year_on_year(plan, "self")
    assert history["totals"] == {2017: 10, 2018: 20, 2019: None, 2020: None}
    assert history["changes"][2018] == 10 and history["changes"][2017] is None
    row = next(r for r in history["rows"] if r["indicator"].key == "self-use-feedback")
    assert row["by_year"][2017] == 10 and row["by_year"][2018] == 15


def test_calendar_follows_the_procedure(plan):
    calendar = {c["year"]: {s["key"]: s for s in c["steps"]} for c in evaluation.calendar(plan)}
    assert calendar[2018]["plan"]["when"] == "2018년 12월"
    assert calendar[2018]["self-report"]["when"] == "2019년 1~2월"
    assert calendar[2018]["external"]["when"] == "2019년 3~4월"
    assert calendar[2020]["external"]["replaced"] and not calendar[2019]["external"]["replaced"]
