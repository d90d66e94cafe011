"""The in-app inbox: the latest notifications, marking them read, following one to its page."""

from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlalchemy import select

from ..core.db import transaction, utcnow
from ..core.extensions import db
from ..web.api import paginate
from ..web.helpers import page_arg
from ..web.urls import safe_next
from . import services
from .models import Notification

bp = Blueprint("notify", __name__)
PER_PAGE = 30


@bp.get("/inbox")
@login_required
def inbox():
    page = page_arg()
    stmt = (
        select(Notification)
        .where(Notification.user_id == current_user.id)
        .order_by(Notification.created_at.desc(), Notification.id.desc())
    )
    rows, total = paginate(stmt, page=page, per_page=PER_PAGE)
    return render_template(
        "notify/inbox.html",
        notes=rows,
        total=total,
        page=page,
        per_page=PER_PAGE,
        unread=services.unread_count(current_user),
    )


@bp.post("/inbox/read")
@login_required
def mark_all_read():
    services.mark_all_read(current_user)
    flash(_("모든 알림을 읽음으로 표시했습니다."), "success")
    return redirect(url_for("notify.inbox"))


@bp.post("/inbox/<int:note_id>/open")
@login_required
def open_note(note_id: int):
    """Mark one notification read and go to its page (only local links)."""
    with transaction():
        note = db.session.get(Notification, note_id)
        if note is None or note.user_id != current_user.id:
            abort(404)
        if note.read_at is None:
            note.read_at = utcnow()
        target = safe_next(note.link, url_for("notify.inbox"))
    return redirect(target)
