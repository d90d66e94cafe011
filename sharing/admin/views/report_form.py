"""The residents' report page (``/reports/new``), on the console's blueprint but outside /admin."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request
from flask_babel import gettext as _
from flask_login import current_user, login_required

from ...core.errors import DomainError
from ...records.models import REPORT_TARGETS
from ...web.forms import apply_errors
from ...web.urls import safe_next
from .. import services
from ..forms import ReportForm
from ..vocab import TARGET_LABELS


def _target_from(source) -> tuple[str, int]:
    target_type = source.get("target_type", "")
    target_id = source.get("target_id", "")
    if target_type not in REPORT_TARGETS or not str(target_id).isdigit():
        abort(404)
    return target_type, int(target_id)


@login_required
def new_report():
    source = request.form if request.method == "POST" else request.args
    target_type, target_id = _target_from(source)
    target = services.describe(target_type, target_id)
    if target is None:
        abort(404)
    form = ReportForm(
        data={"target_type": target_type, "target_id": target_id, "next": source.get("next", "")}
        if request.method == "GET"
        else None
    )
    back = safe_next(form.next.data or None, target.url or "/")
    if form.validate_on_submit():
        try:
            services.create_report(
                current_user, target_type, target_id, form.reason.data, form.comment.data or ""
            )
        except DomainError as err:
            if err.status == 404:
                raise
            apply_errors(form, err)
            if not err.fields:
                form.reason.errors = list(form.reason.errors) + [err.message]
        else:
            flash(_("신고가 접수되었습니다. 마을사회적경제센터에서 확인하겠습니다."), "success")
            return redirect(back)
    return render_template(
        "admin/report_form.html",
        form=form,
        target=target,
        target_label=TARGET_LABELS.get(target_type, target_type),
        back=back,
    ), 422 if form.errors else 200
