"""The plan's other printed totals checked against their parts: the yearly target tables (계 of each
row) and the tables of earlier results (column and row sums, 달성율 = 실적 / 목표 × 100)."""

from __future__ import annotations

from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from ...core.extensions import db
from ..figures import decimals_of, num, rate
from ..models import PlanDocument, PlanTable, PlanTargetRow
from .budget import discrepancy


def _dec(value) -> Decimal | None:
    return Decimal(str(value)) if value is not None else None


def row_total(row: PlanTargetRow) -> Decimal | None:
    """The computed 계 of a target row by its rule (sum or average of the years' figures)."""
    values = [t.value for t in row.targets if t.value is not None]
    if row.total_rule == "sum":
        return sum(values, Decimal(0)) if values else None
    if row.total_rule == "average":
        return (sum(values, Decimal(0)) / len(values)).quantize(Decimal("0.1")) if values else None
    return None


def target_checks(plan: PlanDocument) -> list[dict]:
    stmt = (
        select(PlanTargetRow)
        .where(PlanTargetRow.plan_id == plan.id)
        .options(selectinload(PlanTargetRow.targets), selectinload(PlanTargetRow.project))
        .order_by(PlanTargetRow.position)
    )
    problems = []
    for row in db.session.execute(stmt).scalars():
        where = f"{row.project.code} {row.programme or row.project.title} › {row.indicator}"
        if row.total_rule in ("sum", "average") and row.total_value is not None:
            computed = row_total(row)
            if computed is not None and computed != row.total_value:
                problems.append(
                    discrepancy(
                        f"target.{row.key}.total",
                        f"{where} › 계",
                        num(row.total_value),
                        num(computed),
                        "target",
                    )
                )
        elif row.total_rule == "step" and row.step is not None:
            previous = None
            for t in row.targets:
                if t.value is None:
                    continue
                if previous is not None and t.value - previous.value != row.step:
                    problems.append(
                        discrepancy(
                            f"target.{row.key}.step.{t.year}",
                            f"{where} › {t.year}년 상승폭",
                            num(row.step),
                            num(t.value - previous.value),
                            "target",
                        )
                    )
                previous = t
    return problems


def _col(table: PlanTable, name: str) -> int:
    return table.columns.index(name)


def _row(table: PlanTable, label: str) -> dict:
    return next(r for r in table.rows if r["label"] == label)


def _table_check(table: PlanTable, check: dict) -> list[dict]:
    problems = []
    kind = check["kind"]
    where = f"{table.section} {table.title}"
    if kind == "column_sum":
        total = _row(table, check["total"])
        columns = check.get("columns") or table.columns
        parts = [r for r in table.rows if r["label"] != check["total"]]
        for name in columns:
            i = _col(table, name)
            stated = _dec(total["cells"][i]["value"])
            if stated is None:
                continue
            computed = sum((_dec(r["cells"][i]["value"]) or Decimal(0) for r in parts), Decimal(0))
            if computed != stated:
                problems.append(
                    discrepancy(
                        f"table.{table.key}.{name}",
                        f"{where} › {check['total']} › {name}",
                        num(stated),
                        num(computed),
                        "table",
                    )
                )
    elif kind == "row_sum":
        ti = _col(table, check["total"])
        for r in table.rows:
            stated = _dec(r["cells"][ti]["value"])
            if stated is None:
                continue
            computed = sum(
                (_dec(r["cells"][_col(table, p)]["value"]) or Decimal(0) for p in check["parts"]), Decimal(0)
            )
            if computed != stated:
                problems.append(
                    discrepancy(
                        f"table.{table.key}.{r['label']}",
                        f"{where} › {r['label']} › {check['total']}",
                        num(stated),
                        num(computed),
                        "table",
                    )
                )
    elif kind == "rate":
        numerators = _row(table, check["numerator"])["cells"]
        denominators = _row(table, check["denominator"])["cells"]
        rates = _row(table, check["rate"])["cells"]
        for i, column in enumerate(table.columns):
            stated = _dec(rates[i]["value"])
            computed = rate(_dec(numerators[i]["value"]), _dec(denominators[i]["value"]))
            if stated is None or computed is None:
                continue
            places = decimals_of(rates[i]["text"])
            if rate(_dec(numerators[i]["value"]), _dec(denominators[i]["value"]), places) != stated:
                problems.append(
                    discrepancy(
                        f"table.{table.key}.{column}",
                        f"{where} › {column} › {check['rate']}",
                        num(stated),
                        num(computed),
                        "table",
                    )
                )
    return problems


def tables(plan: PlanDocument, section: str | None = None) -> list[PlanTable]:
    stmt = select(PlanTable).where(PlanTable.plan_id == plan.id).order_by(PlanTable.position)
    if section:
        stmt = stmt.where(PlanTable.section == section)
    return list(db.session.execute(stmt).scalars())


def table_checks(plan: PlanDocument) -> list[dict]:
    problems = []
    for table in tables(plan):
        for check in table.checks or []:
            problems.extend(_table_check(table, check))
    return problems


def evaluation_checks(plan: PlanDocument, indicators: list) -> list[dict]:
    """The scorecards' printed subtotals (계획 10, 집행 40, …; 40+α) against their indicators."""
    problems = []
    for kind in ("self", "external"):
        rows = [i for i in indicators if i.kind == kind]
        for attr, label in (("stage", "stage_points"), ("item", "item_points")):
            groups: dict[str, tuple[str, int]] = {}
            for i in rows:
                if i.bonus:
                    continue
                printed, total = groups.get(getattr(i, attr), (getattr(i, label), 0))
                groups[getattr(i, attr)] = (printed, total + i.points)
            for name, (printed, total) in groups.items():
                stated = int(printed.split("+")[0])
                if stated != total:
                    problems.append(
                        discrepancy(
                            f"evaluation.{kind}.{attr}.{name}",
                            f"VII 평가계획 › {kind} › {name}",
                            stated,
                            total,
                            "evaluation",
                        )
                    )
        declared = (plan.evaluation or {}).get(kind, {}).get("total_points")
        total = sum(i.points for i in rows if not i.bonus)
        if declared is not None and declared != total:
            problems.append(
                discrepancy(
                    f"evaluation.{kind}.total", f"VII 평가계획 › {kind} › 합계", declared, total, "evaluation"
                )
            )
    return problems
