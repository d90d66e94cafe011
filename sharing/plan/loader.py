"""Loading the transcribed plan (``data/plan-2017-2020.yaml``) into the plan's tables, idempotently.

Rows are matched by their natural keys (plan code, task and project codes, row and line keys, years),
so loading twice changes nothing and a changed data file updates the rows in place. What the centre
recorded (results, scores) is never deleted: a data file that drops a project with results or an
indicator with scores is refused.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path

from sqlalchemy import func, select

from ..core.db import transaction, utcnow
from ..core.extensions import db
from .datafile import (  # noqa: F401  (re-exported: the CLI, the demo and the tests import them from here)
    DATA_PATH,
    PROJECT_CODES,
    RULES,
    PlanDataError,
    cell,
    parse_figure,
    read_data,
    validate,
)
from .models import (
    PlanBudgetAmount,
    PlanBudgetLine,
    PlanDocument,
    PlanEvalIndicator,
    PlanProject,
    PlanResult,
    PlanScore,
    PlanTable,
    PlanTarget,
    PlanTargetRow,
    PlanTask,
)
from .upsert import LoadReport, index, str_keys, upsert


def load_plan(
    path: Path | str | None = None, echo: Callable[[str], None] | None = None, *, actor=None
) -> LoadReport:
    """Load (or update) the plan from its data file. Idempotent. Returns what changed. The audit
    log credits a change to ``actor`` (the operator's account), or to the system without one."""
    data, checksum = read_data(path)
    return load_data(data, checksum, echo=echo, actor=actor)


def load_data(
    data: dict, checksum: str = "", echo: Callable[[str], None] | None = None, *, actor=None
) -> LoadReport:
    validate(data)
    echo = echo or (lambda _msg: None)
    report = LoadReport(data["code"], str(data["version"]))
    echo(f"plan {data['code']} (data version {data['version']})")
    with transaction():
        plan = _load_document(report, data, checksum)
        echo("  document, vision, goals, sections")
        projects = _load_tasks(report, plan, data)
        echo(f"  {len(data['tasks'])} tasks, {len(projects)} projects")
        _load_targets(report, plan, data, projects)
        echo("  yearly plan tables")
        _load_budget(report, plan, data, projects)
        echo(f"  financial plan: {len(data['financial_plan']['lines'])} lines")
        _load_tables(report, plan, data)
        echo(f"  {len(data.get('tables', []))} tables of results")
        _load_indicators(report, plan, data)
        echo("  evaluation indicators")
        if report.changed:
            plan.loaded_at = utcnow()
            from ..records.log import record_action
            from ..records.models import ACCOUNT, BY

            db.session.flush()
            record_action(
                actor,
                "plan.load",
                "plan",
                plan.id,
                **({BY: ACCOUNT} if actor is not None else {}),
                version=report.version,
                changes={t: dict(c) for t, c in report.counts.items()},
            )
    for line in report.lines():
        echo(line)
    echo("changed" if report.changed else "already up to date")
    return report


def _load_document(report: LoadReport, data: dict, checksum: str) -> PlanDocument:
    fp = data["financial_plan"]
    values = {
        "code": str(data["code"]),
        "version": str(data["version"]),
        "checksum": checksum or hashlib.sha256(repr(data).encode()).hexdigest(),
        "title": data["title"],
        "subtitle": data.get("subtitle", ""),
        "slogan": data.get("slogan", ""),
        "department": data.get("department", ""),
        "period_start": int(data["period"]["start"]),
        "period_end": int(data["period"]["end"]),
        "purpose": (data.get("purpose") or "").strip(),
        "vision": data["vision"],
        "goals": list(data["goals"]),
        "budget_unit": fp.get("unit", "백만원"),
        "stated_total": fp.get("stated_total"),
        "stated_by_year": str_keys(fp.get("stated_by_year", {})),
        "sections": data.get("sections", []),
        "evaluation": {k: v for k, v in data["evaluation"].items() if k not in ("self", "external")}
        | {
            kind: {k: v for k, v in data["evaluation"][kind].items() if k != "indicators"}
            for kind in ("self", "external")
        },
    }
    existing = db.session.execute(select(PlanDocument).filter_by(code=values["code"])).scalar_one_or_none()
    plan = upsert(report, "plan_documents", existing, PlanDocument, values)
    db.session.flush()
    return plan


def _load_tasks(report: LoadReport, plan: PlanDocument, data: dict) -> dict[str, PlanProject]:
    tasks = index(PlanTask, PlanTask.plan_id == plan.id, key="code")
    projects = index(PlanProject, PlanProject.plan_id == plan.id, key="code")
    seen: dict[str, PlanProject] = {}
    for t_pos, t in enumerate(data["tasks"]):
        task = upsert(
            report,
            "plan_tasks",
            tasks.get(str(t["code"])),
            PlanTask,
            {
                "plan_id": plan.id,
                "code": str(t["code"]),
                "title": t["title"],
                "short_title": t.get("short_title", ""),
                "heading": t.get("heading", ""),
                "position": t_pos,
            },
        )
        db.session.flush()
        for p_pos, p in enumerate(t["projects"]):
            steps = p.get("platform_steps")
            seen[p["code"]] = upsert(
                report,
                "plan_projects",
                projects.get(p["code"]),
                PlanProject,
                {
                    "plan_id": plan.id,
                    "task_id": task.id,
                    "code": p["code"],
                    "title": p["title"],
                    "heading": p.get("heading", ""),
                    "short_title": p.get("short_title", ""),
                    "sub_items": list(p.get("sub_items") or []),
                    "directions": list(p.get("directions") or []),
                    "programmes": list(p.get("programmes") or []),
                    "platform_steps": str_keys(steps) if steps else None,
                    "position": t_pos * 100 + p_pos,
                },
            )
    for code, project in projects.items():
        if code not in seen:
            if db.session.scalar(select(func.count()).where(PlanResult.project_id == project.id)):
                raise PlanDataError(f"project {code} has recorded results and cannot be removed")
            db.session.delete(project)
            report.count("plan_projects", "deleted")
    task_codes = {str(t["code"]) for t in data["tasks"]}
    for code, task in tasks.items():
        if code not in task_codes:
            db.session.delete(task)
            report.count("plan_tasks", "deleted")
    db.session.flush()
    return seen


def _load_targets(report: LoadReport, plan: PlanDocument, data: dict, projects: dict) -> None:
    rows = index(PlanTargetRow, PlanTargetRow.plan_id == plan.id)
    wanted = set()
    position = 0
    for t in data["tasks"]:
        for p in t["projects"]:
            for group in p.get("targets", []):
                for r in group["rows"]:
                    key = f"{p['code']}/{r['key']}"
                    wanted.add(key)
                    total_text, total_value = cell(r.get("total"))
                    step = r.get("step")
                    row = upsert(
                        report,
                        "plan_target_rows",
                        rows.get(key),
                        PlanTargetRow,
                        {
                            "plan_id": plan.id,
                            "project_id": projects[p["code"]].id,
                            "key": key,
                            "caption": group.get("caption") or "",
                            "programme": group.get("programme"),
                            "table_unit": group.get("unit"),
                            "indicator": r["indicator"],
                            "unit": r.get("unit"),
                            "total_text": total_text,
                            "total_value": total_value,
                            "total_rule": r.get("total_rule", "none"),
                            "step": Decimal(str(step)) if step is not None else None,
                            "note": r.get("note", ""),
                            "position": position,
                        },
                    )
                    position += 1
                    db.session.flush()
                    _load_years(report, row, r["years"])
    for key, row in rows.items():
        if key not in wanted:
            db.session.delete(row)
            report.count("plan_target_rows", "deleted")
    db.session.flush()


def _load_years(report: LoadReport, row: PlanTargetRow, years: dict) -> None:
    existing = index(PlanTarget, PlanTarget.row_id == row.id, key="year")
    for year, raw in years.items():
        text, value = cell(raw)
        upsert(
            report,
            "plan_targets",
            existing.get(int(year)),
            PlanTarget,
            {"row_id": row.id, "year": int(year), "text": text, "value": value},
        )
    for year, target in existing.items():
        if year not in {int(y) for y in years}:
            db.session.delete(target)
            report.count("plan_targets", "deleted")


def _load_budget(report: LoadReport, plan: PlanDocument, data: dict, projects: dict) -> None:
    lines = index(PlanBudgetLine, PlanBudgetLine.plan_id == plan.id)
    wanted = set()
    for position, raw in enumerate(data["financial_plan"]["lines"]):
        wanted.add(raw["key"])
        stated = raw.get("stated_total")
        is_number = isinstance(stated, int) and not isinstance(stated, bool)
        line = upsert(
            report,
            "plan_budget_lines",
            lines.get(raw["key"]),
            PlanBudgetLine,
            {
                "plan_id": plan.id,
                "project_id": projects[raw["project"]].id,
                "key": raw["key"],
                "task_label": raw.get("task_label", ""),
                "project_label": raw.get("project_label", ""),
                "name": raw["name"],
                "stated_total": stated if is_number else None,
                "stated_total_text": f"{stated:,}" if is_number else str(stated or ""),
                "non_budget": not is_number,
                "note": raw.get("note", ""),
                "position": position,
            },
        )
        db.session.flush()
        existing = index(PlanBudgetAmount, PlanBudgetAmount.line_id == line.id, key="year")
        for year, value in raw["years"].items():
            if value is None:
                text, amount = None, None
            elif isinstance(value, int) and not isinstance(value, bool):
                text, amount = f"{value:,}", value
            else:
                text, amount = str(value), None
            upsert(
                report,
                "plan_budget_amounts",
                existing.get(int(year)),
                PlanBudgetAmount,
                {"line_id": line.id, "year": int(year), "text": text, "amount": amount},
            )
    for key, line in lines.items():
        if key not in wanted:
            db.session.delete(line)
            report.count("plan_budget_lines", "deleted")
    db.session.flush()


def _table_rows(rows: list) -> list:
    out = []
    for r in rows:
        cells = []
        for raw in r["cells"]:
            text, value = cell(raw)
            cells.append({"text": text, "value": str(value) if value is not None else None})
        out.append({"label": r["label"], "cells": cells})
    return out


def _load_tables(report: LoadReport, plan: PlanDocument, data: dict) -> None:
    tables = index(PlanTable, PlanTable.plan_id == plan.id)
    wanted = set()
    for position, t in enumerate(data.get("tables", [])):
        wanted.add(t["key"])
        upsert(
            report,
            "plan_tables",
            tables.get(t["key"]),
            PlanTable,
            {
                "plan_id": plan.id,
                "key": t["key"],
                "section": str(t.get("section", "")),
                "project_code": t.get("project"),
                "title": t["title"],
                "unit": t.get("unit"),
                "value_unit": t.get("value_unit"),
                "header": t.get("header", ""),
                "columns": list(t["columns"]),
                "rows": _table_rows(t["rows"]),
                "checks": list(t.get("checks") or []),
                "position": position,
            },
        )
    for key, table in tables.items():
        if key not in wanted:
            db.session.delete(table)
            report.count("plan_tables", "deleted")
    db.session.flush()


def _load_indicators(report: LoadReport, plan: PlanDocument, data: dict) -> None:
    indicators = index(PlanEvalIndicator, PlanEvalIndicator.plan_id == plan.id)
    wanted = set()
    position = 0
    for kind in ("self", "external"):
        for raw in data["evaluation"][kind]["indicators"]:
            wanted.add(raw["key"])
            upsert(
                report,
                "plan_eval_indicators",
                indicators.get(raw["key"]),
                PlanEvalIndicator,
                {
                    "plan_id": plan.id,
                    "kind": kind,
                    "key": raw["key"],
                    "stage": raw["stage"],
                    "stage_points": str(raw["stage_points"]),
                    "item": raw["item"],
                    "item_points": str(raw["item_points"]),
                    "indicator": raw["indicator"],
                    "detail": raw.get("detail", ""),
                    "points": int(raw["points"]),
                    "bonus": bool(raw.get("bonus", False)),
                    "position": position,
                },
            )
            position += 1
    for key, indicator in indicators.items():
        if key not in wanted:
            if db.session.scalar(select(func.count()).where(PlanScore.indicator_id == indicator.id)):
                raise PlanDataError(f"indicator {key} has scores and cannot be removed")
            db.session.delete(indicator)
            report.count("plan_eval_indicators", "deleted")
    db.session.flush()
