"""Results the centre records against the yearly targets, and the achievement rate (달성율)."""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation

from flask_babel import gettext as _
from sqlalchemy import select

from ...core.db import transaction
from ...core.errors import Invalid
from ...core.extensions import db
from ...records.log import record_action
from ..figures import rate
from ..models import PlanDocument, PlanProject, PlanResult, PlanTargetRow
from .access import get_project, plan_for
from .checks import row_total

INDICATOR_MAX = 200
NOTE_MAX = 2000
URL_MAX = 500
ACTUAL_LIMIT = Decimal("1e13")
_URL = re.compile(r"^https?://[^\s/$.?#][^\s]*$", re.IGNORECASE)


def _norm(text: str) -> str:
    return re.sub(r"\s+", "", text or "")


def match_row(project: PlanProject, indicator: str) -> PlanTargetRow | None:
    """The yearly-table row an indicator names (its 구분 text, spaces ignored, or its key)."""
    wanted = _norm(indicator)
    for row in project.target_rows:
        if _norm(row.indicator) == wanted or row.key == f"{project.code}/{indicator.strip()}":
            return row
    return None


def _actual(value) -> Decimal:
    if isinstance(value, bool) or value is None:
        raise Invalid(fields={"actual": [_("숫자를 입력해 주세요.")]})
    try:
        number = Decimal(str(value)) if not isinstance(value, Decimal) else value
    except (InvalidOperation, ValueError):
        raise Invalid(fields={"actual": [_("숫자를 입력해 주세요.")]}) from None
    if not number.is_finite() or abs(number) >= ACTUAL_LIMIT:
        raise Invalid(fields={"actual": [_("숫자가 올바르지 않습니다.")]})
    if number.as_tuple().exponent < -4:
        raise Invalid(fields={"actual": [_("소수점 아래 네 자리까지 입력할 수 있습니다.")]})
    return number


def validate_result(plan: PlanDocument, year, indicator, actual, note, evidence_url) -> dict:
    errors: dict[str, list[str]] = {}
    if isinstance(year, bool) or not isinstance(year, int) or year not in plan.years:
        errors["year"] = [
            _("연도는 %(start)s~%(end)s 사이여야 합니다.", start=plan.period_start, end=plan.period_end)
        ]
    indicator = (indicator or "").strip() if isinstance(indicator, str) else ""
    if not 1 <= len(indicator) <= INDICATOR_MAX:
        errors["indicator"] = [_("지표는 1자 이상 %(n)s자 이하로 입력해 주세요.", n=INDICATOR_MAX)]
    note = (note or "").strip()
    if len(note) > NOTE_MAX:
        errors["note"] = [_("메모는 %(n)s자 이하로 입력해 주세요.", n=NOTE_MAX)]
    evidence_url = (evidence_url or "").strip()
    if evidence_url and (len(evidence_url) > URL_MAX or not _URL.match(evidence_url)):
        errors["evidence_url"] = [_("근거 링크는 http:// 또는 https:// 로 시작하는 주소여야 합니다.")]
    try:
        number = _actual(actual)
    except Invalid as err:
        errors.update(err.fields)
        number = None
    if errors:
        raise Invalid(fields=errors)
    return {
        "year": year,
        "indicator": indicator,
        "actual": number,
        "note": note,
        "evidence_url": evidence_url,
    }


def record_result(actor, code: str, *, year, indicator, actual, note="", evidence_url="") -> PlanResult:
    """Record a result for a project (centre only). The latest result of a year and indicator counts."""
    plan = plan_for(actor)
    project = get_project(plan, code)
    data = validate_result(plan, year, indicator, actual, note, evidence_url)
    with transaction():
        row = match_row(project, data["indicator"])
        result = PlanResult(
            project_id=project.id,
            target_row_id=row.id if row else None,
            recorded_by_id=actor.id,
            **data,
        )
        db.session.add(result)
        db.session.flush()
        record_action(
            actor,
            "plan.result",
            "plan_result",
            result.id,
            project=project.code,
            year=data["year"],
            indicator=data["indicator"],
            actual=str(data["actual"]),
        )
    return result


def results_for(project: PlanProject) -> list[PlanResult]:
    stmt = (
        select(PlanResult)
        .where(PlanResult.project_id == project.id)
        .order_by(PlanResult.year, PlanResult.created_at.desc(), PlanResult.id.desc())
    )
    return list(db.session.execute(stmt).scalars())


def latest_by_key(results: list[PlanResult]) -> dict[tuple, PlanResult]:
    """The latest result for each (row or indicator, year)."""
    latest: dict[tuple, PlanResult] = {}
    for r in sorted(results, key=lambda r: (r.created_at, r.id)):
        latest[(r.target_row_id or _norm(r.indicator), r.year)] = r
    return latest


def result_rate(result: PlanResult) -> Decimal | None:
    row = result.target_row
    if row is None:
        return None
    target = next((t.value for t in row.targets if t.year == result.year), None)
    return rate(result.actual, target)


def target_table(plan: PlanDocument, project: PlanProject) -> list[dict]:
    """The yearly targets table with, per year, the latest actual and the achievement rate."""
    latest = latest_by_key(results_for(project))
    rows = []
    for row in project.target_rows:
        cells = {t.year: t for t in row.targets}
        years = []
        for y in plan.years:
            t = cells.get(y)
            result = latest.get((row.id, y))
            years.append(
                {
                    "year": y,
                    "text": t.text if t else None,
                    "value": t.value if t else None,
                    "actual": result.actual if result else None,
                    "rate": rate(result.actual, t.value) if result and t else None,
                    "result_id": result.id if result else None,
                }
            )
        rows.append(
            {
                "key": row.key,
                "caption": row.caption,
                "programme": row.programme,
                "table_unit": row.table_unit,
                "indicator": row.indicator,
                "unit": row.unit,
                "total_text": row.total_text,
                "total_value": row.total_value,
                "total_rule": row.total_rule,
                "computed_total": row_total(row),
                "note": row.note,
                "years": years,
            }
        )
    return rows
