"""`flask plan load`: the data file into tables, idempotently; a changed file updates the rows."""

from __future__ import annotations

import copy

import pytest
from sqlalchemy import func, select

from sharing.core.extensions import db
from sharing.plan import models as m
from sharing.plan.loader import PlanDataError, cell, load_data, load_plan, parse_figure, read_data
from sharing.records.models import AuditLog

TABLES = (
    m.PlanDocument,
    m.PlanTask,
    m.PlanProject,
    m.PlanTargetRow,
    m.PlanTarget,
    m.PlanBudgetLine,
    m.PlanBudgetAmount,
    m.PlanTable,
    m.PlanEvalIndicator,
)


def snapshot() -> dict:
    return {model.__tablename__: sorted(db.session.scalars(select(model.id))) for model in TABLES}


def test_load_twice_gives_the_same_rows(app):
    first = load_plan()
    assert first.changed
    rows = snapshot()
    second = load_plan()
    assert not second.changed
    assert snapshot() == rows
    assert len(rows["plan_documents"]) == 1
    assert len(rows["plan_tasks"]) == 4
    assert len(rows["plan_projects"]) == 13
    assert len(rows["plan_budget_lines"]) == 24
    assert len(rows["plan_budget_amounts"]) == 24 * 4
    assert len(rows["plan_targets"]) == 4 * len(rows["plan_target_rows"])
    assert len(rows["plan_eval_indicators"]) == 16
    assert all(c["updated"] == 0 and c["created"] == 0 for c in second.counts.values())


def test_a_changed_data_file_updates_rows_in_place(app):
    data, checksum = read_data()
    load_data(data, checksum)
    before = snapshot()
    changed = copy.deepcopy(data)
    changed["version"] = "test-2"
    changed["vision"] = "바뀐 비전"
    row = changed["tasks"][0]["projects"][0]["targets"][0]["rows"][0]
    row["years"][2020] = "7"
    changed["financial_plan"]["lines"][0]["years"][2017] = 11
    report = load_data(changed, "x" * 64)
    assert report.counts["plan_documents"]["updated"] == 1
    assert report.counts["plan_targets"]["updated"] == 1
    assert report.counts["plan_budget_amounts"]["updated"] == 1
    assert snapshot() == before  # same rows, no duplicates
    plan = db.session.scalar(select(m.PlanDocument))
    assert plan.vision == "바뀐 비전" and plan.version == "test-2"
    target = db.session.scalar(
        select(m.PlanTarget)
        .join(m.PlanTargetRow)
        .where(m.PlanTargetRow.key == "1-1/mission-teams", m.PlanTarget.year == 2020)
    )
    assert target.text == "7" and target.value == 7


def test_a_removed_row_is_deleted_and_a_new_one_created(app):
    data, _ = read_data()
    load_data(data)
    changed = copy.deepcopy(data)
    rows = changed["tasks"][0]["projects"][0]["targets"][0]["rows"]
    rows[0]["key"] = "mission-teams-renamed"
    report = load_data(changed)
    assert report.counts["plan_target_rows"]["deleted"] == 1
    assert report.counts["plan_target_rows"]["created"] == 1
    keys = set(db.session.scalars(select(m.PlanTargetRow.key)))
    assert "1-1/mission-teams-renamed" in keys and "1-1/mission-teams" not in keys


def test_a_project_with_results_cannot_be_dropped(app, make):
    from sharing.plan.services import results

    data, _ = read_data()
    load_data(data)
    results.record_result(make.centre(), "1-2", year=2017, indicator="목표시설수", actual=2)
    changed = copy.deepcopy(data)
    changed["tasks"][0]["projects"] = [p for p in changed["tasks"][0]["projects"] if p["code"] != "1-2"]
    with pytest.raises(PlanDataError):
        load_data(changed)


def test_a_scored_indicator_cannot_be_dropped(app, make):
    from sharing.plan.services import evaluation

    data, _ = read_data()
    load_data(data)
    evaluation.save_scores(make.centre(), "self", 2017, {"self-use-feedback": 10})
    changed = copy.deepcopy(data)
    changed["evaluation"]["self"]["indicators"] = changed["evaluation"]["self"]["indicators"][:-1]
    with pytest.raises(PlanDataError):
        load_data(changed)
    assert db.session.scalar(select(func.count()).select_from(m.PlanScore)) == 1


@pytest.mark.parametrize(
    "mutate",
    [
        lambda d: d["tasks"][0]["projects"].pop(),
        lambda d: d.pop("vision"),
        lambda d: d["financial_plan"]["lines"].append(dict(d["financial_plan"]["lines"][0])),
        lambda d: d["tasks"][0]["projects"][0]["targets"][0]["rows"][0].update(total_rule="median"),
        lambda d: d["tasks"][0]["projects"][0]["targets"][0]["rows"][0]["years"].update({2021: "1"}),
    ],
)
def test_a_broken_data_file_is_refused(app, mutate):
    data, _ = read_data()
    broken = copy.deepcopy(data)
    mutate(broken)
    with pytest.raises(PlanDataError):
        load_data(broken)
    assert db.session.scalar(select(func.count()).select_from(m.PlanDocument)) == 0


def test_cells_keep_the_printed_text():
    assert parse_figure("40,000") == 40000
    assert parse_figure("57% (평균)") == 57
    assert parse_figure("142.9%") == parse_figure("142.9")
    assert parse_figure("운영계획 수립") is None
    assert parse_figure("-") is None
    assert cell("320억원")[1] == 320
    assert cell({"text": "5억9천", "value": 590}) == ("5억9천", 590)
    assert cell(1600) == ("1,600", 1600)
    assert cell(None) == (None, None)


def test_cli_load_is_idempotent_with_progress(app, runner):
    result = runner.invoke(args=["plan", "load"])
    assert result.exit_code == 0, result.output
    assert "13 projects" in result.output and "changed" in result.output
    again = runner.invoke(args=["plan", "load"])
    assert again.exit_code == 0
    assert "already up to date" in again.output
    assert "0 created, 0 updated" in again.output
    check = runner.invoke(args=["plan", "check"])
    assert "10 discrepancies" in check.output


def test_loading_writes_one_audit_line_when_something_changed(app):
    load_plan()
    load_plan()
    assert db.session.scalar(select(func.count()).where(AuditLog.action == "plan.load")) == 1
