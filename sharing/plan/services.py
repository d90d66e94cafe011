"""The plan's read side for the centre: the whole plan, one project, and the access rule.

Totals and discrepancies live in :mod:`.budget` and :mod:`.checks`, results in :mod:`.results`, the
evaluation in :mod:`.evaluation`, the platform's own indicators (3-1) in :mod:`.metrics`.
"""

from __future__ import annotations

from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from ..auth.services import require_centre
from ..core.errors import NotFound
from ..core.extensions import db
from . import budget, checks, metrics, results
from .models import PlanDocument, PlanEvalIndicator, PlanProject, PlanTargetRow

PLAN_CODE = "2017-2020"
PLATFORM_PROJECT = "3-1"


def current_plan() -> PlanDocument:
    plan = db.session.execute(select(PlanDocument).filter_by(code=PLAN_CODE)).scalar_one_or_none()
    if plan is None:
        raise NotFound(
            _("기본계획이 아직 불러와지지 않았습니다. 'flask plan load'를 실행해 주세요."),
            code="plan_not_loaded",
        )
    return plan


def plan_for(actor) -> PlanDocument:
    """The plan, for the centre only (403 for anyone else)."""
    require_centre(actor)
    return current_plan()


def get_project(plan: PlanDocument, code: str) -> PlanProject:
    stmt = (
        select(PlanProject)
        .where(PlanProject.plan_id == plan.id, PlanProject.code == code)
        .options(
            selectinload(PlanProject.task),
            selectinload(PlanProject.target_rows).selectinload(PlanTargetRow.targets),
            selectinload(PlanProject.budget_lines),
        )
    )
    project = db.session.execute(stmt).scalar_one_or_none()
    if project is None:
        raise NotFound(_("세부사업을 찾을 수 없습니다."), code="project_not_found")
    return project


def all_discrepancies(plan: PlanDocument, summary: dict | None = None) -> list[dict]:
    summary = summary or budget.budget_summary(plan)
    indicators = list(db.session.execute(select(PlanEvalIndicator).filter_by(plan_id=plan.id)).scalars())
    return (
        summary["discrepancies"]
        + checks.target_checks(plan)
        + checks.table_checks(plan)
        + checks.evaluation_checks(plan, indicators)
    )


def overview(actor) -> dict:
    """The whole plan at a glance: vision, goals, tasks × projects with budgets, every discrepancy."""
    plan = plan_for(actor)
    summary = budget.budget_summary(plan)
    return {
        "plan": plan,
        "code": plan.code,
        "title": plan.title,
        "subtitle": plan.subtitle,
        "period": {"start": plan.period_start, "end": plan.period_end},
        "version": plan.version,
        "vision": plan.vision,
        "goals": plan.goals,
        "tasks": budget.tasks_with_budget(plan, summary),
        "budget": summary,
        "discrepancies": all_discrepancies(plan, summary),
        "tables": checks.tables(plan),
    }


def project_detail(actor, code: str, *, live: bool = True) -> dict:
    """One project: direction, content, yearly targets with results and rates, budget lines, results;
    for 3-1 the platform's own indicators, live."""
    plan = plan_for(actor)
    project = get_project(plan, code)
    summary = budget.budget_summary(plan)
    lines = [line for line in summary["lines"] if line["project"] == project.code]
    detail = {
        "plan": plan,
        "project": project,
        "code": project.code,
        "title": project.title,
        "heading": project.heading,
        "task": {"code": project.task.code, "title": project.task.title},
        "sub_items": project.sub_items,
        "direction": project.directions,
        "content": project.programmes,
        "targets": results.target_table(plan, project),
        "budget_lines": lines,
        "budget_total": summary["by_project"].get(project.code),
        "results": results.results_for(project),
        "discrepancies": [
            d
            for d in all_discrepancies(plan, summary)
            if d["key"].startswith((f"target.{project.code}/", "budget.line."))
            and (d["kind"] != "budget" or any(d["key"] == f"budget.line.{line['key']}" for line in lines))
        ],
        "tables": [t for t in checks.tables(plan) if t.project_code == project.code],
    }
    if project.code == PLATFORM_PROJECT and live:
        current = metrics.platform_metrics()
        detail["platform_metrics"] = current
        detail["platform_monthly"] = metrics.monthly_platform_metrics()
        detail["platform_resources"] = metrics.resources_by_kind_and_dong()
        detail["platform_steps"] = metrics.step_status(project.platform_steps, current)
    return detail
