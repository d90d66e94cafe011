"""The centre's audit log and the moderation reports that residents file."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, DateTime, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..core.db import utcnow
from ..core.extensions import db

# The detail key that says who wrote a line when no account did: ``{"by": "system"}``.
BY = "by"
SYSTEM = "system"
ACCOUNT = "account"
# Actions written only by an operator command before lines carried ``by``: their lines without an
# account and without ``by`` are the system's.
LEGACY_SYSTEM_ACTIONS = frozenset({"plan.load"})


class AuditLog(db.Model):
    """Every centre action: who, what, on which object, when."""

    __tablename__ = "audit_log"

    id: Mapped[int] = mapped_column(primary_key=True)
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    action: Mapped[str] = mapped_column(String(60), index=True)
    target_type: Mapped[str] = mapped_column(String(30))
    target_id: Mapped[int | None] = mapped_column(Integer)
    detail: Mapped[dict] = mapped_column(JSON, default=dict)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow, index=True)

    actor = relationship("User")

    __table_args__ = (Index("ix_audit_log_actor_id", "actor_id"),)

    @property
    def by_system(self) -> bool:
        """Written by an operator command or a scheduled job, not by an account (deleted or not)."""
        if self.actor_id is not None:
            return False
        by = (self.detail or {}).get(BY)
        return by == SYSTEM if by is not None else self.action in LEGACY_SYSTEM_ACTIONS


REPORT_REASONS = ("spam", "unsafe", "wrong_info", "abuse", "other")
REPORT_TARGETS = ("listing", "message", "post", "resource", "user")
REPORT_STATUSES = ("open", "actioned", "dismissed")
# What the centre did when it resolved a report (Report.resolution).
RESOLUTIONS = ("hide", "restore", "dismiss", "suspend")


class Report(db.Model):
    """A resident's report of a listing, message, post, resource or account, for the centre's queue."""

    __tablename__ = "reports"

    id: Mapped[int] = mapped_column(primary_key=True)
    reporter_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    target_type: Mapped[str] = mapped_column(String(20))
    target_id: Mapped[int] = mapped_column(Integer)
    reason: Mapped[str] = mapped_column(String(20))
    comment: Mapped[str] = mapped_column(Text, default="")
    status: Mapped[str] = mapped_column(String(20), default="open", index=True)  # open|actioned|dismissed
    resolution: Mapped[str | None] = mapped_column(String(20))  # hide|restore|dismiss|suspend
    resolved_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    resolved_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)

    reporter = relationship("User", foreign_keys=[reporter_id])
    resolved_by = relationship("User", foreign_keys=[resolved_by_id])

    __table_args__ = (Index("ix_reports_target", "target_type", "target_id", "status"),)
