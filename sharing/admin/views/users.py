"""Accounts: search, and suspending or restoring one."""

from __future__ import annotations

from flask import render_template, request
from flask_babel import gettext as _
from flask_login import current_user

from ...web.api import paginate
from ...web.helpers import form_flag, page_arg
from .. import services
from ..forms import UserFilterForm
from .common import PER_PAGE, clean, run


def users():
    form = UserFilterForm(request.args)
    args = clean(form, "q", "role", "status")
    page = page_arg()
    stmt = services.search_users(
        current_user, q=args.get("q"), role=args.get("role"), status=args.get("status")
    )
    rows, total = paginate(stmt, page=page, per_page=PER_PAGE)
    return render_template(
        "admin/users.html", form=form, users=rows, total=total, page=page, per_page=PER_PAGE, args=args
    )


def user_suspend(user_id: int):
    suspended = form_flag("suspended")
    return run(
        lambda: services.update_user(current_user, user_id, suspended=suspended),
        _("계정을 정지했습니다.") if suspended else _("계정 정지를 해제했습니다."),
        "admin.users",
    )
