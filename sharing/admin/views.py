"""The centre's console (마을사회적경제센터 관리), HTML pages under /admin.

The blueprint has no url_prefix so that the residents' report page (``/reports/new``, in
``report_views``) can live beside it; every console route is written with its ``/admin`` prefix.
The plan pages at ``/admin/plan`` are the plan blueprint's, not this one's.
"""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from ..auth.services import require_centre
from ..core import csv as csvfile
from ..core.extensions import login_manager
from ..orgs import services as org_services
from ..orgs.forms import CardPolicyForm
from ..web.api import PAGE_MAX, paginate
from ..web.helpers import form_flag, run_action
from ..web.urls import safe_next
from . import services
from .forms import (
    AuditFilterForm,
    OrganizationFilterForm,
    ReportFilterForm,
    UserFilterForm,
)
from .vocab import (
    ACTION_LABELS,
    OBJECT_LABELS,
    REASON_LABELS,
    RESOLUTION_LABELS,
    ROLE_LABELS,
    STATUS_LABELS,
    TARGET_LABELS,
)

bp = Blueprint("admin", __name__)

PER_PAGE = 20
# Endpoints of this blueprint that residents use (everything else is the centre's).
PUBLIC_ENDPOINTS = {"admin.new_report"}


@bp.before_request
def _centre_only():
    """Anonymous visitors go to sign in; signed-in residents get 403 (the services decide)."""
    if request.endpoint in PUBLIC_ENDPOINTS:
        return None
    if not current_user.is_authenticated:
        return login_manager.unauthorized()
    require_centre(current_user)
    return None


@bp.app_template_filter("admin_iso")
def _admin_iso(value) -> str:
    return services.seoul_iso(value)


@bp.context_processor
def _labels() -> dict:
    return {
        "reason_labels": REASON_LABELS,
        "target_labels": TARGET_LABELS,
        "status_labels": STATUS_LABELS,
        "resolution_labels": RESOLUTION_LABELS,
        "role_labels": ROLE_LABELS,
        "object_labels": OBJECT_LABELS,
    }


def _page() -> int:
    page = request.args.get("page", 1, type=int) or 1
    return min(max(page, 1), PAGE_MAX + 1)  # past any list, and no OFFSET overflow in the driver


def _clean(form, *names) -> dict:
    """The filter values that are valid choices (anything else is ignored, as on the public pages)."""
    values = {}
    for name in names:
        fld = form[name]
        value = (fld.data or "").strip() if isinstance(fld.data, str) else fld.data
        choices = getattr(fld, "choices", None)
        if choices is not None and value not in {str(c[0]) for c in choices}:
            value = ""
        if value:
            values[name] = value
    return values


def _next(default_endpoint: str) -> str:
    return safe_next(request.form.get("next"), url_for(default_endpoint))


def _back(default_endpoint: str):
    return redirect(_next(default_endpoint))


def _run(action, success: str, default_endpoint: str):
    """Call a service for a POST; 403/404 become the error page, conflicts a message."""
    return run_action(action, _next(default_endpoint), success)


# --- Dashboard --------------------------------------------------------------------------------


@bp.get("/admin")
def index():
    return render_template("admin/index.html", stats=services.dashboard(current_user), labels=ACTION_LABELS)


# --- Organisations ----------------------------------------------------------------------------


@bp.get("/admin/organizations")
def organizations():
    form = OrganizationFilterForm(request.args)
    args = _clean(form, "status", "kind", "dong")
    status = args.get("status", "pending")
    page = _page()
    stmt = services.organizations(current_user, status=status, kind=args.get("kind"), dong=args.get("dong"))
    orgs, total = paginate(stmt, page=page, per_page=PER_PAGE)
    policy_forms = {o.id: CardPolicyForm(obj=o, prefix=f"org{o.id}", formdata=None) for o in orgs}
    return render_template(
        "admin/organizations.html",
        form=form,
        orgs=orgs,
        founders=services.founders(orgs),
        policy_forms=policy_forms,
        total=total,
        page=page,
        per_page=PER_PAGE,
        args=args,
        status=status,
    )


@bp.post("/admin/organizations/<int:org_id>/verify")
def verify_organization(org_id: int):
    verified = form_flag("verified")
    return _run(
        lambda: org_services.set_verified(current_user, org_id, verified),
        _("조직을 인증했습니다.") if verified else _("조직 인증을 취소했습니다."),
        "admin.organizations",
    )


