"""The centre's pages of the basic plan under /admin/plan (centre only; links back to /admin)."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from ..archive.services import RESOURCE_KINDS
from ..core import csv as csvfile
from ..core.errors import DomainError
from ..core.i18n import unit
from ..core.time import seoul_today
from ..web.forms import apply_errors
from . import charts, services
from .figures import fmt, num
from .forms import ResultForm, YearForm
from .services import evaluation, exports, metrics, results

bp = Blueprint("plan", __name__, url_prefix="/admin/plan")


@bp.get("")
@login_required
def index():
    data = services.overview(current_user)
    summary = data["budget"]
    groups = [t["code"] + " " + t["short_title"] for t in summary["by_task"]]
    chart = charts.grouped_bars(
        groups,
        [str(y) for y in summary["years"]],
        [
            [None if y in t["blank_years"] else t["years"][y] for y in summary["years"]]
            for t in summary["by_task"]
        ],
        title=_("추진과제별·연도별 예산"),
        unit=unit(summary["unit"]),
        blank=_("빈 칸"),
    )
    return render_template("plan/index.html", data=data, summary=summary, chart=chart)


def _project_page(code: str, form: ResultForm | None = None, status: int = 200):
    data = services.project_detail(current_user, code)
    plan = data["plan"]
    form = form or ResultForm(plan.years, year=_default_year(plan))
    monthly_charts = []
    if "platform_monthly" in data:
        months = data["platform_monthly"]
        for key in metrics.KEYS:
            monthly_charts.append(
                {
                    "key": key,
                    "chart": charts.line(
                        [m["month"][2:] for m in months], [m[key] for m in months], title=metric_label(key)
                    ),
                }
            )
    return (
        render_template(
            "plan/project.html",
            data=data,
            form=form,
            monthly_charts=monthly_charts,
            metric_label=metric_label,
            metric_keys=metrics.KEYS,
            money_keys=metrics.MONEY_KEYS,
            kind_labels=_resource_kind_labels(),
        ),
        status,
    )


def _resource_kind_labels() -> dict:
    return dict(RESOURCE_KINDS)


def _default_year(plan) -> int:
    return min(max(seoul_today().year, plan.period_start), plan.period_end)


def metric_label(key: str) -> str:
    return {
        "resources": _("등록 자원"),
        "listings": _("장터 게시물"),
        "loans_completed": _("완료된 대여"),
        "posts": _("마을소식 글"),
        "organizations_on_card": _("카드 가맹 조직"),
        "card_payments": _("카드 결제 건수"),
        "card_volume": _("카드 결제액(원)"),
        "mileage_issued": _("적립 마일리지(원)"),
        "fund_balance": _("사회적경제기금 잔액(원)"),
    }.get(key, key)


@bp.get("/<code>")
@login_required
def project(code: str):
    return _project_page(code)


@bp.post("/<code>/results")
@login_required
def record_result(code: str):
    plan = services.plan_for(current_user)
    form = ResultForm(plan.years)
    if form.validate_on_submit():
        try:
            results.record_result(
                current_user,
                code,
                year=form.year.data,
                indicator=form.indicator.data,
                actual=form.actual.data,
                note=form.note.data or "",
                evidence_url=form.evidence_url.data or "",
            )
        except DomainError as err:
            if err.status in (403, 404):
                raise
            apply_errors(form, err)
        else:
            flash(_("실적을 기록했습니다."), "success")
            return redirect(url_for("plan.project", code=code) + "#results")
    return _project_page(code, form, 422)


def _year_arg(plan) -> int:
    year = request.args.get("year", type=int)
    return year if year in plan.years else _default_year(plan)


@bp.get("/evaluation")
@login_required
def evaluation_page():
    plan = services.plan_for(current_user)
    year = _year_arg(plan)
    return _evaluation(plan, year)


def _evaluation(plan, year, errors=None, status=200):
    cards = {kind: evaluation.scorecard(plan, kind, year) for kind in evaluation.KINDS}
    history = {kind: evaluation.year_on_year(plan, kind) for kind in evaluation.KINDS}
    return (
        render_template(
            "plan/evaluation.html",
            plan=plan,
            year=year,
            cards=cards,
            history=history,
            calendar=evaluation.calendar(plan),
            form=YearForm(),
            errors=errors or {},
            submitted=request.form if errors else {},
        ),
        status,
    )


@bp.post("/evaluation/<int:year>/<kind>")
@login_required
def save_scores(year: int, kind: str):
    plan = services.plan_for(current_user)
    if kind not in evaluation.KINDS:
        abort(404)
    form = YearForm()
    if not form.validate_on_submit():
        flash(_("보안 토큰이 만료되었습니다. 새로고침 후 다시 시도해 주세요."), "error")
        return redirect(url_for("plan.evaluation_page", year=year))
    scores = {k[len("score-") :]: v for k, v in request.form.items() if k.startswith("score-")}
    notes = {k[len("note-") :]: v for k, v in request.form.items() if k.startswith("note-")}
    try:
        evaluation.save_scores(current_user, kind, year, scores, notes)
    except DomainError as err:
        if err.status in (403, 404):
            raise
        flash(_("점수를 확인해 주세요."), "error")
        return _evaluation(plan, year if year in plan.years else _default_year(plan), err.fields, 422)
    flash(_("%(kind)s 점수를 저장했습니다.", kind=evaluation.kind_label(kind)), "success")
    return redirect(url_for("plan.evaluation_page", year=year) + f"#card-{kind}")


@bp.get("/report/<int:year>")
@login_required
def report(year: int):
    data = services.overview(current_user)
    plan = data["plan"]
    if year not in plan.years:
        abort(404)
    projects = []
    for task in plan.tasks:
        for p in task.projects:
            project = services.get_project(plan, p.code)
            projects.append({"project": project, "targets": results.target_table(plan, project)})
    cards = {kind: evaluation.scorecard(plan, kind, year) for kind in evaluation.KINDS}
    return render_template(
        "plan/report.html", data=data, plan=plan, year=year, projects=projects, cards=cards
    )


@bp.get("/export/<name>.csv")
@login_required
def export(name: str):
    return csvfile.download(exports.export(current_user, name), f"plan-2017-2020-{name}.csv", private=True)


@bp.app_template_filter("plan_figure")
def plan_figure(value, signed: bool = False) -> str:
    """A plan figure for people: 1,645 · 31.9 · +5 (signed)."""
    if value is None:
        return ""
    text = fmt(value)
    return ("+" + text) if signed and num(value) > 0 else text


@bp.app_template_filter("plan_rate")
def plan_rate(value) -> str:
    """An achievement rate with the plan's one decimal: 75.0, 142.9."""
    return "" if value is None else f"{value:,.1f}"
