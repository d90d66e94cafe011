"""The moderation queue: reports grouped by target, and acting on them."""

from __future__ import annotations

from flask import render_template, request
from flask_babel import gettext as _
from flask_login import current_user

from ...web.helpers import page_arg
from .. import services
from ..forms import ReportFilterForm
from .common import PER_PAGE, clean, run


def reports():
    form = ReportFilterForm(request.args)
    args = clean(form, "status", "target_type")
    status = args.get("status", "open")
    page = page_arg()
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


def resolve_report(report_id: int):
    action = request.form.get("action", "")
    messages = {
        "hide": _("대상을 숨기고 신고를 처리했습니다."),
        "restore": _("대상을 다시 공개하고 신고를 정리했습니다."),
        "dismiss": _("신고를 기각했습니다."),
        "suspend": _("작성자 계정을 정지하고 신고를 처리했습니다."),
    }
    return run(
        lambda: services.resolve(current_user, report_id, action, request.form.get("note", "")),
        messages.get(action, _("처리했습니다.")),
        "admin.reports",
    )
