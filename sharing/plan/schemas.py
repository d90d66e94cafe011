"""Marshmallow schemas of the plan API. Budget figures are million won as the plan prints them."""

from __future__ import annotations

from decimal import Decimal

from marshmallow import fields, validate

from ..web.schemas import BaseSchema, CleanString, SeoulDateTime, StrictInteger, Text
from .figures import num
from .services.results import result_rate


class Figure(fields.Field):
    """A plan figure: an integer when whole, else a number (31.9); null when there is none."""

    def _serialize(self, value, attr, obj, **kwargs):
        return num(value)


class Rate(fields.Field):
    """An achievement rate (달성율, %) with one decimal, as a JSON number (75.0, 142.9)."""

    def _serialize(self, value, attr, obj, **kwargs):
        return None if value is None else float(value)


class StrictNumber(fields.Field):
    """A JSON number (integer or decimal): strings and booleans are refused. Loads as a Decimal."""

    default_error_messages = {"invalid": "숫자를 입력해 주세요."}

    def _deserialize(self, value, attr, data, **kwargs):
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise self.make_error("invalid")
        number = Decimal(str(value))
        if not number.is_finite():
            raise self.make_error("invalid")
        return number


# --- In ------------------------------------------------------------------------------------------


class ResultIn(BaseSchema):
    year = StrictInteger(required=True, metadata={"description": "2017 … 2020"})
    indicator = Text(200, metadata={"description": "지표 (보통 연도별 추진계획 표의 구분)"})
    actual = StrictNumber(required=True, metadata={"description": "실적 (지표의 단위로)"})
    note = CleanString(multiline=True, load_default="", validate=validate.Length(max=2000))
    evidence_url = CleanString(load_default="", validate=validate.Length(max=500))


# --- Out -----------------------------------------------------------------------------------------


class DiscrepancyOut(BaseSchema):
    key = fields.String()
    kind = fields.String(metadata={"description": "budget | target | table | evaluation"})
    where = fields.String()
    stated = Figure()
    computed = Figure()


class BudgetYearCellOut(BaseSchema):
    text = fields.String(allow_none=True)
    amount = fields.Integer(allow_none=True)


class BudgetLineOut(BaseSchema):
    key = fields.String()
    project = fields.String()
    task = fields.String()
    task_label = fields.String()
    project_label = fields.String()
    name = fields.String()
    stated_total = fields.Integer(allow_none=True)
    stated_total_text = fields.String()
    non_budget = fields.Boolean()
    years = fields.Dict(keys=fields.String(), values=fields.Nested(BudgetYearCellOut))
    computed_total = fields.Integer()
    ok = fields.Boolean()
    note = fields.String()


class BudgetOut(BaseSchema):
    unit = fields.String()
    stated_total = fields.Integer(allow_none=True)
    stated_by_year = fields.Dict(keys=fields.String(), values=fields.Integer())
    computed_total = fields.Integer()
    computed_by_year = fields.Dict(keys=fields.String(), values=fields.Integer())
    sum_of_line_totals = fields.Integer()
    sum_of_stated_years = fields.Integer()
    lines = fields.List(fields.Nested(BudgetLineOut))
    discrepancies = fields.List(fields.Nested(DiscrepancyOut))


class ProjectSummaryOut(BaseSchema):
    code = fields.String()
    title = fields.String()
    short_title = fields.String()
    sub_items = fields.List(fields.String())
    budget = fields.Dict(keys=fields.String(), values=fields.Integer(), allow_none=True)
    budget_total = fields.Integer(allow_none=True)
    non_budget = fields.Boolean()


class TaskOut(BaseSchema):
    code = fields.String()
    title = fields.String()
    short_title = fields.String()
    projects = fields.List(fields.Nested(ProjectSummaryOut))


class PeriodOut(BaseSchema):
    start = fields.Integer()
    end = fields.Integer()


class PlanOut(BaseSchema):
    code = fields.String()
    title = fields.String()
    subtitle = fields.String()
    version = fields.String()
    period = fields.Nested(PeriodOut)
    vision = fields.String()
    goals = fields.List(fields.String())
    tasks = fields.List(fields.Nested(TaskOut))
    budget = fields.Nested(BudgetOut)
    discrepancies = fields.List(fields.Nested(DiscrepancyOut), metadata={"description": "모든 표의 차이"})


class TargetYearOut(BaseSchema):
    year = fields.Integer()
    text = fields.String(allow_none=True, metadata={"description": "인쇄된 그대로"})
    value = Figure()
    actual = Figure()
    rate = Rate(metadata={"description": "달성율 (%), 실적/목표×100, 소수 첫째 자리"})
    result_id = fields.Integer(allow_none=True)


class TargetRowOut(BaseSchema):
    key = fields.String()
    caption = fields.String()
    programme = fields.String(allow_none=True)
    indicator = fields.String()
    unit = fields.String(allow_none=True)
    total_text = fields.String(allow_none=True)
    total_value = Figure()
    computed_total = Figure()
    total_rule = fields.String()
    note = fields.String()
    years = fields.List(fields.Nested(TargetYearOut))


class ResultOut(BaseSchema):
    id = fields.Integer()
    project = fields.Function(lambda r: r.project.code if r.project else None)
    year = fields.Integer()
    indicator = fields.String()
    actual = Figure()
    note = fields.String()
    evidence_url = fields.String()
    target_row = fields.Function(lambda r: r.target_row.key if r.target_row else None)
    target = fields.Function(
        lambda r: (
            num(next((t.value for t in r.target_row.targets if t.year == r.year), None))
            if r.target_row
            else None
        )
    )
    achievement_rate = fields.Function(lambda r: Rate()._serialize(result_rate(r), None, r))
    created_at = SeoulDateTime()


class MetricsOut(BaseSchema):
    resources = fields.Integer()
    listings = fields.Integer()
    loans_completed = fields.Integer()
    posts = fields.Integer()
    organizations_on_card = fields.Integer()
    card_payments = fields.Integer()
    card_volume = fields.Integer()
    mileage_issued = fields.Integer()
    fund_balance = fields.Integer()


class MonthlyMetricsOut(MetricsOut):
    month = fields.String()


class StepItemOut(BaseSchema):
    text = fields.String()
    metrics = fields.Dict(keys=fields.String(), values=fields.Integer())
    started = fields.Boolean()
    measurable = fields.Boolean()


class StepYearOut(BaseSchema):
    year = fields.Integer()
    items = fields.List(fields.Nested(StepItemOut))


class TaskRefOut(BaseSchema):
    code = fields.String()
    title = fields.String()


class ProjectOut(BaseSchema):
    code = fields.String()
    title = fields.String()
    heading = fields.String()
    task = fields.Nested(TaskRefOut)
    sub_items = fields.List(fields.String())
    direction = fields.List(fields.String(), metadata={"description": "추진방향"})
    content = fields.List(fields.Raw(), metadata={"description": "추진계획: 사업개요, 사업기간, 사업내용"})
    targets = fields.List(fields.Nested(TargetRowOut), metadata={"description": "연도별 추진계획"})
    budget_lines = fields.List(fields.Nested(BudgetLineOut))
    results = fields.List(fields.Nested(ResultOut))
    discrepancies = fields.List(fields.Nested(DiscrepancyOut))
    platform_metrics = fields.Nested(MetricsOut, metadata={"description": "3-1 only: live"})
    platform_monthly = fields.List(fields.Nested(MonthlyMetricsOut), metadata={"description": "3-1 only"})
    platform_steps = fields.List(fields.Nested(StepYearOut), metadata={"description": "3-1 only"})
