"""The centre's pages: the CSV import (preview, then commit) and the stale entries."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from ...auth.services import require_centre
from ...core.errors import DomainError, Forbidden, Unauthorized
from ...web.api import paginate
from ...web.helpers import page_arg, run_action
from .. import services
from ..forms import ImportCommitForm, ImportForm
from ..services import importer, staging

PER_PAGE = 50


def _centre_only() -> None:
    try:
        require_centre(current_user)
    except (Forbidden, Unauthorized):
        abort(403)


@login_required
def import_page():
    """Upload -> preview (a dry run, the file kept under its hash) -> commit, all or nothing."""
    _centre_only()
    form = ImportForm()
    preview = token = None
    if form.validate_on_submit():
        data = form.file.data.read()
        try:
            preview = importer.run_import(current_user, data, commit=False)
            token = staging.stage(current_user, data)
        except DomainError as err:
            form.file.errors = [err.message, *(str(m) for m in err.fields.get("header", []))]
    status = 422 if form.errors else 200
    return render_template(
        "archive/import.html",
        form=form,
        preview=preview,
        commit_form=ImportCommitForm(token=token),
        columns=importer.ALLOWED_COLUMNS,
        required_columns=importer.REQUIRED_COLUMNS,
    ), status


@login_required
def import_commit():
    _centre_only()
    form = ImportCommitForm()
    if not form.validate_on_submit():
        flash(_("미리보기를 다시 해 주세요."), "error")
        return redirect(url_for("archive.import_page"))
    token = form.token.data
    try:
        result = importer.run_import(current_user, staging.staged(current_user, token), commit=True)
    except DomainError as err:
        rows = err.fields.get("rows", {}) if isinstance(err.fields, dict) else {}
        detail = " ".join(f"{n}행: {' '.join(r)}" for n, r in list(rows.items())[:10])
        flash(f"{err.message} {detail}".strip(), "error")
        return redirect(url_for("archive.import_page"))
    staging.discard(token)
    flash(
        _(
            "가져왔습니다: 새로 %(c)s건, 수정 %(u)s건, 그대로 %(s)s건.",
            c=result.count("created"),
            u=result.count("updated"),
            s=result.count("unchanged"),
        ),
        "success",
    )
    return redirect(url_for("archive.index"))


@login_required
def stale():
    _centre_only()
    page = page_arg()
    rows, total = paginate(services.stale_query(current_user), page=page, per_page=PER_PAGE)
    return render_template("archive/stale.html", resources=rows, total=total, page=page, per_page=PER_PAGE)


@login_required
def stale_archive():
    _centre_only()
    ids = [int(v) for v in request.form.getlist("ids") if v.isdigit()]
    if not ids:
        flash(_("보관할 자원을 골라 주세요."), "error")
        return redirect(url_for("archive.stale"))
    return run_action(
        lambda: services.archive_many(current_user, ids),
        url_for("archive.stale"),
        _("선택한 자원을 보관했습니다."),
        abort_pages=True,
    )


def register(bp: Blueprint) -> None:
    bp.route("/import", methods=["GET", "POST"])(import_page)
    bp.post("/import/commit")(import_commit)
    bp.get("/stale")(stale)
    bp.post("/stale/archive")(stale_archive)
