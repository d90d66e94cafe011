"""Residents' reports and the centre's moderation queue.

Hiding and restoring belong to the feature that owns the target: the console asks the target
type's :class:`~sharing.records.moderation.Provider` (registered by ``sharing.admin.providers``)
to describe it and to hide or restore it. A type without a provider still shows in the queue, by
its id, and hiding it is a clear 409.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field, replace
from datetime import datetime

from flask_babel import gettext as _
from sqlalchemy import and_, desc, func, or_, select

from ..auth.models import User
from ..auth.services import require_centre, set_suspended
from ..core.db import lock, transaction, utcnow
from ..core.errors import Conflict, Invalid, NotFound, Unauthorized
from ..core.extensions import db
from ..core.vocab import label
from ..records.log import add_report, record_action
from ..records.models import REPORT_REASONS, REPORT_STATUSES, REPORT_TARGETS, RESOLUTIONS, Report
from ..records.moderation import provider
from .report_notices import tell_reporters
from .vocab import TARGET_LABELS


@dataclass(frozen=True)
class Target:
    """What the queue shows of a reported object."""

    type: str
    id: int
    title: str
    author_id: int | None = None
    url: str | None = None
    hidden: bool | None = None
    described: bool = False  # False when no provider describes this type
    author_name: str | None = None  # the author's display name (filled in for the queue)


@dataclass
class ReportGroup:
    """The reports on one target: how many, why, and the latest ones."""

    target: Target
    count: int
    first_at: datetime
    last_at: datetime
    reasons: dict[str, int] = field(default_factory=dict)
    reports: list[Report] = field(default_factory=list)

    @property
    def report_id(self) -> int:
        """The report to resolve the group through (the latest one)."""
        return self.reports[0].id


def check_target_type(target_type: str) -> None:
    if target_type not in REPORT_TARGETS:
        raise Invalid(fields={"target_type": [_("신고할 수 없는 대상입니다.")]})


def _get(info, key: str):
    return info.get(key) if isinstance(info, dict) else getattr(info, key, None)


def describe(target_type: str, target_id: int) -> Target | None:
    """The target's title, author and link; None when its feature says it does not exist."""
    check_target_type(target_type)
    fallback = Target(target_type, target_id, f"{label(TARGET_LABELS, target_type)} #{target_id}")
    owner = provider(target_type)
    describe_fn = owner.describe if owner is not None else None
    if describe_fn is None:
        return fallback
    try:
        info = describe_fn(target_type, target_id)
    except NotFound:
        return None
    if info is None:
        return None
    author_id = _get(info, "author_id")
    hidden = _get(info, "hidden")
    return Target(
        target_type,
        target_id,
        str(_get(info, "title") or fallback.title),
        author_id=int(author_id) if author_id is not None else None,
        url=_get(info, "url") or None,
        hidden=bool(hidden) if hidden is not None else None,
        described=True,
    )


def describe_for_queue(target_type: str, target_id: int) -> Target:
    """Like :func:`describe`, but a vanished target still shows (as deleted) in the queue."""
    try:
        target = describe(target_type, target_id)
    except Invalid:
        target = None
    if target is None:
        return Target(
            target_type,
            target_id,
            _(
                "삭제되었거나 찾을 수 없는 대상 (%(kind)s #%(id)s)",
                kind=label(TARGET_LABELS, target_type),
                id=target_id,
            ),
        )
    return target


def moderation_fn(target_type: str):
    """The owning feature's hide/restore function; 409 when it offers none for this type."""
    check_target_type(target_type)
    owner = provider(target_type)
    fn = owner.set_hidden if owner is not None else None
    if fn is None:
        raise Conflict(
            _("이 대상은 숨기거나 복원할 수 없습니다. 해당 기능이 지원하지 않습니다."),
            code="moderation_unavailable",
        )
    return fn


# --- Residents' side --------------------------------------------------------------------------


def create_report(reporter, target_type: str, target_id: int, reason: str, comment: str = "") -> Report:
    """File a report. 422 for an unknown type or reason, 404 when the target does not exist,
    409 when the same resident already has an open report on it."""
    if reporter is None:
        raise Unauthorized()
    problems = {}
    if target_type not in REPORT_TARGETS:
        problems["target_type"] = [_("신고할 수 없는 대상입니다.")]
    if reason not in REPORT_REASONS:
        problems["reason"] = [_("신고 사유를 선택해 주세요.")]
    if len(comment or "") > 1000:
        problems["comment"] = [_("1000자 이하로 입력해 주세요.")]
    if problems:
        raise Invalid(fields=problems)
    if describe(target_type, target_id) is None:
        raise NotFound(_("신고할 대상을 찾을 수 없습니다."), code="target_not_found")
    with transaction():
        report = add_report(reporter, target_type, target_id, reason, (comment or "").strip())
    return report


# --- The centre's queue -----------------------------------------------------------------------


def _check_filters(status: str | None, target_type: str | None) -> None:
    problems = {}
    if status not in (None, "", "all", *REPORT_STATUSES):
        problems["status"] = [_("알 수 없는 상태입니다.")]
    if target_type not in (None, "", *REPORT_TARGETS):
        problems["target_type"] = [_("알 수 없는 대상 유형입니다.")]
    if problems:
        raise Invalid(fields=problems)


