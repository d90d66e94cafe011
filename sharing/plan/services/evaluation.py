"""The evaluation (VII 평가계획): the self-evaluation scorecard (100 points: 계획 10, 집행 40,
산출·결과 30, 평가결과 활용 20), the external evaluation (100 + α), year on year, and the calendar."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from flask_babel import gettext as _
from sqlalchemy import select

from ...core.db import transaction
from ...core.errors import Invalid
from ...core.extensions import db
from ...records.log import record_action
from ..models import PlanDocument, PlanEvalIndicator, PlanScore
from .access import plan_for

KINDS = ("self", "external")
NOTE_MAX = 1000


def kind_label(kind: str) -> str:
    return _("자체평가") if kind == "self" else _("외부평가")


def indicators(plan: PlanDocument, kind: str) -> list[PlanEvalIndicator]:
    stmt = (
        select(PlanEvalIndicator)
        .where(PlanEvalIndicator.plan_id == plan.id, PlanEvalIndicator.kind == kind)
        .order_by(PlanEvalIndicator.position)
    )
    return list(db.session.execute(stmt).scalars())


def _scores(plan: PlanDocument, kind: str) -> dict[tuple[int, int], PlanScore]:
    stmt = (
        select(PlanScore)
        .join(PlanEvalIndicator, PlanScore.indicator_id == PlanEvalIndicator.id)
        .where(PlanEvalIndicator.plan_id == plan.id, PlanEvalIndicator.kind == kind)
    )
    return {(s.indicator_id, s.year): s for s in db.session.execute(stmt).scalars()}


def _check_kind_year(plan: PlanDocument, kind: str, year) -> None:
    errors = {}
    if kind not in KINDS:
        errors["kind"] = [_("평가 종류는 자체평가 또는 외부평가여야 합니다.")]
    if isinstance(year, bool) or not isinstance(year, int) or year not in plan.years:
        errors["year"] = [
            _("연도는 %(start)s~%(end)s 사이여야 합니다.", start=plan.period_start, end=plan.period_end)
        ]
    if errors:
        raise Invalid(fields=errors)


def scorecard(plan: PlanDocument, kind: str, year: int) -> dict:
    _check_kind_year(plan, kind, year)
    scores = _scores(plan, kind)
    rows, total, scored = [], Decimal(0), 0
    stages: dict[str, dict] = {}
    for i in indicators(plan, kind):
        s = scores.get((i.id, year))
        rows.append({"indicator": i, "score": s.score if s else None, "note": s.note if s else ""})
        stage = stages.setdefault(i.stage, {"stage": i.stage, "points": i.stage_points, "score": Decimal(0)})
        if s is not None:
            total += s.score
            stage["score"] += s.score
            scored += 1
    base = sum(i.points for i in indicators(plan, kind) if not i.bonus)
    bonus = sum(i.points for i in indicators(plan, kind) if i.bonus)
    return {
        "kind": kind,
        "label": kind_label(kind),
        "year": year,
        "rows": rows,
        "stages": list(stages.values()),
        "total": total,
        "max_total": base,
        "bonus_max": bonus,
        "scored": scored,
        "complete": scored == len(rows) and bool(rows),
    }


def _score_value(raw, maximum: int) -> Decimal | None:
    if raw is None or (isinstance(raw, str) and not raw.strip()):
        return None
    if isinstance(raw, bool):
        raise ValueError
    try:
        value = Decimal(str(raw).strip())
    except (InvalidOperation, ValueError):
        raise ValueError from None
    if not value.is_finite() or value < 0 or value > maximum or value.as_tuple().exponent < -2:
        raise ValueError
    return value


def save_scores(actor, kind: str, year, scores: dict, notes: dict | None = None) -> dict:
    """Save the scores of one scorecard (centre only): ``scores`` maps an indicator key (or id) to a
    number from 0 to the indicator's points, or blank to clear it. All are checked before any is saved."""
    plan = plan_for(actor)
    _check_kind_year(plan, kind, year)
    notes = notes or {}
    by_key = {i.key: i for i in indicators(plan, kind)}
    by_id = {str(i.id): i for i in by_key.values()}
    errors: dict[str, list[str]] = {}
    values: dict[PlanEvalIndicator, Decimal | None] = {}
    for ref, raw in scores.items():
        indicator = by_key.get(str(ref)) or by_id.get(str(ref))
        if indicator is None:
            errors[str(ref)] = [_("알 수 없는 평가지표입니다.")]
            continue
        try:
            values[indicator] = _score_value(raw, indicator.points)
        except ValueError:
            errors[indicator.key] = [
                _("0점에서 %(n)s점 사이로 입력해 주세요 (소수점 둘째 자리까지).", n=indicator.points)
            ]
        note = (notes.get(indicator.key) or notes.get(str(indicator.id)) or "").strip()
        if len(note) > NOTE_MAX:
            errors[indicator.key] = [_("메모는 %(n)s자 이하로 입력해 주세요.", n=NOTE_MAX)]
    if errors:
        raise Invalid(fields=errors)
    with transaction():
        existing = _scores(plan, kind)
        changed = {}
        for indicator, value in values.items():
            note = (notes.get(indicator.key) or notes.get(str(indicator.id)) or "").strip()
            row = existing.get((indicator.id, year))
            if value is None:
                if row is not None:
                    db.session.delete(row)
                    changed[indicator.key] = None
                continue
            if row is None:
                db.session.add(
                    PlanScore(
                        indicator_id=indicator.id, year=year, score=value, note=note, scored_by_id=actor.id
                    )
                )
                changed[indicator.key] = str(value)
            elif Decimal(row.score) != value or row.note != note:
                row.score, row.note, row.scored_by_id = value, note, actor.id
                changed[indicator.key] = str(value)
        record_action(actor, "plan.scores", "plan", plan.id, kind=kind, year=year, scores=changed)
    return scorecard(plan, kind, year)


