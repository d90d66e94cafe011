"""Social-economy organisations (사회적경제조직) and their members."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import CheckConstraint, DateTime, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..core.db import utcnow
from ..core.extensions import db


class Organization(db.Model):
    __tablename__ = "organizations"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(100))
    kind: Mapped[str] = mapped_column(String(40), index=True)
    dong: Mapped[str] = mapped_column(String(10), index=True)
    description: Mapped[str] = mapped_column(Text, default="")
    address: Mapped[str] = mapped_column(String(200), default="", server_default="")
    opening_hours: Mapped[str] = mapped_column(String(200), default="", server_default="")
    verified_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    discount_bp: Mapped[int] = mapped_column(Integer, default=0)
    mileage_bp: Mapped[int] = mapped_column(Integer, default=0)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)

    # Loaded when read (an organisation's own page): the lists that join an organisation (posts,
    # listings, the directory) never show its members.
    memberships = relationship("Membership", back_populates="organization", lazy="select")

    __table_args__ = (
        CheckConstraint("discount_bp BETWEEN 0 AND 2000", name="discount_bp_range"),
        CheckConstraint("mileage_bp BETWEEN 0 AND 2000", name="mileage_bp_range"),
    )

    @property
    def verified(self) -> bool:
        return self.verified_at is not None

    @property
    def members(self):
        return [m.user for m in self.memberships]


class Membership(db.Model):
    __tablename__ = "memberships"

    id: Mapped[int] = mapped_column(primary_key=True)
    organization_id: Mapped[int] = mapped_column(
        ForeignKey("organizations.id", ondelete="CASCADE"), index=True
    )
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    role: Mapped[str] = mapped_column(String(10), default="member")  # founder | member
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)

    organization = relationship("Organization", back_populates="memberships")
    user = relationship("User", back_populates="memberships")

    __table_args__ = (UniqueConstraint("organization_id", "user_id"),)
