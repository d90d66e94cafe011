"""Money waiting for a settlement source (two-phase, like TigerBeetle's pending transfers).

A :class:`PendingTopup` is a resident's top-up that is not money yet: nothing is posted in the ledger
until a settlement source confirms it (the centre's cash desk with a receipt reference, or a payment
provider's signed callback); then one ``topup`` transaction is posted and the row keeps its id. A
pending top-up not confirmed within ``TOPUP_PENDING_HOURS`` is void (``expires_at``; a cron command
marks it, and every read treats it so already).

A :class:`PayoutRequest` is a shop's request to be paid out: the centre approves it with the bank
transfer's reference, and only then is the ``payout`` transaction posted.

These rows are the requests' state, not the ledger: their amounts are reported apart by the audit
(``pending``), and never counted in a balance.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import BigInteger, CheckConstraint, DateTime, ForeignKey, Index, String, text
from sqlalchemy.orm import Mapped, mapped_column

from ..core.db import utcnow
from ..core.extensions import db
from .models import BigId

REFERENCE_MAX = 100


class PendingTopup(db.Model):
    __tablename__ = "card_pending_topups"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    amount: Mapped[int] = mapped_column(BigInteger)
    # pending -> posted (confirmed) | voided (expired)
    status: Mapped[str] = mapped_column(String(10), default="pending")
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    # cash_desk (a centre member) or provider (a signed callback)
    source: Mapped[str | None] = mapped_column(String(10))
    reference: Mapped[str | None] = mapped_column(String(REFERENCE_MAX))
    confirmed_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    resolved_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    transaction_id: Mapped[int | None] = mapped_column(BigId, ForeignKey("card_transactions.id"))
    idempotency_key: Mapped[str | None] = mapped_column(String(100))
    request_hash: Mapped[str | None] = mapped_column(String(64))

    __table_args__ = (
        CheckConstraint("amount BETWEEN 1 AND 10000000", name="amount_range"),
        CheckConstraint("status IN ('pending', 'posted', 'voided')", name="status"),
        CheckConstraint("status <> 'posted' OR transaction_id IS NOT NULL", name="posted_transaction"),
        Index("ix_card_pending_topups_status_expires_at", "status", "expires_at"),
        Index(
            "uq_card_pending_topups_user_id_idempotency_key",
            "user_id",
            "idempotency_key",
            unique=True,
            sqlite_where=text("idempotency_key IS NOT NULL"),
            postgresql_where=text("idempotency_key IS NOT NULL"),
        ),
    )


class PayoutRequest(db.Model):
    __tablename__ = "card_payout_requests"

    id: Mapped[int] = mapped_column(primary_key=True)
    organization_id: Mapped[int] = mapped_column(ForeignKey("organizations.id"), index=True)
    amount: Mapped[int] = mapped_column(BigInteger)
    # requested -> posted (approved with the transfer's reference)
    status: Mapped[str] = mapped_column(String(10), default="requested")
    requested_by: Mapped[int] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    approved_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    resolved_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    reference: Mapped[str | None] = mapped_column(String(REFERENCE_MAX))
    transaction_id: Mapped[int | None] = mapped_column(BigId, ForeignKey("card_transactions.id"))
    idempotency_key: Mapped[str | None] = mapped_column(String(100))
    request_hash: Mapped[str | None] = mapped_column(String(64))

    __table_args__ = (
        CheckConstraint("amount >= 1", name="amount_positive"),
        CheckConstraint("status IN ('requested', 'posted')", name="status"),
        CheckConstraint("status <> 'posted' OR transaction_id IS NOT NULL", name="posted_transaction"),
        Index(
            "uq_card_payout_requests_requested_by_idempotency_key",
            "requested_by",
            "idempotency_key",
            unique=True,
            sqlite_where=text("idempotency_key IS NOT NULL"),
            postgresql_where=text("idempotency_key IS NOT NULL"),
        ),
    )