def year_on_year(plan: PlanDocument, kind: str) -> dict:
    scores = _scores(plan, kind)
    rows = []
    totals = dict.fromkeys(plan.years, Decimal(0))
    counted = dict.fromkeys(plan.years, 0)
    for i in indicators(plan, kind):
        by_year = {}
        for y in plan.years:
            s = scores.get((i.id, y))
            by_year[y] = s.score if s else None
            if s is not None:
                totals[y] += s.score
                counted[y] += 1
        rows.append({"indicator": i, "by_year": by_year})
    changes = {}
    previous = None
    for y in plan.years:
        total = totals[y] if counted[y] else None
        changes[y] = total - previous if total is not None and previous is not None else None
        previous = total if total is not None else previous
    return {
        "kind": kind,
        "label": kind_label(kind),
        "rows": rows,
        "totals": {y: (totals[y] if counted[y] else None) for y in plan.years},
        "changes": changes,
    }


def calendar(plan: PlanDocument) -> list[dict]:
    """The procedure's steps for each evaluated year, with their months (평가계획 12월 → 외부평가 3~4월)."""
    steps = (plan.evaluation or {}).get("procedure", [])
    out = []
    for year in plan.years:
        rows = []
        for step in steps:
            when_year = year + int(step.get("year_offset") or 0)
            month_from, month_to = step.get("month_from"), step.get("month_to")
            if month_from is None:
                when = _("%(y)s년 (평가 후)", y=when_year)
            elif month_from == month_to:
                when = _("%(y)s년 %(m)s월", y=when_year, m=month_from)
            else:
                when = _("%(y)s년 %(a)s~%(b)s월", y=when_year, a=month_from, b=month_to)
            external = step["key"] in ("committee", "external")
            replaced = external and year == plan.period_end
            rows.append({"key": step["key"], "title": step["title"], "when": when, "replaced": replaced})
        out.append({"year": year, "steps": rows})
    return out
