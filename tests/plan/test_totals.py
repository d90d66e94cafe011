"""Every total computed from its parts; the printed mistakes flagged, the lines that add up not."""

from __future__ import annotations

import copy

from sharing.plan import services
from sharing.plan.loader import load_data, read_data
from sharing.plan.services import budget, checks


def test_budget_totals_are_computed_from_the_data(plan):
    data, _ = read_data()
    fp = data["financial_plan"]
    years = [2017, 2018, 2019, 2020]
    cell = lambda v: v if isinstance(v, int) else 0  # noqa: E731  ("-" and the empty cell count 0)
    by_year = {y: sum(cell(line["years"][y]) for line in fp["lines"]) for y in years}
    summary = budget.budget_summary(plan)
    assert summary["computed_by_year"] == by_year
    assert summary["computed_total"] == sum(by_year.values())
    assert summary["stated_total"] == fp["stated_total"] == 7156
    assert summary["sum_of_line_totals"] == sum(
        line["stated_total"] for line in fp["lines"] if isinstance(line["stated_total"], int)
    )
    assert summary["sum_of_stated_years"] == sum(fp["stated_by_year"].values())


def test_known_printed_mistakes_are_flagged(plan):
    summary = budget.budget_summary(plan)
    flagged = {d["key"]: (d["stated"], d["computed"]) for d in summary["discrepancies"]}
    assert flagged == {
        "budget.line.sharing-platform": (40, 35),  # 25 + 5 + 5, the 2020 cell is empty
        "budget.line.forum": (17, 13),  # 1 + 4 + 4 + 4
        "budget.year.2020": (1994, 1989),
        "budget.total.cells": (7156, 7157),
        "budget.total.lines": (7156, 7166),
        "budget.total.years": (7156, 7162),
    }
    for d in summary["discrepancies"]:
        assert d["where"].startswith("재정계획")


def test_lines_and_years_that_add_up_are_not_flagged(plan):
    summary = budget.budget_summary(plan)
    flagged = {d["key"] for d in summary["discrepancies"]}
    for line in summary["lines"]:
        if line["key"] not in ("sharing-platform", "forum"):
            assert f"budget.line.{line['key']}" not in flagged
            assert line["ok"]
    for year in (2017, 2018, 2019):
        assert summary["computed_by_year"][year] == summary["stated_by_year"][year]
        assert f"budget.year.{year}" not in flagged
    non_budget = [line for line in summary["lines"] if line["non_budget"]]
    assert len(non_budget) == 4 and all(line["stated_total_text"] == "비예산" for line in non_budget)


def test_target_totals_of_the_plan_all_add_up(plan):
    assert checks.target_checks(plan) == []


def test_a_wrong_target_total_is_flagged(app):
    data, _ = read_data()
    changed = copy.deepcopy(data)
    rows = changed["tasks"][0]["projects"][0]["targets"][0]["rows"]
    rows[0]["total"] = "19"  # 3 + 4 + 5 + 6 = 18
    changed["tasks"][1]["projects"][0]["targets"][1]["rows"][0]["years"][2019] = "52.9"  # +10 steps
    load_data(changed)
    problems = {d["key"]: (d["stated"], d["computed"]) for d in checks.target_checks(services.current_plan())}
    assert problems["target.1-1/mission-teams.total"] == (19, 18)
    assert problems["target.2-1/awareness.step.2019"] == (10, 11)
    assert problems["target.2-1/awareness.step.2020"] == (10, 9)
    assert len(problems) == 3


def test_average_rule_for_the_operating_rate(plan):
    from sqlalchemy import select

    from sharing.core.extensions import db
    from sharing.plan.models import PlanTargetRow

    row = db.session.scalar(select(PlanTargetRow).where(PlanTargetRow.key == "2-3/coops-operating"))
    assert checks.row_total(row) == 57 == row.total_value


def test_earlier_results_checks(plan):
    problems = {d["key"]: (d["stated"], d["computed"]) for d in checks.table_checks(plan)}
    assert problems == {
        "table.public-purchase-2011-2016.2012년": (86, 83.3),  # 10억 / 12억
        "table.public-purchase-2011-2016.2013년": (135, 108.5),  # 21억7천 / 20억
        "table.se-organisations-2017-03.서울시": (3561, 3399),
        "table.se-organisations-2017-03.노원구": (59, 89),
    }
    # 2014 (101%), 2015 (128%), 2016 (142.9%), 성북구 131, committees, the centre's area add up


def test_evaluation_points_add_up(plan):
    from sqlalchemy import select

    from sharing.core.extensions import db
    from sharing.plan.models import PlanEvalIndicator

    indicators = db.session.scalars(select(PlanEvalIndicator)).all()
    assert checks.evaluation_checks(plan, indicators) == []


def test_all_discrepancies_lists_every_kind(plan):
    kinds = [d["kind"] for d in services.all_discrepancies(plan)]
    assert kinds.count("budget") == 6 and kinds.count("table") == 4 and len(kinds) == 10
