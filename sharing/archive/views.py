"""The archive's pages: search with facets, entries with their history, forms, open data exports.

The centre's pages (classification, import, stale entries) are in ``views_centre`` on the same
blueprint.
"""

from __future__ import annotations

from flask import (
    Blueprint,
    Response,
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user, login_required

from ..core.errors import DomainError
from ..web.api import PAGE_MAX
from ..web.forms import apply_errors, localise_choices
from ..web.helpers import form_flag, run_action
from . import export, queries, revisions, services
from .forms import ReportForm, ResourceForm, SearchForm
from .vocab import RESOURCE_KINDS, zone_code, zone_label
from .widgets import facet_links, resource_card

bp = Blueprint("archive", __name__, url_prefix="/archive")
bp.add_app_template_global(resource_card, "resource_card")
PER_PAGE = 20


def actor():
    return current_user if current_user.is_authenticated else None


@bp.get("")
def index():
    form = SearchForm(request.args)
    localise_choices(form, "kind", "category", "zone", "dong")
    filters = queries.Filters.from_mapping(request.args)
    page = min(max(request.args.get("page", 1, type=int) or 1, 1), PAGE_MAX + 1)  # no OFFSET overflow
    facets = queries.facets(filters)
    rows, total = queries.page(filters, page, PER_PAGE), facets["total"]
    return render_template(
        "archive/index.html",
        form=form,
        filters=filters,
        args=filters.as_args(),
        resources=rows,
        total=total,
        page=page,
        per_page=PER_PAGE,
        facets=facets,
        facet_link=facet_links(filters.as_args()),
    )


@bp.get("/<int:resource_id>")
def show(resource_id: int):
    resource = services.get_visible(actor(), resource_id)
    return render_template(
        "archive/show.html",
        resource=resource,
        can_manage=services.can_manage(actor(), resource),
        stale=services.is_stale(resource),
        history=services.history(resource.id),
        report_form=ReportForm(),
        field_labels=revisions.FIELD_LABELS,
        action_labels=revisions.ACTIONS,
        private_fields=revisions.PRIVATE_FIELDS,
    )


def _form_page(form, resource=None, status=200):
    return render_template("archive/form.html", form=form, resource=resource), status


def _refused(form, err: DomainError) -> None:
    """The form page's answer to a refusal: 403 as the error page, else the errors on the form."""
    if err.status == 403:
        abort(403)
    apply_errors(form, err)
    flash(err.message, "error")


@bp.route("/new", methods=["GET", "POST"])
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


@bp.route("/<int:resource_id>/edit", methods=["GET", "POST"])
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


def act(resource_id: int | None, run, done: str, *, target=None):
    """Run a service for a POST button; 403/404 as error pages, other refusals as a message."""
    return run_action(run, target or url_for("archive.show", resource_id=resource_id), done, abort_pages=True)


@bp.post("/<int:resource_id>/confirm")
@login_required
def confirm(resource_id: int):
    return act(
        resource_id,
        lambda: services.confirm(current_user, resource_id),
        _("최신 정보임을 확인했습니다."),
    )


@bp.post("/<int:resource_id>/delete")
@login_required
def delete(resource_id: int):
    return act(
        resource_id,
        lambda: services.delete_resource(current_user, resource_id),
        _("자원을 삭제했습니다."),
        target=url_for("archive.index"),
    )


@bp.post("/<int:resource_id>/report")
@login_required
def report(resource_id: int):
    form = ReportForm()
    if not form.validate_on_submit():
        flash(_("신고 사유를 선택해 주세요."), "error")
        return redirect(url_for("archive.show", resource_id=resource_id))
    return act(
        resource_id,
        lambda: services.report(current_user, resource_id, form.reason.data, form.comment.data or ""),
        _("신고를 접수했습니다. 센터가 확인합니다."),
    )


@bp.post("/<int:resource_id>/archive")
@login_required
def archive(resource_id: int):
    archived = form_flag("archived")
    return act(
        resource_id,
        lambda: services.set_archived(current_user, resource_id, archived),
        _("보관했습니다. 공개 목록과 내려받기에서 빠집니다.") if archived else _("보관을 해제했습니다."),
    )


@bp.post("/<int:resource_id>/hide")
@login_required
def hide(resource_id: int):
    hidden = form_flag("hidden")
    return act(
        resource_id,
        lambda: services.set_resource_hidden(current_user, resource_id, hidden),
        _("숨겼습니다.") if hidden else _("다시 공개했습니다."),
    )


# --- Open data --------------------------------------------------------------------------------


def _streamed(kind: str):
    """The export, encoded lazily; each batch is read in an app context opened and closed within
    one step of the iteration (the request's context is gone by the time the body is sent)."""
    app = current_app._get_current_object()

    def in_context(step):
        with app.app_context():
            return step()

    return (chunk.encode("utf-8") for chunk in export.chunks(kind, in_context))


@bp.get("/export.csv")
def export_csv():
    """Every public entry as CSV (UTF-8 with BOM); columns documented in ``export``."""
    response = Response(_streamed("csv"), mimetype="text/csv")
    response.headers["Content-Type"] = "text/csv; charset=utf-8"
    response.headers["Content-Disposition"] = "attachment; filename=seongbuk-resources.csv"
    return response


@bp.get("/export.json")
def export_json():
    response = Response(_streamed("json"), mimetype="application/json")
    response.headers["Content-Disposition"] = "inline; filename=seongbuk-resources.json"
    return response


@bp.app_context_processor
def _archive_globals():
    return {"archive_kinds": RESOURCE_KINDS, "archive_zone_label": zone_label, "archive_zone_code": zone_code}


from . import views_centre  # noqa: E402,F401  (registers the centre's pages on bp)
