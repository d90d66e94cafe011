"""The dashboard and the audit log (as a page and as one CSV download)."""

from __future__ import annotations

from flask import render_template, request
from flask_babel import gettext as _
from flask_login import current_user

from ...core import csv as csvfile
from ...web.api import paginate
from ...web.helpers import page_arg
from .. import services
from ..forms import AuditFilterForm
from ..vocab import ACTION_LABELS, OBJECT_LABELS
from .common import PER_PAGE, clean


def index():
    return render_template("admin/index.html", stats=services.dashboard(current_user), labels=ACTION_LABELS)


def _by_label(codes, names: dict) -> list[tuple[str, str]]:
    """Menu choices for codes, each shown by its Korean label, in the labels' order."""
    return sorted(((code, str(names.get(code, code))) for code in codes), key=lambda c: c[1])


def _audit_filters():
    choices = services.audit_filter_choices(current_user)
    form = AuditFilterForm(request.args)
    everything = [("", _("전체"))]
    form.action.choices = everything + _by_label(choices["actions"], ACTION_LABELS)
    form.target_type.choices = everything + _by_label(choices["target_types"], OBJECT_LABELS)
    args = clean(form, "action", "target_type")
    who = " ".join((form.who.data or "").split())[:254]
    if who:
        args["who"] = who
    actor_id = request.args.get("actor_id", "")
    if actor_id.isdigit() and 0 < int(actor_id) < 2**31:  # a link to one account's lines
        args["actor_id"] = actor_id
    stmt = services.audit_log(
        current_user,
        action=args.get("action"),
        actor_id=int(args["actor_id"]) if args.get("actor_id") else None,
        target_type=args.get("target_type"),
        who=who or None,
    )
    return form, args, stmt


def audit_log():
    form, args, stmt = _audit_filters()
    page = page_arg()
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


def audit_log_csv():
    """The filtered log as one CSV download (built in memory: the log grows by hand-made actions)."""
    _form, _args, stmt = _audit_filters()
    return csvfile.download("".join(services.audit_csv(stmt)), "audit-log.csv", private=True)
