"""CSV exports of the plan's tables, the results and the scorecards (UTF-8 with BOM, for spreadsheets)."""

from __future__ import annotations

from flask_babel import gettext as _

from ...auth.services import require_centre
from ...core import csv as csvfile
from ...core.errors import NotFound
from ..figures import fmt
from . import budget, evaluation, results
from .access import current_plan, get_project
from .checks import tables
from .overview import all_discrepancies

EXPORTS = ("targets", "budget", "results", "scores", "discrepancies", "tables")


def _csv(header: list[str], rows: list[list]) -> str:
    return csvfile.text(rows, header)


def export(actor, name: str) -> str:
    require_centre(actor)
    if name not in EXPORTS:
        raise NotFound(_("내보낼 수 없는 표입니다."))
    plan = current_plan()
    return globals()[f"_{name}"](plan)


def _targets(plan) -> str:
    header = [
        _("세부사업"),
        _("추진계획"),
        _("구분"),
        _("단위"),
        _("계(인쇄)"),
        _("계(계산)"),
        _("계산 방법"),
    ]
    header += [f"{y}" for y in plan.years]
    rows = []
    for task in plan.tasks:
        for project in task.projects:
            for row in results.target_table(plan, get_project(plan, project.code)):
                rows.append(
                    [
                        project.code,
                        row["programme"] or "",
                        row["indicator"],
                        row["unit"] or "",
                        row["total_text"],
                        fmt(row["computed_total"]),
                        row["total_rule"],
                    ]
                    + [c["text"] for c in row["years"]]
                )
    return _csv(header, rows)


def _budget(plan) -> str:
    summary = budget.budget_summary(plan)
    header = [_("세부사업"), _("추진과제(인쇄)"), _("세부사업(인쇄)"), _("항목"), _("합계(인쇄)")]
    header += [str(y) for y in plan.years] + [_("합계(계산)"), _("일치")]
    rows = []
    for line in summary["lines"]:
        rows.append(
            [
                line["project"],
                line["task_label"],
                line["project_label"],
                line["name"],
                line["stated_total_text"],
            ]
            + [line["years"][y]["text"] for y in plan.years]
            + [line["computed_total"], "" if line["non_budget"] else ("O" if line["ok"] else "X")]
        )
    rows.append(
        ["", "", "", _("총액 (인쇄)"), summary["stated_total"]]
        + [summary["stated_by_year"].get(y) for y in plan.years]
        + ["", ""]
    )
    rows.append(
        ["", "", "", _("총액 (계산)"), summary["computed_total"]]
        + [summary["computed_by_year"][y] for y in plan.years]
        + ["", ""]
    )
    return _csv(header, rows)


def _results(plan) -> str:
    header = [
        _("세부사업"),
        _("연도"),
        _("지표"),
        _("목표"),
        _("실적"),
        _("달성율(%)"),
        _("메모"),
        _("근거"),
        _("기록일시"),
    ]
    rows = []
    for task in plan.tasks:
        for project in task.projects:
            for r in results.results_for(project):
                target = None
                if r.target_row is not None:
                    target = next((t.text for t in r.target_row.targets if t.year == r.year), None)
                rows.append(
                    [
                        project.code,
                        r.year,
                        r.indicator,
                        target,
                        fmt(r.actual),
                        _rate(results.result_rate(r)),
                        r.note,
                        r.evidence_url,
                        r.created_at.isoformat(),
                    ]
                )
    return _csv(header, rows)


def _rate(value) -> str:
    return "" if value is None else f"{value:.1f}"


def _scores(plan) -> str:
    header = [
        _("평가"),
        _("연도"),
        _("단계"),
        _("평가 항목"),
        _("평가 지표"),
        _("배점"),
        _("점수"),
        _("메모"),
    ]
    rows = []
    for kind in evaluation.KINDS:
        for year in plan.years:
            card = evaluation.scorecard(plan, kind, year)
            for row in card["rows"]:
                i = row["indicator"]
                rows.append(
                    [
                        card["label"],
                        year,
                        i.stage,
                        i.item,
                        i.indicator,
                        i.points,
                        fmt(row["score"]),
                        row["note"],
                    ]
                )
            rows.append([card["label"], year, _("합계"), "", "", card["max_total"], fmt(card["total"]), ""])
    return _csv(header, rows)


def _discrepancies(plan) -> str:
    rows = [[d["kind"], d["where"], d["stated"], d["computed"]] for d in all_discrepancies(plan)]
    return _csv([_("종류"), _("위치"), _("인쇄된 값"), _("계산한 값")], rows)


def _tables(plan) -> str:
    rows = []
    for table in tables(plan):
        rows.append([table.section, table.title, table.header, *table.columns])
        for r in table.rows:
            rows.append([table.section, table.title, r["label"], *[c["text"] for c in r["cells"]]])
    return _csv([_("장"), _("표"), _("구분"), _("값…")], rows)
