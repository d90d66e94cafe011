"""An entry's pages: the entry with its history, the forms, and its POST buttons (confirm, delete,
report, archive, hide)."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from ...core.errors import DomainError
from ...web.forms import apply_errors
from ...web.helpers import current_user_or_none, form_flag, run_action
from .. import services
from ..forms import ReportForm, ResourceForm
from ..services import change_log


def show(resource_id: int):
    actor = current_user_or_none()
    resource = services.get_visible(actor, resource_id)
    return render_template(
        "archive/show.html",
        resource=resource,
        can_manage=services.can_manage(actor, resource),
        stale=services.is_stale(resource),
        history=change_log.entries(
            services.history(resource.id),
            signed_in=actor is not None,
            centre=actor is not None and actor.is_centre,
        ),
        report_form=ReportForm(),
    )


def _form_page(form, resource=None, status=200):
    return render_template("archive/form.html", form=form, resource=resource), status


def _refused(form, err: DomainError) -> None:
    """The form page's answer to a refusal: 403 as the error page, else the errors on the form."""
    if err.status == 403:
        abort(403)
    apply_errors(form, err)
    flash(err.message, "error")


@login_required
def new():
    form = ResourceForm()
    form.set_organizations(services.organizations_for(current_user))
    if not form.is_submitted():
        form.dong.data = current_user.dong
    if form.validate_on_submit():
        try:
            resource = services.create(current_user, form.values())
        except DomainError as err:
            _refused(form, err)
        else:
            flash(_("자원을 등록했습니다."), "success")
            return redirect(url_for("archive.show", resource_id=resource.id))
    return _form_page(form, status=422 if form.errors else 200)


@login_required
def edit(resource_id: int):
    resource = services.get_visible(current_user, resource_id)
    if not services.can_manage(current_user, resource):
        abort(403)
    form = ResourceForm(obj=None if request.method == "POST" else resource)
    orgs = services.organizations_for(current_user)
    if resource.organization is not None and resource.organization not in orgs:
        orgs = [resource.organization, *orgs]
    form.set_organizations(orgs)
    if not form.is_submitted():
        form.tags.data = ", ".join(resource.tag_list)
        form.organization_id.data = str(resource.organization_id or "")
    if form.validate_on_submit():
        try:
            services.update(current_user, resource.id, form.values())
        except DomainError as err:
            _refused(form, err)
        else:
            flash(_("저장했습니다."), "success")
            return redirect(url_for("archive.show", resource_id=resource.id))
    return _form_page(form, resource, status=422 if form.errors else 200)


def _act(resource_id: int, run, done: str, *, target=None):
    """Run a service for a POST button; 403/404 as error pages, other refusals as a message."""
    return run_action(run, target or url_for("archive.show", resource_id=resource_id), done, abort_pages=True)


@login_required
def confirm(resource_id: int):
    return _act(
        resource_id,
        lambda: services.confirm(current_user, resource_id),
        _("최신 정보임을 확인했습니다."),
    )


@login_required
def delete(resource_id: int):
    return _act(
        resource_id,
        lambda: services.delete_resource(current_user, resource_id),
        _("자원을 삭제했습니다."),
        target=url_for("archive.index"),
    )


@login_required
def report(resource_id: int):
    form = ReportForm()
    if not form.validate_on_submit():
        flash(_("신고 사유를 선택해 주세요."), "error")
        return redirect(url_for("archive.show", resource_id=resource_id))
    return _act(
        resource_id,
        lambda: services.report(current_user, resource_id, form.reason.data, form.comment.data or ""),
        _("신고를 접수했습니다. 센터가 확인합니다."),
    )


@login_required
def archive(resource_id: int):
    archived = form_flag("archived")
    return _act(
        resource_id,
        lambda: services.set_archived(current_user, resource_id, archived),
        _("보관했습니다. 공개 목록과 내려받기에서 빠집니다.") if archived else _("보관을 해제했습니다."),
    )


@login_required
def hide(resource_id: int):
    hidden = form_flag("hidden")
    return _act(
        resource_id,
        lambda: services.set_resource_hidden(current_user, resource_id, hidden),
        _("숨겼습니다.") if hidden else _("다시 공개했습니다."),
    )


def register(bp: Blueprint) -> None:
    bp.get("/<int:resource_id>")(show)
    bp.route("/new", methods=["GET", "POST"])(new)
    bp.route("/<int:resource_id>/edit", methods=["GET", "POST"])(edit)
    bp.post("/<int:resource_id>/confirm")(confirm)
    bp.post("/<int:resource_id>/delete")(delete)
    bp.post("/<int:resource_id>/report")(report)
    bp.post("/<int:resource_id>/archive")(archive)
    bp.post("/<int:resource_id>/hide")(hide)
