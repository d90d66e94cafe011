"""Recording centre actions and residents' reports. Called inside the caller's transaction."""

from __future__ import annotations

from flask_babel import gettext as _
from sqlalchemy import select

from ..core.errors import Conflict, Invalid
from ..core.extensions import db
from .models import BY, REPORT_REASONS, REPORT_TARGETS, SYSTEM, AuditLog, Report


def record_action(actor, action: str, target_type: str, target_id: int | None, **detail) -> None:
    """Write one line of the centre's audit log (joins the service's transaction). With no actor the
    line is the system's (an operator command or a scheduled job): ``detail["by"]`` says so, so that
    the log tells it apart from a line whose account was deleted later."""
    if actor is None:
        detail = {**detail, BY: SYSTEM}
    db.session.add(
        AuditLog(
            actor_id=actor.id if actor else None,
            action=action,
            target_type=target_type,
            target_id=target_id,
            detail=detail,
        )
    )


def add_report(reporter, target_type: str, target_id: int, reason: str, comment: str = "") -> Report:
    """Queue a report for the centre. The caller checks the target exists and owns the transaction.
    Every report form and API goes through here: the same resident reporting the same thing again
    while the first report is open is refused (409), so a report cannot be sent twenty times."""
    if target_type not in REPORT_TARGETS:
        raise Invalid(fields={"target_type": [_("신고할 수 없는 대상입니다.")]})
    if reason not in REPORT_REASONS:
        raise Invalid(fields={"reason": [_("신고 사유를 선택해 주세요.")]})
    duplicate = db.session.execute(
        select(Report.id).where(
            Report.reporter_id == reporter.id,
            Report.target_type == target_type,
            Report.target_id == target_id,
            Report.status == "open",
        )
    ).first()
    if duplicate is not None:
        raise Conflict(_("이미 신고한 대상입니다. 센터에서 확인하고 있습니다."), code="already_reported")
    report = Report(
        reporter_id=reporter.id,
        target_type=target_type,
        target_id=target_id,
        reason=reason,
        comment=(comment or "")[:1000],
    )
    db.session.add(report)
    return report
