"""The centre's dashboard, the organisations awaiting verification and the audit log."""

from __future__ import annotations

import json
from collections.abc import Iterator

from flask_babel import gettext as _
from sqlalchemy import func, or_, select
from sqlalchemy.orm import selectinload

from ..auth.models import User
from ..auth.services import require_centre
from ..core import csv as csvfile
from ..core.errors import Invalid
from ..core.extensions import db
from ..core.search import like_pattern
from ..core.time import seoul
from ..core.vocab import DONGS, ORG_KINDS
from ..orgs.models import Organization
from ..records.models import AuditLog
from .moderation import open_report_count
from .vocab import ACTION_LABELS, OBJECT_LABELS

ORG_STATUSES = ("pending", "verified", "all")


def _count(stmt) -> int:
    return db.session.execute(stmt).scalar_one()


def dashboard(actor) -> dict:
    """The numbers on the console's first page, and the latest centre actions."""
    require_centre(actor)
    open_reports, reported_targets = open_report_count()
    return {
        "organizations_pending": _count(
            select(func.count(Organization.id)).where(Organization.verified_at.is_(None))
        ),
        "organizations_verified": _count(
            select(func.count(Organization.id)).where(Organization.verified_at.is_not(None))
        ),
        "open_reports": open_reports,
        "reported_targets": reported_targets,
        "users": _count(select(func.count(User.id))),
        "centre_users": _count(select(func.count(User.id)).where(User.role == "centre")),
        "suspended_users": _count(select(func.count(User.id)).where(User.suspended_at.is_not(None))),
        "recent_actions": db.session.execute(
            select(AuditLog)
            .options(selectinload(AuditLog.actor))
            .order_by(AuditLog.created_at.desc(), AuditLog.id.desc())
            .limit(10)
        )
        .scalars()
        .all(),
    }


# --- Organisations ----------------------------------------------------------------------------


def organizations(actor, *, status: str | None = "pending", kind: str | None = None, dong: str | None = None):
    """Organisations for the centre: awaiting verification by default, oldest request first."""
    require_centre(actor)
    problems = {}
    if status not in (None, "", *ORG_STATUSES):
        problems["status"] = [_("알 수 없는 상태입니다.")]
    if kind not in (None, "", *ORG_KINDS):
        problems["kind"] = [_("알 수 없는 조직 유형입니다.")]
    if dong not in (None, "", *DONGS):
        problems["dong"] = [_("성북구의 행정동이 아닙니다.")]
    if problems:
        raise Invalid(fields=problems)
    stmt = select(Organization)
    if status in (None, "", "pending"):
        stmt = stmt.where(Organization.verified_at.is_(None)).order_by(
            Organization.created_at, Organization.id
        )
    else:
        if status == "verified":
            stmt = stmt.where(Organization.verified_at.is_not(None))
        stmt = stmt.order_by(Organization.created_at.desc(), Organization.id.desc())
    if kind:
        stmt = stmt.where(Organization.kind == kind)
    if dong:
        stmt = stmt.where(Organization.dong == dong)
    return stmt


def founders(orgs) -> dict[int, User]:
    """The account that registered each organisation, by organisation id (one query)."""
    ids = {o.created_by_id for o in orgs if o.created_by_id}
    if not ids:
        return {}
    users = {u.id: u for u in db.session.execute(select(User).where(User.id.in_(ids))).scalars()}
    return {o.id: users[o.created_by_id] for o in orgs if o.created_by_id in users}


# --- Audit log --------------------------------------------------------------------------------


def audit_log(
    actor,
    *,
    action: str | None = None,
    actor_id: int | None = None,
    target_type: str | None = None,
    who: str | None = None,
):
    """The audit log, newest first, filtered (a select statement, for paging). ``who`` finds the
    lines of the accounts whose name or e-mail contains it (case-insensitive)."""
    require_centre(actor)
    problems = {}
    if action is not None and len(action) > 60:
        problems["action"] = [_("60자 이하로 입력해 주세요.")]
    if who is not None and len(who) > 254:
        problems["who"] = [_("검색어가 너무 깁니다.")]
    if target_type is not None and len(target_type) > 30:
        problems["target_type"] = [_("30자 이하로 입력해 주세요.")]
    if problems:
        raise Invalid(fields=problems)
    stmt = (
        select(AuditLog)
        .options(selectinload(AuditLog.actor))
        .order_by(AuditLog.created_at.desc(), AuditLog.id.desc())
    )
    if action:
        stmt = stmt.where(AuditLog.action == action)
    if actor_id:
        stmt = stmt.where(AuditLog.actor_id == actor_id)
    if target_type:
        stmt = stmt.where(AuditLog.target_type == target_type)
    who = (who or "").strip().lower()
    if who:
        pattern = like_pattern(who)
        accounts = select(User.id).where(
            or_(
                func.lower(User.name).like(pattern, escape="\\"),
                func.lower(User.email).like(pattern, escape="\\"),
            )
        )
        stmt = stmt.where(AuditLog.actor_id.in_(accounts))
    return stmt


def audit_filter_choices(actor) -> dict:
    """The actions, actors and object types that appear in the log (for the filter menus)."""
    require_centre(actor)
    actions = set(db.session.execute(select(AuditLog.action).distinct()).scalars()) | set(ACTION_LABELS)
    actor_ids = select(AuditLog.actor_id).where(AuditLog.actor_id.is_not(None)).distinct()
    actors = (
        db.session.execute(
            select(User).where((User.role == "centre") | User.id.in_(actor_ids)).order_by(User.name, User.id)
        )
        .scalars()
        .all()
    )
    target_types = set(db.session.execute(select(AuditLog.target_type).distinct()).scalars())
    return {
        "actions": sorted(actions),
        "actors": actors,
        "target_types": sorted(target_types | set(OBJECT_LABELS)),
    }


def seoul_iso(value) -> str:
    """A stored timestamp as Seoul time, ISO 8601 to the second ("" for none)."""
    value = seoul(value)
    return value.isoformat(timespec="seconds") if value is not None else ""


CSV_HEADER = (
    "id",
    "created_at",
    "actor_id",
    "actor_name",
    "actor_email",
    "action",
    "target_type",
    "target_id",
    "detail",
)


def audit_csv(stmt, batch: int = 500) -> Iterator[str]:
    """The rows of an audit-log query as CSV text, UTF-8 with a BOM for spreadsheet users."""
    return csvfile.chunks(_audit_rows(stmt, batch), CSV_HEADER, batch)


def _audit_rows(stmt, batch: int) -> Iterator[tuple]:
    offset = 0
    while rows := db.session.execute(stmt.limit(batch).offset(offset)).scalars().all():
        for row in rows:
            yield (
                row.id,
                seoul_iso(row.created_at),
                row.actor_id,
                row.actor.name if row.actor else "",
                row.actor.email if row.actor else "",
                row.action,
                row.target_type,
                row.target_id,
                json.dumps(row.detail or {}, ensure_ascii=False, sort_keys=True),
            )
        offset += batch