@bp.post("/admin/organizations/<int:org_id>/card-policy")
def organization_policy(org_id: int):
    form = CardPolicyForm(prefix=f"org{org_id}")
    if not form.validate_on_submit():
        flash(_("할인율과 적립률은 0에서 2000 사이의 정수여야 합니다."), "error")
        return _back("admin.organizations")
    return _run(
        lambda: org_services.set_card_policy(
            current_user, org_id, discount_bp=form.discount_bp.data, mileage_bp=form.mileage_bp.data
        ),
        _("카드 할인·적립 정책을 저장했습니다."),
        "admin.organizations",
    )


# --- Moderation queue -------------------------------------------------------------------------


@bp.get("/admin/reports")
def reports():
    form = ReportFilterForm(request.args)
    args = _clean(form, "status", "target_type")
    status = args.get("status", "open")
    page = _page()
    groups, total = services.report_queue(
        current_user, status=status, target_type=args.get("target_type"), page=page, per_page=PER_PAGE
    )
    return render_template(
        "admin/reports.html",
        form=form,
        groups=groups,
        total=total,
        page=page,
        per_page=PER_PAGE,
        args=args,
        status=status,
    )


@bp.post("/admin/reports/<int:report_id>/resolve")
def resolve_report(report_id: int):
    action = request.form.get("action", "")
    messages = {
        "hide": _("대상을 숨기고 신고를 처리했습니다."),
        "restore": _("대상을 다시 공개하고 신고를 정리했습니다."),
        "dismiss": _("신고를 기각했습니다."),
        "suspend": _("작성자 계정을 정지하고 신고를 처리했습니다."),
    }
    return _run(
        lambda: services.resolve(current_user, report_id, action, request.form.get("note", "")),
        messages.get(action, _("처리했습니다.")),
        "admin.reports",
    )


# --- Users ------------------------------------------------------------------------------------


@bp.get("/admin/users")
def users():
    form = UserFilterForm(request.args)
    args = _clean(form, "q", "role", "status")
    page = _page()
    stmt = services.search_users(
        current_user, q=args.get("q"), role=args.get("role"), status=args.get("status")
    )
    rows, total = paginate(stmt, page=page, per_page=PER_PAGE)
    return render_template(
        "admin/users.html", form=form, users=rows, total=total, page=page, per_page=PER_PAGE, args=args
    )


@bp.post("/admin/users/<int:user_id>/suspend")
def user_suspend(user_id: int):
    suspended = form_flag("suspended")
    return _run(
        lambda: services.update_user(current_user, user_id, suspended=suspended),
        _("계정을 정지했습니다.") if suspended else _("계정 정지를 해제했습니다."),
        "admin.users",
    )


# --- Audit log --------------------------------------------------------------------------------


def _audit_filters():
    choices = services.audit_filter_choices(current_user)
    form = AuditFilterForm(request.args)
    form.action.choices = [("", _("전체"))] + [(a, str(ACTION_LABELS.get(a, a))) for a in choices["actions"]]
    form.actor_id.choices = [("", _("전체"))] + [
        (str(u.id), f"{u.name} ({u.email})") for u in choices["actors"]
    ]
    args = _clean(form, "action", "actor_id", "target_type")
    stmt = services.audit_log(
        current_user,
        action=args.get("action"),
        actor_id=int(args["actor_id"]) if args.get("actor_id") else None,
        target_type=args.get("target_type"),
    )
    return form, args, stmt


@bp.get("/admin/audit-log")
def audit_log():
    form, args, stmt = _audit_filters()
    page = _page()
    rows, total = paginate(stmt, page=page, per_page=PER_PAGE)
    return render_template(
        "admin/audit_log.html",
        form=form,
        entries=rows,
        total=total,
        page=page,
        per_page=PER_PAGE,
        args=args,
        labels=ACTION_LABELS,
    )


@bp.get("/admin/audit-log.csv")
def audit_log_csv():
    """The filtered log as one CSV download (built in memory: the log grows by hand-made actions)."""
    _form, _args, stmt = _audit_filters()
    return csvfile.download("".join(services.audit_csv(stmt)), "audit-log.csv", private=True)


from . import report_views  # noqa: E402, F401  (the residents' report page, on this blueprint)
