"""The centre's view of accounts: search, roles and suspension."""

from __future__ import annotations

from flask_babel import gettext as _
from sqlalchemy import func, or_, select

from ..auth import services as auth_services
from ..auth.models import User
from ..auth.services import require_centre
from ..core.db import transaction
from ..core.errors import Invalid
from ..core.vocab import ROLES

USER_STATUSES = ("active", "suspended")


def _like(q: str) -> str:
    escaped = q.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped.lower()}%"


def search_users(actor, *, q: str | None = None, role: str | None = None, status: str | None = None):
    """Accounts matching a name or e-mail fragment, newest first (a select statement, for paging)."""
    require_centre(actor)
    problems = {}
    if role not in (None, "", *ROLES):
        problems["role"] = [_("알 수 없는 역할입니다.")]
    if status not in (None, "", *USER_STATUSES):
        problems["status"] = [_("알 수 없는 상태입니다.")]
    if q is not None and len(q) > 254:
        problems["q"] = [_("검색어가 너무 깁니다.")]
    if problems:
        raise Invalid(fields=problems)
    stmt = select(User).order_by(User.created_at.desc(), User.id.desc())
    q = (q or "").strip()
    if q:
        pattern = _like(q)
        stmt = stmt.where(
            or_(
                func.lower(User.name).like(pattern, escape="\\"),
                func.lower(User.email).like(pattern, escape="\\"),
            )
        )
    if role:
        stmt = stmt.where(User.role == role)
    if status == "suspended":
        stmt = stmt.where(User.suspended_at.is_not(None))
    elif status == "active":
        stmt = stmt.where(User.suspended_at.is_(None))
    return stmt


def update_user(actor, user_id: int, *, suspended: bool) -> User:
    """Suspend or restore a resident's account (logged by the auth services). Roles are not changed
    here: centre accounts are made only by the operator's command, and never suspended by the centre."""
    require_centre(actor)
    with transaction():
        user = auth_services.get_user(user_id)
        if suspended != (user.suspended_at is not None) or user.is_centre:
            user = auth_services.set_suspended(actor, user_id, suspended)
    return user
