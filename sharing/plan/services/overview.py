"""The whole plan at a glance, and one project in detail (with 3-1's live indicators)."""

from __future__ import annotations

from sqlalchemy import select

from ...core.extensions import db
from ..models import PlanDocument, PlanEvalIndicator
from . import budget, checks, metrics, results
from .access import PLATFORM_PROJECT, get_project, plan_for


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
