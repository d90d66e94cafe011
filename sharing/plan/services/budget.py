"""The financial plan (재정계획): every total computed from its parts, beside the stated figure.

Each line's total from its years, each year from its lines, the grand total from the cells, from the
stated line totals and from the stated year totals. A difference is listed in ``discrepancies`` with
where it is; the stated figures are never corrected. A cell the print leaves empty counts as 0.
"""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from ...core.extensions import db
from ..models import PlanBudgetLine, PlanDocument, PlanProject, PlanTask


def _lines(plan: PlanDocument) -> list[PlanBudgetLine]:
    stmt = (
        select(PlanBudgetLine)
        .where(PlanBudgetLine.plan_id == plan.id)
        .options(
            selectinload(PlanBudgetLine.amounts),
            selectinload(PlanBudgetLine.project).selectinload(PlanProject.task),
        )
        .order_by(PlanBudgetLine.position)
    )
    return list(db.session.execute(stmt).scalars())


def discrepancy(key: str, where: str, stated, computed, kind: str = "budget") -> dict:
    return {"key": key, "kind": kind, "where": where, "stated": stated, "computed": computed}


def budget_summary(plan: PlanDocument) -> dict:
    years = plan.years
    lines = []
    by_year = dict.fromkeys(years, 0)
    by_task: dict[str, dict] = {}
    by_project: dict[str, dict] = {}
    problems = []
    sum_of_line_totals = 0
    for line in _lines(plan):
        cells = {a.year: a for a in line.amounts}
        amounts = {y: (cells[y].amount or 0) if y in cells else 0 for y in years}
        computed = sum(amounts.values())
        project = line.project
        task = project.task
        for y in years:
            by_year[y] += amounts[y]
        t = by_task.setdefault(
            task.code, {"code": task.code, "title": task.title, "short_title": task.short_title, "years": {}}
        )
        p = by_project.setdefault(
            project.code, {"code": project.code, "title": project.title, "years": {}, "non_budget": True}
        )
        p["non_budget"] = p["non_budget"] and line.non_budget
        for bucket in (t, p):
            for y in years:
                bucket["years"][y] = bucket["years"].get(y, 0) + amounts[y]
        ok = line.non_budget or line.stated_total == computed
        if line.stated_total is not None:
            sum_of_line_totals += line.stated_total
        if not ok:
            problems.append(
                discrepancy(
                    f"budget.line.{line.key}",
                    f"재정계획 › {project.code} {line.name} › 합계",
                    line.stated_total,
                    computed,
                )
            )
        lines.append(
            {
                "key": line.key,
                "project": project.code,
                "task": task.code,
                "task_label": line.task_label,
                "project_label": line.project_label,
                "name": line.name,
                "stated_total": line.stated_total,
                "stated_total_text": line.stated_total_text,
                "non_budget": line.non_budget,
                "years": {
                    y: {
                        "text": cells[y].text if y in cells else None,
                        "amount": cells[y].amount if y in cells else None,
                    }
                    for y in years
                },
                "computed_total": computed,
                "ok": ok,
                "note": line.note,
            }
        )
    stated_by_year = {int(y): v for y, v in (plan.stated_by_year or {}).items()}
    for y in years:
        stated = stated_by_year.get(y)
        if stated is not None and stated != by_year[y]:
            problems.append(discrepancy(f"budget.year.{y}", f"재정계획 › 총액 › {y}년", stated, by_year[y]))
    computed_total = sum(by_year.values())
    sum_of_stated_years = sum(v for v in stated_by_year.values() if v is not None)
    stated_total = plan.stated_total
    if stated_total is not None:
        for key, where, computed in (
            ("budget.total.cells", "재정계획 › 총액 › 합계 (모든 연도별 금액의 합)", computed_total),
            ("budget.total.lines", "재정계획 › 총액 › 합계 (세부 항목 합계 열의 합)", sum_of_line_totals),
            ("budget.total.years", "재정계획 › 총액 › 합계 (연도별 총액의 합)", sum_of_stated_years),
        ):
            if computed != stated_total:
                problems.append(discrepancy(key, where, stated_total, computed))
    for bucket in (*by_task.values(), *by_project.values()):
        bucket["total"] = sum(bucket["years"].values())
    return {
        "unit": plan.budget_unit,
        "years": years,
        "stated_total": stated_total,
        "stated_by_year": stated_by_year,
        "computed_total": computed_total,
        "computed_by_year": by_year,
        "sum_of_line_totals": sum_of_line_totals,
        "sum_of_stated_years": sum_of_stated_years,
        "lines": lines,
        "by_task": [by_task[c] for c in sorted(by_task)],
        "by_project": by_project,
        "discrepancies": problems,
    }


def tasks_with_budget(plan: PlanDocument, summary: dict) -> list[dict]:
    """The 4 tasks × 13 projects at a glance, each project with its budget per year."""
    stmt = (
        select(PlanTask)
        .where(PlanTask.plan_id == plan.id)
        .options(selectinload(PlanTask.projects))
        .order_by(PlanTask.position)
    )
    out = []
    for task in db.session.execute(stmt).scalars():
        projects = []
        for project in task.projects:
            budget = summary["by_project"].get(project.code)
            projects.append(
                {
                    "code": project.code,
                    "title": project.title,
                    "short_title": project.short_title,
                    "sub_items": project.sub_items,
                    "budget": budget["years"] if budget else None,
                    "budget_total": budget["total"] if budget else None,
                    "non_budget": budget["non_budget"] if budget else False,
                }
            )
        out.append(
            {"code": task.code, "title": task.title, "short_title": task.short_title, "projects": projects}
        )
    return out
