"""Accounts and API tokens."""

from __future__ import annotations

from datetime import datetime

from flask_login import UserMixin
from sqlalchemy import DateTime, ForeignKey, Index, String, false, func
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..core.db import utcnow
from ..core.extensions import db


class User(UserMixin, db.Model):
    __tablename__ = "users"

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(254))
    password_hash: Mapped[str] = mapped_column(String(255))
    name: Mapped[str] = mapped_column(String(50))
    dong: Mapped[str] = mapped_column(String(10))
    role: Mapped[str] = mapped_column(String(10), default="resident")
    suspended_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    # Stored in the session at sign-in and compared on every request: bumping it signs out every
    # copy of the cookie (logout, password change, suspension, role change, "sign out everywhere").
    session_generation: Mapped[int] = mapped_column(default=0, server_default="0")
    email_verified_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    # 개인정보 수집·이용 동의 and 이용약관 동의: which version, and when.
    privacy_consent_version: Mapped[str | None] = mapped_column(String(20))
    privacy_consent_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    terms_consent_version: Mapped[str | None] = mapped_column(String(20))
    terms_consent_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    # Deleted by its owner: the row stays (ledger entries point at it), anonymised.
    deleted_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    # Registered through the web form and not yet dismissed the home page's first-visit hint.
    welcome_pending: Mapped[bool] = mapped_column(default=False, server_default=false())

    # Loaded when read (one query, for the signed-in user's own checks): every post, listing and
    # account row that joins its user would otherwise pay a query for memberships no page shows.
    memberships = relationship("Membership", back_populates="user", lazy="select")

    __table_args__ = (Index("uq_users_email_lower", func.lower(email), unique=True),)

    @property
    def is_centre(self) -> bool:
        return self.role == "centre"

    @property
    def is_active(self) -> bool:  # Flask-Login: suspended and deleted accounts cannot sign in
        return self.suspended_at is None and self.deleted_at is None

    def get_id(self) -> str:  # Flask-Login: the session holds the id and the session generation
        return f"{self.id}:{self.session_generation or 0}"

    @property
    def organizations(self):
        return [m.organization for m in self.memberships]

    def member_of(self, organization_id: int | None) -> bool:
        return organization_id is not None and any(
            m.organization_id == organization_id for m in self.memberships
        )

    def __repr__(self) -> str:
        return f"<User {self.id} {self.email}>"


class ApiToken(db.Model):
    """A bearer token. Only its SHA-256 is stored; the token itself is shown once."""

    __tablename__ = "api_tokens"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    revoked_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))

    user: Mapped[User] = relationship()
