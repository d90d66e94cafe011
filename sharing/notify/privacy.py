"""Notifications and queued mail: exported, and erased with the account (mail not yet sent to it too)."""

from __future__ import annotations

from sqlalchemy import delete

from ..core.extensions import db
from ..core.rows import owned_rows
from .models import Notification, OutboxMail


def export(user) -> dict:
    return {"notifications": owned_rows(Notification, Notification.user_id, user.id)}


def erase(user, _now) -> None:
    db.session.execute(delete(Notification).where(Notification.user_id == user.id))
    db.session.execute(
        delete(OutboxMail).where(OutboxMail.to_address == user.email, OutboxMail.sent_at.is_(None))
    )