def report_queue(
    actor, *, status: str | None = "open", target_type: str | None = None, page: int = 1, per_page: int = 20
) -> tuple[list[ReportGroup], int]:
    """Reports grouped by target, the most reported and most recent first. Returns (groups, total)."""
    require_centre(actor)
    _check_filters(status, target_type)
    conditions = []
    if status and status != "all":
        conditions.append(Report.status == status)
    if target_type:
        conditions.append(Report.target_type == target_type)
    grouped = (
        select(
            Report.target_type,
            Report.target_id,
            func.count(Report.id).label("n"),
            func.min(Report.created_at).label("first_at"),
            func.max(Report.created_at).label("last_at"),
        )
        .where(*conditions)
        .group_by(Report.target_type, Report.target_id)
    )
    total = db.session.execute(select(func.count()).select_from(grouped.subquery())).scalar_one()
    rows = db.session.execute(
        grouped.order_by(desc("n"), desc("last_at"), Report.target_type, Report.target_id)
        .limit(per_page)
        .offset((page - 1) * per_page)
    ).all()
    if not rows:
        return [], total
    pairs = or_(*(and_(Report.target_type == r.target_type, Report.target_id == r.target_id) for r in rows))
    reports = (
        db.session.execute(
            select(Report).where(pairs, *conditions).order_by(Report.created_at.desc(), Report.id.desc())
        )
        .scalars()
        .all()
    )
    by_target: dict[tuple[str, int], list[Report]] = {}
    for report in reports:
        by_target.setdefault((report.target_type, report.target_id), []).append(report)
    targets = _with_author_names([describe_for_queue(row.target_type, row.target_id) for row in rows])
    groups = []
    for row, target in zip(rows, targets, strict=True):
        items = by_target.get((row.target_type, row.target_id), [])
        groups.append(
            ReportGroup(
                target=target,
                count=row.n,
                first_at=row.first_at,
                last_at=row.last_at,
                reasons=dict(Counter(r.reason for r in items).most_common()),
                reports=items,
            )
        )
    return groups, total


def _with_author_names(targets: list[Target]) -> list[Target]:
    """The targets with their authors' names, read in one query (the queue shows a name, not an id).
    A deleted account has no name (the queue says "(삭제된 계정)")."""
    ids = {t.author_id for t in targets if t.author_id is not None}
    if not ids:
        return targets
    rows = db.session.execute(
        select(User.id, User.name).where(User.id.in_(ids), User.deleted_at.is_(None))
    ).all()
    names = dict(rows)
    return [replace(t, author_name=names.get(t.author_id)) for t in targets]


def open_report_count() -> tuple[int, int]:
    """(open reports, reported targets with an open report)."""
    reports = db.session.execute(select(func.count(Report.id)).where(Report.status == "open")).scalar_one()
    targets = db.session.execute(
        select(func.count()).select_from(
            select(Report.target_type, Report.target_id)
            .where(Report.status == "open")
            .group_by(Report.target_type, Report.target_id)
            .subquery()
        )
    ).scalar_one()
    return reports, targets


def author_of(target_type: str, target_id: int) -> int:
    """The account behind a target (the account itself for a reported user); 409 when unknown."""
    target = describe(target_type, target_id)
    if target is None:
        raise NotFound(_("신고된 대상을 찾을 수 없습니다."), code="target_not_found")
    if target.author_id is None:
        raise Conflict(_("작성자를 확인할 수 없어 계정을 정지할 수 없습니다."), code="author_unknown")
    return target.author_id


@dataclass(frozen=True)
class Resolution:
    action: str
    target_type: str
    target_id: int
    resolved: list[Report]


def resolve(actor, report_id: int, action: str, note: str = "") -> Resolution:
    """Act on a report and close every open report on the same target, with who and when.

    ``hide`` / ``restore`` ask the owning feature; ``suspend`` suspends the target's author;
    ``dismiss`` closes the reports only (409 when none is open). Returns what it did and the
    reports it closed.
    """
    require_centre(actor)
    if action not in RESOLUTIONS:
        raise Invalid(fields={"action": [_("hide, restore, dismiss, suspend 중 하나여야 합니다.")]})
    if len(note or "") > 1000:
        raise Invalid(fields={"note": [_("1000자 이하로 입력해 주세요.")]})
    with transaction():
        report = db.session.get(Report, report_id)
        if report is None:
            raise NotFound(_("신고를 찾을 수 없습니다."), code="report_not_found")
        target_type, target_id = report.target_type, report.target_id
        open_ids = (
            db.session.execute(
                select(Report.id).where(
                    Report.target_type == target_type,
                    Report.target_id == target_id,
                    Report.status == "open",
                )
            )
            .scalars()
            .all()
        )
        open_reports = [r for r in lock(Report, open_ids).values() if r.status == "open"]
        detail: dict = {"report_ids": [r.id for r in open_reports]}
        if action == "dismiss":
            if not open_reports:
                raise Conflict(_("이미 처리된 신고입니다."), code="already_resolved")
        elif action in ("hide", "restore"):
            moderation_fn(target_type)(actor, target_id, action == "hide")
        else:  # suspend
            author_id = author_of(target_type, target_id)
            set_suspended(actor, author_id, True)
            detail["author_id"] = author_id
        now = utcnow()
        for item in open_reports:
            item.status = "actioned" if action in ("hide", "suspend") else "dismissed"
            item.resolution = action
            item.resolved_by_id = actor.id
            item.resolved_at = now
        if note:
            detail["note"] = note.strip()
        record_action(actor, f"report.{action}", target_type, target_id, **detail)
        if open_reports:
            target = describe(target_type, target_id)
            tell_reporters(
                open_reports,
                action,
                target_type,
                target.title if target is not None and target.described else None,
                target.url if target is not None else None,
            )
    return Resolution(action, target_type, target_id, open_reports)
